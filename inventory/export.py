"""The public, machine-readable form of entries: CSV export and JSON API rows.

``import_inventory`` reads exactly these columns back (CONTRACT.md), so an export
from one site imports into another with every public field.
"""

import csv
import io

from django.conf import settings

from .models import InventoryEntry

LIST_SEPARATOR = ";"

CSV_COLUMNS = [
    "id",
    "reference",
    "title",
    "summary",
    "description",
    "activity_type",
    "action_lines",
    "sdgs",
    "countries",
    "regions",
    "coverage",
    "stakeholder_type",
    "organisation",
    "organisation_acronym",
    "partners",
    "status",
    "start_date",
    "end_date",
    "year",
    "website",
    "keywords",
    "team",
    "url",
    "published_at",
]


def entry_url(entry, request=None):
    path = entry.get_absolute_url()
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def team_codes(entries):
    """{team id: action line code} for the entries' teams, in two queries."""
    from wagtail.models import Page

    from action_lines.models import ActionLinePage, TeamPage

    team_ids = {entry.team_id for entry in entries if entry.team_id}
    if not team_ids:
        return {}
    paths = dict(TeamPage.objects.filter(pk__in=team_ids).values_list("pk", "path"))
    parents = dict(
        ActionLinePage.objects.filter(
            path__in=[path[: -Page.steplen] for path in paths.values()]
        ).values_list("path", "code")
    )
    return {pk: parents.get(path[: -Page.steplen], "") for pk, path in paths.items()}


def entry_record(entry, request=None, teams=None):
    """Every public field of an entry; never the contact details.

    ``teams`` maps team ids to codes (see ``team_codes``); without it the team's
    code is looked up for this entry alone.
    """
    if teams is None:
        teams = team_codes([entry])
    return {
        "id": entry.pk,
        "reference": entry.reference,
        "title": entry.title,
        "summary": entry.summary,
        "description": entry.description,
        "activity_type": entry.activity_type,
        "action_lines": list(entry.action_lines),
        "sdgs": list(entry.sdgs),
        "countries": list(entry.countries),
        "regions": list(entry.regions),
        "coverage": entry.coverage,
        "stakeholder_type": entry.stakeholder_type,
        "organisation": entry.organisation.name if entry.organisation else "",
        "organisation_acronym": entry.organisation.acronym
        if entry.organisation
        else "",
        "partners": [partner.name for partner in entry.partners.all()],
        "status": entry.status,
        "start_date": entry.start_date.isoformat() if entry.start_date else None,
        "end_date": entry.end_date.isoformat() if entry.end_date else None,
        "year": entry.reporting_year,
        "website": entry.website,
        "keywords": entry.keyword_list,
        "team": teams.get(entry.team_id, "") if entry.team_id else "",
        "url": entry_url(entry, request),
        "published_at": entry.first_published_at.isoformat()
        if entry.first_published_at
        else None,
    }


def csv_row(record):
    row = []
    for column in CSV_COLUMNS:
        value = record[column]
        if isinstance(value, list):
            value = LIST_SEPARATOR.join(str(item) for item in value)
        row.append("" if value is None else value)
    return row


def csv_lines(entry_ids, request=None, chunk=500):
    """Yields the CSV text line by line (header first), reading entries in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()
    for start in range(0, len(entry_ids), chunk):
        ids = entry_ids[start : start + chunk]
        entries = (
            InventoryEntry.objects.filter(pk__in=ids, live=True)
            .select_related("organisation")
            .prefetch_related("partners")
        )
        by_pk = {entry.pk: entry for entry in entries}
        teams = team_codes(by_pk.values())
        for pk in ids:
            if pk in by_pk:
                writer.writerow(csv_row(entry_record(by_pk[pk], request, teams)))
        yield flush()
