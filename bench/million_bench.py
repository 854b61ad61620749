#!/usr/bin/env python3
"""A million activities on a three-node search cluster: every figure side by side.

Starts PostgreSQL and a three-node OpenSearch cluster on loopback (three shards
and one replica per index), then measures, each heavy job in a process of its
own so that its peak memory is its own:

  (1) ``seed_demo --entries N --no-index``: time and peak memory;
  (2) the full rebuild (``manage.py update_index``) against a raw bulk load of
      the same pre-serialised documents: time, ratio, and peak memory;
  (3) ``/api/inventory/`` with three filters and every facet against the same
      body sent to the cluster, p50/p95;
  (4) the assembly of a cycle's report against the raw SQL aggregation it
      needs and the raw engine aggregations (bench.report_bench);
  (5) the database engine (the fallback while the cluster is down) with words
      and filters, p50/p95, alone and four at once (bench.fallback_bench);
  (6) the SQL queries of the public pages, which must not grow with N.

    .venv/bin/python -m bench.million_bench [--entries 1000000] [--rounds 100]

Hours of CPU on two cores: run it on a quiet machine (docs/scaling.md has the
figures and what they say).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import environment, percentiles

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_PAGES = [
    "/",
    "/inventory/?q=security&action_line=C5&region=africa&status=ongoing",
    "/inventory/countries/SEN/",
    "/action-lines/",
    "/meetings/",
]


def job(*arguments):
    """Run one job of bench.rebuild_process in a process of its own."""
    output = subprocess.run(
        [sys.executable, "-m", "bench.rebuild_process", *map(str, arguments)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--nodes", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    with environment(args.entries, nodes=args.nodes, load=False):
        run(args)
    print(f"\nwhole benchmark: {(time.perf_counter() - started) / 60:.0f} min")


def run(args):
    from django.db import connection  # noqa: PLC0415 - once Django is set up
    from django.test import Client  # noqa: PLC0415 - once Django is set up
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 - once Django is set up

    from bench import fallback_bench, report_bench, search_bench  # noqa: PLC0415 - once Django is set up
    from bench.rebuild_process import write_bodies  # noqa: PLC0415 - once Django is set up
    from inventory.bulk_index import DocumentPlan, bulk_body, documents  # noqa: PLC0415 - once Django is set up
    from inventory.models import InventoryEntry  # noqa: PLC0415 - once Django is set up
    from search.backends import default_backend  # noqa: PLC0415 - once Django is set up

    seed = job("seed", args.entries)
    count = InventoryEntry.objects.count()
    print(
        f"\n(1) seed_demo --entries {args.entries}: {seed['seconds'] / 60:.1f} min,"
        f" peak memory {seed['peak_mb']:.0f} MB ({count} entries)"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    ours = job("rebuild")
    backend = default_backend()
    mapping = backend.mapping_class(InventoryEntry)
    raw_index = backend.get_index_for_model(InventoryEntry).name + "_raw"
    plan = DocumentPlan(mapping)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "bodies")
        write_bodies(
            path,
            (
                bulk_body(raw_index, batch)
                for batch in documents(plan, InventoryEntry.get_indexed_objects())
            ),
        )
        raw = job("raw", path)
    print(f"\n(2) full rebuild of {count} entries on {args.nodes} nodes")
    for label, measure in (("ours (update_index)", ours), ("raw bulk", raw)):
        print(
            f"    {label:<20} {measure['seconds']:7.0f} s,"
            f" peak {measure['peak_mb']:5.0f} MB"
        )
    print(
        f"    ratio {ours['seconds'] / raw['seconds']:.2f}x  (targets: <= 1.5x, "
        f"<= {search_bench.PEAK_RSS_TARGET_MB} MB)"
    )

    web = Client()
    api, raw_api = search_bench.api_against_raw(web, args.rounds)
    api_p50, api_p95 = percentiles(api)
    raw_p50, raw_p95 = percentiles(raw_api)
    total = web.get(f"/api/inventory/?{search_bench.QUERY}").json()["count"]
    print(f"\n(3) /api/inventory/?{search_bench.QUERY} ({total} matches, all facets)")
    print(f"    ours p50 {api_p50:7.1f} ms  p95 {api_p95:7.1f} ms")
    print(f"    raw  p50 {raw_p50:7.1f} ms  p95 {raw_p95:7.1f} ms")
    print(
        f"    ratio p50 {api_p50 / raw_p50:.2f}x  p95 {api_p95 / raw_p95:.2f}x"
        "  (target p50 <= 1.5x)"
    )

    print("\n(4) report assembly")
    report_bench.run(argparse.Namespace(rounds=3))

    print("\n(5) the database engine (fallback), trigram indexes")
    fallback_bench.measure(rounds=20, clients=4)

    print("\n(6) SQL queries of the public pages")
    for url in PUBLIC_PAGES:
        with CaptureQueriesContext(connection) as queries:
            status = web.get(url).status_code
        print(f"    {url:<72} {status}  {len(queries.captured_queries)} queries")


if __name__ == "__main__":
    main()
