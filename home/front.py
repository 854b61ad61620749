"""What the home page shows: it is built around the inventory.

Visitors come to search activities and to submit their own, so the page opens
with the inventory's search box and its live figures, each a link to the search
that gives it, then a world map of the published activities by country, the
latest and the editors' featured activities, the upcoming meetings and the
latest report.

The figures and the map come from one inventory search (the engine's, or the
database's when there is none), the very one ``/inventory/`` and
``/api/inventory/`` answer, so a figure is always what its link shows. They are
kept in the cache for a few minutes under a key that changes whenever a
published entry does (count and latest change of the published entries, one
indexed query), so that the page costs a bounded number of queries whatever the
size of the inventory.
"""

from django.core.cache import cache
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import npgettext

from action_lines.listing import upcoming_meetings
from inventory.choices import GLOBAL
from inventory.models import EntryFacetValue, InventoryEntry
from inventory.search import InventoryQuery, facet_counts, search_inventory
from reporting.models import ReportPage

FIGURES_TIMEOUT = 300
LATEST_ENTRIES = 6
UPCOMING_MEETINGS = 5


LAST_FIGURES_KEY = "home:inventory-figures:last"


def _figures_state():
    """Return the cache key of the current figures and the published count."""
    state = InventoryEntry.objects.filter(live=True).aggregate(
        count=Count("pk"), changed=Max("updated_at")
    )
    changed = state["changed"].timestamp() if state["changed"] else 0
    return f"home:inventory-figures:{state['count']}:{changed}", state["count"]


def compute_figures():
    """Count of the published inventory, from the same search as /inventory/.

    A database search of a large inventory counts its facets over the most
    recent entries only (``total_exact`` false): the home page's figures are
    then counted over every published entry instead.
    """
    result = search_inventory(InventoryQuery(page_size=1), fetch=False)
    facets = {facet: dict(buckets) for facet, buckets in result.facets.items()}
    if not result.total_exact:
        facets = published_facets(("country", "action_line"))
    organisations = (
        InventoryEntry.objects.filter(live=True, organisation__isnull=False)
        .values("organisation")
        .distinct()
        .count()
    )
    countries = facets["country"]
    return {
        "countries": sum(1 for code in countries if code != GLOBAL),
        "organisations": organisations,
        "action_lines": len(facets["action_line"]),
        "country_counts": countries,
        "degraded": result.degraded,
    }


def published_facets(names):
    """Return ``{facet: {value: count}}`` over every published entry."""
    rows = EntryFacetValue.objects.filter(facet__in=names, entry__live=True)
    return facet_counts(rows, names)


def inventory_figures():
    """Return the home page's figures, from the cache while the inventory is unchanged.

    While the search engine is down, the last figures it gave stand in (the
    database would count a large inventory's facets in seconds, on every
    visit); the count of published activities is always the current one.
    """
    key, published = _figures_state()
    figures = cache.get(key)
    if figures is None:
        figures = compute_figures()
        if not figures["degraded"]:  # the engine's answer, once it is back
            cache.set(key, figures, FIGURES_TIMEOUT)
            cache.set(LAST_FIGURES_KEY, figures, None)
        elif (last := cache.get(LAST_FIGURES_KEY)) is not None:
            figures = {**last, "degraded": True}
    return {**figures, "activities": published}


def figure_links(figures):
    """Return the figures in display order, each with the search that gives it."""
    search = reverse("inventory:search")
    rows = [
        (
            "activities",
            search,
            npgettext(
                "home page figure",
                "published activity",
                "published activities",
                figures["activities"],
            ),
        ),
        (
            "countries",
            search + "#facet-country",
            npgettext("home page figure", "country", "countries", figures["countries"]),
        ),
        (
            "organisations",
            search,
            npgettext(
                "home page figure",
                "stakeholder organisation",
                "stakeholder organisations",
                figures["organisations"],
            ),
        ),
        (
            "action_lines",
            search + "#facet-action_line",
            npgettext(
                "home page figure",
                "action line",
                "action lines",
                figures["action_lines"],
            ),
        ),
    ]
    return [
        {"name": name, "value": figures[name], "link": link, "label": label}
        for name, link, label in rows
    ]


def latest_entries(limit=LATEST_ENTRIES):
    return list(
        InventoryEntry.objects.filter(live=True)
        .select_related("organisation")
        .order_by("-first_published_at", "-pk")[:limit]
    )


def featured_entries(page):
    """Return the entries the editors chose, in their order; published ones only."""
    return [
        featured.entry
        for featured in page.featured_entries.filter(entry__live=True)
        .select_related("entry__organisation")
        .order_by("sort_order")
    ]


def latest_report(page):
    reports = ReportPage.objects.live().order_by("-period_end", "-pk")
    return reports.filter(locale_id=page.locale_id).first() or reports.first()


def home_page_context(page):
    figures = inventory_figures()
    return {
        "figures": figure_links(figures),
        "country_counts": figures["country_counts"],
        "latest_entries": latest_entries(),
        "featured_entries": featured_entries(page),
        "upcoming_meetings": upcoming_meetings(timezone.now(), UPCOMING_MEETINGS),
        "latest_report": latest_report(page),
    }
