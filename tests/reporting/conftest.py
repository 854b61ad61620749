"""Reporting fixtures: report pages, a known inventory and the helpers around them.

The inventory is described as data first (``ENTRIES``), so the tests can count
what a report must say with plain Python, independently of the assembly's SQL.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

import pytest

from action_lines.choices import MeetingKind
from inventory.models import AnnualContribution, InventoryEntry
from inventory.moderation import submit_for_moderation
from reporting.models import ReportHighlight
from tests.conftest import publish
from tests.factories import (
    PERIOD_END,
    PERIOD_START,
    YEAR,
    InventoryEntryFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    StakeholderOrganisationFactory,
)
from tests.helpers import aware

__all__ = [
    "PERIOD_END",
    "PERIOD_START",
    "YEAR",
    "InventoryEntryFactory",
    "ReportIndexPageFactory",
    "ReportPageFactory",
    "aware",
]

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


def refreshed(page):
    """The page's specific instance as stored now."""
    return type(page).objects.get(pk=page.pk)


def assert_refused(response):
    """Wagtail's admin refuses with a 403, or (for a page view) back to the
    dashboard with "Sorry, you do not have permission…"."""
    from django.urls import reverse

    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    else:
        assert response.status_code == 403


@pytest.fixture
def report_index(home_page):
    """/reports/, with the editorial-review workflow assigned (reporting.signals)."""
    return publish(ReportIndexPageFactory(parent=home_page))


@pytest.fixture
def report(report_index):
    """The draft report for 2025, with one saved revision and no figures yet."""
    page = ReportPageFactory(parent=report_index)
    page.save_revision()
    return refreshed(page)


# --- The known inventory --------------------------------------------------------


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
                      "completed", D(2024, 1, 1), aware(2024, 1, 5), "org_a"),
    "next_year": Spec(True, YEAR + 1, ["C2"], ["SEN"], "government", "training",
                      [4], "planned", D(2026, 1, 1), aware(2025, 12, 1), "org_c"),
    # Never published (a draft awaiting moderation), of the period.
    "draft": Spec(False, YEAR, ["C5"], ["SEN"], "government", "project", [9],
                  "ongoing", D(2025, 3, 1), None, "org_a"),
}
# fmt: on
IN_PERIOD = [name for name, spec in ENTRIES.items() if spec.live and spec.year == YEAR]


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
        "first_published_at": spec.published,
        "last_published_at": spec.published,
        "organisation": organisations.get(spec.organisation),
        **overrides,
    }
    return InventoryEntryFactory(**values)


def reject_in_moderation(entry, editor):
    """Submits the entry to the inventory moderation, where an editor rejects it."""
    submit_for_moderation(entry)
    entry = InventoryEntry.objects.get(pk=entry.pk)
    task_state = entry.current_workflow_task_state.specific
    task_state.reject(user=editor, comment="Not an activity.")
    return InventoryEntry.objects.get(pk=entry.pk)


@pytest.fixture
def inventory(tree, users):
    """The known inventory of ENTRIES, plus a rejected and an unpublished entry
    of the period; the published "clinics" entry has a pending draft (to C9)."""
    organisations = {
        key: StakeholderOrganisationFactory(name=f"Organisation {key}")
        for key in ("org_a", "org_b", "org_c")
    }
    entries = {
        name: make_entry(name, spec, organisations) for name, spec in ENTRIES.items()
    }
    rejected = make_entry(
        "rejected", ENTRIES["draft"], organisations, title="Rejected activity"
    )
    rejected = reject_in_moderation(rejected, users["inventory_editor"])
    unpublished = make_entry(
        "unpublished", ENTRIES["clinics"], organisations, title="Withdrawn activity"
    )
    unpublished.save_revision().publish()
    InventoryEntry.objects.get(pk=unpublished.pk).unpublish()
    unpublished = InventoryEntry.objects.get(pk=unpublished.pk)
    # A pending edit of a published entry: only the published content counts.
    clinics = entries["clinics"]
    clinics.save_revision().publish()
    clinics = InventoryEntry.objects.get(pk=clinics.pk)
    clinics.action_lines = ["C9"]
    clinics.save_revision()
    entries["clinics"] = InventoryEntry.objects.get(pk=clinics.pk)
    return Inventory(
        entries=entries,
        organisations=organisations,
        rejected=rejected,
        unpublished=unpublished,
    )


@pytest.fixture
def contributions(tree, inventory, users):
    """C5's contribution for 2025 (submitted); C2's is only a draft; a 2024 one."""
    c5 = AnnualContribution.objects.create(
        team=tree.c5_team,
        year=YEAR,
        narrative="<p>C5 trained 300 people.</p>",
        submitted_at=aware(2026, 2, 1),
        submitted_by=users["c5_facilitator"],
    )
    c5.entries.set([inventory["clinics"], inventory["training"], inventory["draft"]])
    AnnualContribution.objects.create(
        team=tree.c2_team, year=YEAR, narrative="<p>Not finished.</p>"
    )
    AnnualContribution.objects.create(
        team=tree.c2_team,
        year=YEAR - 1,
        narrative="<p>Last year.</p>",
        submitted_at=aware(2025, 2, 1),
    )
    return c5


@pytest.fixture
def facilitators_meetings(tree):
    """Facilitators' meetings: two in 2025 (one with an outcome), one in 2024,
    one unpublished in 2025; and a team meeting in 2025 that is not one of them."""
    index = publish(
        MeetingIndexPageFactory(
            parent=tree.secretariat,
            title="Facilitators' meetings",
            slug="facilitators-meetings",
            kind=MeetingKind.FACILITATORS,
        )
    )

    def meeting(title, start, live=True, parent=index, **values):
        page = MeetingPageFactory(
            parent=parent,
            title=title,
            start=start,
            end=start + datetime.timedelta(hours=3),
            live=live,
            **values,
        )
        return publish(page) if live else page

    return {
        "may": meeting(
            "Facilitators' meeting, May 2025",
            aware(2025, 5, 20, 9),
            outcome="<p>Agreed the inventory follow-up.</p>",
        ),
        "october": meeting("Facilitators' meeting, October 2025", aware(2025, 10, 2)),
        "earlier": meeting("Facilitators' meeting, 2024", aware(2024, 5, 20)),
        "draft": meeting("Facilitators' meeting, planned", aware(2025, 11, 5), False),
        "team": meeting(
            "C5 team meeting, 2025", aware(2025, 6, 1), True, parent=tree.c5_meetings
        ),
    }


def add_highlights(report, *pairs):
    """Highlights chosen in the editor: saved with a new revision of the report."""
    page = refreshed(report).get_latest_revision_as_object()
    for entry, note in pairs:
        page.highlights.add(ReportHighlight(entry=entry, note=note))
    page.save_revision()
    return refreshed(report)


# --- The admin's report form -----------------------------------------------------


def report_page_data(page=None, **changes):
    """POST data of the report's add form, or of its edit form as the editor
    shows it (from the latest revision); rich text given as HTML."""
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    highlights = []
    if page is not None:
        page = page.get_latest_revision_as_object()
        highlights = [
            {"id": item.pk or "", "entry": item.entry_id, "note": item.note}
            for item in page.highlights.all()
        ]
    values = {
        "title": page.title if page else "Report for 2025",
        "slug": page.slug if page else "report-2025",
        "period_start": (page.period_start if page else PERIOD_START).isoformat(),
        "period_end": (page.period_end if page else PERIOD_END).isoformat(),
        "addressee": page.addressee if page else "The General Assembly",
        "document_symbol": page.document_symbol if page else "",
        "summary": page.summary if page else "<p>Summary.</p>",
        "narrative": streamfield([]),
        "highlights": inline_formset(highlights, initial=len(highlights)),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        **changes,
    }
    values["summary"] = rich_text(values["summary"])
    return nested_form_data(values)
