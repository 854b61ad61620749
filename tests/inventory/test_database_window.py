"""The database engine stops counting at the result window.

Counting every facet value of hundreds of thousands of matches takes the
database seconds (docs/scaling.md#a-million-activities). Past the result window
(the matches one can page through) the database engine says "more than", as an
Elasticsearch count past ``track_total_hits`` does, and counts the facets of
the window's entries: the most recent matches. The window is made small here.
"""

from django.core.cache import cache
from django.test import Client

import pytest
from bs4 import BeautifulSoup

from inventory import search
from inventory.search import DatabaseEngine, InventoryQuery
from tests.factories import InventoryEntryFactory
from tests.helpers.search import cluster_settings

pytestmark = pytest.mark.usefixtures("empty_cache")

WINDOW = 3


@pytest.fixture
def catalogue(db):
    """Five published entries, oldest first: three in Africa, two in Europe."""
    return [
        InventoryEntryFactory(title=title, countries=[country], action_lines=[line])
        for title, country, line in [
            ("Rural broadband in Senegal", "SEN", "C2"),
            ("Broadband for Kenyan schools", "KEN", "C2"),
            ("Broadband for libraries in France", "FRA", "C3"),
            ("Broadband mapping in Malta", "MLT", "C2"),
            ("Broadband for clinics in Mali", "MLI", "C7-EHEALTH"),
        ]
    ]


@pytest.fixture
def small_window(monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULT_WINDOW", WINDOW)


def api(query):
    response = Client().get("/api/inventory/", query)
    assert response.status_code == 200
    return response.json()


def test_within_the_window_every_match_is_counted(catalogue):
    data = api({"q": "broadband", "page_size": 2})
    assert data["count"] == 5
    assert data["count_exact"] is True
    assert data["facets"]["region"] == {"africa": 3, "europe": 2}


def test_past_the_window_the_count_says_more_and_facets_count_the_newest(
    catalogue, small_window
):
    data = api({"q": "broadband", "page_size": 1})
    assert data["count"] == WINDOW
    assert data["count_exact"] is False
    # The three most recent: Mali, Malta, France.
    assert data["facets"]["country"] == {"MLI": 1, "MLT": 1, "FRA": 1}
    assert data["facets"]["region"] == {"europe": 2, "africa": 1}
    assert data["num_pages"] == WINDOW
    # Every page of the window is there, newest first.
    titles = [
        api({"q": "broadband", "page_size": 1, "page": page, "sort": "newest"})[
            "results"
        ][0]["title"]
        for page in (1, 2, 3)
    ]
    assert titles == [entry.title for entry in reversed(catalogue[2:])]


def test_past_the_window_the_query_order_applies_to_the_window(catalogue, small_window):
    titles = [
        api({"q": "broadband", "page_size": 1, "page": page, "sort": "title"})[
            "results"
        ][0]["title"]
        for page in (1, 2, 3)
    ]
    # The window: the three most recently added, in title order.
    assert titles == [
        "Broadband for clinics in Mali",
        "Broadband for libraries in France",
        "Broadband mapping in Malta",
    ]


def test_a_filter_that_brings_the_matches_into_the_window_counts_them_all(
    catalogue, small_window
):
    data = api({"q": "broadband", "region": "africa", "page_size": 1})
    assert data["count"] == 3
    assert data["count_exact"] is True
    assert data["facets"]["country"] == {"KEN": 1, "MLI": 1, "SEN": 1}


def test_the_search_page_says_more_than_and_what_the_facets_count(
    catalogue, small_window
):
    page = Client().get("/inventory/", {"q": "broadband", "page_size": 1})
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one(".result-count").get_text() == "More than 3 activities"
    assert "count the 3 most recent of them" in soup.select_one(".results").get_text()
    counts = {a["data-label"]: a["data-count"] for a in soup.select("#facet-region a")}
    assert counts == {"Europe": "2", "Africa": "1"}
    exact = Client().get(
        "/inventory/", {"q": "broadband", "region": "africa", "page_size": 1}
    )
    soup = BeautifulSoup(exact.content, "html.parser")
    assert soup.select_one(".result-count").get_text() == "3 activities"
    assert "most recent" not in soup.select_one(".results").get_text()


def test_the_engine_result_says_whether_it_counted_every_match(catalogue, small_window):
    result = DatabaseEngine().search(InventoryQuery(q="broadband", page_size=1))
    assert (result.total, result.total_exact) == (WINDOW, False)
    result = DatabaseEngine().search(InventoryQuery(q="Senegal", page_size=1))
    assert (result.total, result.total_exact) == (1, True)


def figures(path="/"):
    soup = BeautifulSoup(Client().get(path).content, "html.parser")
    return {
        a["class"][0].removeprefix("figures__"): int(
            a.find(class_="figures__value").get_text()
        )
        for a in soup.select("ul.figures a")
    }


def test_home_figures_count_every_published_entry_past_the_window(
    tree, catalogue, small_window
):
    assert figures() == {
        "activities": 5,
        "countries": 5,
        "organisations": 0,
        "action_lines": 3,
    }


def test_while_the_engine_is_down_the_home_page_keeps_its_last_figures(
    tree, catalogue, settings
):
    assert figures()["countries"] == 5
    # Every later search fails at once: nothing listens on the engine's port.
    settings.WAGTAILSEARCH_BACKENDS = cluster_settings("http://127.0.0.1:9")
    InventoryEntryFactory(title="Broadband in Peru", countries=["PER"])
    shown = figures()
    assert shown["activities"] == 6  # always the current count
    assert shown["countries"] == 5  # the engine's, from before it failed
    cache.clear()
    assert figures()["countries"] == 6  # none kept: the database's own count
