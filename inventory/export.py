"""The public, machine-readable form of entries: CSV export and JSON API rows.

``import_inventory`` reads exactly these columns back (docs/api.md), so an export
from one site imports into another with every public field. The CSV is written
through ``home.csv_guard`` (no cell a spreadsheet would run as a formula), whose
``unguard`` the import applies.
"""

import io

from django.conf import settings
from django.db.models import OuterRef, Subquery

from action_lines.teams import team_code_subquery
from home import csv_guard

from .models import TRANSLATION_FIELDS, InventoryEntry

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
    "language",
    *TRANSLATION_FIELDS,
]


RECORD_FIELDS = [
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
    "organisation__name",
    "organisation__acronym",
    "status",
    "start_date",
    "end_date",
    "reporting_year",
    "website",
    "keywords",
    "team_code",
    "first_published_at",
    "language",
    *TRANSLATION_FIELDS,
]


def public_records(entry_ids):
    """{id: public record} of the published entries ``entry_ids``, without the URL.

    Every public field, never the contact details. Read as plain rows in one
    query whatever the number of entries (one row per partner, the team's code by
    a subquery). The search engine stores this very record with each entry's
    document (``InventoryEntry.public_record``), so the API can answer from the
    engine alone.
    """
    rows = {}
    partners = {}
    for row in (
        InventoryEntry.objects.filter(pk__in=entry_ids, live=True)
        .annotate(team_code=Subquery(team_code_subquery(OuterRef("team__path"))))
        .order_by("id", "partners__name")
        .values(*RECORD_FIELDS, "partners__name")
    ):
        pk = row["id"]
        if pk not in rows:
            rows[pk] = row
            partners[pk] = []
        if row["partners__name"] is not None:
            partners[pk].append(row["partners__name"])
    return {pk: record_from_row(row, partners[pk]) for pk, row in rows.items()}


def record_from_row(row, partners):
    """The public record of a ``values(*RECORD_FIELDS)`` row and its partners' names."""
    return {
        "id": row["id"],
        "reference": row["reference"],
        "title": row["title"],
        "summary": row["summary"],
        "description": row["description"],
        "activity_type": row["activity_type"],
        "action_lines": list(row["action_lines"]),
        "sdgs": list(row["sdgs"]),
        "countries": list(row["countries"]),
        "regions": list(row["regions"]),
        "coverage": row["coverage"],
        "stakeholder_type": row["stakeholder_type"],
        "organisation": row["organisation__name"] or "",
        "organisation_acronym": row["organisation__acronym"] or "",
        "partners": partners,
        "status": row["status"],
        "start_date": row["start_date"].isoformat() if row["start_date"] else None,
        "end_date": row["end_date"].isoformat() if row["end_date"] else None,
        "year": row["reporting_year"],
        "website": row["website"],
        "keywords": [
            word.strip() for word in (row["keywords"] or "").split(",") if word.strip()
        ],
        "team": row["team_code"] or "",
        "url": None,  # depends on the request: with_urls
        "published_at": row["first_published_at"].isoformat()
        if row["first_published_at"]
        else None,
        "language": row["language"],
        **{name: row[name] for name in TRANSLATION_FIELDS},
    }


def with_urls(stored, request=None):
    """The records, given their public URL (changes them in place)."""
    from django.urls import reverse

    if request is not None:
        site = request.build_absolute_uri("/").rstrip("/")
    else:
        site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    # One reverse() for the page: the entry URL differs only by its id.
    url = site + reverse("inventory:entry", args=[0])
    head, tail = url.rsplit("/0/", 1)
    for record in stored:
        record["url"] = f"{head}/{record['id']}/{tail}"
    return stored


def records(entry_ids, request=None):
    """The public records of the published entries ``entry_ids``, in that order."""
    found = public_records(entry_ids)
    return with_urls([found[pk] for pk in entry_ids if pk in found], request)


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
    writer = csv_guard.writer(buffer)

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()
    for start in range(0, len(entry_ids), chunk):
        for record in records(entry_ids[start : start + chunk], request):
            writer.writerow(csv_row(record))
        yield flush()
