"""The order in which the inventory's facet values are listed, declared once.

The engines count facet values most frequent first (the API keeps that order);
a reader scanning a list looks for a value by its place instead: action lines
as the Plan of Action numbers them (C7's sub-lines right after C7), regions in
the ITU's order, years newest first, the other vocabularies as declared, and
countries (too many for an order of their own) most activities first. The
search page's facets and the country pages' figures list them so.
"""

from home.choices import SDG, StakeholderType
from home.countries import country_name

from .choices import GLOBAL, ActionLineCode, ActivityStatus, ActivityType, Region


def in_vocabulary_order(vocabulary):
    """Return the sort key of values in the order their vocabulary declares."""
    position = {str(value): index for index, value in enumerate(vocabulary)}
    return lambda value, count: (position.get(value, len(position)), value)


def most_first(value, count):
    """Return the sort key of countries: most activities first, then by name."""
    return (-count, value if value == GLOBAL else country_name(value))


def newest_first(value, count):
    """Return the sort key of years: the latest first."""
    return (-int(value) if value.isdigit() else 0, value)


FACET_ORDER = {
    "action_line": in_vocabulary_order(ActionLineCode.values),
    "region": in_vocabulary_order(Region.values),
    "country": most_first,
    "stakeholder": in_vocabulary_order(StakeholderType.values),
    "type": in_vocabulary_order(ActivityType.values),
    "status": in_vocabulary_order(ActivityStatus.values),
    "year": newest_first,
    "sdg": in_vocabulary_order(SDG.values),
}


def ordered(facet, buckets):
    """Return a facet's (value, count) buckets in the facet's order."""
    return sorted(buckets, key=lambda bucket: FACET_ORDER[facet](*bucket))


def parent_line(code):
    """Return C7 for one of its sub-lines (C7-EGOV…), None for an action line."""
    return code.split("-")[0] if "-" in code else None
