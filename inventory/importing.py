"""Reading inventory entries from CSV or JSON: all rows valid, or nothing imported.

The format is exactly what ``/inventory/export.csv`` writes (lists separated by
";", every cell guarded against spreadsheet formulas: the guard comes off as the
file is read), or the ``results`` of ``/api/inventory/`` (lists as JSON arrays,
text as it is).
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from action_lines.teams import source_teams
from home.choices import SDG, StakeholderType, UNLanguage
from home.countries import is_country
from home.csv_guard import unguard
from home.rich_text import clean_rich_text_fields
from home.validators import control_characters

from .choices import GLOBAL, ActionLineCode, ActivityStatus, ActivityType, Coverage
from .export import LIST_SEPARATOR
from .forms import organisation_named
from .models import TRANSLATION_FIELDS, InventoryEntry
from .moderation import submit_for_moderation

REQUIRED = [
    "title",
    "summary",
    "activity_type",
    "action_lines",
    "countries",
    "stakeholder_type",
    "status",
    "year",
]
# What the entry's one-line fields refuse (home.validators), refused by row.
SINGLE_LINE_FIELDS = [
    "title",
    "title_en",
    "title_fr",
    "keywords",
    "organisation",
    "organisation_acronym",
    "partners",
]
ENTRY_FIELDS = [
    "title",
    "summary",
    "language",
    *TRANSLATION_FIELDS,
    "description",
    "activity_type",
    "stakeholder_type",
    "status",
    "coverage",
    "action_lines",
    "countries",
    "sdgs",
    "reporting_year",
    "start_date",
    "end_date",
    "website",
    "keywords",
    "team",
]
MAX_ROWS = 500_000


class ImportFileError(Exception):
    """The file cannot be read at all (format, encoding, structure)."""


@dataclass
class RowError:
    line: int
    field: str
    message: str

    def __str__(self):
        return f"line {self.line}, {self.field}: {self.message}"


def read_rows(path):
    """[(line number, dict)] from a CSV or JSON file."""
    path = Path(path)
    try:
        # Decoded, not read as text: universal newlines would turn the "\r\n" of
        # a quoted value (a summary typed in a browser) into "\n".
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as error:
        raise ImportFileError(f"{path}: no such file") from error
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path}: not UTF-8 text ({error.reason})") from error
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in ("[", "{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFileError(
                f"{path}: invalid JSON at line {error.lineno}: {error.msg}"
            ) from error
        if isinstance(data, dict):
            data = data.get("results")
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ImportFileError(
                f"{path}: expected a list of entries, or an object with 'results'"
            )
        return [(number, row) for number, row in enumerate(data, start=1)]
    # newline="": quoted values keep their line breaks (summaries, descriptions).
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "title" not in reader.fieldnames:
        raise ImportFileError(f"{path}: no CSV header with a 'title' column")
    rows = []
    last_line = reader.line_num
    for row in reader:
        row = {
            name: unguard(value) if isinstance(value, str) else value
            for name, value in row.items()
        }
        rows.append((last_line + 1, row))  # the line the row starts on
        last_line = reader.line_num
        if len(rows) > MAX_ROWS:
            raise ImportFileError(f"{path}: more than {MAX_ROWS} rows")
    return rows


def as_list(value):
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    text = str(value).strip()
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


def as_text(value):
    if isinstance(value, list):  # JSON: an empty list is no value, not "[]"
        return LIST_SEPARATOR.join(as_list(value))
    return "" if value is None else str(value).strip()


class RowValidator:
    def __init__(self):
        self.teams = {team.code: team for team in source_teams()}
        self.url = URLValidator()

    def clean(self, line, row):
        """Return (cleaned dict, [RowError])."""
        errors = []

        def fail(field, message):
            errors.append(RowError(line, field, message))

        for name in REQUIRED:
            if not as_list(row.get(name)) and as_text(row.get(name)) == "":
                fail(name, "required")
        data = {
            "reference": as_text(row.get("reference"))[:20],
            "title": as_text(row.get("title")),
            "summary": as_text(row.get("summary")),
            "description": as_text(row.get("description")),
            "website": as_text(row.get("website")),
            "keywords": ", ".join(
                as_list(row.get("keywords")) or as_text(row.get("keywords")).split(",")
            ),  # fmt: skip
        }
        data["language"] = as_text(row.get("language")) or UNLanguage.ENGLISH
        if data["language"] not in UNLanguage.values:
            fail("language", f"unknown language {data['language']!r}")
        for name in TRANSLATION_FIELDS:
            data[name] = as_text(row.get(name))
        for name in ("title", "title_en", "title_fr"):
            if len(data[name]) > 255:
                fail(name, "longer than 255 characters")
        for name in ("summary", "summary_en", "summary_fr"):
            if len(data[name]) > 600:
                fail(name, "longer than 600 characters")
        for name, choices in (
            ("activity_type", ActivityType.values),
            ("stakeholder_type", StakeholderType.values),
            ("status", ActivityStatus.values),
        ):
            value = as_text(row.get(name))
            if value and value not in choices:
                fail(name, f"unknown value {value!r}")
            data[name] = value
        coverage = as_text(row.get("coverage")) or Coverage.NATIONAL
        if coverage not in Coverage.values:
            fail("coverage", f"unknown value {coverage!r}")
        data["coverage"] = coverage
        codes = [code.upper() for code in as_list(row.get("action_lines"))]
        bad = [code for code in codes if code not in ActionLineCode.values]
        if bad:
            fail("action_lines", f"unknown codes {', '.join(bad)}")
        data["action_lines"] = codes
        countries = [
            c if c == GLOBAL else c.upper() for c in as_list(row.get("countries"))
        ]
        bad = [c for c in countries if c != GLOBAL and not is_country(c)]
        if bad:
            fail("countries", f"not ISO 3166-1 alpha-3: {', '.join(bad)}")
        data["countries"] = countries
        sdgs = []
        for item in as_list(row.get("sdgs")):
            if not item.isdigit() or int(item) not in SDG.values:
                fail("sdgs", f"not a goal number 1-17: {item!r}")
            else:
                sdgs.append(int(item))
        data["sdgs"] = sorted(set(sdgs))
        year = as_text(row.get("year") or row.get("reporting_year"))
        if year and (not year.isdigit() or not 2003 <= int(year) <= 2100):
            fail("year", f"not a year: {year!r}")
        data["reporting_year"] = int(year) if year.isdigit() else None
        for name in ("start_date", "end_date"):
            value = as_text(row.get(name))
            try:
                data[name] = datetime.date.fromisoformat(value) if value else None
            except ValueError:
                fail(name, f"not a date (YYYY-MM-DD): {value!r}")
                data[name] = None
        if (
            data["start_date"]
            and data["end_date"]
            and data["end_date"] < data["start_date"]
        ):
            fail("end_date", "before the start date")
        if len(data["website"]) > 500:
            fail("website", "longer than 500 characters")
        elif data["website"]:
            try:
                self.url(data["website"])
            except ValidationError:
                fail("website", f"not a web address: {data['website'][:80]!r}")
        if len(data["keywords"]) > 500:
            fail("keywords", "longer than 500 characters")
        team = as_text(row.get("team")).upper()
        if team and team not in self.teams:
            fail("team", f"no team for action line {team!r}")
        data["team"] = self.teams.get(team)
        data["organisation"] = as_text(row.get("organisation"))
        data["organisation_acronym"] = as_text(row.get("organisation_acronym"))
        data["partners"] = as_list(row.get("partners"))
        for name in SINGLE_LINE_FIELDS:
            values = data[name] if isinstance(data[name], list) else [data[name]]
            if any(control_characters(value) for value in values):
                fail(name, "line breaks or other control characters in one line")
        return data, errors


def validate(rows):
    validator = RowValidator()
    cleaned, errors = [], []
    seen = {}
    for line, row in rows:
        data, row_errors = validator.clean(line, row)
        reference = data["reference"]
        if reference:
            if reference in seen:
                row_errors.append(
                    RowError(line, "reference", f"repeats line {seen[reference]}")
                )
            seen[reference] = line
        errors += row_errors
        cleaned.append(data)
    return cleaned, errors


def build_entry(data):
    entry = (
        InventoryEntry.objects.filter(reference=data["reference"]).first()
        if (data["reference"])
        else None
    )
    if entry is None:
        entry = InventoryEntry(live=False)
        if data["reference"]:
            entry.reference = data["reference"]
    for name in ENTRY_FIELDS:
        setattr(entry, name, data[name])
    # The file's HTML as the editor would have saved it: nothing it cannot
    # represent reaches the entry page or the editors' preview.
    clean_rich_text_fields(entry)
    if data["organisation"]:
        organisation = organisation_named(
            data["organisation"], data["stakeholder_type"]
        )
        if data["organisation_acronym"] and not organisation.acronym:
            organisation.acronym = data["organisation_acronym"][:40]
            organisation.save(update_fields=["acronym"])
        entry.organisation = organisation
    entry.partners.set([organisation_named(name, "other") for name in data["partners"]])
    return entry


def import_entries(cleaned, publish=False, user=None, progress=None):
    """Create or update the entries in one transaction.

    Returns (created, updated).
    """
    created = updated = 0
    with transaction.atomic():
        for data in cleaned:
            entry = build_entry(data)
            is_new = entry.pk is None
            if is_new:
                entry.save()
            if publish:
                entry.save_revision(user=user, log_action=True).publish(user=user)
            else:
                submit_for_moderation(entry, user)
            created += is_new
            updated += not is_new
            if progress is not None:
                progress.update(1)
    return created, updated
