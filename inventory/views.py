"""Public inventory: search, entry pages, CSV and JSON, submission, status."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import TooManyFieldsSent
from django.db import transaction
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET

from home.choices import SDG, StakeholderType
from home.mail import send_templated_mail, site_url
from home.models import StakeholderOrganisation
from home.ratelimit import hit, too_many_requests

from .choices import ActionLineCode, ActivityStatus, ActivityType, Region
from .export import csv_lines, records, with_urls
from .forms import EntrySubmissionForm, StatusLookupForm, UpdateRequestForm
from .models import InventoryEntry
from .moderation import moderation_status, submit_for_moderation
from .organisations import in_reader_language
from .search import (
    MAX_RESULT_WINDOW,
    ClusterEngine,
    EngineUnavailable,
    InventoryQuery,
    QueryError,
    primary_engine,
    search_inventory,
)

FACET_LABELS = {
    "action_line": dict(ActionLineCode.choices),
    "region": dict(Region.choices),
    "stakeholder": dict(StakeholderType.choices),
    "type": dict(ActivityType.choices),
    "status": dict(ActivityStatus.choices),
    "sdg": {str(value): label for value, label in SDG.choices},
}
FACET_TITLES = {
    "action_line": gettext_lazy("Action line"),
    "region": gettext_lazy("Region"),
    "country": gettext_lazy("Country"),
    "stakeholder": gettext_lazy("Stakeholder type"),
    "type": gettext_lazy("Type of activity"),
    "status": pgettext_lazy("of an activity", "Status"),
    "year": gettext_lazy("Reporting year"),
    "sdg": gettext_lazy("SDG"),
    "organisation": gettext_lazy("Organisation"),
}
UPDATE_LINK_MAX_AGE = 60 * 60 * 48


def value_label(facet, value):
    from home.countries import country_name

    if facet == "country":
        return _("Global") if value == "global" else country_name(value)
    return str(FACET_LABELS.get(facet, {}).get(value, value))


def organisation_names(slugs):
    """{slug: name} of the organisations (in the reader's language when they
    have a version in it)."""
    versions = {}
    for row in StakeholderOrganisation.objects.filter(slug__in=slugs).select_related(
        "locale"
    ):
        versions.setdefault(row.slug, []).append(row)
    return {slug: str(in_reader_language(rows)) for slug, rows in versions.items()}


def active_filters(query):
    """The filters in force, each with the link that removes it."""
    names = organisation_names(query.filters.get("organisation", ()))
    return [
        {
            "title": FACET_TITLES[facet],
            "label": names.get(value, value)
            if facet == "organisation"
            else value_label(facet, value),
            "remove": "?" + query.toggled(facet, value),
        }
        for facet, values in query.filters.items()
        for value in values
    ]


def facet_groups(result):
    """Facets for the template: title, and per value its label, count, link."""
    query = result.query
    groups = []
    for facet, buckets in result.facets.items():
        selected = set(query.filters.get(facet, ()))
        values = []
        for value, count in buckets:
            values.append(
                {
                    "value": value,
                    "label": value_label(facet, value),
                    "count": count,
                    "selected": value in selected,
                    "link": "?" + query.toggled(facet, value),
                }
            )
        groups.append({"name": facet, "title": FACET_TITLES[facet], "values": values})
    return groups


def query_from_request(request):
    """The request's inventory query; raises QueryError if it is malformed.

    Django reads query-string bytes that are not UTF-8 as Latin-1 text, so
    they are checked here, before they become a search for mojibake.
    """
    raw = request.META.get("QUERY_STRING", "")
    try:
        raw.encode("iso-8859-1").decode("utf-8")
    except UnicodeError as error:
        raise QueryError([_("The address is not valid UTF-8 text.")]) from error
    try:
        params = request.GET
    except TooManyFieldsSent as error:
        raise QueryError([_("The address has too many parameters.")]) from error
    return InventoryQuery.from_params(params)


@transaction.non_atomic_requests
def inventory_search(request):
    try:
        query = query_from_request(request)
    except QueryError as error:
        return TemplateResponse(
            request,
            "inventory/search.html",
            {"errors": error.messages, "query": InventoryQuery(), "result": None},
            status=400,
        )
    result = search_inventory(query)
    entries = [
        {"entry": entry, "highlight": result.highlights.get(entry.pk, {})}
        for entry in result.entries
    ]
    return TemplateResponse(
        request,
        "inventory/search.html",
        {
            "query": query,
            "result": result,
            "entries": entries,
            "facets": facet_groups(result),
            "active_filters": active_filters(query),
            "permalink": request.build_absolute_uri("?" + query.urlencode()),
            "previous_link": "?" + query.urlencode(page=query.page - 1),
            "next_link": "?" + query.urlencode(page=query.page + 1),
            "export_link": reverse("inventory:export") + "?" + query.urlencode(page=1),
            "api_link": reverse("inventory_api") + "?" + query.urlencode(),
        },
    )


def entry_detail(request, pk):
    entry = get_object_or_404(
        InventoryEntry.objects.filter(live=True).select_related("organisation", "team"),
        pk=pk,
    )
    # A published entry's organisations all have a public page (a preview's
    # may not: the tag asks).
    return TemplateResponse(
        request, "inventory/entry.html", {"entry": entry, "published": True}
    )


def api_error(messages_list, status=400):
    return JsonResponse({"errors": messages_list}, status=status)


@transaction.non_atomic_requests
@require_GET
def inventory_api(request):
    if not hit(request, "api", settings.INVENTORY_API_RATE_LIMIT, 60):
        return api_error([_("Too many requests. Please wait a minute.")], status=429)
    try:
        query = query_from_request(request)
    except QueryError as error:
        return api_error(error.messages)
    result = search_inventory(query, fetch=False, with_records=True)
    if result.records is not None:
        results = with_urls(result.records, request)
    else:
        results = records(result.ids, request)
    return JsonResponse(
        {
            "count": result.total,
            "page": query.page,
            "num_pages": result.num_pages,
            "results": results,
            "facets": {
                facet: dict(buckets) for facet, buckets in result.facets.items()
            },
            "engine_degraded": result.degraded,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def matching_ids(query):
    """Every entry id matching the query, in result order, up to the result window."""
    engine = primary_engine()
    ids = []
    page = 1
    page_size = 100
    while len(ids) < MAX_RESULT_WINDOW:
        page_query = InventoryQuery(
            q=query.q,
            filters=query.filters,
            sort=query.sort,
            page=page,
            page_size=page_size,
        )
        if isinstance(engine, ClusterEngine):
            try:
                result = engine.search(page_query, fetch=False)
            except EngineUnavailable:
                return matching_ids_from_database(query)
        else:
            return matching_ids_from_database(query)
        ids += result.ids
        if not result.has_next:
            break
        page += 1
    return ids


def matching_ids_from_database(query):
    from .search import DatabaseEngine

    engine = DatabaseEngine()
    entries, terms = engine.matching(query)
    return list(
        engine.ordered(entries, query, terms).values_list("pk", flat=True)[
            :MAX_RESULT_WINDOW
        ]
    )


@require_GET
def inventory_export(request):
    if not hit(request, "export", settings.INVENTORY_EXPORT_RATE_LIMIT, 60):
        return too_many_requests(request)
    try:
        query = query_from_request(request)
    except QueryError as error:
        return TemplateResponse(
            request,
            "inventory/search.html",
            {"errors": error.messages, "query": InventoryQuery(), "result": None},
            status=400,
        )
    ids = matching_ids(query)
    response = StreamingHttpResponse(
        csv_lines(ids, request), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="wsis-inventory.csv"'
    return response


def send_reference_email(entry):
    send_templated_mail(
        "inventory/emails/submission_received.txt",
        {
            "entry": entry,
            "status_url": site_url(
                reverse("inventory:status") + f"?reference={entry.reference}"
            ),
        },
        [entry.contact_email],
    )


def submit_entry(request):
    form = EntrySubmissionForm(request.POST or None)
    if request.method == "POST":
        if not hit(request, "submit", settings.INVENTORY_SUBMIT_RATE_LIMIT, 3600):
            return too_many_requests(
                request, _("Too many submissions from your address; try again later.")
            )
        if form.is_valid():
            with transaction.atomic():
                entry = form.save()
                entry.live = False  # never public before an editor approves it
                if request.user.is_authenticated:
                    entry.submitted_by = request.user
                entry.save()
                submit_for_moderation(
                    entry, request.user if request.user.is_authenticated else None
                )
                transaction.on_commit(lambda: send_reference_email(entry))
            return redirect(
                reverse("inventory:submitted") + f"?reference={entry.reference}"
            )
        if form.is_spam():
            # Bots get a normal-looking refusal and no hint about the trap.
            return TemplateResponse(
                request, "inventory/submit.html", {"form": form}, status=400
            )
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(
        request, "inventory/submit.html", {"form": form}, status=status
    )


def submitted(request):
    reference = request.GET.get("reference", "")[:20]
    return TemplateResponse(
        request, "inventory/submitted.html", {"reference": reference}
    )


def submission_status(request):
    form = StatusLookupForm(request.GET or None)
    context = {"form": form}
    status = 200
    if form.is_bound:
        if form.is_valid():
            entry = InventoryEntry.objects.filter(
                reference=form.cleaned_data["reference"]
            ).first()
            if entry is None:
                form.add_error("reference", _("No entry has this reference."))
                status = 404
            else:
                context.update(entry=entry, status=moderation_status(entry))
        else:
            status = 400
    return TemplateResponse(request, "inventory/status.html", context, status=status)


def request_update(request):
    """Step 1: the submitter gives the reference and e-mail; a link is e-mailed."""
    form = UpdateRequestForm(request.POST or None)
    if request.method == "POST":
        if not hit(request, "update", settings.INVENTORY_SUBMIT_RATE_LIMIT, 3600):
            return too_many_requests(request)
        if form.is_valid():
            entry = InventoryEntry.objects.filter(
                reference=form.cleaned_data["reference"],
                contact_email__iexact=form.cleaned_data["contact_email"],
            ).first()
            if entry is not None:
                token = signing.dumps({"entry": entry.pk}, salt="inventory-update")
                send_templated_mail(
                    "inventory/emails/update_link.txt",
                    {
                        "entry": entry,
                        "link": site_url(reverse("inventory:update", args=[token])),
                    },
                    [entry.contact_email],
                )
            # Same answer either way: the form must not reveal who submitted what.
            messages.success(
                request,
                _(
                    "If the reference and e-mail match an entry, a link to propose "
                    "an update is on its way to that address."
                ),
            )
            return redirect("inventory:request_update")
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(
        request, "inventory/request_update.html", {"form": form}, status=status
    )


def propose_update(request, token):
    """Step 2: the signed link opens the form; the proposal goes to moderation."""
    try:
        data = signing.loads(
            token, salt="inventory-update", max_age=UPDATE_LINK_MAX_AGE
        )
    except signing.BadSignature:
        return TemplateResponse(
            request, "inventory/update_link_invalid.html", status=400
        )
    entry = InventoryEntry.objects.filter(pk=data.get("entry")).first()
    if entry is None:
        raise Http404
    if entry.has_unpublished_changes and entry.latest_revision_id:
        entry = entry.latest_revision.as_object()
    form = EntrySubmissionForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            proposal = form.save()
            submit_for_moderation(proposal)
        messages.success(
            request,
            _("Thank you. Editors review your update before it is public."),
        )
        return redirect(reverse("inventory:status") + f"?reference={entry.reference}")
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(
        request,
        "inventory/submit.html",
        {"form": form, "entry": entry, "updating": True},
        status=status,
    )
