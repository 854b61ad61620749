#!/usr/bin/env python3
"""Demo content benchmark: how long `seed_demo` takes, and how it grows with N.

Migrates a scratch database (SQLite in a temporary directory, or PostgreSQL on
loopback with --postgres), then runs, timed one after the other: `seed_demo
--entries 0 --no-index` (the site, its teams, meetings, designations and
reports), `seed_demo --entries N --no-index` (the N entries, their contributions
and reports), and the same again (idempotent: nothing to add). Prints wall-clock
and CPU time of each: on a shared machine CPU time is the figure to compare (with
--postgres, the server's own CPU time is not counted).

    .venv/bin/python -m bench.seed_bench [--entries 10000] [--postgres]
"""

import argparse
import contextlib
import os
import tempfile
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.postgres:
            from scripts.postgres_server import PostgresServer  # noqa: PLC0415 - once Django is set up

            postgres = PostgresServer().start()
            stack.callback(postgres.stop)
            url = postgres.url
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory())
            url = f"sqlite:///{folder}/seed-bench.sqlite3"
        os.environ.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", DATABASE_URL=url)
        run(args)


def run(args):
    import django  # noqa: PLC0415 - once Django is set up

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 - once Django is set up

    from inventory.models import InventoryEntry  # noqa: PLC0415 - once Django is set up

    call_command("migrate", verbosity=0)
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"seed_demo on {database}, {args.entries} entries")
    steps = [
        ("the site, no entry", 0),
        (f"{args.entries} entries", args.entries),
        ("again (nothing to add)", args.entries),
    ]
    for label, entries in steps:
        wall, cpu = time.perf_counter(), time.process_time()
        call_command("seed_demo", entries=entries, no_index=True, verbosity=0)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        rate = f", {1000 * cpu / entries:.2f} s CPU per 1,000" if entries else ""
        print(f"{label:<28} {wall:7.1f} s wall {cpu:7.1f} s CPU{rate}")
    assert InventoryEntry.objects.count() == args.entries


if __name__ == "__main__":
    main()
