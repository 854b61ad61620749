"""Reporting fixtures.

Report pages, the known inventory of tests.helpers.reporting, contributions and
meetings.
"""

import datetime

import pytest

from action_lines.choices import MeetingKind
from inventory.models import AnnualContribution, InventoryEntry
from reporting.assembly import assemble_and_save
from tests.factories import (
    YEAR,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    StakeholderOrganisationFactory,
)
from tests.helpers.dates import aware
from tests.helpers.inventory import reject_in_moderation
from tests.helpers.pages import publish, refreshed
from tests.helpers.reporting import ENTRIES, Inventory, make_entry, publish_report


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


@pytest.fixture
def previous_report(report_index, inventory):
    """Return the published report for 2024.

    The published report for 2024, assembled before this year's (for the comparison
    and the trend chart).
    """
    page = ReportPageFactory(
        parent=report_index,
        period_start=datetime.date(YEAR - 1, 1, 1),
        period_end=datetime.date(YEAR - 1, 12, 31),
    )
    page.save_revision()
    assemble_and_save(page)
    return publish_report(page)


# --- The known inventory --------------------------------------------------------


@pytest.fixture
def inventory(tree, users):
    """Create the known inventory of ENTRIES, plus hidden entries.

    The known inventory of ENTRIES, plus a rejected and an unpublished entry of the
    period; the published "clinics" entry has a pending draft (to C9).
    """
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
    """Facilitators' meetings.

    Two in 2025 (one with an outcome), one in 2024, one unpublished in 2025; and a
    team meeting in 2025 that is not one of them.
    """
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


# --- The admin's report form -----------------------------------------------------
