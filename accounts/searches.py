"""Saved searches.

The inventory searches an account keeps, their Atom feeds and their daily or weekly
digests of newly published entries.

A saved search is an inventory query string (docs/inventory-query.md), kept in
its normal form. Feeds and digests answer it as the database search engine does
(``DatabaseEngine.matching``: every filter, and every word in a title, summary,
translation, keyword or organisation name, in any case), whatever engine serves
the search page, so that a digest and its feed always agree. A digest does not
send one query per saved search: the day's newly published entries are read
once, and each distinct query is matched against them in memory
(``matches``, kept equal to the database engine by tests/accounts).
"""

from django.db.models import Prefetch
from django.http import QueryDict
from django.urls import reverse

from home.models import StakeholderOrganisation
from inventory.models import TEXT_FIELDS, InventoryEntry
from inventory.search import (
    DATE_FILTERS,
    DEFAULT_PAGE_SIZE,
    DatabaseEngine,
    InventoryQuery,
    QueryError,
    parse_range,
)

FEED_SIZE = 50
MAX_TERMS = 10


def parse(query_string):
    """Return the saved query; raise QueryError if it is not a valid search."""
    return InventoryQuery.from_params(QueryDict(query_string or ""))


def normal_form(query_string):
    """Return the query string as it is saved.

    No page, no page size, sorted as the search page writes it.
    """
    return parse(query_string).urlencode(page=1, page_size=DEFAULT_PAGE_SIZE)


def search_link(saved):

    return reverse("inventory:search") + ("?" + saved.query if saved.query else "")


def feed_entries(saved):
    """Return the newest published entries the saved search finds, for its feed."""
    try:
        query = parse(saved.query)
    except QueryError:
        return []
    engine = DatabaseEngine()
    entries, _terms = engine.matching(query)
    return list(
        entries.select_related("organisation").order_by("-first_published_at", "-pk")[
            :FEED_SIZE
        ]
    )


def terms_of(query):
    """Return the words DatabaseEngine.matching requires, as it splits them."""
    return [term for term in query.q.replace('"', " ").split() if term][:MAX_TERMS]


class Candidate:
    """A newly published entry, with what the matching reads of it."""

    __slots__ = ("acronym", "entry", "facets", "texts")

    def __init__(self, entry):
        self.entry = entry
        facets = {}
        for facet, value in entry.facet_values():
            facets.setdefault(facet, set()).add(value)
        # The filters that are no facet, as the database engine reads them.
        facets["freshness"] = {entry.freshness}
        facets["organisation"] = {
            organisation.slug
            for organisation in (entry.organisation, *entry.partners.all())
            if organisation is not None
        }
        self.facets = facets
        organisation = entry.organisation
        self.acronym = (organisation.acronym if organisation else "").casefold()
        texts = [getattr(entry, name) for name in TEXT_FIELDS]
        texts += [entry.keywords, organisation.name if organisation else ""]
        self.texts = [(text or "").casefold() for text in texts]


def within(facet, value, entry):
    """Return whether ``entry``'s dates meet one ``started``/``active`` range."""
    first, last = parse_range(value)
    start = entry.activity_start()
    if facet == "started":
        return (
            start is not None
            and (first is None or first <= start)
            and (last is None or start <= last)
        )
    if last is not None and (start is None or start > last):
        return False
    return first is None or entry.end_date is None or entry.end_date >= first


def matches(query, candidate):
    """Return whether the database engine would find the entry for ``query``."""
    for facet, values in query.filters.items():
        if facet in DATE_FILTERS:
            if not any(within(facet, value, candidate.entry) for value in values):
                return False
        elif not candidate.facets.get(facet, set()).intersection(values):
            return False
    for term in terms_of(query):
        term = term.casefold()
        if term != candidate.acronym and not any(
            term in text for text in candidate.texts
        ):
            return False
    return True


def published_between(start, end):
    """Return the entries first published in (start, end], newest first.

    The entries first published in (start, end], newest first, with what matching
    needs (one query).
    """
    entries = (
        InventoryEntry.objects.filter(
            live=True, first_published_at__gt=start, first_published_at__lte=end
        )
        .select_related("organisation")
        .only(
            "pk",
            *TEXT_FIELDS,
            "keywords",
            "language",
            "action_lines",
            "regions",
            "countries",
            "stakeholder_type",
            "activity_type",
            "status",
            "reporting_year",
            "sdgs",
            "first_published_at",
            "freshness",
            "start_date",
            "end_date",
            "organisation__name",
            "organisation__acronym",
            "organisation__slug",
        )
        .prefetch_related(
            Prefetch("partners", queryset=StakeholderOrganisation.objects.only("slug"))
        )
        .order_by("-first_published_at", "-pk")
    )
    return [Candidate(entry) for entry in entries]
