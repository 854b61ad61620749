"""Inventory search: one query model, two engines.

``InventoryQuery`` parses and validates the public query string
(docs/inventory-query.md).
``ClusterEngine`` answers it with one request to an Elasticsearch-family engine
(OpenSearch 2/3, Elasticsearch 8/9: the request body is the same DSL for all);
``DatabaseEngine`` answers it from the database (the embedded default, and the
fallback while the engine is unreachable). Both return a ``SearchResult`` with
the page of published entries, the total, and a count per facet value.

This is the inventory's search (``/inventory/``, the API and the export). The
site search (the ``search`` app, ``/search/``) uses it for the inventory entries
it shows beside pages; that app also holds what both share, the access to the
configured backend (``search.backends``) and the index outbox.
"""

import datetime
import logging
import re
import time
import unicodedata
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Lower, TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wagtail.search.utils import parse_query_string

from home.choices import SDG, StakeholderType
from home.countries import is_country
from home.models import StakeholderOrganisation
from ops import metrics as ops_metrics
from search.backends import default_backend, is_cluster, raw_search

from .choices import (
    GLOBAL,
    ActionLineCode,
    ActivityStatus,
    ActivityType,
    Freshness,
    Region,
)
from .models import (
    FACET_FIELDS,
    FILTER_ONLY_FIELDS,
    EntryFacetValue,
    InventoryEntry,
)
from .organisations import is_slug, public_slugs

FRESHNESS_VALUES = tuple(Freshness.values)
# Date filters: an activity's dates against a range ``YYYY-MM-DD..YYYY-MM-DD``
# (either end may be left out). ``started``: its start is in the range;
# ``active``: it runs during some of the range. An activity without a start
# date starts on its first publication; one without an end date still runs.
DATE_FILTERS = ("started", "active")
DATE_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})?\.\.(\d{4}-\d{2}-\d{2})?", re.ASCII)

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
# The database engine reads up to this many organisations that match a word by
# id, so that the entries' condition stays an OR of index scans.
MATCHING_ORGANISATIONS = 1000
MAX_VALUES_PER_FACET = 20
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000  # the engines' default index.max_result_window
# Where an entry without a publication date sorts among the newest: last.
NEVER_PUBLISHED = datetime.datetime.min.replace(tzinfo=datetime.UTC)
SORTS = ("relevance", "newest", "title")
FACET_SIZES = {"country": 300, "year": 100}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QueryError(ValueError):
    """The query string is malformed; ``messages`` say what to fix."""

    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = messages


class EngineUnavailable(RuntimeError):
    pass


def is_number(value):
    """ASCII digits only: str.isdigit() also accepts "²", which int() refuses."""
    return value.isascii() and value.isdigit()


def _year_ok(value):
    return is_number(value) and 1990 <= int(value) <= 2100


# Every filter parameter (facets first, in their order) → the entry attribute
# holding its values.
FILTER_FIELDS = {**FACET_FIELDS, **FILTER_ONLY_FIELDS}
ACTION_LINES = frozenset(ActionLineCode.values)
REGIONS = frozenset(Region.values)
STAKEHOLDERS = frozenset(StakeholderType.values)
ACTIVITY_TYPES = frozenset(ActivityType.values)
STATUSES = frozenset(ActivityStatus.values)
SDGS = frozenset(SDG.values)
VALIDATORS = {
    "action_line": lambda value: value.upper() in ACTION_LINES,
    "region": lambda value: value in REGIONS,
    "country": lambda value: value == GLOBAL or is_country(value.upper()),
    "stakeholder": lambda value: value in STAKEHOLDERS,
    "type": lambda value: value in ACTIVITY_TYPES,
    "status": lambda value: value in STATUSES,
    "year": _year_ok,
    "sdg": lambda value: is_number(value) and int(value) in SDGS,
    # Well-formed here; whether an organisation the public may see has it is
    # asked of the database once, for all the values (``from_params``).
    "organisation": lambda value: is_slug(value.lower()),
    "freshness": lambda value: value in FRESHNESS_VALUES,
}
NORMALISE = {
    "action_line": str.upper,
    "country": lambda value: value if value == GLOBAL else value.upper(),
    "year": lambda value: str(int(value)),
    "sdg": lambda value: str(int(value)),
    "organisation": str.lower,
}


def parse_range(value):
    """Return the (first, last) dates of a range, either of them None.

    Raise ValueError when the value is not ``YYYY-MM-DD..YYYY-MM-DD`` with at
    least one end, names a day that does not exist, or ends before it starts.
    """
    match = DATE_RANGE.fullmatch(value)
    if not match or not any(match.groups()):
        raise ValueError(value)
    first, last = (
        datetime.date.fromisoformat(bound) if bound else None
        for bound in match.groups()
    )
    if first and last and last < first:
        raise ValueError(value)
    return first, last


def clean_text(value):
    value = unicodedata.normalize("NFC", value)
    return CONTROL_CHARACTERS.sub(" ", value).strip()


@dataclass(frozen=True)
class InventoryQuery:
    """A validated inventory search."""

    q: str = ""
    filters: dict = field(default_factory=dict)  # facet → tuple of values
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_params(cls, params):
        """Build a query from a QueryDict; raise QueryError listing every problem."""
        errors = []
        q = clean_text(params.get("q", ""))
        if "\ufffd" in q:
            # What Django decodes bytes that are not UTF-8 to.
            errors.append(_("The search text is not valid UTF-8 text."))
        if len(q) > MAX_QUERY_LENGTH:
            errors.append(
                _("The search text is too long (at most %(max)d characters).")
                % {"max": MAX_QUERY_LENGTH}
            )
        filters = {}
        for facet in FILTER_FIELDS:
            values = [clean_text(v) for v in params.getlist(facet) if clean_text(v)]
            if len(values) > MAX_VALUES_PER_FACET:
                errors.append(
                    _("Too many values for “%(facet)s” (at most %(max)d).")
                    % {"facet": facet, "max": MAX_VALUES_PER_FACET}
                )
                continue
            bad = [value for value in values if not VALIDATORS[facet](value)]
            if bad:
                errors.append(
                    _("Unknown value for “%(facet)s”: %(values)s.")
                    % {"facet": facet, "values": ", ".join(v[:40] for v in bad)}
                )
                continue
            normalise = NORMALISE.get(facet, str)
            if values:
                filters[facet] = tuple(dict.fromkeys(normalise(v) for v in values))
        for name in DATE_FILTERS:
            values = [clean_text(v) for v in params.getlist(name) if clean_text(v)]
            if len(values) > MAX_VALUES_PER_FACET:
                errors.append(
                    _("Too many values for “%(facet)s” (at most %(max)d).")
                    % {"facet": name, "max": MAX_VALUES_PER_FACET}
                )
                continue
            bad = []
            for value in values:
                try:
                    parse_range(value)
                except ValueError:
                    bad.append(value)
            if bad:
                errors.append(
                    _(
                        "“%(facet)s” takes a range of dates, "
                        "YYYY-MM-DD..YYYY-MM-DD (either end may be left out), "
                        "that does not end before it starts: %(values)s."
                    )
                    % {"facet": name, "values": ", ".join(v[:40] for v in bad)}
                )
            elif values:
                filters[name] = tuple(dict.fromkeys(values))
        if "organisation" in filters:
            # As for a country code: a slug that names no organisation the
            # public may see is an error, not an empty result.
            known = public_slugs(filters["organisation"])
            unknown = [v for v in filters["organisation"] if v not in known]
            if unknown:
                errors.append(
                    _("Unknown value for “%(facet)s”: %(values)s.")
                    % {
                        "facet": "organisation",
                        "values": ", ".join(v[:40] for v in unknown),
                    }
                )
        sort = params.get("sort") or ("relevance" if q else "newest")
        if sort not in SORTS:
            errors.append(
                _("Unknown sort order “%(sort)s”: use relevance, newest or title.")
                % {"sort": sort[:40]}
            )
        page = cls._positive_int(
            params.get("page"), 1, pgettext("query parameter", "page"), errors
        )
        page_size = cls._positive_int(
            params.get("page_size"),
            DEFAULT_PAGE_SIZE,
            pgettext("query parameter", "page size"),
            errors,
        )
        if page_size > MAX_PAGE_SIZE:
            errors.append(
                _("The page size is at most %(max)d.") % {"max": MAX_PAGE_SIZE}
            )
        if not errors and page * page_size > MAX_RESULT_WINDOW:
            errors.append(
                _(
                    "Results are available up to number %(max)d: narrow the search "
                    "with filters instead of going further."
                )
                % {"max": MAX_RESULT_WINDOW}
            )
        if errors:
            raise QueryError(errors)
        return cls(q=q, filters=filters, sort=sort, page=page, page_size=page_size)

    @staticmethod
    def _positive_int(raw, default, label, errors):
        if raw in (None, ""):
            return default
        raw = raw.strip()
        if not is_number(raw) or len(raw) > 7 or int(raw) < 1:
            errors.append(
                _("The %(label)s must be a whole number from 1.") % {"label": label}
            )
            return default
        return int(raw)

    @property
    def offset(self):
        return (self.page - 1) * self.page_size

    def params(self, **changes):
        """Return the query as a list of (name, value) pairs."""
        query = replace(self, **changes) if changes else self
        pairs = [("q", query.q)] if query.q else []
        for facet in (*FILTER_FIELDS, *DATE_FILTERS):
            pairs += [(facet, value) for value in query.filters.get(facet, ())]
        if query.sort != ("relevance" if query.q else "newest"):
            pairs.append(("sort", query.sort))
        if query.page_size != DEFAULT_PAGE_SIZE:
            pairs.append(("page_size", str(query.page_size)))
        if query.page != 1:
            pairs.append(("page", str(query.page)))
        return pairs

    def urlencode(self, **changes):
        return urlencode(self.params(**changes))

    def toggled(self, facet, value):
        """Return the query with one facet value added or removed (back to page 1)."""
        values = list(self.filters.get(facet, ()))
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        filters = {**self.filters, facet: tuple(values)}
        return self.urlencode(filters={k: v for k, v in filters.items() if v}, page=1)


@dataclass
class SearchResult:
    query: InventoryQuery
    total: int
    entries: list
    facets: dict  # facet → [(value, count)], most frequent first
    highlights: dict = field(default_factory=dict)  # entry pk → {field: html}
    engine: str = "database"
    degraded: bool = False
    # False when ``total`` is only a lower bound: the database engine counts no
    # further than the result window, and its facet counts are those of the
    # window, the matches most recently added (DatabaseEngine.window).
    total_exact: bool = True
    ids: list = field(default_factory=list)  # the page's entry ids, in order
    # The page's public records as the engine stored them (``with_records``),
    # or None when they must be read from the database.
    records: list | None = None

    @property
    def num_pages(self):
        pages = -(-self.total // self.query.page_size) if self.total else 1
        return min(pages, MAX_RESULT_WINDOW // self.query.page_size)

    @property
    def has_next(self):
        return self.query.page < self.num_pages

    @property
    def has_previous(self):
        return self.query.page > 1


def with_related(entries):
    """Return the page's entries with what listings show."""
    return entries.select_related("organisation")


def in_bulk_related(ids):
    """Return ``{pk: entry}`` of the published entries ``ids``, for listings."""
    entries = InventoryEntry.objects.filter(live=True).defer("search_text")
    return with_related(entries).in_bulk(ids)


def facet_counts(facet_rows, facets=FACET_FIELDS):
    """Return ``{facet: {value: count}}`` of the EntryFacetValue rows ``facet_rows``."""
    buckets = {facet: {} for facet in facets}
    counts = (
        facet_rows.values_list("facet", "value").annotate(count=Count("*")).order_by()
    )
    for facet, value, count in counts:
        buckets[facet][value] = count
    return buckets


def _sort_facets(buckets):
    return sorted(buckets.items(), key=lambda item: (-item[1], item[0]))


class DatabaseEngine:
    """Answers from the tables: filters and facet counts from EntryFacetValue."""

    name = "database"

    def matching(self, query):
        entries = InventoryEntry.objects.filter(live=True)
        for facet, values in query.filters.items():
            if facet in DATE_FILTERS:
                start = Coalesce("start_date", TruncDate("first_published_at"))
                entries = entries.alias(activity_start=start).filter(
                    self.by_dates(facet, values)
                )
                continue
            if facet == "organisation":
                entries = entries.filter(self.by_organisation(values))
                continue
            if facet in FILTER_ONLY_FIELDS:
                entries = entries.filter(**{f"{FILTER_ONLY_FIELDS[facet]}__in": values})
                continue
            entries = entries.filter(
                Exists(
                    EntryFacetValue.objects.filter(
                        entry=OuterRef("pk"), facet=facet, value__in=values
                    )
                )
            )
        terms = [term for term in query.q.replace('"', " ").split() if term][:10]
        for term in terms:
            entries = entries.filter(self.text_match(term))
        return entries, terms

    @staticmethod
    def text_match(term):
        """Return the condition of an entry that contains ``term``.

        The entry's texts are one lowercased column, ``search_text``, which
        PostgreSQL answers from its trigram index (inventory migration 0011);
        the organisations that match are read first (a short list), so that the
        condition needs no join and stays an OR of index scans.
        """
        condition = Q(search_text__contains=Lower(Value(term)))
        matching = StakeholderOrganisation.objects.filter(
            Q(name__icontains=term) | Q(acronym__iexact=term)
        ).values_list("pk", flat=True)
        organisations = list(matching[: MATCHING_ORGANISATIONS + 1])
        if len(organisations) > MATCHING_ORGANISATIONS:
            # A word most organisations contain: no index helps; a subquery
            # keeps the list out of the process.
            return condition | Q(organisation_id__in=matching)
        if organisations:
            condition |= Q(organisation_id__in=organisations)
        return condition

    @staticmethod
    def by_dates(facet, values):
        """Return the condition that one of the ``started``/``active`` ranges holds."""
        condition = Q(pk__in=[])
        for value in values:
            first, last = parse_range(value)
            if facet == "started":
                bounds = {"activity_start__gte": first, "activity_start__lte": last}
                condition |= Q(**{k: v for k, v in bounds.items() if v is not None})
                continue
            active = Q()
            if last is not None:
                active &= Q(activity_start__lte=last)
            if first is not None:
                active &= Q(end_date__isnull=True) | Q(end_date__gte=first)
            condition |= active
        return condition

    @staticmethod
    def by_organisation(slugs):
        """Entries that an organisation of ``slugs`` leads or partners in."""
        partners = InventoryEntry.partners.through.objects.filter(
            inventoryentry_id=OuterRef("pk"), stakeholderorganisation__slug__in=slugs
        )
        return Q(organisation__slug__in=slugs) | Exists(partners)

    @staticmethod
    def score(terms):
        """Return the relevance of an entry: 3 for each word in its title."""
        return sum(
            (
                Case(
                    When(title__icontains=term, then=Value(3)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
                for term in terms
            ),
            Value(0),
        )

    def ordered(self, entries, query, terms):
        if query.sort == "title":
            return entries.order_by(Lower("title"), "pk")
        if query.sort == "relevance" and terms:
            return entries.annotate(score=self.score(terms)).order_by(
                "-score", "-first_published_at", "-pk"
            )
        return entries.order_by("-first_published_at", "-pk")

    def window(self, entries, query, terms):
        """Return the window's entry ids in the query's order, and whether it holds all.

        The window is the MAX_RESULT_WINDOW matches most recently added (the
        highest ids: one backward walk of an index, which stops as soon as the
        window is full), read in one query with what orders them; the query's
        order is then applied to them. When fewer match, the window holds
        them all and the order is that of ``ordered``.
        """
        columns = ["pk", "first_published_at"]
        relevance = query.sort == "relevance" and bool(terms)
        if relevance:
            entries = entries.annotate(score=self.score(terms))
            columns.append("score")
        rows = list(
            entries.order_by("-pk").values_list(*columns)[: MAX_RESULT_WINDOW + 1]
        )
        exact = len(rows) <= MAX_RESULT_WINDOW
        rows = rows[:MAX_RESULT_WINDOW]
        if query.sort == "title" and rows:
            ids = list(
                InventoryEntry.objects.filter(pk__in=[row[0] for row in rows])
                .order_by(Lower("title"), "pk")
                .values_list("pk", flat=True)
            )
            return ids, exact
        # Newest first (most relevant first), as ``ordered``.
        rows.sort(
            key=lambda row: (
                row[2] if relevance else 0,
                row[1] or NEVER_PUBLISHED,
                row[0],
            ),
            reverse=True,
        )
        return [row[0] for row in rows], exact

    def search(self, query, fetch=True, with_records=False):
        """Return the page of ``query``, its total and its facet counts.

        Everything is read from the window (``window``): the total, the page,
        and the facet counts. A search that matches more than the window says
        so (``total_exact`` false, as an Elasticsearch count past
        ``track_total_hits``), and its facet counts are those of the window's
        entries. Counting every facet value of hundreds of thousands of
        matches takes seconds; the window's take a fraction of one
        (docs/scaling.md#a-million-activities).
        """
        entries, terms = self.matching(query)
        window, exact = self.window(entries, query, terms)
        ids = window[query.offset : query.offset + query.page_size]
        page = []
        if fetch and ids:
            by_pk = in_bulk_related(ids)
            page = [by_pk[pk] for pk in ids]
        rows = EntryFacetValue.objects.filter(entry_id__in=window)
        buckets = facet_counts(rows if window else rows.none())
        return SearchResult(
            query=query,
            total=len(window),
            total_exact=exact,
            entries=page,
            facets={facet: _sort_facets(values) for facet, values in buckets.items()},
            engine=self.name,
            ids=ids,
        )


class ClusterEngine:
    """Answers with a single request to an Elasticsearch-family engine."""

    name = "cluster"

    def __init__(self, backend):
        self.backend = backend
        self.mapping = backend.mapping_class(InventoryEntry)
        self.columns = {
            search_field.field_name: self.mapping.get_field_column_name(search_field)
            for search_field in InventoryEntry.get_filterable_search_fields()
        }
        # The title and summary in English and in French, analysed as such.
        self.language_columns = [
            self.mapping.get_field_column_name(search_field)
            for search_field in InventoryEntry.get_searchable_search_fields()
            if search_field.field_name in ("english_text", "french_text")
        ]
        # Restricts hits to entries; the same for every query.
        self.content_type_filter = self.text_query("")[1]

    @property
    def index_name(self):
        return self.backend.get_index_for_model(InventoryEntry).name

    def text_query(self, q):
        filters, parsed = parse_query_string(q, operator="and")
        compiler = self.backend.query_compiler_class(
            InventoryEntry.objects.all(), parsed, operator="and"
        )
        return compiler.get_inner_query(), compiler.get_content_type_filter()

    def language_aware(self, text, q):
        """Return Wagtail's query, or the words matched with their language's stemming.

        Wagtail's query over every searchable field, or the words matched in
        English or in French with that language's stemming ("trainings" finds
        "training", "l'éducation" finds "éducatives").
        """
        return {
            "bool": {
                "should": [
                    text,
                    *(
                        {"match": {column: {"query": q, "operator": "and"}}}
                        for column in self.language_columns
                    ),
                ],
                "minimum_should_match": 1,
            }
        }

    def by_dates(self, facet, values):
        """Return the DSL of DatabaseEngine.by_dates: one of the ranges holds."""
        start, end = self.columns["activity_start"], self.columns["end_date"]
        ranges = []
        for value in values:
            first, last = parse_range(value)
            if facet == "started":
                bounds = {"gte": first, "lte": last}
                ranges.append(
                    {
                        "range": {
                            start: {
                                k: v.isoformat()
                                for k, v in bounds.items()
                                if v is not None
                            }
                        }
                    }
                )
                continue
            must = []
            if last is not None:
                must.append({"range": {start: {"lte": last.isoformat()}}})
            if first is not None:
                must.append(
                    {
                        "bool": {
                            "should": [
                                {"range": {end: {"gte": first.isoformat()}}},
                                {"bool": {"must_not": {"exists": {"field": end}}}},
                            ],
                            "minimum_should_match": 1,
                        }
                    }
                )
            ranges.append({"bool": {"filter": must}})
        return {"bool": {"should": ranges, "minimum_should_match": 1}}

    def body(self, query, with_records=False):
        filters = [self.content_type_filter, {"term": {self.columns["live"]: True}}]
        for facet, values in query.filters.items():
            if facet in DATE_FILTERS:
                filters.append(self.by_dates(facet, values))
                continue
            column = self.columns[FILTER_FIELDS[facet]]
            filters.append({"terms": {column: list(values)}})
        body = {
            "query": {
                "bool": {
                    "must": self.language_aware(self.text_query(query.q)[0], query.q)
                    if query.q
                    else {"match_all": {}},
                    "filter": filters,
                }
            },
            "aggs": {
                facet: {
                    "terms": {
                        "field": self.columns[attribute],
                        "size": FACET_SIZES.get(facet, 50),
                    }
                }
                for facet, attribute in FACET_FIELDS.items()
            },
            "from": query.offset,
            "size": query.page_size,
            "track_total_hits": True,
            "_source": [self.columns["public_record"]] if with_records else False,
            "stored_fields": ["pk"],
        }
        if query.sort == "title":
            # Case-insensitive, as DatabaseEngine's Lower("title"): the keyword
            # column alone sorts every capital before every lower-case letter.
            title = self.columns["title"]
            body["sort"] = [
                {
                    "_script": {
                        "type": "string",
                        "order": "asc",
                        "script": {
                            "lang": "painless",
                            "source": f"doc['{title}'].size() == 0 ? '' : "
                            f"doc['{title}'].value.toLowerCase()",
                        },
                    }
                },
                {"pk": "asc"},
            ]
        elif query.sort == "newest" or not query.q:
            body["sort"] = [
                {
                    self.columns["first_published_at"]: {
                        "order": "desc",
                        "missing": "_last",
                    }
                },
                {"pk": "desc"},
            ]
        if query.q:
            body["highlight"] = {
                "pre_tags": ["<mark>"],
                "post_tags": ["</mark>"],
                # The template marks highlights safe: escape the text around them.
                "encoder": "html",
                "require_field_match": False,
                "fields": {
                    "title": {"number_of_fragments": 0},
                    "summary": {"number_of_fragments": 0},
                },
            }
        return body

    def search(self, query, fetch=True, with_records=False):
        try:
            with ops_metrics.engine_request("inventory"):
                response = raw_search(
                    self.backend, self.index_name, self.body(query, with_records)
                )
        except Exception as error:
            logger.warning("Search engine unavailable: %s", error)
            raise EngineUnavailable(str(error)) from error
        shards = response.get("_shards", {})
        answered = shards.get("successful", 0) + shards.get("skipped", 0)
        if response.get("timed_out") or answered < shards.get("total", 0):
            # A shard with no copy left (a node lost, no replica) is simply
            # missing from the answer, neither failed nor reported: the count
            # and facets would be short without a word.
            logger.warning("Search engine answered from %s of its shards", shards)
            ops_metrics.engine_failure("inventory")
            raise EngineUnavailable(f"incomplete answer: {shards}")
        hits = response["hits"]["hits"]
        total = response["hits"]["total"]
        total = total["value"] if isinstance(total, dict) else total
        pks = [int(hit["fields"]["pk"][0]) for hit in hits]
        by_pk = in_bulk_related(pks) if fetch else {}
        highlights = {
            int(hit["fields"]["pk"][0]): hit["highlight"]
            for hit in hits
            if hit.get("highlight")
        }
        facets = {
            facet: _sort_facets(
                {
                    str(bucket["key"]).lower()
                    if facet == "status"
                    else str(bucket["key"]): bucket["doc_count"]
                    for bucket in response.get("aggregations", {})
                    .get(facet, {})
                    .get("buckets", [])
                }
            )
            for facet in FACET_FIELDS
        }
        stored = None
        if with_records:
            column = self.columns["public_record"]
            stored = [hit.get("_source", {}).get(column) for hit in hits]
            if not all(stored):
                # Documents indexed before the record was stored with them.
                stored = None
        return SearchResult(
            query=query,
            total=total,
            entries=[by_pk[pk] for pk in pks if pk in by_pk],
            facets=facets,
            highlights=highlights,
            engine=self.name,
            ids=pks,
            records=stored,
        )


_cluster_engine = None


def primary_engine():
    global _cluster_engine
    backend = default_backend()
    if not is_cluster(backend):
        return DatabaseEngine()
    # Built once per backend: it reads the index mapping's column names.
    if _cluster_engine is None or _cluster_engine.backend is not backend:
        _cluster_engine = ClusterEngine(backend)
    return _cluster_engine


def engine_resting(backend):
    """Return True while searches skip the engine after a failure (per process)."""
    return time.monotonic() < getattr(backend, "wsis_resting_until", 0.0)


def engine_failed(backend):
    """Rests the engine for SEARCH_ENGINE_RETRY_AFTER seconds.

    The next searches of this process answer from the database without waiting for
    it. A search skipped while the engine rests does not extend the rest.
    """
    if not engine_resting(backend):
        backend.wsis_resting_until = (
            time.monotonic() + settings.SEARCH_ENGINE_RETRY_AFTER
        )


def search_inventory(query, fetch=True, with_records=False):
    """Run the search; falls back to the database (flagged ``degraded``) if needed.

    Without ``fetch``, only the ids of the page's entries are read (``ids``).
    ``with_records`` asks the engine for the public records it stores
    (``records``); the database engine leaves them to inventory.export.
    """
    engine = primary_engine()
    try:
        if isinstance(engine, ClusterEngine) and engine_resting(engine.backend):
            raise EngineUnavailable("resting after a failure")
        return engine.search(query, fetch=fetch, with_records=with_records)
    except EngineUnavailable:
        if isinstance(engine, ClusterEngine):
            engine_failed(engine.backend)
        result = DatabaseEngine().search(query, fetch=fetch)
        result.degraded = True
        ops_metrics.fallback_answer("inventory")
        return result
