"""A known inventory for the reporting tests.

The inventory is described as data first (``ENTRIES``), so the tests can count
what a report must say with plain Python, independently of the assembly's SQL.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse

from inventory.models import InventoryEntry
from reporting.models import ReportHighlight
from tests.factories import (
    YEAR,
    InventoryEntryFactory,
)
from tests.helpers.dates import aware
from tests.helpers.pages import refreshed

# ITU regions of the countries used below (data/itu_regions.json), written out
# so the expected figures do not come from the code under test.
REGION = {
    "SEN": "africa",
    "KEN": "africa",
    "FRA": "europe",
    "DEU": "europe",
    "BRA": "americas",
    "EGY": "arab-states",
    "IND": "asia-pacific",
}


class Spec(NamedTuple):
    """One inventory entry as the tests know it."""

    live: bool
    year: int
    action_lines: list
    countries: list
    stakeholder: str
    type: str
    sdgs: list
    status: str
    start: datetime.date | None
    published: datetime.datetime | None
    organisation: str | None
    end: datetime.date | None = None
    freshness: str = "current"


D = datetime.date


# fmt: off
ENTRIES = {
    # Published, in the period (2025).
    "clinics": Spec(True, YEAR, ["C5"], ["SEN"], "government", "project",
                    [4, 9], "ongoing", D(2024, 3, 1), aware(2024, 4, 1), "org_a"),
    "training": Spec(True, YEAR, ["C5", "C2"], ["FRA", "DEU"], "private-sector",
                     "training", [9], "completed", D(2025, 2, 1), aware(2025, 2, 10),
                     "org_b"),
    "telehealth": Spec(True, YEAR, ["C7-EHEALTH"], ["global"],
                       "international-organization", "conference", [3], "planned",
                       None, aware(2025, 5, 1), "org_a"),
    "backbone": Spec(True, YEAR, ["C2"], ["BRA", "SEN"], "civil-society", "project",
                     [], "ongoing", None, aware(2024, 12, 1), None),
    "portal": Spec(True, YEAR, ["C2"], ["SEN", "KEN"], "government", "website",
                   [17, 9], "ongoing", D(2025, 1, 1), aware(2025, 1, 2), "org_c"),
    "cairo": Spec(True, YEAR, ["C7-EGOV", "C1"], ["EGY", "IND"], "academia",
                  "guideline", [16], "completed", D(2023, 6, 1), aware(2023, 7, 1),
                  "org_b"),
    # Published, other years.
    "last_year": Spec(True, YEAR - 1, ["C5"], ["FRA"], "government", "project", [9],
                      "completed", D(2024, 1, 1), aware(2024, 1, 5), "org_a",
                      D(2024, 12, 31)),
    # Published and of the period, but made inactive by the freshness cycle.
    "dormant": Spec(True, YEAR, ["C2"], ["SEN"], "government", "project", [9],
                    "ongoing", D(2025, 4, 1), aware(2025, 4, 2), "org_a",
                    None, "inactive"),
    "next_year": Spec(True, YEAR + 1, ["C2"], ["SEN"], "government", "training",
                      [4], "planned", D(2026, 1, 1), aware(2025, 12, 1), "org_c"),
    # Never published (a draft awaiting moderation), of the period.
    "draft": Spec(False, YEAR, ["C5"], ["SEN"], "government", "project", [9],
                  "ongoing", D(2025, 3, 1), None, "org_a"),
}


# fmt: on


def active_in(spec, first, last):
    """Return whether the activity runs during [first, last].

    It starts (or, undated, is first published) by ``last`` and has not ended
    before ``first``.
    """
    start = spec.start or (spec.published.date() if spec.published else None)
    return (
        start is not None and start <= last and (spec.end is None or spec.end >= first)
    )


# What a report of the year counts: published, active, running in the year.
IN_PERIOD = [
    name
    for name, spec in ENTRIES.items()
    if spec.live
    and spec.freshness != "inactive"
    and active_in(spec, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
]
INACTIVE_IN_PERIOD = [
    name
    for name, spec in ENTRIES.items()
    if spec.live
    and spec.freshness == "inactive"
    and active_in(spec, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
]


@dataclass
class Inventory:
    """The entries by name, plus the rejected and the unpublished one."""

    entries: dict
    organisations: dict
    rejected: InventoryEntry
    unpublished: InventoryEntry

    def __getitem__(self, name):
        return self.entries[name]

    @property
    def counted(self):
        """The entries a report for 2025 counts."""
        return [self.entries[name] for name in IN_PERIOD]

    @property
    def never_counted(self):
        others = [name for name in ENTRIES if name not in IN_PERIOD]
        return [self.entries[name] for name in others] + [
            self.rejected,
            self.unpublished,
        ]


def make_entry(name, spec, organisations, **overrides):
    values = {
        "title": f"Activity {name}",
        "live": spec.live,
        "reporting_year": spec.year,
        "action_lines": list(spec.action_lines),
        "countries": list(spec.countries),
        "stakeholder_type": spec.stakeholder,
        "activity_type": spec.type,
        "sdgs": list(spec.sdgs),
        "status": spec.status,
        "start_date": spec.start,
        "end_date": spec.end,
        "freshness": spec.freshness,
        "first_published_at": spec.published,
        "last_published_at": spec.published,
        "organisation": organisations.get(spec.organisation),
        **overrides,
    }
    return InventoryEntryFactory(**values)


def add_highlights(report, *pairs):
    """Highlights chosen in the editor: saved with a new revision of the report."""
    page = refreshed(report).get_latest_revision_as_object()
    for entry, note in pairs:
        page.highlights.add(ReportHighlight(entry=entry, note=note))
    page.save_revision()
    return refreshed(report)


def publish_report(report, user=None):
    revision = refreshed(report).get_latest_revision()
    revision.publish(user=user)
    return refreshed(report)


def api_count(link):
    """Return the number of entries the inventory search behind ``link`` finds now."""
    parts = urlsplit(link)
    assert parts.path == reverse("inventory:search")
    response = Client().get(reverse("inventory_api") + "?" + parts.query)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def every_figure_link(figures):
    """Return (link, count) of every figure that links to the inventory."""
    totals, links = figures["totals"], figures["links"]
    pairs = [(links[key], totals[key]) for key in ("entries", "new", "continuing")]
    pairs.append((figures["left_out"]["link"], figures["left_out"]["inactive"]))
    for breakdown in figures["breakdowns"]:
        pairs += [(row["link"], row["count"]) for row in breakdown["rows"]]
    pairs += [(row["link"], row["count"]) for row in figures["top_countries"]]
    return pairs
