"""Site-wide search (/search/?q=): live pages, and published inventory entries.

The inventory entries come from the inventory's own search (inventory.search),
asked for its first few results; its page links to the inventory search.
"""

import logging

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from wagtail.models import Page

from home.ratelimit import rate_limited
from inventory.search import (
    EngineUnavailable,
    InventoryQuery,
    clean_text,
    engine_failed,
    engine_resting,
    search_inventory,
)
from ops import metrics as ops_metrics
from search.backends import cluster_backend

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
ENTRIES_SHOWN = 5


def paginate_pages(results, query, number):
    """Return a page of page results.

    By title from the database if the engine is down (or resting after a failure, as
    the inventory search).
    """
    backend = cluster_backend()
    try:
        if backend is not None and engine_resting(backend):
            raise EngineUnavailable("resting after a failure")
        if backend is None or not query:
            return Paginator(results, 20).get_page(number)
        with ops_metrics.engine_request("pages"):
            # Evaluated here: the page's results are the engine's request.
            page = Paginator(results, 20).get_page(number)
            page.object_list = list(page.object_list)
        return page
    except Exception as error:  # noqa: BLE001 - any engine failure, as inventory.search
        logger.warning("Search engine unavailable for the site search: %s", error)
        if backend is not None:
            engine_failed(backend)
            ops_metrics.fallback_answer("pages")
        fallback = (
            Page.objects.live()
            .public()
            .filter(title__icontains=query)
            .order_by("title")
        )
        return Paginator(fallback.specific(), 20).get_page(number)


@rate_limited("site_search")
def search(request):
    query = clean_text(request.GET.get("q", ""))[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    entries = None
    if query:
        results = Page.objects.live().public().specific().search(query)
        entries = search_inventory(InventoryQuery(q=query, page_size=ENTRIES_SHOWN))
    page = paginate_pages(results, query, request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "search_results": page,
            "inventory": entries,
            "inventory_link": reverse("inventory:search")
            + "?"
            + urlencode({"q": query}),
        },
    )
