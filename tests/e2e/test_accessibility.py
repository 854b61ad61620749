"""axe-core on every public page type, in English and in Arabic (right to left).

axe-core is the copy that axe-playwright-python bundles (axe.min.js, injected
with ``page.evaluate``, which the site's Content Security Policy does not
block). Every page must have no violation of WCAG 2.0, 2.1 and 2.2 at levels A
and AA, nor of axe's best practices; nor may it scroll sideways.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import InventoryEntryFactory, StakeholderOrganisationFactory
from tests.helpers.browser import (
    PREFIXES,
    describe,
    sideways_overflow,
    violations_of,
)
from tests.helpers.public_site import FACETED_SEARCH, build_public_site, page_types


@pytest.fixture
def site(tree):
    return build_public_site(tree)


# After loading these pages, their form is also sent empty: the page comes back
# with the error summary and the fields' errors.
FORMS = {
    "meeting": "#register form button[type=submit]",
    "submission form": "form.entry-form button[type=submit]",
}


def check_charts(page):
    """Each SVG chart of a report is a named image followed by a table.

    Each SVG chart of a report is an image whose name gives its title and its
    figures, and is followed by a table of the same figures.
    """
    figures = page.locator("figure.chart-figure")
    assert figures.count() >= 3
    for figure in figures.all():
        caption = figure.locator("figcaption").inner_text()
        chart = figure.get_by_role("img")
        # Its name: the title, then every figure (charts.py's <title> and <desc>).
        expect(chart).to_have_accessible_name(re.compile(re.escape(caption) + r".*\d"))
        table = figure.get_by_role("table", name=caption)
        expect(table.locator("tbody tr").first).to_be_attached()


def check_map(page):
    """The home page's world map.

    A named group of named country links, then a table of the same figures behind a
    disclosure.
    """
    world = page.locator("svg.world-map__svg")
    caption = page.locator(".world-map figcaption").inner_text()
    expect(world).to_have_accessible_name(caption)
    senegal = world.locator('a[href$="country=SEN"]')
    expect(senegal).to_have_accessible_name(re.compile(r".+: .+"))
    summary = page.locator(".world-map__table summary")
    summary.click()
    table = page.locator(".world-map__table table")
    expect(table).to_be_visible()
    worldwide = page.locator(".world-map__global a").count()
    assert table.locator("tbody tr").count() == world.locator("a").count() + worldwide


@pytest.mark.e2e
@pytest.mark.parametrize("language", PREFIXES)
def test_every_public_page_type_has_no_axe_violation(site, new_page, language):
    page = new_page()
    failures = {}
    # No request of any page may fail (a missing icon, script or stylesheet),
    # nor may the browser report an error (an SVG attribute it cannot read).
    broken = []
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and broken.append(f"{response.status} {response.url}")
        ),
    )
    page.on(
        "console",
        lambda message: message.type == "error" and broken.append(message.text),
    )

    def check(name):
        if violations := violations_of(page):
            failures[name] = describe(violations)
        if overflow := sideways_overflow(page):
            failures[name] = (
                failures.get(name, "") + f"\n  scrolls sideways: {overflow}px"
            )

    for name, path in page_types(site):
        response = page.goto(PREFIXES[language] + path)
        assert response.status == 200, (name, path, response.status)
        assert page.evaluate("document.documentElement.lang") == language
        check(name)
        if name == "report":
            check_charts(page)
        if name == "home":
            check_map(page)
            check(f"{name}, table open")
        if name in FORMS:
            with page.expect_navigation():
                page.locator(FORMS[name]).click()
            expect(page.locator(".error-summary")).to_be_visible()
            check(f"{name}, sent empty")
    report = "\n".join(f"{name}:\n{text}" for name, text in failures.items())
    assert not failures, f"{len(failures)} pages fail under /{language}/:\n{report}"
    # The 400s of the forms sent empty are expected; nothing else.
    expected = (
        "400 ",
        "Failed to load resource: the server responded with a status of 400",
    )
    assert [line for line in broken if not line.startswith(expected)] == []


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.e2e
def test_arabic_interface_mirrors_the_layout(site, new_page):
    """Under /ar/ the document is right to left and so is the layout.

    The header starts on the right, the facets column is on the right of the
    results.
    """
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    for prefix, direction in (("", "ltr"), ("/ar", "rtl")):
        page.goto(prefix + FACETED_SEARCH)
        assert page.evaluate("document.dir") == direction
        assert page.evaluate("getComputedStyle(document.body).direction") == direction
        facets, results = box(page, "aside.facets"), box(page, ".results")
        title, languages = box(page, ".site-title"), box(page, "nav.languages")
        first, second = (
            box(page, ".main-nav li >> nth=0"),
            box(page, ".main-nav li >> nth=1"),
        )
        if direction == "rtl":
            assert facets["x"] > results["x"] + results["width"] - 1
            assert title["x"] > languages["x"] + languages["width"]
            assert first["x"] > second["x"]
        else:
            assert facets["x"] + facets["width"] < results["x"] + 1
            assert title["x"] + title["width"] < languages["x"]
            assert first["x"] < second["x"]
        # The skip link shows at the start of the line, inside the window.
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name=page.locator(".skip-link").inner_text())
        expect(skip).to_be_focused()
        skip_box = skip.bounding_box()
        assert skip_box["x"] >= 0 and skip_box["x"] + skip_box["width"] <= 1280
        if direction == "rtl":
            assert skip_box["x"] + skip_box["width"] > 1280 - 2
        else:
            assert skip_box["x"] < 2
        assert sideways_overflow(page) == 0

    # Small screens (320 CSS pixels, WCAG 1.4.10): one column, no sideways scroll.
    page.set_viewport_size({"width": 320, "height": 640})
    paths = [
        "/",
        FACETED_SEARCH,
        "/inventory/submit/",
        site["tree"].c5.url,
        site["organisation"].get_absolute_url(),
        "/inventory/countries/SEN/",
    ]
    for path in [*paths, site["report"].url]:
        for prefix in PREFIXES.values():
            page.goto(prefix + path)
            assert sideways_overflow(page) == 0, prefix + path


@pytest.mark.e2e
def test_arabic_interface_text_on_english_pages_stays_arabic(site, new_page):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/ar" + site["tree"].c5.url)
    aside = box(page, ".two-columns > aside")
    column = box(page, ".two-columns > div")
    assert aside["x"] + aside["width"] < column["x"] + 1  # on the left in rtl
    language_of = "element => element.closest('[lang]').lang"
    assert page.locator(".two-columns > aside h2").first.evaluate(language_of) == "ar"
    page.goto("/ar" + site["tree"].c5_meeting.url)
    register = page.locator("#register button[type=submit]")
    assert register.evaluate(language_of) == "ar"


@pytest.mark.e2e
@pytest.mark.parametrize("language", PREFIXES)
def test_navigation_collapses_behind_buttons_on_a_phone(site, new_page, language):
    """On a phone the navigation is behind disclosure buttons; wide, all is shown.

    On a phone the main navigation and the action lines are behind two disclosure
    buttons; on a wide screen there is no button and all is shown.
    """
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(PREFIXES[language] + "/")
    lines = page.locator("#line-nav-list")
    menu = page.locator("#main-nav-list")
    expect(lines).to_be_hidden()
    expect(menu).to_be_hidden()
    button = page.locator('button[aria-controls="line-nav-list"]')
    expect(button).to_have_attribute("aria-expanded", "false")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(lines).to_be_visible()
    expect(lines.get_by_role("link").first).to_contain_text("C5")
    page.locator('button[aria-controls="main-nav-list"]').click()
    expect(menu.get_by_role("link").first).to_be_visible()
    assert violations_of(page) == []
    assert sideways_overflow(page) == 0
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(PREFIXES[language] + "/")
    expect(button).to_be_hidden()
    expect(lines).to_be_visible()
    expect(menu).to_be_visible()


SEARCH_COUNTRIES = [
    "SEN",
    "KEN",
    "NGA",
    "EGY",
    "BRA",
    "FRA",
    "DEU",
    "IND",
    "JPN",
    "CHL",
]


@pytest.fixture
def inventory_search(tree):
    """Return entries in ten countries, one with an Arabic title and organisation.

    Ten countries: the country facet has a "show all".
    """
    agency = StakeholderOrganisationFactory(name="هيئة تنظيم الاتصالات", acronym="")
    for number, code in enumerate(SEARCH_COUNTRIES):
        InventoryEntryFactory(
            title=f"Cyber hygiene clinics in {code} (phase {number + 1})",
            summary="Weekly clinics teaching pupils to stay safe online.",
            action_lines=["C5", "C7-ELEARN"] if number % 2 else ["C2"],
            countries=sorted({code, "SEN"}),
            reporting_year=2020 + number % 5,
        )
    InventoryEntryFactory(
        title="عيادات السلامة الرقمية للمدارس (المرحلة الأولى)",
        summary="عيادات أسبوعية لتعليم التلاميذ السلامة على الإنترنت.",
        language="ar",
        organisation=agency,
        countries=["EGY"],
    )


def check_search_page(page, name, failures):
    if violations := violations_of(page):
        failures[name] = describe(violations)
    if overflow := sideways_overflow(page):
        failures[name] = failures.get(name, "") + f"\n  scrolls sideways: {overflow}px"


@pytest.mark.e2e
@pytest.mark.parametrize("language", PREFIXES)
def test_search_page_wide_and_on_a_phone(inventory_search, new_page, language):
    """Show the filters beside the results when wide, behind a button on a phone.

    No axe violation either way, with the map, a "show all" and the country
    combobox open.
    """
    page = new_page()
    failures = {}
    path = PREFIXES[language] + "/inventory/?type=project"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(path)
    toggle = page.locator('button[aria-controls="search-filters"]')
    filters = page.locator("#search-filters")
    expect(toggle).to_be_hidden()
    expect(filters).to_be_visible()
    expect(page.locator(".chips a.chip")).to_have_count(1)
    check_search_page(page, "wide", failures)
    page.locator(".search-map > summary").click()
    expect(page.locator(".search-map svg")).to_be_visible()
    page.locator("#facet-country .facet__more > summary").click()
    page.locator("#country-combobox").fill({"en": "e", "ar": "ا"}[language])
    expect(page.locator("#country-combobox-list")).to_be_visible()
    check_search_page(page, "wide, map, all countries and combobox open", failures)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(path)
    expect(toggle).to_be_visible()
    expect(filters).to_be_hidden()
    # Between the filters' button and the first result, only the filters in
    # force and the count.
    assert box(page, ".entry-list h2")["y"] - box(page, ".filters-toggle")["y"] < 200
    check_search_page(page, "phone", failures)
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(filters).to_be_visible()
    assert box(page, "#search-filters")["y"] < box(page, ".entry-list")["y"]
    check_search_page(page, "phone, filters open", failures)
    page.locator(".search-map > summary").click()
    check_search_page(page, "phone, map open", failures)
    report = "\n".join(f"{name}:\n{text}" for name, text in failures.items())
    assert not failures, f"the search page fails under /{language}/:\n{report}"


@pytest.mark.e2e
def test_without_script_a_phone_shows_the_results_then_the_filters(
    inventory_search, browser, live_server
):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 390, "height": 800},
    )
    try:
        page = context.new_page()
        page.goto("/inventory/")
        expect(page.locator('button[aria-controls="search-filters"]')).to_be_hidden()
        jump = page.locator(".filters-jump a")
        expect(jump).to_be_visible()
        expect(page.locator("#search-filters")).to_be_visible()
        expect(page.locator("#country-combobox")).to_be_hidden()
        assert box(page, ".entry-list")["y"] < box(page, "#search-filters")["y"]
        jump.click()
        expect(page.locator("#search-filters h2")).to_be_in_viewport()
    finally:
        context.close()
