"""Download my data and delete my account.

What the platform keeps about a person with an account, and gives back as JSON:
the account (addresses, dates), its profile, the entries it holds (with the
contact details given), its join requests, meeting registrations and saved
searches.

Deleting the account removes that person's data and keeps the inventory whole:

- the entries it held stay, with their organisation and their moderation
  history (revisions, workflow, log), but without the person's contact details
  (in the entry and in every revision) and without a link to the account;
- its pending join requests and all its meeting registrations are deleted; a
  decided join request keeps the team, organisation and decision, without the
  person's name, address and messages;
- its profile, addresses, authenticators, claims, saved searches (and their
  feeds) and the admin's sign-in records of its user name go.
"""

from django.contrib.auth import logout
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from wagtail.models import Revision

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from action_lines.choices import RequestStatus
from action_lines.models import MeetingRegistration, TeamMembershipRequest
from inventory.indexing import queue_entries
from inventory.models import InventoryEntry

from .activities import activities, held_entries
from .membership import join_requests, registrations
from .models import EntryClaim, SavedSearch
from .profiles import ensure_profile, preferred_language

CONTACT_FIELDS = {"contact_name": "", "contact_email": "", "contact_language": ""}


def addresses_of(user):
    found = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    if user.email:
        found.add(user.email)
    return {address.lower() for address in found}


def iso(moment):
    return moment.isoformat() if moment else None


def my_data(request):
    """Everything the platform keeps about the signed-in account, as JSON data."""
    user = request.user
    profile = ensure_profile(user)
    claims = dict(
        EntryClaim.objects.filter(user=user).values_list("entry_id", "source")
    )
    entries = held_entries(user).select_related("organisation").order_by("pk")
    return {
        "account": {
            "username": user.username,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "two_factor_authentication": Authenticator.objects.filter(
                user=user
            ).exists(),
        },
        "profile": {
            "name": profile.name,
            "organisation": profile.organisation.name
            if profile.organisation_id
            else None,
            "proposed_organisation": profile.proposed_organisation,
            "stakeholder_type": profile.stakeholder_type,
            "country": profile.country,
            "language": preferred_language(user),
            "emails": {
                "moderation": profile.notify_moderation,
                "team_news": profile.notify_team_news,
                "meeting_reminders": profile.notify_meeting_reminders,
                "yearly_call": profile.notify_yearly_call,
            },
        },
        "activities": [
            {
                "reference": activity.entry.reference,
                "title": activity.entry.title,
                "status": activity.code,
                "held_as": claims.get(activity.entry.pk, "submitted"),
                "contact_name": activity.entry.contact_name,
                "contact_email": activity.entry.contact_email,
                "public_url": request.build_absolute_uri(
                    activity.entry.get_absolute_url()
                )
                if activity.entry.live
                else None,
            }
            for activity in activities(entries)
        ],
        "join_requests": [
            {
                "team": join.team.title,
                "organisation": join.organisation_name,
                "name": join.person_name,
                "email": join.email,
                "message": join.message,
                "status": join.status,
                "sent": iso(join.created_at),
                "decided": iso(join.decided_at),
                "note_to_you": join.decision_note,
            }
            for join in join_requests(user).select_related("team").order_by("pk")
        ],
        "meeting_registrations": [
            {
                "meeting": registration.meeting.title,
                "starts": iso(registration.meeting.start),
                "name": registration.name,
                "email": registration.email,
                "organisation": registration.organisation,
                "attendance": registration.attendance,
                "registered": iso(registration.created_at),
            }
            for registration in registrations(user)
            .select_related("meeting")
            .order_by("pk")
        ],
        "saved_searches": [
            {
                "name": saved.name,
                "query": saved.query,
                "digest": saved.frequency,
                "feed": request.build_absolute_uri(
                    reverse("my:feed", args=[saved.feed_token])
                ),
            }
            for saved in SavedSearch.objects.filter(user=user).order_by("pk")
        ],
    }


def scrub_entries(user, addresses):
    """Remove the person's contact details from the entries; return the entries.

    Removes the person's contact details from the entries they held or gave their
    address to, in the rows and in every revision; returns the entries.
    """
    by_address = Q()
    for address in addresses:
        by_address |= Q(contact_email__iexact=address)
    entry_ids = set(held_entries(user).values_list("pk", flat=True))
    if addresses:
        entry_ids |= set(
            InventoryEntry.objects.filter(by_address).values_list("pk", flat=True)
        )
    if not entry_ids:
        return []
    entry_ids = sorted(entry_ids)
    InventoryEntry.objects.filter(pk__in=entry_ids).filter(by_address).update(
        **CONTACT_FIELDS
    )
    content_type = ContentType.objects.get_for_model(InventoryEntry)
    revisions = Revision.objects.filter(
        base_content_type=content_type, object_id__in=[str(pk) for pk in entry_ids]
    )
    for revision in revisions.iterator():
        content = revision.content
        changed = False
        if (content.get("contact_email") or "").lower() in addresses:
            content.update(CONTACT_FIELDS)
            changed = True
        if content.get("submitted_by") == user.pk:
            content["submitted_by"] = None
            changed = True
        if changed:
            Revision.objects.filter(pk=revision.pk).update(content=content)
    return entry_ids


def forget_team_records(user):
    requests = TeamMembershipRequest.objects.filter(
        pk__in=list(join_requests(user).values_list("pk", flat=True))
    )
    requests.filter(status=RequestStatus.PENDING).delete()
    requests.update(person_name="", email="", message="", decision_note="")
    MeetingRegistration.objects.filter(
        pk__in=list(registrations(user).values_list("pk", flat=True))
    ).delete()


@transaction.atomic
def delete_account(request):
    """Delete the signed-in account as the module says, and sign it out."""
    user = request.user
    addresses = addresses_of(user)
    forget_team_records(user)
    entry_ids = scrub_entries(user, addresses)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=user.get_username()).delete()
    logout(request)
    user.delete()
    if entry_ids:
        transaction.on_commit(lambda: queue_entries(entry_ids))
