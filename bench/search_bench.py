#!/usr/bin/env python3
"""Inventory search benchmark: our code against the raw engine, side by side.

Starts PostgreSQL and an OpenSearch node on loopback, loads N synthetic entries
(default 100,000) and prints, measured in one run:

  (a) /api/inventory/ with three filters and every facet, p50/p95, against the
      same request body sent straight to the engine;
  (b) a full reindex of the inventory through Wagtail's backend against a raw
      bulk load of the same documents;
  (c) the same API search answered by the database engine;
  (d) the peak memory (RSS) of a process running the full rebuild
      (``manage.py update_index``) against one running the raw bulk load,
      each in a process of its own (``python -m bench.rebuild_process``);
  and the SQL queries of the public search page at several page sizes.

    .venv/bin/python -m bench.search_bench [--entries 100000] [--rounds 200]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import environment, percentiles, timed
from bench.rebuild_process import write_bodies

QUERY = "action_line=C5&region=africa&status=ongoing"
PEAK_RSS_TARGET_MB = 500


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with environment(args.entries) as node:
        run(args, node)


def run(args, node):
    from django.db import connection  # noqa: PLC0415 - once Django is set up
    from django.http import QueryDict  # noqa: PLC0415 - once Django is set up
    from django.test import Client  # noqa: PLC0415 - once Django is set up
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 - once Django is set up

    from inventory.models import InventoryEntry  # noqa: PLC0415 - once Django is set up
    from inventory.search import ClusterEngine, DatabaseEngine, InventoryQuery  # noqa: PLC0415 - once Django is set up
    from search.backends import default_backend  # noqa: PLC0415 - once Django is set up

    backend = default_backend()
    index = backend.get_index_for_model(InventoryEntry)
    mapping = backend.mapping_class(InventoryEntry)

    # (b) a full rebuild of the inventory index (what `update_index` runs: read
    # the database, build the documents, bulk them into a new index, swap the
    # alias) against a raw bulk load of the same documents, serialised beforehand.
    # The engine is warmed up first; each side runs twice, alternating, and the
    # best run of each counts.
    from inventory.bulk_index import DocumentPlan, bulk_body, documents, rebuild  # noqa: PLC0415 - once Django is set up
    from search.backends import raw_bulk  # noqa: PLC0415 - once Django is set up

    plan = DocumentPlan(mapping)
    client = backend.es
    raw_index = index.name + "_raw"
    bodies = [
        bulk_body(raw_index, batch)
        for batch in documents(plan, InventoryEntry.get_indexed_objects())
    ]
    indexed = sum(body.count(b"\n") // 2 for body in bodies)

    def reindex_ours():
        rebuild(backend)

    def reindex_raw():
        client.indices.delete(index=raw_index, ignore_unavailable=True)
        client.indices.create(
            index=raw_index,
            body={**backend.settings, "mappings": mapping.get_mapping()},
        )
        for body in bodies:
            raw_bulk(backend, body)
        client.indices.refresh(index=raw_index)

    reindex_raw()  # warm-up
    ours_runs, raw_runs = [], []
    for _ in range(2):
        ours_runs += timed(reindex_ours, 1)
        raw_runs += timed(reindex_raw, 1)
    client.indices.delete(index=raw_index)
    ours_reindex, raw_reindex = min(ours_runs), min(raw_runs)

    # (d) peak memory of the indexing process, in processes of their own: the
    # bench holds every pre-serialised document, which would count otherwise.
    memory = peak_memory(bodies)

    # (a) the API against the same body sent raw.
    web = Client()
    ours, raw = api_against_raw(web, args.rounds)
    query = InventoryQuery.from_params(QueryDict(QUERY))
    engine = ClusterEngine(backend)

    # Where our time goes: the engine call through our code (records included),
    # and what reading the records from the database would cost instead (the
    # API's path while documents lack them, and the export's).
    from inventory.export import records  # noqa: PLC0415 - once Django is set up

    with CaptureQueriesContext(connection) as api_queries:
        web.get(f"/api/inventory/?{QUERY}")
    ids = engine.search(query, fetch=False).ids
    engine_part = timed(
        lambda: engine.search(query, fetch=False, with_records=True), args.rounds
    )
    records_part = timed(lambda: records(ids), args.rounds)

    # (c) the same search on the database engine.
    database = DatabaseEngine()
    db_samples = timed(lambda: database.search(query), max(20, args.rounds // 10))

    count = web.get(f"/api/inventory/?{QUERY}").json()["count"]
    ours_p50, ours_p95 = percentiles(ours)
    raw_p50, raw_p95 = percentiles(raw)
    db_p50, db_p95 = percentiles(db_samples)
    print(f"\n(a) /api/inventory/?{QUERY}  ({count} matches, all facets)")
    print(f"    ours p50 {ours_p50:7.1f} ms  p95 {ours_p95:7.1f} ms")
    print(f"    raw  p50 {raw_p50:7.1f} ms  p95 {raw_p95:7.1f} ms")
    print(
        f"    ratio p50 {ours_p50 / raw_p50:.2f}x  p95 {ours_p95 / raw_p95:.2f}x"
        "  (target p50 <= 1.5x)"
    )
    print(
        f"    of which: engine call through our code p50 "
        f"{percentiles(engine_part)[0]:.1f} ms; SQL queries per API request: "
        f"{len(api_queries.captured_queries)}"
    )
    print(
        f"    (the same records read from the database instead: p50 "
        f"{percentiles(records_part)[0]:.1f} ms)"
    )
    print(f"\n(b) full reindex of {indexed} entries")
    print(
        f"    ours {ours_reindex:7.1f} s   raw bulk {raw_reindex:7.1f} s"
        f"   ratio {ours_reindex / raw_reindex:.2f}x  (target <= 1.5x)"
    )
    print("\n(c) the same search on the database engine")
    print(
        f"    p50 {db_p50:7.1f} ms  p95 {db_p95:7.1f} ms"
        f"  ({db_p50 / raw_p50:.1f}x the raw engine)"
    )
    print(f"\n(d) peak memory (RSS) of the indexing process, {indexed} entries")
    for label, run in memory:
        print(
            f"    {label:<44} peak {run['peak_mb']:6.0f} MB"
            f"  (after Django's set-up {run['after_setup_mb']:.0f} MB;"
            f" {run['seconds']:.1f} s)"
        )
    print(f"    (target: the rebuild <= {PEAK_RSS_TARGET_MB} MB)")
    print("\nSQL queries of the public search page (target <= 15)")
    for size in (10, 20, 50, 100):
        with CaptureQueriesContext(connection) as queries:
            web.get(f"/inventory/?q=security&page_size={size}&{QUERY}")
        print(f"    page_size {size:3d}: {len(queries.captured_queries)} queries")


def api_against_raw(web, rounds, query_string=QUERY):
    """Return p50 samples of ``/api/inventory/`` and of the same body sent raw.

    The raw side sends the body our engine sends, which asks for the public
    records stored with the documents; the two alternate, so that noise hits
    both alike.
    """
    from django.http import QueryDict  # noqa: PLC0415 - once Django is set up

    from inventory.search import ClusterEngine, InventoryQuery  # noqa: PLC0415 - once Django is set up
    from search.backends import default_backend, raw_search  # noqa: PLC0415 - once Django is set up

    backend = default_backend()
    engine = ClusterEngine(backend)
    body = engine.body(
        InventoryQuery.from_params(QueryDict(query_string)), with_records=True
    )
    url = f"/api/inventory/?{query_string}"
    assert web.get(url).status_code == 200
    for _ in range(20):  # warm caches on both sides
        web.get(url)
        raw_search(backend, engine.index_name, body)
    ours, raw = [], []
    for _ in range(rounds):
        ours += timed(lambda: web.get(url), 1)
        raw += timed(lambda: raw_search(backend, engine.index_name, body), 1)
    return ours, raw


def peak_memory(bodies):
    """Measure the rebuild, with and without the garbage collector, and the raw load.

    [(label, measure)] of the rebuild, the rebuild with the garbage collector
    running, and the raw bulk load of ``bodies``, each in a new process.
    """
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "bodies")
        write_bodies(path, bodies)
        jobs = [
            ("ours: manage.py update_index", ["rebuild"]),
            ("ours, garbage collector running", ["rebuild", "--collector-running"]),
            ("raw: bulk of the pre-serialised documents", ["raw", path]),
        ]
        measures = []
        for label, arguments in jobs:
            output = subprocess.run(
                [sys.executable, "-m", "bench.rebuild_process", *arguments],
                cwd=root,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
            measures.append((label, json.loads(output.strip().splitlines()[-1])))
    return measures


if __name__ == "__main__":
    main()
