"""Public inventory: search, entry pages, CSV and JSON, submission, status.

What a reference alone shows is public (received, in moderation, published);
the submitter's status link adds a secret key and shows the editors' reason.
An update link works once, and a proposal becomes organisation rows only when
an editor approves it.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import TooManyFieldsSent
from django.db import transaction
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
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
from .forms import EntrySubmissionForm, StatusLookupForm, UpdateRequestForm
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
}
UPDATE_LINK_LIFETIME = datetime.timedelta(hours=48)
# Links e-mailed for one entry in a day, whoever asks (its contact's mailbox is
# not a target).
UPDATE_LINKS_PER_ENTRY_AND_DAY = 3


def value_label(facet, value):
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


def bad_query(request, error):
    """The search page with what is wrong in a malformed query (400)."""
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
    """The entry's status page; with its key, the submitter's status link."""
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
    """A page holding a secret (a key or a link): never cached, never referred."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


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
            with transaction.atomic():
                entry = form.save()
                entry.live = False  # never public before an editor approves it
                if request.user.is_authenticated:
                    entry.submitted_by = request.user
                entry.save()
                submit_for_moderation(
                    entry, request.user if request.user.is_authenticated else None
                )
                # Robust: a mail server that fails is logged (home.mail) and
                # the thanks page still gives the reference and the status link.
                transaction.on_commit(lambda: send_reference_email(entry), robust=True)
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
    """The entry of the request's reference if its key is right, else None."""
    reference = request.GET.get("reference", "")[:20].strip().upper()
    key = request.GET.get("key", "")
    if not reference or not key:
        return None
    entry = InventoryEntry.objects.filter(reference=reference).first()
    return entry if entry is not None and entry.status_key_matches(key) else None


@never_cache
def submitted(request):
    """The thanks page after a submission, with the submitter's status link."""
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
    """The status of a submission: public with its reference (received, in
    moderation, published), the submitter's with the key of their status link
    (the current proposal, and an editor's reason for a rejection)."""
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
    """Step 1: the submitter gives the reference and e-mail; a link is e-mailed."""
    form = UpdateRequestForm(request.POST or None)
    if request.method == "POST":
        if not within_limit(request, "update"):
            return too_many_requests(request)
        if form.is_valid():
            entry = InventoryEntry.objects.filter(
                reference=form.cleaned_data["reference"],
                contact_email__iexact=form.cleaned_data["contact_email"],
            ).first()
            if entry is not None and may_issue_update_link(entry):
                send_update_link(entry)
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


def may_issue_update_link(entry):
    since = timezone.now() - datetime.timedelta(days=1)
    recent = entry.update_links.filter(created_at__gte=since).count()
    return recent < UPDATE_LINKS_PER_ENTRY_AND_DAY


def send_update_link(entry):
    _link, token = UpdateLink.issue(entry, UPDATE_LINK_LIFETIME)

    def send():
        send_templated_mail(
            "inventory/emails/update_link.txt",
            {
                "entry": entry,
                "link": site_url(reverse("inventory:update", args=[token])),
                "status_url": site_url(status_path(entry, with_key=True)),
            },
            [entry.contact_email],
        )

    # After the commit (a link that was not saved must not go out). Robust: a
    # failure is logged, and the answer stays the same whether or not the
    # reference matched.
    transaction.on_commit(send, robust=True)


def link_refused(request, link):
    """The page for a link that cannot be used (400), or was used already (410)."""
    used = link is not None and link.used_at is not None
    return private(
        TemplateResponse(
            request,
            "inventory/update_link_invalid.html",
            {"used": used},
            status=410 if used else 400,
        )
    )


@never_cache
def propose_update(request, token):
    """Step 2: the link opens the form; the proposal goes to moderation, and the
    link is used up by it."""
    link = UpdateLink.find(token)
    if link is None or link.used_at is not None or link.is_expired:
        return link_refused(request, link)
    if request.method == "POST" and not within_limit(request, "update_use"):
        return too_many_requests(request)
    entry = link.entry
    if entry.has_unpublished_changes and entry.latest_revision_id:
        entry = entry.latest_revision.as_object()
    form = EntrySubmissionForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if not link.consume():  # used meanwhile, by another request
                link.refresh_from_db()
                return link_refused(request, link)
            proposal = form.save()
            submit_for_moderation(proposal)
        messages.success(
            request,
            _("Thank you. Editors review your update before it is public."),
        )
        return redirect(status_path(entry, with_key=True))
    status = 400 if form.is_bound and form.errors else 200
    return private(
        TemplateResponse(
            request,
            "inventory/submit.html",
            {"form": form, "entry": entry, "updating": True},
            status=status,
        )
    )
