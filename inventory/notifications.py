"""E-mails to the people who submitted entries (they are often not users)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import InventoryEntry
from .moderation import moderation_status


def _send(template, entry, **context):
    if not entry.contact_email:
        return
    text = render_to_string(template, {"entry": entry, **context}).strip()
    subject, _sep, body = text.partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", None, [entry.contact_email])


def site_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notify_submitter_rejected(entry_id):
    entry = InventoryEntry.objects.get(pk=entry_id)
    _send(
        "inventory/emails/entry_rejected.txt",
        entry,
        reason=moderation_status(entry)["reason"],
        update_url=site_url(reverse("inventory:request_update")),
    )


def notify_submitter_published(entry_id):
    entry = InventoryEntry.objects.get(pk=entry_id)
    _send(
        "inventory/emails/entry_published.txt",
        entry,
        url=site_url(entry.get_absolute_url()),
    )
