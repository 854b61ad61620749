"""Public inventory: search, entry pages, CSV and JSON, submission, status.

What a reference alone shows is public (received, in moderation, published);
the submitter's status link adds a secret key and shows the editors' reason.
Updates are proposed from a stakeholder account (My WSIS, the accounts app),
through the same moderation; the update links e-mailed before accounts lead
there. A proposal becomes organisation rows only when an editor approves it.
"""

import datetime
from urllib.parse import urlencode

from django.core.exceptions import TooManyFieldsSent
from django.db import transaction
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from home.choices import SDG, StakeholderType
from home.countries import country_name
from home.mail import send_templated_mail, site_url
from home.models import StakeholderOrganisation
from home.ratelimit import rate_limited, too_many_requests, within_limit

from .choices import ActionLineCode, ActivityStatus, ActivityType, Region
from .duplicates import similar_entries
from .export import csv_lines, records, with_urls
from .facet_order import ordered, parent_line
from .forms import EntrySubmissionForm, StatusLookupForm
from .models import InventoryEntry, UpdateLink
from .moderation import moderation_status, public_status, submit_for_moderation
from .organisations import in_reader_language
from .search import (
    MAX_RESULT_WINDOW,
    ClusterEngine,
    DatabaseEngine,
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
    "freshness": dict(InventoryEntry._meta.get_field("freshness").choices),
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
    "freshness": gettext_lazy("Freshness"),
    "started": pgettext_lazy("inventory date filter", "Started"),
    "active": pgettext_lazy("inventory date filter", "Active"),
}
# How long the update links e-mailed before accounts worked.
UPDATE_LINK_LIFETIME = datetime.timedelta(hours=48)


def value_label(facet, value):
    if facet == "country":
        return _("Global") if value == "global" else country_name(value)
    return str(FACET_LABELS.get(facet, {}).get(value, value))


def organisation_names(slugs):
    """Return {slug: name} of the organisations, in the reader's language.

    {slug: name} of the organisations (in the reader's language when they have a
    version in it).
    """
    versions = {}
    for row in StakeholderOrganisation.objects.filter(slug__in=slugs).select_related(
        "locale"
    ):
        versions.setdefault(row.slug, []).append(row)
    return {slug: str(in_reader_language(rows)) for slug, rows in versions.items()}


def active_filters(query):
    """Return the filters in force, each with the link that removes it."""
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


def reset_link(query):
    """Return the search without any filter: same words, same order."""
    return "?" + query.urlencode(filters={}, page=1)


# Values a facet lists before its "show all": every action line (the reader
# looks for one by its number), eight of the others.
FACET_SHOWN = {"action_line": len(ActionLineCode.values)}
FACET_SHOWN_DEFAULT = 8


def facet_groups(result):
    """Return the facets for the template, each value in the facet's order.

    Each group has its title, the values shown at once (``values``) and the
    rest behind "show all" (``more``, open when one of them is selected); each
    value its label, count, link and whether it is a sub-line listed under its
    action line.
    """
    query = result.query
    groups = []
    for facet, buckets in result.facets.items():
        selected = set(query.filters.get(facet, ()))
        present = {value for value, _count in buckets}
        values = [
            {
                "value": value,
                "label": value_label(facet, value),
                "count": count,
                "selected": value in selected,
                "sub": facet == "action_line" and parent_line(value) in present,
                "link": "?" + query.toggled(facet, value),
            }
            for value, count in ordered(facet, buckets)
        ]
        shown = FACET_SHOWN.get(facet, FACET_SHOWN_DEFAULT)
        more = values[shown:]
        groups.append(
            {
                "name": facet,
                "title": FACET_TITLES[facet],
                "values": values[:shown],
                "more": more,
                "more_open": any(item["selected"] for item in more),
                "total": len(values),
            }
        )
    return groups


def query_from_request(request):
    """Return the request's inventory query; raise QueryError if it is malformed.

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


def bad_query(request, error):
    """Return the search page with what is wrong in a malformed query (400)."""
    return TemplateResponse(
        request,
        "inventory/search.html",
        {"errors": error.messages, "query": InventoryQuery(), "result": None},
        status=400,
    )


@transaction.non_atomic_requests
@rate_limited("inventory_search")
def inventory_search(request):
    try:
        query = query_from_request(request)
    except QueryError as error:
        return bad_query(request, error)
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
            "reset_link": reset_link(query),
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
@rate_limited("api", json=True)
def inventory_api(request):
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
            "count_exact": result.total_exact,
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
    engine = DatabaseEngine()
    entries, terms = engine.matching(query)
    return list(
        engine.ordered(entries, query, terms).values_list("pk", flat=True)[
            :MAX_RESULT_WINDOW
        ]
    )


@require_GET
@rate_limited("export")
def inventory_export(request):
    try:
        query = query_from_request(request)
    except QueryError as error:
        return bad_query(request, error)
    ids = matching_ids(query)
    response = StreamingHttpResponse(
        csv_lines(ids, request), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="wsis-inventory.csv"'
    return response


def status_path(entry, with_key=False):
    """Return the entry's status page; with its key, the submitter's status link."""
    params = {"reference": entry.reference}
    if with_key:
        params["key"] = entry.status_key()
    return reverse("inventory:status") + "?" + urlencode(params)


def send_reference_email(entry):
    send_templated_mail(
        "inventory/emails/submission_received.txt",
        {"entry": entry, "status_url": site_url(status_path(entry, with_key=True))},
        [entry.contact_email],
    )


def private(response):
    """Return a page holding a secret (a key or a link).

    Never cached, never referred.
    """
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def save_submission(form, user=None):
    """Save a valid submission form as a new entry and send it to moderation.

    Saves a valid submission form as a new entry, never public before an editor
    approves it, and sends it to moderation; the receipt (reference and status link)
    is e-mailed after the commit.
    """
    user = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        entry = form.save()
        entry.live = False
        entry.submitted_by = user
        entry.save()
        submit_for_moderation(entry, user)
        # Robust: a mail server that fails is logged (home.mail) and the thanks
        # page still gives the reference and the status link.
        transaction.on_commit(lambda: send_reference_email(entry), robust=True)
    return entry


def editable_version(entry):
    """Return the version of an entry a proposal starts from.

    The one waiting for the editors (or sent back by them), else the published one.
    """
    if entry.has_unpublished_changes and entry.latest_revision_id:
        return entry.latest_revision.as_object()
    return entry


def save_proposal(form, user=None):
    """Save a valid form on an entry's ``editable_version`` as a revision.

    Saves a valid form on an entry's ``editable_version`` as a new revision in
    moderation: the entry's row, and so its public page, keeps the published version
    until an editor approves.
    """
    with transaction.atomic():
        proposal = form.save()
        submit_for_moderation(proposal, user)
    return proposal


@rate_limited(
    "submit",
    methods={"POST"},
    message=gettext_lazy("Too many submissions from your address; try again later."),
)
def submit_entry(request):
    # An action line's page links here with its code: the form starts with it.
    preset = [
        code for code in request.GET.getlist("action_line") if code in ActionLineCode
    ]
    form = EntrySubmissionForm(
        request.POST or None, initial={"action_lines": preset} if preset else None
    )
    if request.method == "POST":
        if form.is_valid():
            entry = save_submission(form, request.user)
            thanks = (
                reverse("inventory:submitted")
                + "?"
                + urlencode({"reference": entry.reference, "key": entry.status_key()})
            )
            return redirect(thanks)
        if form.is_spam():
            # Bots get a normal-looking refusal and no hint about the trap.
            return TemplateResponse(
                request, "inventory/submit.html", {"form": form}, status=400
            )
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(
        request, "inventory/submit.html", {"form": form}, status=status
    )


def entry_with_key(request):
    """Return the entry of the request's reference if its key is right, else None."""
    reference = request.GET.get("reference", "")[:20].strip().upper()
    key = request.GET.get("key", "")
    if not reference or not key:
        return None
    entry = InventoryEntry.objects.filter(reference=reference).first()
    return entry if entry is not None and entry.status_key_matches(key) else None


@never_cache
def submitted(request):
    """Return the thanks page after a submission, with the submitter's status link."""
    entry = entry_with_key(request)
    if entry is None:
        raise Http404
    return private(
        TemplateResponse(
            request,
            "inventory/submitted.html",
            {
                "reference": entry.reference,
                "status_path": status_path(entry, True),
                "similar": similar_entries(entry),
            },
        )
    )


@never_cache
def submission_status(request):
    """Return the status of a submission.

    Public with its reference (received, in moderation, published), the submitter's
    with the key of their status link (the current proposal, and an editor's reason
    for a rejection).
    """
    form = StatusLookupForm(request.GET or None)
    context = {"form": form}
    status = 200
    if form.is_bound:
        # References of unpublished entries must not be found by trying them.
        if not within_limit(request, "status"):
            return too_many_requests(request)
        if form.is_valid():
            entry = InventoryEntry.objects.filter(
                reference=form.cleaned_data["reference"]
            ).first()
            if entry is None:
                form.add_error("reference", _("No entry has this reference."))
                status = 404
            elif entry.status_key_matches(request.GET.get("key", "")):
                proposal = entry.get_latest_revision_as_object()
                context.update(
                    entry=entry,
                    proposal=proposal,
                    status=moderation_status(entry),
                    submitter=True,
                )
            else:
                context.update(entry=entry, status=public_status(entry))
        else:
            status = 400
    response = TemplateResponse(
        request, "inventory/status.html", context, status=status
    )
    return private(response) if context.get("submitter") else response


def request_update(request):
    """Update are proposed from a stakeholder account.

    This page says how (sign in, then claim the entry with its contact address). An
    account goes straight to the claim.
    """
    if request.method == "POST":
        return redirect("inventory:request_update")
    if request.user.is_authenticated:
        return redirect("my:claim")
    return TemplateResponse(request, "inventory/request_update.html", {})


def link_refused(request):
    """Return the page for a link that does not exist (400)."""
    return private(
        TemplateResponse(request, "inventory/update_link_invalid.html", {}, status=400)
    )


@never_cache
def propose_update(request, token):
    """Return an update link e-mailed before accounts.

    It proved control of the entry's contact address: it now leads to sign-in, then
    attaches the entry to the account (accounts.views.claim_with_update_link) to
    propose the update.
    """
    if UpdateLink.find(token) is None:
        return link_refused(request)
    return private(redirect("my:update_link", token=token))
