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

RAW_SQL = """
SELECT f.facet, f.value, COUNT(*)
FROM inventory_entryfacetvalue f
JOIN inventory_inventoryentry e ON e.id = f.entry_id
WHERE e.live AND e.reporting_year = ANY(%(years)s)
GROUP BY f.facet, f.value
"""
RAW_TOTALS = """
SELECT COUNT(*),
       COUNT(*) FILTER (
           WHERE start_date BETWEEN %(start)s AND %(end)s
           OR (start_date IS NULL
               AND first_published_at::date BETWEEN %(start)s AND %(end)s)
       ),
       COUNT(DISTINCT organisation_id)
FROM inventory_inventoryentry
WHERE live AND reporting_year = ANY(%(years)s)
"""
RAW_IDS = """
SELECT id FROM inventory_inventoryentry
WHERE live AND reporting_year = ANY(%(years)s) ORDER BY id
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
    years = list(range(start.year, end.year + 1))

    def ours():
        return assemble(report)

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute(RAW_TOTALS, {"years": years, "start": start, "end": end})
            totals = cursor.fetchone()
            cursor.execute(RAW_SQL, {"years": years})
            groups = cursor.fetchall()
            cursor.execute(RAW_IDS, {"years": years})
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
                    {"terms": {columns["reporting_year"]: years}},
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
