#!/usr/bin/env python3
# ruff: noqa: PLC0415 - Django is set up at run time, once the benchmark's database runs
"""Stakeholder accounts benchmark.

My WSIS, sign-up and the saved-search digests against the raw SQL they run, with many
accounts.

Starts PostgreSQL on loopback, loads N synthetic entries and M accounts (one of
them holding 50 activities: submitted, claimed, some sent back), S saved
searches due today and a day's worth of newly published entries, and prints,
measured in one run:

  (a) /my/ and /my/activities/ for the account with 50 activities, p50/p95,
      against the same SQL queries sent straight to PostgreSQL, and the number
      of queries of each page for 5 and for 50 activities (it must not grow);
  (b) a sign-up (the form's POST), p50/p95, against its queries run raw;
  (c) one day's digests for the S saved searches (which account gets which new
      entries: what the daily task computes), against the queries it runs,
      raw; and the time to render the e-mails (sending aside).

    .venv/bin/python -m bench.accounts_bench [--accounts 20000] [--entries 10000]
        [--searches 10000] [--rounds 50]
    .venv/bin/python -m bench.accounts_bench --accounts 350000 --entries 100000

The defaults run in a few minutes on two cores; the issue's sizes (350,000
accounts, 100,000 entries, 10,000 saved searches) take longer, most of it
loading. Passwords are hashed with MD5 here, as in the tests: the sign-up's
measure is the database's part, not the password hasher's.
"""

import argparse
import contextlib
import datetime
import os
import random
import time

from bench.common import percentiles, timed

HOLDER = "holder@bench.example.org"
PASSWORD = "correct horse battery staple"  # noqa: S105 - throwaway accounts
BATCH = 5000
NEW_TODAY = 300
QUERIES = [
    "action_line=C5",
    "action_line=C2&region=africa",
    "region=asia-pacific",
    "status=ongoing&action_line=C7-EHEALTH",
    "stakeholder=civil-society",
    "country=SEN",
    "sdg=4",
    "type=training&region=europe",
    "q=digital",
    "q=youth+inclusion",
    "q=capacity&action_line=C4",
    "year=2025&action_line=C1",
]


@contextlib.contextmanager
def environment(entries):
    from scripts.postgres_server import PostgresServer

    postgres = PostgresServer().start()
    try:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="cms.settings.dev",
            DATABASE_URL=postgres.url,
            ALLOWED_HOSTS="testserver,127.0.0.1",
            ACCOUNTS_SIGNUP_RATE_LIMIT="100000000/m/ip",
            ACCOUNTS_LOGIN_RATE_LIMIT="100000000/m/ip",
        )
        os.environ.pop("ELASTICSEARCH_URL", None)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.DEBUG = False
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("seed_demo", entries=entries, no_index=True, verbosity=0)
        print(f"PostgreSQL, {entries} entries: {time.perf_counter() - started:.0f} s")
        yield
    finally:
        postgres.stop()


def create_accounts(count):
    """``count`` verified accounts with profiles, in bulk (one password hash)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from wagtail.users.models import UserProfile

    from allauth.account.models import EmailAddress

    from accounts.models import AccountProfile

    user_model = get_user_model()
    password = make_password(PASSWORD)
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        users = user_model.objects.bulk_create(
            user_model(
                username=f"account{n}",
                email=HOLDER if n == 0 else f"account{n}@bench.example.org",
                password=password,
            )
            for n in numbers
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in users
        )
        AccountProfile.objects.bulk_create(
            AccountProfile(
                user=user,
                name=f"Person {user.pk}",
                stakeholder_type="civil-society",
                country="SEN",
            )
            for user in users
        )
        UserProfile.objects.bulk_create(
            UserProfile(user=user, preferred_language="en") for user in users
        )
    print(f"{count} accounts: {time.perf_counter() - started:.0f} s")
    return user_model.objects.get(email=HOLDER)


def give_activities(holder, count):
    """``count`` activities to the holder.

    Half submitted (a third of those sent back with a reason, a third in
    moderation), half claimed.
    """
    from accounts.models import EntryClaim
    from inventory.models import InventoryEntry
    from inventory.moderation import submit_for_moderation

    editor = None
    entries = list(
        InventoryEntry.objects.filter(submitted_by__isnull=True)
        .exclude(account_claims__isnull=False)
        .order_by("?")[:count]
    )
    for number, entry in enumerate(entries):
        if number % 2:
            EntryClaim.objects.get_or_create(entry=entry, user=holder, source="claimed")
            continue
        InventoryEntry.objects.filter(pk=entry.pk).update(submitted_by=holder)
        if number % 3 == 0:
            continue
        entry.title = f"{entry.title} (update)"
        submit_for_moderation(entry, holder)
        if number % 3 == 1:
            if editor is None:
                editor = editor_user()
            state = InventoryEntry.objects.get(pk=entry.pk).current_workflow_task_state
            state.specific.reject(user=editor, comment="Please add the dates.")


def editor_user():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from home.roles import INVENTORY_EDITORS

    user, _created = get_user_model().objects.get_or_create(username="bench-editor")
    user.groups.add(Group.objects.get(name=INVENTORY_EDITORS))
    return user


def create_saved_searches(count, accounts):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.models import SavedSearch, new_feed_token
    from accounts.searches import normal_form

    pick = random.Random(2005)
    user_ids = list(
        get_user_model()
        .objects.filter(username__startswith="account")
        .values_list("pk", flat=True)[: max(accounts, 1)]
    )
    yesterday = timezone.now() - datetime.timedelta(days=1, minutes=5)
    last_week = timezone.now() - datetime.timedelta(days=7, minutes=5)
    searches = []
    for number in range(count):
        query = pick.choice(QUERIES)
        weekly = number % 4 == 0
        searches.append(
            SavedSearch(
                user_id=pick.choice(user_ids),
                name=f"Search {number}",
                query=normal_form(query),
                frequency="weekly" if weekly else "daily",
                feed_token=new_feed_token(),
                last_sent_at=last_week if weekly else yesterday,
            )
        )
    SavedSearch.objects.bulk_create(searches, batch_size=BATCH)


def publish_today(count):
    """``count`` entries published in the last day (a busy day)."""
    from django.utils import timezone

    from inventory.models import InventoryEntry

    now = timezone.now()
    ids = list(
        InventoryEntry.objects.filter(live=True)
        .order_by("?")[:count]
        .values_list("pk", flat=True)
    )
    for number, pk in enumerate(ids):
        moment = now - datetime.timedelta(minutes=number * 1440 // max(count, 1) + 1)
        InventoryEntry.objects.filter(pk=pk).update(
            first_published_at=moment, last_published_at=moment
        )


def captured(function):
    """Return the SQL ``function`` runs, as PostgreSQL receives it.

    The SQL ``function`` runs (savepoints aside), as PostgreSQL receives it.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        function()
    return [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK"))
    ]


def replay(statements):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()

    return run


def rolled_back(function):
    """Run ``function`` in a transaction that is rolled back.

    ``function`` in a transaction that is rolled back (writes replay twice).
    """
    from django.db import transaction

    def run():
        with transaction.atomic():
            function()
            transaction.set_rollback(True)

    return run


def slowest(statements, count=2, threshold_ms=20):
    """Return the statements that take longer than ``threshold_ms`` on their own."""
    from django.db import connection

    timings = []
    with connection.cursor() as cursor:
        for sql in statements:
            started = time.perf_counter()
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
            timings.append(((time.perf_counter() - started) * 1000, sql))
    for elapsed, sql in sorted(timings, reverse=True)[:count]:
        if elapsed > threshold_ms:
            print(f"    slow: {elapsed:6.1f} ms  {' '.join(sql.split())[:160]}")


def compare(title, ours, raw, rounds, target=None):
    for _ in range(3):  # warm-up
        ours()
        raw()
    ours_samples, raw_samples = [], []
    for _ in range(rounds):
        ours_samples += timed(ours, 1)
        raw_samples += timed(raw, 1)
    (p50, p95), (raw50, raw95) = percentiles(ours_samples), percentiles(raw_samples)
    goal = f"  (target <= {target}x)" if target else ""
    print(f"\n{title}")
    print(f"    ours  p50 {p50:8.1f} ms   p95 {p95:8.1f} ms")
    print(f"    raw   p50 {raw50:8.1f} ms   p95 {raw95:8.1f} ms")
    print(f"    ratio p50 {p50 / raw50:6.2f}x     p95 {p95 / raw95:6.2f}x{goal}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--searches", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with environment(args.entries):
        run(args)


def run(args):
    from django.test import Client

    holder = create_accounts(args.accounts)
    client = Client()
    client.force_login(holder)

    # (a) My WSIS: queries for 5 activities, then for the full count.
    give_activities(holder, 5)
    few = {path: len(captured(lambda p=path: client.get(p))) for path in MY_PAGES}
    give_activities(holder, args.activities - 5)
    from accounts.activities import held_entries

    held = held_entries(holder).count()
    assert held == args.activities, held
    for path in MY_PAGES:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        statements = captured(lambda p=path: client.get(p))
        print(
            f"\n{path}: {len(statements)} SQL queries with {held} activities, "
            f"{few[path]} with 5"
        )
        assert len(statements) <= few[path], "the queries grow with the activities"
        slowest(statements)
        compare(
            f"{path} for an account with {held} activities, {args.accounts} accounts",
            lambda p=path: client.get(p),
            replay(statements),
            args.rounds,
        )

    # (b) Sign-up.
    anonymous = Client()
    numbers = iter(range(10**9))

    def sign_up():
        number = next(numbers)
        response = anonymous.post(
            "/accounts/signup/",
            {
                "email": f"new{number}@bench.example.org",
                "password1": "a long and unusual passphrase 42",
                "password2": "a long and unusual passphrase 42",
            },
        )
        assert response.status_code == 302, response.status_code

    statements = captured(rolled_back(sign_up))
    print(f"\nsign-up: {len(statements)} SQL queries")
    compare(
        f"sign-up with {args.accounts} accounts (raw: its queries, rolled back)",
        sign_up,
        rolled_back(replay(statements)),
        args.rounds,
    )

    # (c) One day's digests.
    from accounts.digests import Addresses, compute_digests, digest_message

    create_saved_searches(args.searches, args.accounts)
    publish_today(NEW_TODAY)

    def digests():
        return compute_digests()

    found, due = digests()
    print(
        f"\ndigests: {len(due)} saved searches due, {len(found)} e-mails, "
        f"{NEW_TODAY} entries published in the day"
    )
    check_digests(due)
    statements = captured(digests)
    print(f"digests: {len(statements)} SQL queries")
    compare(
        f"one day's digests for {len(due)} saved searches (which account gets "
        "which entries)",
        digests,
        replay(statements),
        max(args.rounds // 10, 3),
    )
    addresses = Addresses()
    started = time.perf_counter()
    for user, searches in found.items():
        digest_message(user, searches, addresses)
    rendering = time.perf_counter() - started
    print(
        f"    rendering the {len(found)} e-mails: {rendering:.1f} s "
        f"({rendering / max(len(found), 1) * 1000:.2f} ms each)"
    )


MY_PAGES = ["/my/", "/my/activities/"]


def check_digests(due):
    """Check that the in-memory matching finds what the database search finds."""
    from django.http import QueryDict

    from accounts.searches import matches, published_between
    from inventory.search import DatabaseEngine, InventoryQuery

    since = min(saved.last_sent_at for saved in due)
    from django.utils import timezone

    candidates = published_between(since, timezone.now())
    for query_string in {saved.query for saved in due}:
        query = InventoryQuery.from_params(QueryDict(query_string))
        entries, _terms = DatabaseEngine().matching(query)
        expected = set(
            entries.filter(first_published_at__gt=since).values_list("pk", flat=True)
        )
        found = {c.entry.pk for c in candidates if matches(query, c)}
        assert found == expected, query_string


if __name__ == "__main__":
    main()
