"""Send daily and weekly digests of saved searches.

Daily and weekly digests of saved searches (scheduled daily by django-q2: "Saved search
digests"). Each account gets at most one e-mail per run, naming each of its saved
searches that found newly published entries.

A run reads the due saved searches, the entries published since the oldest of
them was last sent, and matches each distinct query once in memory
(accounts.searches); then it sends the e-mails over one connection and moves
every due search's window on, in a handful of queries whatever the number of
saved searches.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from home.mail import mail_language, render_mail, user_language
from inventory.search import QueryError

from .models import SavedSearch
from .searches import matches, parse, published_between

PERIODS = {
    SavedSearch.Frequency.DAILY: datetime.timedelta(days=1),
    SavedSearch.Frequency.WEEKLY: datetime.timedelta(days=7),
}
# A run may start a little earlier than the one before it did: a search is due
# when its period has passed, give or take this.
SLACK = datetime.timedelta(hours=1)
UPDATE_BATCH = 2000  # ids per UPDATE: within every database's parameter limit
MAX_LISTED = 20  # entries named per saved search; the link shows them all


def due_searches(now):
    condition = Q()
    for frequency, period in PERIODS.items():
        condition |= Q(frequency=frequency, last_sent_at__lte=now - period + SLACK)
    return list(
        SavedSearch.objects.filter(condition)
        .select_related("user__wagtail_userprofile")
        .order_by("user_id", "pk")
    )


def compute_digests(now=None):
    """Compute the digests due at ``now``, sending and saving nothing.

    {account: [(saved search, [new entries])]} for the searches due at ``now``, with
    the due searches; nothing is sent or saved.
    """
    now = now or timezone.now()
    due = due_searches(now)
    if not due:
        return {}, due
    candidates = published_between(min(s.last_sent_at for s in due), now)
    found_by_query = {}
    digests = defaultdict(list)
    for saved in due:
        if saved.query not in found_by_query:
            try:
                query = parse(saved.query)
            except QueryError:
                found_by_query[saved.query] = []
            else:
                found_by_query[saved.query] = [
                    candidate.entry
                    for candidate in candidates
                    if matches(query, candidate)
                ]
        new = [
            entry
            for entry in found_by_query[saved.query]
            if entry.first_published_at > saved.last_sent_at
        ]
        if new:
            digests[saved.user].append((saved, new))
    return digests, due


class Addresses:
    """Hold the absolute addresses a run's e-mails link to.

    The absolute addresses a run's e-mails link to, in each recipient's language,
    each worked out once per run (thousands of e-mails name the same entries).
    """

    def __init__(self):
        self.base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.known = {}

    def __call__(self, language, name, *args, query=""):
        key = (language, name, args, query)
        if key not in self.known:
            with translation.override(language):
                path = reverse(name, args=args)
            self.known[key] = self.base + path + (f"?{query}" if query else "")
        return self.known[key]


def digest_message(user, found, addresses=None):
    """Return the digest e-mail of an account.

    Each saved search that found entries, with at most MAX_LISTED of them and a link
    to the whole search.
    """
    addresses = addresses or Addresses()
    language = mail_language(user_language(user))
    searches = []
    for saved, entries in found:
        searches.append(
            {
                "name": saved.name,
                "url": addresses(language, "inventory:search", query=saved.query),
                "entries": [
                    {
                        "title": entry.title,
                        "url": addresses(language, "inventory:entry", entry.pk),
                    }
                    for entry in entries[:MAX_LISTED]
                ],
                "more": max(len(entries) - MAX_LISTED, 0),
            }
        )
    subject, body = render_mail(
        "accounts/emails/digest.txt",
        {"searches": searches, "manage_url": addresses(language, "my:searches")},
        language,
    )
    return EmailMessage(subject, body, to=[user.email])


def send_digests(now=None):
    """Send the digests due now; return how many e-mails went out."""
    now = now or timezone.now()
    digests, due = compute_digests(now)
    addresses = Addresses()
    messages = [
        digest_message(user, found, addresses) for user, found in digests.items()
    ]
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    ids = [saved.pk for saved in due]
    for start in range(0, len(ids), UPDATE_BATCH):
        SavedSearch.objects.filter(pk__in=ids[start : start + UPDATE_BATCH]).update(
            last_sent_at=now
        )
    return len(messages)
