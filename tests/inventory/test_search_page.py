"""The inventory search page as a visitor meets it.

Facets in a fixed order with "show all", the filters in force as removable
chips, the map of the current search, and text of another direction isolated.

Expectations are written out here, not derived with the code under test.
"""

from urllib.parse import parse_qs, urlsplit

from django.test import Client

import pytest
from bs4 import BeautifulSoup

from tests.factories import InventoryEntryFactory, StakeholderOrganisationFactory

PAGE = "/inventory/"
API = "/api/inventory/"

pytestmark = pytest.mark.django_db


def soup_of(path, params=None, client=None):
    response = (client or Client()).get(path, params or {})
    assert response.status_code == 200, (path, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def facet_links(soup, facet):
    """(value, count) of every link of a facet, in the page's order."""
    group = soup.find("details", id=f"facet-{facet}")
    assert group is not None, facet
    return [
        (parse_qs(urlsplit(link["href"]).query)[facet][-1], int(link["data-count"]))
        for link in group.select("ul > li > a")
    ]


def test_facets_list_their_values_in_a_fixed_order_not_by_count(indexed):
    """Order action lines as numbered, years newest first, regions as the ITU.

    C7's sub-lines come under C7; the counts change nothing.
    """
    with indexed():
        # Regions follow the countries (SAU: Arab States, RUS: CIS, …).
        for action_lines, year, countries, copies in [
            (["C11"], 2022, ["FRA"], 4),
            (["C2", "C7-EGOV"], 2024, ["SAU"], 3),
            (["C10"], 2023, ["SEN"], 2),
            (["C7"], 2021, ["RUS", "BRA"], 1),
            (["C1", "C7-EHEALTH"], 2025, ["IND"], 1),
        ]:
            for _ in range(copies):
                InventoryEntryFactory(
                    action_lines=action_lines, year=year, countries=countries
                )
    soup = soup_of(PAGE)
    assert [value for value, _ in facet_links(soup, "action_line")] == [
        "C1",
        "C2",
        "C7",
        "C7-EGOV",
        "C7-EHEALTH",
        "C10",
        "C11",
    ]
    sub_lines = soup.select("#facet-action_line li.facet__sub a")
    assert [link["data-label"] for link in sub_lines] == [
        "C7 E-government",
        "C7 E-health",
    ]
    assert facet_links(soup, "year") == [
        ("2025", 1),
        ("2024", 3),
        ("2023", 2),
        ("2022", 4),
        ("2021", 1),
    ]
    assert [value for value, _ in facet_links(soup, "region")] == [
        "africa",
        "americas",
        "arab-states",
        "asia-pacific",
        "cis",
        "europe",
    ]
    # Without C7 in the list, a sub-line is not shown under another line.
    soup = soup_of(PAGE, {"year": "2024"})
    assert [value for value, _ in facet_links(soup, "action_line")] == [
        "C2",
        "C7-EGOV",
    ]
    assert not soup.select("#facet-action_line li.facet__sub")


COUNTRIES = ["SEN", "KEN", "NGA", "BRA", "FRA", "IND", "EGY", "JPN", "CHL", "MEX"]


def test_a_long_facet_shows_its_first_values_and_the_rest_behind_show_all(indexed):
    with indexed():
        # SEN in ten entries, KEN in nine, … MEX in one.
        for number, code in enumerate(COUNTRIES):
            for _ in range(len(COUNTRIES) - number):
                InventoryEntryFactory(countries=[code])
    soup = soup_of(PAGE)
    group = soup.find("details", id="facet-country")
    first = [link["href"] for link in group.find("ul", recursive=False).find_all("a")]
    assert first == [f"?country={code}" for code in COUNTRIES[:8]]
    more = group.find("details", class_="facet__more")
    assert more.summary.get_text(strip=True) == "Show all (10)"
    assert [link["href"] for link in more.find_all("a")] == [
        "?country=CHL",
        "?country=MEX",
    ]
    assert not more.has_attr("open")


def test_show_all_is_open_when_a_value_behind_it_is_selected(indexed):
    with indexed():
        InventoryEntryFactory(sdgs=list(range(1, 18)))
    soup = soup_of(PAGE, {"sdg": "17"})
    group = soup.find("details", id="facet-sdg")
    assert group.has_attr("open")
    more = group.find("details", class_="facet__more")
    assert more.has_attr("open")
    assert more.find("a", class_="selected")["href"] == "?"


def test_filters_in_force_are_chips_that_each_remove_one_and_a_reset(indexed):
    with indexed():
        agency = StakeholderOrganisationFactory(name="هيئة الاتصالات")
        InventoryEntryFactory(
            title="Cyber drills", organisation=agency, regions=["africa"], year=2023
        )
    soup = soup_of(
        PAGE,
        {
            "q": "cyber",
            "region": "africa",
            "year": "2023",
            "organisation": agency.slug,
            "sort": "title",
        },
    )
    chips = soup.select(".active-filters .chips a.chip")
    assert [" ".join(chip.get_text().split()) for chip in chips] == [
        "Remove filter: Region: Africa ×",
        "Remove filter: Reporting year: 2023 ×",
        f"Remove filter: Organisation: {agency} ×",
    ]
    removed = {
        chip.bdi.get_text(): parse_qs(urlsplit(chip["href"]).query) for chip in chips
    }
    assert removed == {
        "Africa": {
            "q": ["cyber"],
            "year": ["2023"],
            "organisation": [agency.slug],
            "sort": ["title"],
        },
        "2023": {
            "q": ["cyber"],
            "region": ["africa"],
            "organisation": [agency.slug],
            "sort": ["title"],
        },
        str(agency): {
            "q": ["cyber"],
            "region": ["africa"],
            "year": ["2023"],
            "sort": ["title"],
        },
    }
    reset = soup.select_one(".active-filters a.chips-reset")
    assert reset.get_text(strip=True) == "Remove all filters"
    assert parse_qs(urlsplit(reset["href"]).query) == {
        "q": ["cyber"],
        "sort": ["title"],
    }
    assert not soup_of(PAGE, {"q": "cyber"}).select(".active-filters")


def test_the_filters_open_from_a_button_with_a_link_in_its_place_without_script(
    indexed,
):
    with indexed():
        InventoryEntryFactory()
    soup = soup_of(PAGE, {"region": "africa"})
    button = soup.find("button", attrs={"aria-controls": "search-filters"})
    assert button.has_attr("data-disclosure") and button.has_attr("hidden")
    assert button["aria-expanded"] == "false"
    assert button.get_text(strip=True) == "Filters (1)"
    jump = soup.find(attrs={"data-disclosure-fallback": "search-filters"})
    assert jump.a["href"] == "#search-filters"
    assert soup.find(id="search-filters").name == "aside"


@pytest.mark.parametrize("filters", [{}, {"action_line": "C5"}, {"q": "network"}])
def test_the_map_draws_the_country_facet_of_the_search(engine, indexed, filters):
    """Draw the facet's numbers, on both engines.

    Each country narrows the search to it.
    """
    with indexed():
        for countries, action_lines, title in [
            (["SEN"], ["C5"], "Rural network"),
            (["SEN", "KEN"], ["C5"], "Cyber drills"),
            (["KEN"], ["C2"], "Fibre network"),
            (["global"], ["C5"], "Global network of teams"),
            (["FRA"], ["C2"], "Open data"),
        ]:
            InventoryEntryFactory(
                title=title, countries=countries, action_lines=action_lines
            )
    facet = dict(Client().get(API, filters).json()["facets"]["country"])
    assert facet  # every case has countries
    soup = soup_of(PAGE, filters)
    section = soup.find("details", class_="search-map")
    assert section.summary.get_text(strip=True) == "Map of this search"
    rows = {}
    for row in section.select("table tbody tr"):
        link = row.th.a
        code = parse_qs(urlsplit(link["href"]).query)["country"]
        assert len(code) == 1
        rows[code[0]] = int(row.td.get_text())
        assert parse_qs(urlsplit(link["href"]).query) == {
            **{name: [value] for name, value in filters.items()},
            "country": code,
        }
    assert rows == facet
    drawn = {
        parse_qs(urlsplit(link["href"]).query)["country"][0]
        for link in section.select("svg a")
    }
    assert drawn == set(facet) - {"global"}
    # Following a country's link finds as many activities as it said.
    for code, count in facet.items():
        narrowed = Client().get(API, {**filters, "country": code}).json()
        assert narrowed["count"] == count, code


def test_no_map_without_results(indexed):
    soup = soup_of(PAGE, {"q": "nothing matches this"})
    assert soup.find("details", class_="search-map") is None


def test_text_of_another_direction_is_isolated_on_every_page(indexed):
    """Isolate an Arabic title on an English page, an English one on an Arabic page.

    Each keeps its own direction, and the punctuation after it its place.
    """
    with indexed():
        agency = StakeholderOrganisationFactory(name="هيئة الاتصالات", acronym="")
        arabic = InventoryEntryFactory(
            title="شبكة المدارس الريفية",
            summary="ربط المدارس بالإنترنت.",
            language="ar",
            organisation=agency,
            countries=["EGY"],
        )
        english = InventoryEntryFactory(
            title="Rural schools (pilot)", countries=["EGY"], organisation=agency
        )
    for prefix, entry in [("", arabic), ("/ar", english)]:
        soup = soup_of(prefix + PAGE, {"organisation": agency.slug})
        title = soup.find("a", href=f"{prefix}/inventory/entries/{entry.pk}/")
        assert title["dir"] == "auto"
        assert title.find_parent("li").select_one("p > bdi").get_text() == (
            entry.summary
        )
        assert soup.select_one(".chips bdi").get_text() == agency.name
        assert soup.select_one(".entry-list .meta bdi").get_text() == agency.name

        page = soup_of(f"{prefix}/inventory/entries/{entry.pk}/")
        assert page.h1["dir"] == "auto"
        assert page.select_one("p.lead")["dir"] == "auto"
        assert page.select_one(".breadcrumbs [aria-current] bdi")

        for listing in [
            f"{prefix}/inventory/countries/EGY/",
            f"{prefix}/organisations/{agency.slug}/",
        ]:
            soup = soup_of(listing)
            title = soup.find("a", href=f"{prefix}/inventory/entries/{entry.pk}/")
            assert title["dir"] == "auto", listing
