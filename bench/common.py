"""Shared set-up of the benchmarks: PostgreSQL and OpenSearch on loopback, N entries."""

import contextlib
import os
import statistics
import time

from scripts import opensearch_node
from scripts.postgres_server import PostgresServer


@contextlib.contextmanager
def environment(entries, nodes=1, load=True):
    """Start the services, set Django up and load ``entries`` synthetic entries.

    With ``nodes`` > 1 the search engine is a cluster of that many nodes, each
    index in three shards with one replica (docs/scaling.md). With ``load``
    false only the migrations run: the caller seeds and indexes itself.
    """
    opensearch_node.ensure_installed()
    postgres = PostgresServer().start()
    if nodes > 1:
        node = opensearch_node.start_cluster(nodes, heap="1g", timeout=300)
        os.environ.update(SEARCH_SHARDS="3", SEARCH_REPLICAS="1")
    else:
        node = opensearch_node.start(heap="1g", timeout=180)
    try:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="cms.settings.dev",
            DATABASE_URL=postgres.url,
            ELASTICSEARCH_URL=node.url,
            SEARCH_BACKEND=opensearch_node.WAGTAIL_BACKEND,
            ALLOWED_HOSTS="testserver,127.0.0.1",
            INVENTORY_API_RATE_LIMIT="100000000",
            INVENTORY_SEARCH_RATE_LIMIT="100000000",
        )
        import django  # noqa: PLC0415 - once Django is set up

        django.setup()
        from django.conf import settings  # noqa: PLC0415 - once Django is set up
        from django.core.management import call_command  # noqa: PLC0415 - once Django is set up

        settings.DEBUG = False
        patient_engine(settings)
        print(
            f"OpenSearch {opensearch_node.OPENSEARCH_VERSION} ({nodes} node(s)), "
            f"PostgreSQL, {entries} entries"
        )
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        if load:
            call_command("seed_demo", entries=entries, no_index=True, verbosity=0)
            call_command("update_index", verbosity=0)
            print(f"load: {time.perf_counter() - started:.0f} s (migrate, seed, index)")
        yield node
    finally:
        node.stop()
        node.cleanup()
        postgres.stop()


def patient_engine(settings):
    """Wait up to a minute for each engine request, not 10 s.

    On a loaded machine a bulk request of the rebuild can take longer. Only a
    failure changes; no measure does.
    """
    settings.WAGTAILSEARCH_BACKENDS["default"]["TIMEOUT"] = 60


def timed(function, rounds):
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def percentiles(samples):
    """(p50, p95) in milliseconds."""
    samples = sorted(samples)
    return (
        statistics.median(samples) * 1000,
        samples[max(int(len(samples) * 0.95) - 1, 0)] * 1000,
    )
