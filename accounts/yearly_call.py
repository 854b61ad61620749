"""The yearly call for updates.

Each account that holds published activities, and has not turned the call off, is
e-mailed a link to My activities, in its language (manage.py send_yearly_call, run by
the Secretariat when the call opens). It replaces the one-off update links of before.
"""

from django.core.mail import EmailMessage, get_connection
from django.db.models import Exists, OuterRef
from django.urls import reverse

from allauth.account.models import EmailAddress

from home.mail import render_mail, site_url, user_language
from inventory.models import InventoryEntry

from .models import AccountProfile, EntryClaim

BATCH = 500


def called_profiles():
    submitted = InventoryEntry.objects.filter(live=True, submitted_by=OuterRef("user"))
    claimed = EntryClaim.objects.filter(user=OuterRef("user"), entry__live=True)
    return (
        AccountProfile.objects.filter(notify_yearly_call=True)
        .filter(
            Exists(EmailAddress.objects.filter(user=OuterRef("user"), verified=True))
        )
        .filter(Exists(submitted) | Exists(claimed))
        .select_related("user__wagtail_userprofile")
        .order_by("pk")
    )


def call_message(user):
    language = user_language(user)
    subject, body = render_mail(
        "accounts/emails/yearly_call.txt",
        {"url": site_url(reverse("my:activities"), language)},
        language,
    )
    return EmailMessage(subject, body, to=[user.email])


def send_yearly_call():
    """Send the call; return how many accounts it went to."""
    sent = 0
    batch = []
    with get_connection() as connection:
        for profile in called_profiles().iterator(chunk_size=BATCH):
            batch.append(call_message(profile.user))
            if len(batch) == BATCH:
                sent += connection.send_messages(batch) or 0
                batch = []
        if batch:
            sent += connection.send_messages(batch) or 0
    return sent
