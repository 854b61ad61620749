"""The public, machine-readable form of entries: CSV export and JSON API rows.

``import_inventory`` reads exactly these columns back (docs/api.md), so an export
from one site imports into another with every public field. The CSV is written
through ``home.csv_guard`` (no cell a spreadsheet would run as a formula), whose
``unguard`` the import applies.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from action_lines.teams import team_code_subquery
from home import csv_guard

from .models import TRANSLATION_FIELDS, InventoryEntry

LIST_SEPARATOR = ";"


def _same(value):
    return value


def _or_empty(value):
    return value or ""


def _isoformat(value):
    return value.isoformat() if value else None


def _keywords(value):
    return [word.strip() for word in (value or "").split(",") if word.strip()]


@dataclass(frozen=True)
class Column:
    """One public column: its name in the CSV and the API, and where it comes from.

    ``source`` is the field of the entry's ``values()`` row that ``read`` turns
    into the column's value; a column without one (the partners, the URL) is
    filled from elsewhere.
    """

    name: str
    source: str | None
    read: Callable = _same


def _field(name, read=_same):
    """Return a column read from the field of the same name."""
    return Column(name, name, read)


# The public record, in the order of the CSV's columns and the API's keys.
COLUMNS = [
    _field("id"),
    _field("reference"),
    _field("title"),
    _field("summary"),
    _field("description"),
    _field("activity_type"),
    _field("action_lines", list),
    _field("sdgs", list),
    _field("countries", list),
    _field("regions", list),
    _field("coverage"),
    _field("stakeholder_type"),
    Column("organisation", "organisation__name", _or_empty),
    Column("organisation_acronym", "organisation__acronym", _or_empty),
    Column("partners", None),  # one row per partner: gathered by public_records
    _field("status"),
    _field("start_date", _isoformat),
    _field("end_date", _isoformat),
    Column("year", "reporting_year"),
    _field("website"),
    _field("keywords", _keywords),
    Column("team", "team_code", _or_empty),
    Column("url", None),  # depends on the request: with_urls
    Column("published_at", "first_published_at", _isoformat),
    _field("language"),
    *(_field(name) for name in TRANSLATION_FIELDS),
]
CSV_COLUMNS = [column.name for column in COLUMNS]
# What public_records reads of each entry (its partners aside).
RECORD_FIELDS = [column.source for column in COLUMNS if column.source]


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
    """Return the public record of a row and its partners' names.

    The public record of a ``values(*RECORD_FIELDS)`` row and its partners' names.
    """
    record = {
        column.name: column.read(row[column.source]) if column.source else None
        for column in COLUMNS
    }
    record["partners"] = partners
    return record


def with_urls(stored, request=None):
    """Return the records, given their public URL (changes them in place)."""
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
    """Return the public records of the published entries ``entry_ids``, in order.

    The public records of the published entries ``entry_ids``, in that order.
    """
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
    """Yield the CSV text line by line (header first), reading entries in chunks."""
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
