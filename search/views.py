"""Site-wide search (/search/?q=): live pages, and published inventory entries."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from wagtail.models import Page

from inventory.search import InventoryQuery, clean_text, search_inventory

MAX_QUERY_LENGTH = 200
ENTRIES_SHOWN = 5


def search(request):
    query = clean_text(request.GET.get("q", ""))[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    entries = None
    if query:
        results = Page.objects.live().public().specific().search(query)
        entries = search_inventory(InventoryQuery(q=query, page_size=ENTRIES_SHOWN))
    page = Paginator(results, 20).get_page(request.GET.get("page"))
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
