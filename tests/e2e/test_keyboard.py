"""Keyboard-only journeys: Tab, Shift+Tab, Enter, Space and typing, no pointer.

Every element that takes the focus on the way must show it (a ``:focus-visible``
outline), and the submission form's spam trap must never take it.
"""

import re

import pytest
from playwright.sync_api import expect

from action_lines.models import MeetingRegistration
from inventory.models import InventoryEntry
from tests.factories import InventoryEntryFactory
from tests.helpers.browser import focus_state, tab_to


@pytest.fixture
def inventory(tree):
    """Five published entries: two match "clinics", C5 and ongoing."""
    for title, lines, status in [
        ("Cyber hygiene clinics for schools", ["C5"], "ongoing"),
        ("Cyber hygiene clinics for parents", ["C5", "C2"], "ongoing"),
        ("Cyber hygiene clinics, first phase", ["C5"], "completed"),
        ("Rural connectivity clinics", ["C2"], "ongoing"),
        ("Broadband for rural schools", ["C5"], "ongoing"),
    ]:
        InventoryEntryFactory(title=title, action_lines=lines, status=status)


def choose(page, target, text):
    """Focuses a select (or list box) with Tab and picks an option by typing."""
    tab_to(page, target)
    page.keyboard.type(text)


def selected_values(page, selector):
    return page.locator(selector).evaluate(
        "select => [...select.selectedOptions].map(option => option.value)"
    )


@pytest.mark.e2e
def test_search_the_inventory_and_apply_two_facets(inventory, new_page):
    page = new_page()
    page.goto("/inventory/")

    # The first Tab shows the skip link; Enter moves the focus to the content.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert focus_state(page)["outline"] == "solid"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert page.url.endswith("#main")

    # From there, the search box comes before anything else of the header.
    tab_to(page, "#inventory-q", limit=5)
    page.keyboard.type("clinics")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".result-count")).to_have_text("4 activities")

    # First facet: an open group (action line); Enter follows the link.
    tab_to(page, page.locator(".facets a").filter(has_text="C5 Confidence"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".result-count")).to_have_text("3 activities")

    # Second facet: its group is closed; Space opens it, Enter follows the link.
    status = page.locator(".facets details").filter(
        has=page.locator("summary", has_text="Status")
    )
    expect(status).not_to_have_attribute("open", "")
    tab_to(page, status.locator("summary"))
    page.keyboard.press("Space")
    expect(status).to_have_attribute("open", "")
    tab_to(page, status.locator("a").filter(has_text="Ongoing"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert re.search(r"[?&]q=clinics(&|$)", page.url)
    assert re.search(r"[?&]action_line=C5(&|$)", page.url)
    assert re.search(r"[?&]status=ongoing(&|$)", page.url)
    expect(page.locator(".result-count")).to_have_text("2 activities")
    expect(page.locator(".entry-list h2")).to_have_text(
        ["Cyber hygiene clinics for parents", "Cyber hygiene clinics for schools"],
        ignore_case=True,
    )
    # The applied filters say so in text (not by colour only).
    expect(page.locator(".facets a[aria-current]")).to_have_count(2)


@pytest.mark.e2e
def test_submit_an_entry_with_the_keyboard(transactional_db, home_page, new_page):
    page = new_page()
    page.goto("/inventory/submit/")

    # The spam trap is out of the tab order (tab_to checks) and out of the
    # accessibility tree.
    trap = page.locator("#id_homepage")
    expect(trap).to_have_attribute("tabindex", "-1")
    expect(page.locator(".trap")).to_have_attribute("aria-hidden", "true")
    expect(page.get_by_role("textbox", name="Leave this field empty")).to_have_count(0)

    # Sent empty: the error summary takes the focus and links to every field.
    submit = page.get_by_role("button", name="Submit for review")
    tab_to(page, submit, limit=150)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error:")
    links = summary.locator("a")
    assert links.count() >= 8
    for href in links.evaluate_all("links => links.map(link => link.hash)"):
        target = page.locator(href)
        expect(target).to_have_count(1)
        tag = target.evaluate("element => element.tagName")
        assert tag in ("INPUT", "SELECT", "TEXTAREA"), href
        # ... whose error message is tied to it (aria-describedby).
        field = target.evaluate("el => el.name")
        expect(page.locator(f"[name={field}]").first).to_have_attribute(
            "aria-invalid", "true"
        )
    error_of_title = page.locator("#id_title_error")
    expect(error_of_title).to_be_visible()
    expect(page.locator("#id_title")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_title_error\b")
    )
    fieldset = page.locator("fieldset").filter(has=page.locator("#id_action_lines_0"))
    expect(fieldset).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_action_lines_error\b")
    )

    # The first link leads to the title field.
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    expect(links.first).to_contain_text("Title")
    page.keyboard.press("Enter")
    assert page.url.endswith("#id_title")
    # The browser moves the focus to a focusable target of the link: no script.
    expect(page.locator("#id_title")).to_be_focused()
    page.keyboard.type("Cyber hygiene clinics for Senegalese schools")

    tab_to(page, "#id_summary", limit=3)
    page.keyboard.type("Weekly clinics teaching pupils to stay safe online.")
    tab_to(page, "#id_description", limit=3)
    page.keyboard.type("Run with the ministry.")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Free of charge.")
    choose(page, "#id_activity_type", "Training")
    choose(page, "#id_status", "Ongoing")
    tab_to(page, "input[name=action_lines][value=C5]")
    page.keyboard.press("Space")
    choose(page, "#id_countries", "Senegal")
    choose(page, "#id_stakeholder_type", "Civil society")
    tab_to(page, "#id_organisation_name")
    page.keyboard.type("Dakar Digital Schools")
    tab_to(page, "#id_reporting_year")
    page.keyboard.press("Control+A")
    page.keyboard.type("2025")
    tab_to(page, "#id_contact_name")
    page.keyboard.type("Moussa Ndiaye")
    tab_to(page, "#id_contact_email", limit=2)
    page.keyboard.type("moussa.ndiaye@example.org")

    assert selected_values(page, "#id_activity_type") == ["training"]
    assert selected_values(page, "#id_status") == ["ongoing"]
    assert selected_values(page, "#id_countries") == ["SEN"]
    assert selected_values(page, "#id_stakeholder_type") == ["civil-society"]
    expect(page.locator("input[name=action_lines][value=C5]")).to_be_checked()

    # The next Tab skips the spam trap: straight to the button.
    page.keyboard.press("Tab")
    expect(submit).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    entry = InventoryEntry.objects.get(
        title="Cyber hygiene clinics for Senegalese schools"
    )
    assert entry.action_lines == ["C5"]
    assert entry.countries == ["SEN"]
    assert entry.live is False


@pytest.mark.e2e
def test_register_for_a_meeting_with_the_keyboard(tree, new_page):
    meeting = tree.c5_meeting
    page = new_page()
    page.goto(meeting.url)

    tab_to(page, "#id_name")
    page.keyboard.type("Awa Diop")
    tab_to(page, "#id_email", limit=1)
    page.keyboard.type("awa.diop@example.org")
    tab_to(page, "#id_organisation", limit=1)
    page.keyboard.type("Ministry of Digital Economy")
    choose(page, "#id_stakeholder_type", "Government")
    choose(page, "#id_country", "Senegal")
    choose(page, "#id_attendance", "In person")
    assert selected_values(page, "#id_country") == ["SEN"]

    register = page.get_by_role("button", name="Register")
    tab_to(page, register, limit=2)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("You are registered")
    registration = MeetingRegistration.objects.get(meeting=meeting)
    assert registration.email == "awa.diop@example.org"
    assert registration.country == "SEN"
    assert registration.stakeholder_type == "government"


@pytest.mark.e2e
def test_find_a_country_with_the_combobox(tree, new_page):
    """Find a country by typing, choose it with the arrow keys, follow it with Enter.

    Escape closes the list, then empties the field.
    """
    for code in ["SEN", "KEN", "NGA", "EGY", "BRA", "FRA", "DEU", "IND", "JPN"]:
        InventoryEntryFactory(title=f"Clinics in {code}", countries=[code])
    InventoryEntryFactory(
        title="Clinics in Kenya and Senegal", countries=["KEN", "SEN"]
    )
    page = new_page()
    page.goto("/inventory/")
    field = page.get_by_role("combobox", name="Find a country")
    listbox = page.get_by_role("listbox", name="Countries")
    tab_to(page, field)
    expect(field).to_have_attribute("aria-expanded", "false")
    page.keyboard.type("a")
    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Escape")
    expect(field).to_have_value("")

    page.keyboard.type("e")
    # Typing filters: Kenya, Senegal, Nigeria, … but not Brazil or India.
    options = listbox.get_by_role("option")
    expect(options.filter(has_text="Brazil")).to_have_count(0)
    expect(options.filter(has_text="Kenya (2)")).to_have_count(1)
    page.keyboard.type("n")
    page.keyboard.press("ArrowDown")
    first = options.first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    page.keyboard.press("ArrowDown")
    second = options.nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(first).to_have_attribute("aria-selected", "false")
    chosen = second.inner_text()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    code = re.search(r"[?&]country=([A-Z]{3})(&|$)", page.url).group(1)
    assert chosen.startswith({"KEN": "Kenya", "SEN": "Senegal"}[code]), chosen
    expect(page.locator(".result-count")).to_have_text("2 activities")
    expect(page.locator(".chips a.chip")).to_have_count(1)
