"""Country → ITU region, from data/itu_regions.json."""

import json
from functools import cache
from pathlib import Path

from django.utils.translation import gettext

from home.countries import country_choices

from .choices import GLOBAL

DATA_FILE = Path(__file__).resolve().parent / "data" / "itu_regions.json"


@cache
def region_of_country():
    with DATA_FILE.open(encoding="utf-8") as handle:
        regions = json.load(handle)["regions"]
    return {code: region for region, codes in regions.items() for code in codes}


def regions_for(countries):
    """Return the regions of a list of countries, in a stable order.

    The regions of a list of countries, in a stable order ("global" has none).
    """
    mapping = region_of_country()
    return sorted({mapping[code] for code in countries or [] if code in mapping})


def entry_country_choices():
    """Countries an entry may name: every ISO 3166-1 country, plus "global"."""
    return [(GLOBAL, gettext("Global")), *country_choices()]
