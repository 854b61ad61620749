"""Stakeholder accounts in Chromium.

The whole life of an activity from sign-up to an update the public does not see before
approval; a saved search's digest and Atom feed; axe-core on the account pages; sign-in
with the keyboard.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.utils import timezone

import feedparser
import pytest
from playwright.sync_api import expect

from accounts.digests import send_digests
from accounts.models import SavedSearch
from home.roles import INVENTORY_EDITORS, sync_core_groups
from inventory.models import InventoryEntry
from inventory.moderation import ensure_moderation_workflow
from tests.factories import InventoryEntryFactory, UserFactory
from tests.helpers import browser
from tests.helpers.browser import ensure_default_locale, fill_activity_form

# Fixtures: the site's home page, a page with the repository's stylesheets.

PASSWORD = "correct horse battery staple"  # UserFactory's
NEW_PASSWORD = "a long and unusual passphrase 42"
EMAIL = "moussa.ndiaye@example.org"
TITLE = "Cyber hygiene clinics for Senegalese schools"
CORRECTED = "Cyber hygiene clinics for Senegalese schools, 2025-2026"
UPDATED = "Cyber hygiene clinics for schools across West Africa"
REASON = "Please give the dates of the clinics."


@pytest.fixture
def platform(transactional_db, home_page):
    """What migrations give and a live-server test's flush takes away.

    The default locale, the roles, the moderation workflow; and an editor.
    """
    ensure_default_locale()
    sync_core_groups()
    ensure_moderation_workflow()
    return UserFactory(username="editor", groups=[INVENTORY_EDITORS])


def link_in(mail, part):
    return next(url for url in re.findall(r"https?://\S+", mail.body) if part in url)


def sign_up_and_verify(page, mailoutbox, live_server, email=EMAIL):
    page.goto("/accounts/signup/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    # The test reads the message, as the person reads their mailbox.
    (mail,) = [m for m in mailoutbox if m.to == [email]]
    link = link_in(mail, "/confirm-email/").replace(
        "http://testserver", live_server.url
    )
    page.goto(link)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/my/$"))


def editor_signs_in(browser_context):
    editor = browser_context().new_page()
    editor.goto("/admin/login/")
    editor.get_by_label("Username").fill("editor")
    editor.get_by_label("Password").fill(PASSWORD)
    with editor.expect_navigation():
        editor.get_by_role("button", name="Sign in").click()
    expect(editor).to_have_url(re.compile(r"/admin/$"))
    return editor


def editor_acts(editor, entry, action):
    """In the entry's editor, the moderation action of "More actions"."""
    editor.goto(f"/admin/snippets/inventory/inventoryentry/edit/{entry.pk}/")
    editor.get_by_role("button", name="More actions").click()
    if action == "reject":
        editor.get_by_role("button", name="Reject (with a reason)").click()
        dialog = editor.get_by_role("dialog")
        dialog.get_by_label("Reason").fill(REASON)
        with editor.expect_navigation():
            dialog.get_by_role("button", name=re.compile("Reject")).click()
    else:
        with editor.expect_navigation():
            editor.get_by_role("button", name="Approve and Publish").click()


@pytest.mark.e2e
def test_an_activity_from_sign_up_to_an_update_waiting_for_approval(
    platform, browser_context, mailoutbox, live_server
):
    person = browser_context().new_page()
    sign_up_and_verify(person, mailoutbox, live_server)

    # Submits an activity from the account: the address is filled in already.
    # (My WSIS's own link; the site navigation's leads to the same form.)
    person.locator("main").get_by_role("link", name="Submit an activity").first.click()
    expect(person.get_by_label("Your e-mail")).to_have_value(EMAIL)
    fill_activity_form(person, TITLE)
    with person.expect_navigation():
        person.get_by_role("button", name="Submit for review").click()
    expect(person.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(person.locator(".status-tag")).to_have_text("In moderation")
    entry = InventoryEntry.objects.get(title=TITLE)
    assert entry.live is False

    # An editor sends it back with a reason.
    editor = editor_signs_in(browser_context)
    editor_acts(editor, entry, "reject")
    entry.refresh_from_db()
    assert entry.current_workflow_state.status == "needs_changes"

    # The account sees the reason in My WSIS, corrects and sends it again.
    person.goto("/my/activities/")
    row = person.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Sent back")
    with person.expect_navigation():
        row.get_by_role("link", name=TITLE).click()
    expect(person.locator(".reason")).to_contain_text(REASON)
    with person.expect_navigation():
        person.get_by_role("link", name="Correct it and send it again").click()
    person.get_by_label("Title").fill(CORRECTED)
    person.get_by_label("Start date").fill("2025-02-01")
    with person.expect_navigation():
        person.get_by_role("button", name="Send the update for review").click()
    expect(person.locator(".status-tag")).to_have_text("In moderation")

    # The editor approves: the activity is public, and published in My WSIS.
    editor_acts(editor, entry, "approve")
    entry.refresh_from_db()
    assert entry.live and entry.title == CORRECTED
    visitor = browser_context().new_page()
    visitor.goto(f"/inventory/entries/{entry.pk}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(CORRECTED)
    person.goto("/my/activities/")
    expect(person.get_by_role("row").filter(has_text=CORRECTED)).to_contain_text(
        "Published"
    )

    # The account proposes an update: the public page keeps the old text.
    person.goto(f"/my/activities/{entry.pk}/")
    with person.expect_navigation():
        person.get_by_role("link", name="Propose an update").click()
    person.get_by_label("Title").fill(UPDATED)
    with person.expect_navigation():
        person.get_by_role("button", name="Send the update for review").click()
    expect(
        person.get_by_text("The published version stays online meanwhile.")
    ).to_be_visible()
    visitor.reload()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(CORRECTED)
    expect(visitor.locator("main")).not_to_contain_text(UPDATED)
    editor_acts(editor, entry, "approve")
    visitor.reload()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(UPDATED)


@pytest.mark.e2e
def test_a_saved_search_sends_one_digest_and_feeds_the_new_entry(
    platform, browser_context, mailoutbox, live_server
):
    person = browser_context().new_page()
    sign_up_and_verify(person, mailoutbox, live_server)
    person.goto("/inventory/?q=hygiene&action_line=C5")
    person.get_by_label("Name of this search").fill("Hygiene in C5")
    person.get_by_label("E-mail me the new activities").select_option("daily")
    with person.expect_navigation():
        person.get_by_role("button", name="Save this search").click()
    expect(person.get_by_role("heading", name="Hygiene in C5")).to_be_visible()
    feed_url = person.locator(".feed-address").inner_text()
    saved = SavedSearch.objects.get()
    SavedSearch.objects.filter(pk=saved.pk).update(
        last_sent_at=saved.last_sent_at - datetime.timedelta(days=1)
    )

    # An entry that matches is published, another that does not.
    now = timezone.now()
    for title, lines in (
        ("Cyber hygiene clinics", ["C5"]),
        ("Rural broadband", ["C2"]),
    ):
        InventoryEntryFactory(
            title=title,
            action_lines=lines,
            first_published_at=now,
            last_published_at=now,
        )
    mailoutbox.clear()
    assert send_digests() == 1
    (mail,) = mailoutbox
    assert mail.to == [EMAIL]
    assert "Hygiene in C5" in mail.body
    assert "Cyber hygiene clinics" in mail.body
    assert "Rural broadband" not in mail.body

    # The feed, read without signing in, by a real feed parser.
    response = browser_context().request.get(feed_url)
    assert response.status == 200
    feed = feedparser.parse(response.body())
    assert not feed.bozo
    assert [item.title for item in feed.entries] == ["Cyber hygiene clinics"]


@pytest.mark.e2e
@pytest.mark.parametrize("language", ["en", "ar"])
def test_account_pages_have_no_axe_violation(
    platform, tree, new_page, mailoutbox, live_server, language
):
    prefix = browser.PREFIXES[language]
    page = new_page()
    failures = {}

    def check(name):
        if violations := browser.violations_of(page):
            failures[name] = browser.describe(violations)
        if overflow := browser.sideways_overflow(page):
            failures[name] = (
                failures.get(name, "") + f"\n  scrolls sideways: {overflow}px"
            )

    for name, path in [
        ("sign-up", "/accounts/signup/"),
        ("sign-in", "/accounts/login/"),
        ("password reset", "/accounts/password/reset/"),
    ]:
        assert page.goto(prefix + path).status == 200
        check(name)
    page.goto(prefix + "/accounts/login/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    check("sign-in, sent empty")
    sign_up_and_verify(page, mailoutbox, live_server, email=f"{language}@example.org")
    entry = InventoryEntryFactory(
        title="Clinics",
        published=True,
        submitted_by=get_user_model().objects.get(email=f"{language}@example.org"),
    )
    for name, path in [
        ("my overview", "/my/"),
        ("my activities", "/my/activities/"),
        ("my activity", f"/my/activities/{entry.pk}/"),
        ("my update form", f"/my/activities/{entry.pk}/edit/"),
        ("my submission form", "/my/submit/"),
        ("my claim", "/my/claim/"),
        ("my teams", "/my/teams/"),
        ("my meetings", "/my/meetings/"),
        ("my searches", "/my/searches/"),
        ("my profile", "/my/profile/"),
        ("my data", "/my/data/"),
        ("e-mail addresses", "/accounts/email/"),
        ("password change", "/accounts/password/change/"),
        ("two-factor", "/accounts/2fa/"),
    ]:
        response = page.goto(prefix + path)
        assert response.status == 200, (name, response.status)
        assert page.evaluate("document.documentElement.lang") == language
        check(name)
    report = "\n".join(f"{name}:\n{text}" for name, text in failures.items())
    assert not failures, f"{len(failures)} pages fail under /{language}/:\n{report}"


@pytest.mark.e2e
def test_sign_in_with_the_keyboard(platform, new_page):
    from tests.helpers.accounts import make_account

    make_account("keyboard@example.org")
    page = new_page()
    page.goto("/accounts/login/")
    browser.tab_to(page, "#id_login")
    page.keyboard.type("keyboard@example.org")
    browser.tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/my/$"))
    # The sign-up form's trap never takes the focus.
    page.goto("/accounts/logout/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto("/accounts/signup/")
    browser.tab_to(page, "#id_password2")
    page.keyboard.press("Tab")
    assert browser.focus_state(page)["id"] != "id_website"
