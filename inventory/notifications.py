"""E-mails to the people who submitted entries (they are often not users)."""

from urllib.parse import urlencode

from django.urls import reverse

from home.mail import recipient_preference, send_templated_mail, site_url

from .models import InventoryEntry
from .moderation import moderation_status


def _send(template, entry, **context):
    """To the entry's contact, unless their account turned moderation e-mails off.

    In their account's language, else the submission's.
    """
    if not entry.contact_email:
        return
    wanted, language = recipient_preference(
        entry.contact_email, "moderation", entry.contact_language
    )
    if wanted:
        send_templated_mail(
            template, {"entry": entry, **context}, [entry.contact_email], language
        )


def notify_submitter_rejected(entry_id):
    entry = InventoryEntry.objects.get(pk=entry_id)
    _send(
        "inventory/emails/entry_rejected.txt",
        entry,
        reason=moderation_status(entry)["reason"],
        update_url=site_url(
            reverse("my:claim") + "?" + urlencode({"reference": entry.reference})
        ),
    )


def notify_submitter_published(entry_id):
    entry = InventoryEntry.objects.get(pk=entry_id)
    _send(
        "inventory/emails/entry_published.txt",
        entry,
        url=site_url(entry.get_absolute_url()),
    )
