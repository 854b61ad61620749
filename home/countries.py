"""ISO 3166-1 alpha-3 countries, the platform's one country vocabulary."""

import gettext
from functools import cache

from django.utils.translation import get_language, to_locale

import pycountry

# pycountry names its catalogs by territory for Chinese; Django uses scripts.
PYCOUNTRY_LOCALES = {"zh-hans": "zh_CN", "zh-hant": "zh_TW"}


@cache
def _names(language):
    translation = pycountry.countries
    try:
        catalog = gettext.translation(
            "iso3166-1",
            pycountry.LOCALES_DIR,
            languages=[PYCOUNTRY_LOCALES.get(language, to_locale(language))],
        )
        translate = catalog.gettext
    except OSError:

        def translate(name):
            return name

    return {
        country.alpha_3: translate(getattr(country, "common_name", country.name))
        for country in translation
    }


def country_name(code, language=None):
    """Return the country's short name in the active (or given) language."""
    return _names(language or get_language() or "en").get(code, code)


def country_choices():
    """(alpha-3, name) pairs sorted by name, for model and form choices."""
    names = _names(get_language() or "en")
    return sorted(names.items(), key=lambda item: item[1])


def is_country(code):
    return code in _names("en")
