"""The public submits an activity; an editor approves it; anyone then finds it."""

import re

import pytest
from playwright.sync_api import expect

from inventory.models import InventoryEntry
from tests.factories import UserFactory
from tests.helpers.browser import ensure_default_locale, fill_activity_form

PASSWORD = "correct horse battery staple"  # UserFactory's
TITLE = "Cyber hygiene clinics for Senegalese schools"
REFERENCE = re.compile(r"WSIS-\d{2}-[A-Z2-9]{6}")


def fill_submission(page):
    fill_activity_form(
        page, TITLE, description="Run with the ministry.\n\nFree of charge."
    )
    page.get_by_label("Your e-mail").fill("moussa.ndiaye@example.org")


@pytest.mark.e2e
def test_submitted_entry_is_approved_then_found_and_exported(
    transactional_db, browser_context, mailoutbox
):
    ensure_default_locale()
    UserFactory(username="editor", groups=["Inventory editors"])

    # A member of the public submits the activity.
    visitor = browser_context().new_page()
    response = visitor.goto("/inventory/submit/")
    assert response.status == 200
    fill_submission(visitor)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Submit for review").click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Thank you")
    reference = REFERENCE.search(visitor.locator("main").inner_text()).group(0)
    entry = InventoryEntry.objects.get(reference=reference)
    assert entry.live is False
    assert entry.workflow_in_progress is True
    assert visitor.goto(f"/inventory/entries/{entry.pk}/").status == 404

    # An inventory editor signs in and approves it from the moderation queue.
    editor = browser_context().new_page()
    editor.goto("/admin/login/")
    editor.get_by_label("Username").fill("editor")
    editor.get_by_label("Password").fill(PASSWORD)
    with editor.expect_navigation():
        editor.get_by_role("button", name="Sign in").click()
    expect(editor).to_have_url(re.compile(r"/admin/$"))
    expect(editor.get_by_text("1 entry waits for review.")).to_be_visible()
    with editor.expect_navigation():
        editor.get_by_role("link", name="Review them").click()
    with editor.expect_navigation():
        editor.get_by_role("link", name=TITLE).first.click()
    expect(editor).to_have_url(re.compile(rf"/inventoryentry/edit/{entry.pk}/$"))
    editor.get_by_role("button", name="More actions").click()
    with editor.expect_navigation():
        editor.get_by_role("button", name="Approve and Publish").click()
    expect(editor.get_by_role("status")).to_contain_text(f"'{TITLE}' updated.")

    entry.refresh_from_db()
    assert entry.live is True
    assert any(reference in mail.subject for mail in mailoutbox)

    # Anyone finds it by action line and region, and in the CSV of that search.
    results = visitor.goto("/inventory/?action_line=C5&region=africa")
    assert results.status == 200
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    expect(visitor.locator(".result-count")).to_have_text("1 activity")
    export_href = visitor.get_by_role("link", name="CSV", exact=True).get_attribute(
        "href"
    )
    assert "action_line=C5" in export_href
    assert "region=africa" in export_href
    export = visitor.request.get(export_href)
    assert export.status == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert TITLE in export.text()
    assert reference in export.text()

    with visitor.expect_navigation():
        visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
