"""A periodic report from assembly through editorial review to publication."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from home.roles import REPORT_REVIEWERS, SECRETARIAT
from reporting.models import ReportPage
from tests.factories import (
    YEAR,
    InventoryEntryFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    UserFactory,
)
from tests.helpers.pages import publish, site_home

PASSWORD = "correct horse battery staple"  # UserFactory's
# Generous waits: the assembly and the reviews run inside the requests, and the
# machine may be busy.
WAIT = 20_000
TITLE = "Implementation of the WSIS outcomes in 2025"


def draft_report():
    """/reports/ with a draft report for 2025, and a small published inventory."""
    home = site_home()
    index = publish(ReportIndexPageFactory(parent=home))
    for countries in (["SEN"], ["FRA", "DEU"], ["BRA"]):
        InventoryEntryFactory(countries=countries, year=YEAR, action_lines=["C5"])
    InventoryEntryFactory(title="Not public yet", live=False, first_published_at=None)
    # Reported for, and ended in, the year before: not an activity of 2025.
    InventoryEntryFactory(
        title="Another year",
        year=YEAR - 1,
        action_lines=["C5"],
        end_date=datetime.date(YEAR - 1, 12, 31),
    )
    report = ReportPageFactory(parent=index, title=TITLE)
    report.save_revision()
    return report


def sign_in(browser_context, username):
    page = browser_context().new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"), timeout=WAIT)
    return page


def footer_action(page, name):
    """Clicks an action of the editor's footer menu (opening "More actions")."""
    button = page.get_by_role("button", name=name, exact=True)
    if not button.is_visible():
        page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        button.click()


@pytest.mark.e2e
def test_report_is_assembled_reviewed_approved_and_published(
    transactional_db, browser_context
):
    report = draft_report()
    UserFactory(username="secretary", groups=[SECRETARIAT])
    UserFactory(username="reviewer", groups=[REPORT_REVIEWERS])
    UserFactory(username="secretary2", groups=[SECRETARIAT])
    edit = f"/admin/pages/{report.pk}/edit/"

    # The Secretariat assembles the figures from the editor and follows the task.
    secretary = sign_in(browser_context, "secretary")
    secretary.goto(edit)
    expect(secretary.get_by_text("No figures yet")).to_be_visible(timeout=WAIT)
    with secretary.expect_navigation():
        secretary.get_by_role("button", name="Assemble the figures now").click()
    expect(secretary).to_have_url(
        re.compile(r"/admin/reports/assemblies/\d+/$"), timeout=WAIT
    )
    expect(
        secretary.get_by_text(re.compile(r"^Done: the figures are in a new"))
    ).to_be_visible(timeout=WAIT)
    expect(
        secretary.get_by_role("link", name=re.compile("What changed"))
    ).to_be_visible(timeout=WAIT)
    with secretary.expect_navigation():
        secretary.get_by_role("link", name="Back to the report").click()
    expect(secretary.get_by_text("3 published activities in the period")).to_be_visible(
        timeout=WAIT
    )

    # ... and submits the report to the editorial review.
    footer_action(secretary, "Submit to Report editorial review")
    report = ReportPage.objects.get(pk=report.pk)
    assert report.current_workflow_task.name == "Editorial review"
    assert report.live is False

    # A report reviewer approves the editorial review.
    reviewer = sign_in(browser_context, "reviewer")
    reviewer.goto(edit)
    footer_action(reviewer, "Approve")
    report = ReportPage.objects.get(pk=report.pk)
    assert report.current_workflow_task.name == "Final approval"
    assert report.live is False

    # Another Secretariat member gives the final approval, which publishes it.
    final = sign_in(browser_context, "secretary2")
    final.goto(edit)
    footer_action(final, "Approve and Publish")
    report = ReportPage.objects.get(pk=report.pk)
    assert report.live is True
    assert report.current_workflow_state is None

    # Anyone now reads it, with its totals.
    visitor = browser_context().new_page()
    response = visitor.goto("/reports/")
    assert response.status == 200
    with visitor.expect_navigation():
        visitor.get_by_role("link", name=TITLE).click()
    expect(visitor).to_have_url(re.compile(r"/reports/report-2025/$"), timeout=WAIT)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE, timeout=WAIT)
    expect(visitor.locator("#overview-heading").locator("..")).to_contain_text(
        "The inventory records 3 published activities for the period, in 4 countries",
        timeout=WAIT,
    )
    totals = visitor.get_by_role("table", name="Totals")
    expect(
        totals.get_by_role("row", name=re.compile("Published activities"))
    ).to_contain_text("3", timeout=WAIT)
