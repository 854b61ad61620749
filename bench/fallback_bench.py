#!/usr/bin/env python3
"""The database engine (the fallback while the search cluster is down) at scale.

Measures the searches a visitor makes while the whole cluster is down, answered
by ``DatabaseEngine`` on PostgreSQL with its trigram indexes, p50/p95: one
visitor at a time, then ``--clients`` at once (the cost under load); each line
says how many entries match and whether the count is exact (past the result
window the engine counts no further: docs/inventory-query.md#engines).

    .venv/bin/python -m bench.fallback_bench [--entries 1000000] [--rounds 20]
    .venv/bin/python -m bench.fallback_bench --database-url postgres://… [--rounds 20]

Without ``--database-url`` it starts PostgreSQL on loopback and seeds
``--entries`` synthetic entries (no search engine: none is needed); with it, it
measures the entries already there (a database seeded by ``seed_demo``).
``bench.million_bench`` runs the same measure on its million entries.
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

from bench.common import percentiles, timed

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "q=security",
    "q=digital+skills",
    "q=cybersecurity&action_line=C5&region=africa",
    "action_line=C5&region=africa&status=ongoing",
    "",
]
TARGET_MS = 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    os.chdir(ROOT)
    server = None
    if args.database_url is None:
        from scripts.postgres_server import PostgresServer  # noqa: PLC0415 - only when seeding

        server = PostgresServer().start()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=args.database_url or server.url,
        SEARCH_BACKEND="wagtail.search.backends.database",
        ALLOWED_HOSTS="testserver",
    )
    try:
        import django  # noqa: PLC0415 - once the environment is set

        django.setup()
        from django.core.management import call_command  # noqa: PLC0415 - once Django is set up
        from django.db import connection  # noqa: PLC0415 - once Django is set up

        if server is not None:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            call_command("seed_demo", entries=args.entries, no_index=True, verbosity=0)
            print(f"seed: {time.perf_counter() - started:.0f} s")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        measure(args.rounds, args.clients)
    finally:
        if server is not None:
            server.stop()


def measure(rounds, clients):
    """Print the database engine's p50/p95 per query, alone and under load."""
    from django.db import close_old_connections  # noqa: PLC0415 - once Django is set up
    from django.http import QueryDict  # noqa: PLC0415 - once Django is set up

    from inventory.models import InventoryEntry  # noqa: PLC0415 - once Django is set up
    from inventory.search import DatabaseEngine, InventoryQuery  # noqa: PLC0415 - once Django is set up

    engine = DatabaseEngine()
    published = InventoryEntry.objects.filter(live=True).count()
    print(f"\nthe database engine over {published} published entries")
    print(
        f"    {'query':<46} {'matches':>9}   one visitor p50 / p95"
        f"   {clients} at once p50 / p95"
    )
    worst = 0.0
    for query_string in QUERIES:
        query = InventoryQuery.from_params(QueryDict(query_string))
        result = engine.search(query)  # warm-up
        matches = f"{'>' if not result.total_exact else ''}{result.total}"
        alone = percentiles(timed(lambda q=query: engine.search(q), rounds))
        loaded = percentiles(concurrent(engine, query, rounds, clients))
        close_old_connections()
        worst = max(worst, alone[0])
        print(
            f"    {query_string or '(everything)':<46} {matches:>9}"
            f"   {alone[0]:7.0f} / {alone[1]:5.0f} ms"
            f"   {loaded[0]:7.0f} / {loaded[1]:5.0f} ms"
        )
    verdict = "met" if worst < TARGET_MS else "MISSED"
    print(f"    slowest p50 {worst:.0f} ms (target < {TARGET_MS} ms: {verdict})")
    return worst


def concurrent(engine, query, rounds, clients):
    """Return the times of ``rounds`` searches by each of ``clients`` threads."""
    from django.db import connection  # noqa: PLC0415 - once Django is set up

    samples = []
    lock = threading.Lock()

    def visitor():
        try:
            times = timed(lambda: engine.search(query), rounds)
            with lock:
                samples.extend(times)
        finally:
            connection.close()  # each thread has its own

    threads = [threading.Thread(target=visitor) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


if __name__ == "__main__":
    sys.exit(main())
