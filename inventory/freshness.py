"""Freshness: entries nobody has updated for several reporting cycles.

An entry last updated (published, or confirmed current by its submitter) before
the last ``INVENTORY_FRESHNESS_CYCLES`` reporting cycles is flagged "not updated
since <year>" and its submitter (its contact, else the account that filed it)
is asked by e-mail to confirm it or propose an update. If nobody answers within
``INVENTORY_FRESHNESS_GRACE_DAYS`` it becomes "inactive": still public and
searchable, flagged, and a search can leave it out (``freshness`` filter). A
django-q2 schedule runs the cycle daily (``run_cycle``).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from home.mail import send_templated_mail, site_url

from .choices import Freshness
from .cycles import current_cycle
from .models import InventoryEntry, UpdateLink

CURRENT, STALE, INACTIVE = Freshness.CURRENT, Freshness.STALE, Freshness.INACTIVE


def cutoff(today):
    """Return the first day of the oldest of the last N cycles.

    The first day of the oldest of the last N cycles (the current included): an
    entry last updated before it has missed them all.
    """
    cycle = current_cycle(today)
    for _step in range(max(1, int(settings.INVENTORY_FRESHNESS_CYCLES)) - 1):
        cycle = cycle.previous()
    return datetime.date(cycle.first_year, 1, 1)


def last_updated_expression():
    return Greatest(
        Coalesce("last_published_at", "created_at"),
        Coalesce("confirmed_at", "last_published_at", "created_at"),
    )


def recipient(entry):
    if entry.contact_email:
        return entry.contact_email
    user = entry.submitted_by
    return user.email if user is not None and user.email else ""


def ask_submitter(entry):
    """E-mails the submitter two links: confirm the entry is current, or update it."""
    address = recipient(entry)
    if not address:
        return
    lifetime = datetime.timedelta(days=int(settings.INVENTORY_FRESHNESS_GRACE_DAYS))
    _confirm, confirm_token = UpdateLink.issue(entry, lifetime)
    _update, update_token = UpdateLink.issue(entry, lifetime)
    year = timezone.localtime(entry.last_updated).year

    def send():
        send_templated_mail(
            "inventory/emails/freshness_request.txt",
            {
                "entry": entry,
                "year": year,
                "grace_days": lifetime.days,
                "confirm_url": site_url(
                    reverse("inventory:confirm_current", args=[confirm_token])
                ),
                "update_url": site_url(
                    reverse("inventory:update", args=[update_token])
                ),
            },
            [address],
            language=entry.contact_language,
        )

    transaction.on_commit(send, robust=True)


def set_freshness(entry, value, **fields):
    """Save the flag alone (its index document follows through the outbox)."""
    entry.freshness = value
    for name, field_value in fields.items():
        setattr(entry, name, field_value)
    entry.save(update_fields=["freshness", *fields])


@transaction.atomic
def run_cycle(today=None):
    """Flag the entries not updated since the cutoff and ask their submitters.

    Makes inactive those whose grace period ran out. Returns the counts.
    """
    now = timezone.now()
    if today is None:
        today = timezone.localdate(now)
    else:
        now = timezone.make_aware(
            datetime.datetime.combine(today, datetime.time(12, 0))
        )
    limit = timezone.make_aware(
        datetime.datetime.combine(cutoff(today), datetime.time())
    )
    grace = datetime.timedelta(days=int(settings.INVENTORY_FRESHNESS_GRACE_DAYS))
    published = InventoryEntry.objects.filter(live=True).annotate(
        last_update=last_updated_expression()
    )
    flagged = 0
    for entry in published.filter(freshness=CURRENT, last_update__lt=limit):
        set_freshness(entry, STALE, freshness_asked_at=now)
        ask_submitter(entry)
        flagged += 1
    inactive = 0
    for entry in published.filter(
        Q(freshness=STALE) & Q(freshness_asked_at__lte=now - grace)
    ):
        set_freshness(entry, INACTIVE)
        inactive += 1
    return {"flagged": flagged, "inactive": inactive}


def confirm_current(entry, when=None):
    """Make an entry its submitter confirms as current fresh again.

    The submitter says the entry is still current: it is fresh again.
    """
    set_freshness(
        entry,
        CURRENT,
        confirmed_at=when or timezone.now(),
        freshness_asked_at=None,
    )


def refresh_on_publish(sender, instance, **kwargs):
    """Make an entry published again (an update approved) current again.

    An entry published again (an update approved) is current again.
    """
    if instance.freshness != CURRENT or instance.freshness_asked_at is not None:
        set_freshness(instance, CURRENT, freshness_asked_at=None)
