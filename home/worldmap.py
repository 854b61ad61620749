"""A world map of activities by country, drawn on the server as inline SVG.

The input is exactly what the inventory's ``country`` facet gives, {ISO 3166-1
alpha-3: count} or its [(code, count)] buckets ("global" included, shown
beside the map), so any search can be shown as a map: the home page shows the
whole published inventory, and the search page can show the current search.

Each country with activities is a link to its search and is filled by count
bucket (a legend names the buckets); the same figures follow in a table, for
screen readers and anyone who prefers one. The shapes are Natural Earth's, from
the npm package world-atlas (ISC), converted once by scripts/build_world_map.py
into data/world_map.json (see data/world_map.LICENSE.txt): no tile server,
script or request to another site.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .countries import country_name

DATA_FILE = Path(__file__).resolve().parent / "data" / "world_map.json"
GLOBAL = "global"
MAX_CLASSES = 5
# Lower bounds of the buckets, from the finest series that needs at most
# MAX_CLASSES of them up to the largest count.
SERIES = [(1, 2, 5), (1, 3), (1,)]


@cache
def shapes():
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def bucket_bounds(largest):
    """Lower bounds of the count buckets for counts from 1 to ``largest``."""
    if largest < 1:
        return []
    for steps in SERIES:
        bounds = []
        power = 1
        while power <= largest:
            bounds += [step * power for step in steps if step * power <= largest]
            power *= 10
        if len(bounds) <= MAX_CLASSES:
            return bounds
    while len(bounds) > MAX_CLASSES:  # beyond 10⁵: every other power of ten
        bounds = bounds[::2]
    return bounds


def bucket_of(count, bounds):
    """1 for the first bucket … len(bounds) for the last; 0 for no activity."""
    return sum(1 for bound in bounds if count >= bound)


def search_link(code):
    return reverse("inventory:search") + "?" + urlencode({"country": code})


def activities_label(count):
    return ngettext("%(count)s activity", "%(count)s activities", count) % {
        "count": count
    }


@dataclass
class Country:
    code: str
    name: str
    count: int
    bucket: int
    link: str
    shape: str = ""  # SVG path data, or
    dot: tuple | None = None  # (x, y) of a country too small to draw

    @property
    def label(self):
        return _("%(country)s: %(activities)s") % {
            "country": self.name,
            "activities": activities_label(self.count),
        }


@dataclass
class WorldMap:
    map_id: str
    width: int
    height: int
    empty_shapes: list  # path data of countries without activities
    countries: list  # Country with activities, by name
    legend: list  # {"bucket", "low", "high"}
    global_count: int = 0
    global_link: str = ""
    rows: list = field(default_factory=list)  # Country, most activities first

    @property
    def description(self):
        if not self.countries:
            return _("No country has a published activity yet.")
        top = ", ".join(
            f"{country.name} ({country.count})" for country in self.rows[:5]
        )
        return ngettext(
            "%(number)s country has published activities; the most: %(top)s.",
            "%(number)s countries have published activities; the most: %(top)s.",
            len(self.countries),
        ) % {"number": len(self.countries), "top": top}


def country_map(counts, link=search_link, map_id="world-map"):
    """Return the map of ``counts`` ({code: count} or [(code, count)]).

    Each country links to ``link(code)``.
    """
    counts = dict(counts.items() if hasattr(counts, "items") else counts)
    global_count = int(counts.pop(GLOBAL, 0) or 0)
    data = shapes()
    drawn, dots = data["countries"], data["markers"]
    counts = {code: int(count) for code, count in counts.items() if int(count) > 0}
    bounds = bucket_bounds(max(counts.values(), default=0))
    countries = [
        Country(
            code=code,
            name=country_name(code),
            count=count,
            bucket=bucket_of(count, bounds),
            link=link(code),
            shape=drawn.get(code, ""),
            # As text: a template would write a float in the reader's locale.
            dot=tuple(f"{value:g}" for value in dots[code]) if code in dots else None,
        )
        for code, count in counts.items()
    ]
    countries.sort(key=lambda country: country.name)
    largest = max(counts.values(), default=0)
    legend = [
        {
            "bucket": number,
            "low": low,
            "high": (bounds[number] - 1) if number < len(bounds) else largest,
        }
        for number, low in enumerate(bounds, start=1)
    ]
    return WorldMap(
        map_id=map_id,
        width=data["width"],
        height=data["height"],
        empty_shapes=[shape for code, shape in drawn.items() if code not in counts]
        + data["unnamed"],
        countries=countries,
        legend=legend,
        global_count=global_count,
        global_link=link(GLOBAL) if global_count else "",
        rows=sorted(countries, key=lambda country: (-country.count, country.name)),
    )
