#!/usr/bin/env python3
"""Report assembly benchmark: our assembly against the same figures computed raw.

Loads N synthetic entries (default 100,000) into PostgreSQL and OpenSearch and
prints, measured side by side in one run: the assembly of one cycle's report
(`reporting.assembly.assemble`), the same totals and breakdowns computed by raw
SQL GROUP BY, and by raw OpenSearch aggregations.

    .venv/bin/python -m bench.report_bench [--entries 100000] [--rounds 5]
"""

import argparse
import statistics

from bench.common import environment, timed

# What a report counts (reporting.assembly): live, not inactive, running during
# the period (an activity without a start date started on its first publication;
# without an end date it still runs).
COUNTED = """
e.live AND e.freshness IN ('current', 'stale')
AND COALESCE(e.start_date, (e.first_published_at AT TIME ZONE 'UTC')::date) <= %(end)s
AND (e.end_date IS NULL OR e.end_date >= %(start)s)
"""
RAW_SQL = f"""
SELECT f.facet, f.value, COUNT(*)
FROM inventory_entryfacetvalue f
JOIN inventory_inventoryentry e ON e.id = f.entry_id
WHERE {COUNTED}
GROUP BY f.facet, f.value
"""
RAW_TOTALS = f"""
SELECT COUNT(*),
       COUNT(*) FILTER (
           WHERE COALESCE(e.start_date, (e.first_published_at AT TIME ZONE 'UTC')::date)
                 BETWEEN %(start)s AND %(end)s
       ),
       COUNT(DISTINCT e.organisation_id)
FROM inventory_inventoryentry e
WHERE {COUNTED}
"""
RAW_IDS = f"""
SELECT e.id FROM inventory_inventoryentry e WHERE {COUNTED} ORDER BY e.id
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with environment(args.entries):
        run(args)


def run(args):
    from django.db import connection  # noqa: PLC0415 - once Django is set up
    from django.utils import timezone  # noqa: PLC0415 - once Django is set up

    from inventory.models import FACET_FIELDS, InventoryEntry  # noqa: PLC0415 - once Django is set up
    from reporting.assembly import assemble  # noqa: PLC0415 - once Django is set up
    from reporting.models import ReportPage, default_period  # noqa: PLC0415 - once Django is set up
    from search.backends import default_backend, raw_search  # noqa: PLC0415 - once Django is set up

    year = timezone.localdate().year - 1
    start, end = default_period(year)
    report = ReportPage.objects.filter(period_start=start).first() or ReportPage(
        title="Benchmark", period_start=start, period_end=end
    )

    def ours():
        return assemble(report)

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute(RAW_TOTALS, {"start": start, "end": end})
            totals = cursor.fetchone()
            cursor.execute(RAW_SQL, {"start": start, "end": end})
            groups = cursor.fetchall()
            cursor.execute(RAW_IDS, {"start": start, "end": end})
            ids = [row[0] for row in cursor.fetchall()]
        return totals, groups, ids

    backend = default_backend()
    mapping = backend.mapping_class(InventoryEntry)
    columns = {
        f.field_name: mapping.get_field_column_name(f)
        for f in InventoryEntry.get_filterable_search_fields()
    }
    index_name = backend.get_index_for_model(InventoryEntry).name
    body = {
        "size": 0,
        "track_total_hits": True,
        "query": {
            "bool": {
                "filter": [
                    {"term": {columns["live"]: True}},
                    {"terms": {columns["freshness"]: ["current", "stale"]}},
                    {"range": {columns["activity_start"]: {"lte": end.isoformat()}}},
                    {
                        "bool": {
                            "should": [
                                {
                                    "bool": {
                                        "must_not": {
                                            "exists": {"field": columns["end_date"]}
                                        }
                                    }
                                },
                                {
                                    "range": {
                                        columns["end_date"]: {"gte": start.isoformat()}
                                    }
                                },
                            ]
                        }
                    },
                ]
            }
        },
        "aggs": {
            facet: {"terms": {"field": columns[attribute], "size": 300}}
            for facet, attribute in FACET_FIELDS.items()
        },
    }

    def raw_engine():
        return raw_search(backend, index_name, body)

    figures = ours()
    totals, groups, _ids = raw_sql()
    assert figures["totals"]["entries"] == totals[0], (figures["totals"], totals)
    assert figures["totals"]["new"] == totals[1]
    for _ in range(2):  # warm-up
        ours()
        raw_sql()
        raw_engine()
    samples = {"ours": [], "sql": [], "engine": []}
    for _ in range(args.rounds):
        samples["ours"] += timed(ours, 1)
        samples["sql"] += timed(raw_sql, 1)
        samples["engine"] += timed(raw_engine, 1)
    median = {
        name: statistics.median(values) * 1000 for name, values in samples.items()
    }
    print(
        f"\nAssembly of the {report.period_label} report "
        f"({figures['totals']['entries']} entries in the period, {args.rounds} rounds)"
    )
    print(f"    ours (assemble)          {median['ours']:8.1f} ms")
    print(
        f"    raw SQL GROUP BY         {median['sql']:8.1f} ms   "
        f"ratio {median['ours'] / median['sql']:.2f}x  (target <= 1.5x)"
    )
    print(
        f"    raw engine aggregations  {median['engine']:8.1f} ms   "
        f"ratio {median['ours'] / median['engine']:.2f}x"
    )


if __name__ == "__main__":
    main()
