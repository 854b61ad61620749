"""Public pages of an organisation and of a country, built around the inventory.

``/organisations/<slug>/`` shows what the public may see of an organisation
(``inventory.organisations``): the published activities it leads or partners
in, its teams and its designations as a facilitator. ``/inventory/countries/
<ISO3>/`` shows the published activities in a country and its figures by
action line and by reporting year; those come from the very search the
inventory answers (``search_inventory``), so each figure equals what its link
to the search, the API or the CSV gives.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from home.countries import country_name, is_country
from home.models import StakeholderOrganisation

from .choices import ActionLineCode, Region
from .facet_order import ordered
from .models import InventoryEntry
from .organisations import (
    in_reader_language,
    is_slug,
    public_designations,
    public_memberships,
    public_slugs,
)
from .regions import region_of_country
from .search import (
    DEFAULT_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    InventoryQuery,
    is_number,
    search_inventory,
)

ACTIVITIES_PER_PAGE = DEFAULT_PAGE_SIZE


def page_number(raw, last=None):
    """Return the page asked for, as Django's ``Paginator.get_page`` reads it.

    1 for anything that is not a whole number, the last page past the end.
    """
    raw = (raw or "").strip()
    number = int(raw) if is_number(raw) and len(raw) <= 7 else 1
    number = max(number, 1)
    return min(number, last) if last else number


def search_link(**filters):
    """Return the inventory search with these filters (``/inventory/?country=…``)."""
    return reverse("inventory:search") + "?" + urlencode(list(filters.items()))


# --- Organisations ---------------------------------------------------------------


def organisation_page(request, slug):
    if not is_slug(slug) or not public_slugs([slug]):
        raise Http404
    rows = list(
        StakeholderOrganisation.objects.filter(slug=slug)
        .select_related("locale")
        .order_by("pk")
    )
    organisation = in_reader_language(rows)
    entries = InventoryEntry.objects.filter(live=True).filter(
        Q(organisation__slug=slug) | Q(partners__slug=slug)
    )
    roles = InventoryEntry.objects.filter(pk__in=entries.values("pk")).aggregate(
        lead=Count("pk", filter=Q(organisation__slug=slug)),
        total=Count("pk"),
    )
    activities = Paginator(
        InventoryEntry.objects.filter(pk__in=entries.values("pk"))
        .select_related("organisation")
        .order_by("-first_published_at", "-pk"),
        ACTIVITIES_PER_PAGE,
    ).get_page(page_number(request.GET.get("page")))
    for entry in activities:
        entry.led_here = entry.organisation is not None and (
            entry.organisation.slug == slug
        )
    memberships = (
        public_memberships()
        .filter(organisation__slug=slug)
        .select_related("team")
        .order_by("team__path")
    )
    designations = (
        public_designations()
        .filter(organisation__slug=slug)
        .select_related("round__action_line")
        .order_by("-term_start", "round__action_line__path")
    )
    return TemplateResponse(
        request,
        "inventory/organisation.html",
        {
            "organisation": organisation,
            "activities": activities,
            "lead_count": roles["lead"],
            "partner_count": roles["total"] - roles["lead"],
            "search_link": search_link(organisation=slug),
            "teams": [membership.team.localized for membership in memberships],
            "designations": list(designations),
        },
    )


# --- Countries --------------------------------------------------------------------


def country_page(request, code):
    if is_country(code.upper()) and code != code.upper():
        return redirect("inventory:country", code.upper(), permanent=True)
    if len(code) != 3 or not is_country(code):
        raise Http404
    last = MAX_RESULT_WINDOW // ACTIVITIES_PER_PAGE
    query = InventoryQuery(
        filters={"country": (code,)},
        sort="newest",
        page=page_number(request.GET.get("page"), last),
        page_size=ACTIVITIES_PER_PAGE,
    )
    result = search_inventory(query)
    if result.total and query.page > result.num_pages:
        query = InventoryQuery(
            filters=query.filters, sort="newest", page=result.num_pages
        )
        result = search_inventory(query)
    facets = dict(result.facets)
    action_line_labels = dict(ActionLineCode.choices)
    by_action_line = [
        {
            "value": value,
            "label": action_line_labels.get(value, value),
            "count": count,
            "link": search_link(country=code, action_line=value),
        }
        for value, count in ordered("action_line", facets["action_line"])
    ]
    by_year = [
        {"value": year, "count": count, "link": search_link(country=code, year=year)}
        for year, count in ordered("year", facets["year"])
    ]
    region = region_of_country().get(code)
    page_link = "?page={}"
    return TemplateResponse(
        request,
        "inventory/country.html",
        {
            "code": code,
            "name": country_name(code),
            "region": dict(Region.choices).get(region) if region else None,
            "region_link": search_link(region=region) if region else None,
            "result": result,
            "query": query,
            "all_link": search_link(country=code),
            "by_action_line": by_action_line,
            "by_year": by_year,
            "previous_link": page_link.format(query.page - 1),
            "next_link": page_link.format(query.page + 1),
        },
    )
