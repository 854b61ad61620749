"""Country pages, on the database and on the real engine, over HTTP.

Country pages (/inventory/countries/<ISO3>/), on the database and on the real engine,
over HTTP: each figure equals the count its link gives on the API.
"""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.factories import InventoryEntryFactory

API = "/api/inventory/"


@pytest.fixture
def senegal(indexed):
    """Create published activities in Senegal and elsewhere, and a draft.

    Published activities in Senegal (alone or with other countries), one elsewhere,
    and a draft in Senegal.
    """
    with indexed():
        entries = [
            InventoryEntryFactory(
                title="Rural broadband", action_lines=["C2"], reporting_year=2024
            ),
            InventoryEntryFactory(
                title="Cyber drills",
                action_lines=["C5", "C2"],
                countries=["SEN", "CIV"],
                reporting_year=2025,
            ),
            InventoryEntryFactory(
                title="E-health records",
                action_lines=["C7-EHEALTH"],
                countries=["MLI", "SEN"],
                reporting_year=2025,
            ),
        ]
        InventoryEntryFactory(title="Elsewhere", countries=["FRA"])
        InventoryEntryFactory(draft=True, title="Senegal draft", action_lines=["C11"])
    return entries


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def api_count(client, link):
    path, query = urlsplit(link).path, urlsplit(link).query
    assert re.fullmatch(r"(/[a-z-]+)?/inventory/", path), link
    response = client.get(API, dict(parse_qsl(query)))
    assert response.status_code == 200
    return response.json()["count"]


def figures(soup, caption):
    table = next(
        table
        for table in soup.select("table")
        if table.caption.get_text(strip=True) == caption
    )
    assert [th["scope"] for th in table.select("thead th")] == ["col", "col"]
    return {
        row.th.get_text(strip=True): (row.a.get_text(strip=True), row.a["href"])
        for row in table.select("tbody tr")
    }


def test_the_country_page_shows_its_activities_and_figures(client, senegal):
    soup = soup_of(client.get("/inventory/countries/SEN/"))
    assert soup.h1.get_text() == "Senegal"
    assert soup.title.get_text().startswith("Senegal — ")
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert "Senegal" in description
    assert soup.select_one("nav.breadcrumbs a[aria-current=page]").get_text() == (
        "Senegal"
    )
    lead = soup.select_one("p.lead").get_text(" ", strip=True)
    assert "ITU region: Africa" in lead and "3 published activities" in lead
    titles = [h3.get_text(strip=True) for h3 in soup.select(".entry-list h3")]
    assert titles == ["E-health records", "Cyber drills", "Rural broadband"]
    assert "Senegal draft" not in soup.get_text() and "Elsewhere" not in titles

    by_line = figures(soup, "Activities in Senegal by action line")
    assert {line: count for line, (count, _link) in by_line.items()} == {
        "C2 Information and communication infrastructure": "2",
        "C5 Confidence and security in the use of ICTs": "1",
        "C7 E-health": "1",
    }
    by_year = figures(soup, "Activities in Senegal by reporting year")
    assert {year: count for year, (count, _link) in by_year.items()} == {
        "2025": "2",
        "2024": "1",
    }
    assert by_line["C2 Information and communication infrastructure"][1] == (
        "/inventory/?country=SEN&action_line=C2"
    )


def test_each_figure_equals_the_count_its_link_gives(client, senegal):
    soup = soup_of(client.get("/inventory/countries/SEN/"))
    links = soup.select("table.data-table a")
    assert len(links) == 5
    for link in links:
        assert int(link.get_text()) == api_count(client, link["href"]), link["href"]
    total = soup.select_one("p.lead a[href*='country=SEN']")
    assert api_count(client, total["href"]) == 3


def test_the_country_page_is_in_the_interface_language(client, senegal):
    soup = soup_of(client.get("/fr/inventory/countries/SEN/"))
    assert soup.h1.get_text() == "Sénégal"
    assert soup.select_one("table.data-table a")["href"].startswith(
        "/fr/inventory/?country=SEN"
    )
    html = client.get("/ar/inventory/countries/SEN/").content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert "<h1>السّنغال</h1>" in html


def test_unknown_or_malformed_codes_are_not_found(client, senegal):
    for code in ["XXX", "SE", "SENE", "global", "GLOBAL", "123", "S%00N", "ÀBC"]:
        response = client.get(f"/inventory/countries/{code}/")
        assert response.status_code == 404, code
    response = client.get("/inventory/countries/sen/")
    assert response.status_code == 301
    assert response["Location"] == "/inventory/countries/SEN/"
    # A country without published activity has its page, empty.
    soup = soup_of(client.get("/inventory/countries/ISL/"))
    assert "No published activity in the inventory yet." in soup.get_text()


def test_pages_of_activities(client, indexed):
    with indexed():
        for number in range(23):
            InventoryEntryFactory(title=f"Activity {number:02d}", countries=["KEN"])
    first = soup_of(client.get("/inventory/countries/KEN/"))
    assert len(first.select(".entry-list h3")) == 20
    second = soup_of(client.get("/inventory/countries/KEN/", {"page": "2"}))
    assert [h3.get_text(strip=True) for h3 in second.select(".entry-list h3")] == [
        "Activity 02",
        "Activity 01",
        "Activity 00",
    ]
    assert second.select_one(".entry-list")["start"] == "21"
    for page in ["0", "x", "99", str(10**12), "٣"]:
        response = client.get("/inventory/countries/KEN/", {"page": page})
        assert response.status_code == 200, page


def test_country_names_link_to_their_page(client, senegal):
    entry = senegal[2]
    html = client.get(f"/inventory/entries/{entry.pk}/").content.decode()
    assert '<a href="/inventory/countries/MLI/">Mali</a>' in html
    assert '<a href="/inventory/countries/SEN/">Senegal</a>' in html
    results = client.get("/inventory/").content.decode()
    results = results.split('class="results"', 1)[1]
    assert '<a href="/inventory/countries/CIV/">Côte d&#x27;Ivoire</a>' in results
    assert '<a href="/ar/inventory/countries/FRA/">' in (
        client.get("/ar/inventory/").content.decode()
    )
