"""My WSIS: a stakeholder account's own pages (accounts/urls.py).

Every page but the feeds asks for a signed-in account with a verified address
(``account_required``) and shows only what that account holds: an entry, a
request or a registration of another account is a 404, like one that does not
exist.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from allauth.account.decorators import reauthentication_required

from action_lines.choices import AttendanceMode
from action_lines.models import MeetingPage, TeamPage
from home.ratelimit import rate_limited, too_many_requests, within_limit
from inventory.forms import EntrySubmissionForm
from inventory.models import UpdateLink
from inventory.views import (
    editable_version,
    private,
    save_proposal,
    save_submission,
    status_path,
)

from . import claims, membership, privacy
from .activities import activities, held_entries, history
from .decorators import account_required
from .feeds import SavedSearchFeed
from .forms import (
    ClaimForm,
    DeleteAccountForm,
    ProfileForm,
    SavedSearchForm,
    account_submission_form,
)
from .models import SavedSearch
from .searches import search_link

ACTIVITIES_PER_PAGE = 50


def too_many_attempts(request, exception=None):
    """Answer allauth's rate limits with the site's 429 page.

    The site's 429 page for allauth's rate limits (sign-up, sign-in, password
    reset): allauth does not say how long the client waits, so a minute.
    """
    return too_many_requests(
        request,
        _(
            "Too many attempts from your address or for this account. Please try "
            "again later."
        ),
        retry_after=60,
    )


def form_status(form):
    return 400 if form.is_bound and form.errors else 200


def held_entry_or_404(request, pk):
    return get_object_or_404(
        held_entries(request.user).select_related("organisation"), pk=pk
    )


@account_required
def home(request):
    entries = held_entries(request.user).select_related("organisation")
    recent = activities(entries.order_by("-updated_at", "-pk")[:5])
    return TemplateResponse(
        request,
        "my/home.html",
        {
            "profile": request.account_profile,
            "recent": recent,
            "total": entries.count(),
        },
    )


@account_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.account_profile)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved.proposed_organisation:
            messages.success(
                request,
                _(
                    "Saved. The inventory editors will check the organisation you "
                    "proposed."
                ),
            )
        else:
            messages.success(request, _("Your profile is saved."))
        return redirect("my:profile")
    return TemplateResponse(
        request, "my/profile.html", {"form": form}, status=form_status(form)
    )


# --- My activities -------------------------------------------------------------------


@account_required
def activity_list(request):
    entries = (
        held_entries(request.user)
        .select_related("organisation")
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(entries, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "my/activities.html",
        {"items": page, "activities": activities(page.object_list)},
    )


@account_required
def activity_detail(request, pk):
    entry = held_entry_or_404(request, pk)
    (activity,) = activities([entry])
    return private(
        TemplateResponse(
            request,
            "my/activity.html",
            {
                "activity": activity,
                "entry": entry,
                "proposal": entry.get_latest_revision_as_object(),
                "history": history(entry, request.user),
                "status_path": status_path(entry, with_key=True),
            },
        )
    )


@account_required
@rate_limited(
    "submit",
    methods={"POST"},
    message=gettext_lazy("Too many submissions from your address; try again later."),
)
def activity_edit(request, pk):
    """Return a correction of an entry sent back, or an update of a published one.

    A new version in moderation, as an update link used to send. The public page
    keeps the published version until an editor approves.
    """
    entry = held_entry_or_404(request, pk)
    version = editable_version(entry)
    form = EntrySubmissionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        save_proposal(form, request.user)
        messages.success(
            request,
            _("Thank you. Editors review your update before it is public."),
        )
        return redirect("my:activity", pk=entry.pk)
    return TemplateResponse(
        request,
        "my/activity_edit.html",
        {"form": form, "entry": entry},
        status=form_status(form),
    )


@account_required
@rate_limited(
    "submit",
    methods={"POST"},
    message=gettext_lazy("Too many submissions from your address; try again later."),
)
def submit(request):
    form = account_submission_form(request, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            entry = save_submission(form, request.user)
            messages.success(
                request,
                _(
                    "Thank you. Your activity is waiting for the inventory editors. "
                    "Its tracking reference is %(reference)s."
                )
                % {"reference": entry.reference},
            )
            return redirect("my:activity", pk=entry.pk)
        if form.is_spam():
            return TemplateResponse(
                request, "my/submit.html", {"form": form}, status=400
            )
    return TemplateResponse(
        request, "my/submit.html", {"form": form}, status=form_status(form)
    )


# --- Claiming ------------------------------------------------------------------------


def attach_and_show(request, entries):
    """Attach ``entries`` to the account and show them in its activities."""
    attached = claims.attach(request.user, list(entries))
    messages.success(
        request,
        ngettext(
            "%(count)d entry is now in your activities.",
            "%(count)d entries are now in your activities.",
            attached,
        )
        % {"count": attached},
    )
    return redirect("my:activities")


@account_required
def claim(request):
    """Attaching entries submitted before the account.

    At once for the account's verified addresses, through a link e-mailed to any
    other contact address.
    """
    reference = request.GET.get("reference", "")[:20].strip().upper()
    if reference:
        held = held_entries(request.user).filter(reference=reference).first()
        if held is not None:
            return redirect("my:activity", pk=held.pk)
    own = claims.claimable_with_verified_addresses(request.user)
    if request.method == "POST" and request.POST.get("action") == "verified":
        return attach_and_show(request, own)
    form = ClaimForm(
        request.POST or None, initial={"reference": reference} if reference else None
    )
    if request.method == "POST":
        if not (
            within_limit(request, "claim") and within_limit(request, "claim_recipient")
        ):
            return too_many_requests(
                request,
                _("Too many links were asked for. Please try again later."),
            )
        if form.is_valid():
            claims.send_claim_link(
                request.user,
                form.cleaned_data["email"],
                form.cleaned_data["reference"],
            )
            # The same answer whether or not the address gave any entry.
            messages.success(
                request,
                _(
                    "If entries were submitted with this address, a link to attach "
                    "them to your account is on its way to it."
                ),
            )
            return redirect("my:claim")
    return TemplateResponse(
        request,
        "my/claim.html",
        {"form": form, "own": list(own.order_by("-updated_at")[:50])},
        status=form_status(form),
    )


@never_cache
@account_required
def claim_confirm(request, token):
    """Attach the entries of an e-mailed claim link, which proved the address.

    The account that asked confirms (a POST, so that mail scanners opening links
    attach nothing).
    """
    payload = claims.read_claim_token(token)
    if payload is None or payload.get("user") != request.user.pk:
        return private(
            TemplateResponse(request, "my/claim_invalid.html", {}, status=400)
        )
    entries = claims.claimable(request.user, payload["email"], payload["reference"])
    if request.method == "POST":
        return attach_and_show(request, entries)
    return private(
        TemplateResponse(
            request, "my/claim_confirm.html", {"entries": list(entries[:100])}
        )
    )


@never_cache
@account_required
def update_link(request, token):
    """Claim the entry of an update link e-mailed before accounts.

    An update link e-mailed before accounts (inventory.views.propose_update). Unused
    and in time, it proves control of the entry's contact address: the account
    confirms, the link is used up and the entry attached. Otherwise the account
    claims the entry by its contact address.
    """
    link = UpdateLink.find(token)
    if link is None:
        raise Http404
    if link.used_at is not None or link.is_expired:
        messages.info(
            request,
            _(
                "This link has expired. Attach the entry to your account with the "
                "contact address given with it."
            ),
        )
        return private(
            redirect(
                reverse("my:claim") + "?reference=" + link.entry.reference,
            )
        )
    if request.method == "POST":
        with transaction.atomic():
            if not link.consume():  # used meanwhile, by another request
                return redirect(request.path)
            claims.attach(request.user, [link.entry])
        return redirect("my:activity_edit", pk=link.entry_id)
    return private(
        TemplateResponse(
            request, "my/claim_confirm.html", {"entries": [link.entry], "link": True}
        )
    )


# --- My teams and My meetings --------------------------------------------------------


def incomplete_profile(request):
    messages.warning(
        request,
        _(
            "Give your name, organisation, stakeholder type and country first: "
            "the facilitators need them."
        ),
    )
    return redirect("my:profile")


def form_errors(form):
    return [str(error) for errors in form.errors.values() for error in errors]


@account_required
def teams(request):
    requests = membership.join_requests(request.user).select_related("team")
    return TemplateResponse(
        request,
        "my/teams.html",
        {"requests": requests.order_by("-created_at")},
    )


@require_POST
@account_required
@rate_limited(
    "join",
    message=gettext_lazy(
        "Too many requests from your address. Please try again later."
    ),
)
def join_team(request, team_id):
    """Join a team in one click: the request carries the profile."""
    team = get_object_or_404(TeamPage.objects.live(), pk=team_id).source
    if not membership.profile_is_complete(request.account_profile):
        return incomplete_profile(request)
    joined, form = membership.join(request, team)
    if joined is None:
        for error in form_errors(form):
            messages.error(request, error)
    else:
        messages.success(
            request,
            _(
                "Thank you. Your request to join the team was received; the "
                "facilitators will answer by e-mail."
            ),
        )
    return redirect("my:teams")


@account_required
def meetings(request):
    now = timezone.now()
    held = membership.registrations(request.user).select_related("meeting")
    return TemplateResponse(
        request,
        "my/meetings.html",
        {
            "upcoming": held.filter(meeting__end__gte=now).order_by("meeting__start"),
            "past": held.filter(meeting__end__lt=now).order_by("-meeting__start")[:50],
        },
    )


@require_POST
@account_required
@rate_limited(
    "register",
    message=gettext_lazy(
        "Too many requests from your address. Please try again later."
    ),
)
def register_meeting(request, meeting_id):
    meeting = get_object_or_404(MeetingPage.objects.live(), pk=meeting_id)
    if not membership.profile_is_complete(request.account_profile):
        return incomplete_profile(request)
    registration, form = membership.register(
        request, meeting, request.POST.get("attendance", AttendanceMode.IN_PERSON)
    )
    if registration is None:
        for error in form_errors(form):
            messages.error(request, error)
    else:
        messages.success(
            request,
            _("You are registered. A confirmation was sent to %(email)s.")
            % {"email": registration.email},
        )
    return redirect("my:meetings")


@require_POST
@account_required
def cancel_registration(request, pk):
    registration = get_object_or_404(
        membership.registrations(request.user).select_related("meeting"), pk=pk
    )
    if registration.meeting.is_past:
        raise Http404
    registration.delete()
    messages.success(
        request,
        _("Your registration for %(meeting)s is cancelled.")
        % {"meeting": registration.meeting.title},
    )
    return redirect("my:meetings")


# --- Saved searches ------------------------------------------------------------------


@account_required
def searches(request):
    """Return the account's saved searches.

    A POST saves a new one (from the search page).
    """
    form = SavedSearchForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            saved = form.save(commit=False)
            saved.user = request.user
            saved.save()
            messages.success(
                request,
                _("Saved. Its digest and its feed list the newly published entries."),
            )
            return redirect("my:searches")
        for error in form_errors(form):
            messages.error(request, error)
        return redirect("my:searches")
    saved = SavedSearch.objects.filter(user=request.user)
    return TemplateResponse(
        request,
        "my/searches.html",
        {
            "saved_searches": [
                {
                    "saved": search,
                    "form": SavedSearchForm(instance=search, prefix=f"s{search.pk}"),
                    "feed_url": request.build_absolute_uri(
                        reverse("my:feed", args=[search.feed_token])
                    ),
                    "search_url": search_link(search),
                }
                for search in saved
            ]
        },
    )


@require_POST
@account_required
def saved_search(request, pk):
    """Change a saved search.

    Its name and digest, a new feed address (the old one stops working), or its
    removal.
    """
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    action = request.POST.get("action")
    if action == "delete":
        saved.delete()
        messages.success(request, _("The saved search is removed."))
    elif action == "renew":
        saved.renew_feed_token()
        messages.success(
            request, _("The feed has a new address; the old one no longer works.")
        )
    else:
        form = SavedSearchForm(
            request.POST, instance=saved, user=request.user, prefix=f"s{saved.pk}"
        )
        if form.is_valid():
            form.save()
            messages.success(request, _("The saved search is updated."))
        else:
            for error in form_errors(form):
                messages.error(request, error)
    return redirect("my:searches")


@never_cache
@rate_limited("feed")
def feed(request, token):
    return SavedSearchFeed()(request, token=token)


# --- Download my data, delete my account --------------------------------------------


@account_required
def my_data_page(request):
    return TemplateResponse(request, "my/data.html", {})


@never_cache
@account_required
@reauthentication_required
def my_data_download(request):
    response = JsonResponse(
        privacy.my_data(request), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="my-wsis-data.json"'
    return private(response)


@never_cache
@account_required
@reauthentication_required
def delete_account(request):
    """Delete the account after a confirmation (and a recent sign-in)."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        privacy.delete_account(request)
        messages.success(request, _("Your account and your personal data are deleted."))
        return redirect("/")
    return TemplateResponse(
        request, "my/delete.html", {"form": form}, status=form_status(form)
    )
