"""Claiming.

An entry submitted without an account (or imported) is attached to an account by proving
control of its contact address, the way an update link used to prove it: a signed link,
valid ACCOUNTS_CLAIM_LINK_MAX_AGE seconds, is e-mailed to that address. An account's own
verified addresses need no link. Editors may also assign an entry to an account (Admin →
Accounts' entries).
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from allauth.account.models import EmailAddress

from home.mail import send_templated_mail, site_url
from inventory.models import InventoryEntry

from .activities import held_entries
from .models import EntryClaim

SALT = "accounts.claim"


def claimable(user, email, reference=""):
    """Return the entries with this contact address the account does not hold yet.

    The entries with this contact address (and reference) the account does not hold
    yet.
    """
    entries = InventoryEntry.objects.filter(contact_email__iexact=email.strip())
    if reference:
        entries = entries.filter(reference=reference)
    return entries.exclude(pk__in=held_entries(user).values("pk"))


def verified_addresses(user):
    return list(
        EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    )


def claimable_with_verified_addresses(user):
    """Entries whose contact address is one of the account's verified ones."""
    addresses = verified_addresses(user)
    if not addresses:
        return InventoryEntry.objects.none()
    condition = Q()
    for address in addresses:
        condition |= Q(contact_email__iexact=address)
    return InventoryEntry.objects.filter(condition).exclude(
        pk__in=held_entries(user).values("pk")
    )


@transaction.atomic
def attach(user, entries, source=EntryClaim.Source.CLAIMED, assigned_by=None):
    """Attaches the entries to the account; returns how many were new to it."""
    claims = [
        EntryClaim(entry=entry, user=user, source=source, assigned_by=assigned_by)
        for entry in entries
    ]
    before = EntryClaim.objects.filter(user=user).count()
    EntryClaim.objects.bulk_create(claims, ignore_conflicts=True)
    return EntryClaim.objects.filter(user=user).count() - before


def claim_token(user, email, reference=""):
    return signing.dumps(
        {"user": user.pk, "email": email.strip().lower(), "reference": reference},
        salt=SALT,
        compress=True,
    )


def read_claim_token(token):
    """Return the token's payload, or None if it is forged, altered or expired."""
    try:
        return signing.loads(
            token, salt=SALT, max_age=settings.ACCOUNTS_CLAIM_LINK_MAX_AGE
        )
    except signing.BadSignature:
        return None


def send_claim_link(user, email, reference=""):
    """E-mails a claim link to ``email`` if some entry there is claimable.

    The caller's answer is the same whether or not one is.
    """
    if not claimable(user, email, reference).exists():
        return False
    token = claim_token(user, email, reference)
    link = site_url(reverse("my:claim_confirm", args=[token]))

    def send():
        send_templated_mail(
            "accounts/emails/claim_link.txt",
            {
                "link": link,
                "account_email": user.email,
            },
            [email],
        )

    transaction.on_commit(send, robust=True)
    return True
