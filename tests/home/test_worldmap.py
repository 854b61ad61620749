"""The world map module: buckets, legend and shapes (home/worldmap.py)."""

import json
import re

import pycountry
import pytest

from home import worldmap


@pytest.mark.parametrize(
    ("largest", "bounds"),
    [
        (0, []),
        (1, [1]),
        (4, [1, 2]),
        (9, [1, 2, 5]),
        (12, [1, 2, 5, 10]),
        (40, [1, 2, 5, 10, 20]),
        (60, [1, 3, 10, 30]),
        (500, [1, 10, 100]),
        (250_000, [1, 100, 10_000]),
    ],
)
def test_buckets_fit_the_largest_count(largest, bounds):
    assert worldmap.bucket_bounds(largest) == bounds
    assert len(bounds) <= worldmap.MAX_CLASSES


def test_every_count_falls_in_the_legend_bucket_that_names_it():
    counts = {"FRA": 1, "SEN": 4, "BRA": 9, "CHN": 37, "global": 3}
    world = worldmap.country_map(counts, link=lambda code: f"#{code}")
    assert world.global_count == 3 and world.global_link == "#global"
    for country in world.countries:
        item = world.legend[country.bucket - 1]
        assert item["low"] <= country.count <= item["high"]
    assert world.legend[-1]["high"] == 37
    assert [c.code for c in world.rows] == ["CHN", "BRA", "SEN", "FRA"]


def test_the_input_may_be_the_facet_buckets_as_they_come():
    pairs = [("global", 2), ("SEN", 5), ("FRA", 0)]
    world = worldmap.country_map(pairs)
    assert [country.code for country in world.countries] == ["SEN"]
    assert world.countries[0].link == "/inventory/?country=SEN"
    assert world.countries[0].label == "Senegal: 5 activities"


def test_the_shapes_are_iso_countries_with_their_source():
    data = json.loads(worldmap.DATA_FILE.read_text())
    assert "world-atlas" in data["source"]
    codes = set(data["countries"]) | set(data["markers"])
    assert len(data["countries"]) > 170
    assert {"FRA", "SEN", "BRA", "CHN", "USA", "MLT", "SGP"} <= codes
    assert all(pycountry.countries.get(alpha_3=code) for code in codes)
    assert "ATA" not in codes
    licence = worldmap.DATA_FILE.with_name("world_map.LICENSE.txt").read_text()
    assert "ISC" in licence and "Natural Earth" in licence
    for path in data["countries"].values():
        assert re.fullmatch(r"(M[-\d. ]+l[-\d. ]+z)+", path)
    assert all(
        0 <= x <= data["width"] and 0 <= y <= data["height"]
        for x, y in data["markers"].values()
    )


def test_the_search_page_can_show_its_results_as_a_map():
    """Given the search's query, each country narrows that very search."""
    from django.http import QueryDict
    from django.template import Context, Template

    from inventory.search import InventoryQuery

    query = InventoryQuery.from_params(QueryDict("q=clinic&action_line=C5&page=3"))
    html = Template(
        "{% load home_tags %}{% world_map counts 'Results by country' query=query %}"
    ).render(Context({"counts": [("SEN", 2), ("global", 1)], "query": query}))
    assert 'href="?q=clinic&amp;action_line=C5&amp;country=SEN"' in html
    assert 'href="?q=clinic&amp;action_line=C5&amp;country=global"' in html
