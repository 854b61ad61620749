"""Prometheus metrics: django-prometheus's, and the platform's own.

django-prometheus measures every request (latency by view and method,
responses by status) and, in production, every database query. This module
adds what only the platform knows:

- the search engine: the latency of each request to it and its failures (a
  request every node failed, or an answer from part of the index), and the
  answers given from the database instead (``engine_degraded``);
- at each scrape, from the database: the index outbox's backlog and the age of
  its oldest update, django-q2's queue (waiting and taken tasks) and the tasks
  that failed in the last hour.

With several gunicorn workers, each worker counts in its own process:
prometheus_client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, set by
whoever starts gunicorn; cms/gunicorn.conf.py empties it at start-up and
retires the files of dead workers) adds them up when ``/metrics`` is asked.
``/metrics`` answers only the addresses of ``METRICS_ALLOWED_IPS`` and never a
request that came through a proxy.
"""

import contextlib
import ipaddress
import logging
import os
import time
from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

import prometheus_client
from django_q.brokers import get_broker
from django_q.models import Failure
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily

from search.models import PendingIndexUpdate

logger = logging.getLogger(__name__)

SEARCHES = ("inventory", "pages")

ENGINE_SECONDS = Histogram(
    "wsis_search_engine_request_seconds",
    "Time of each request to the search engine, by search (inventory, pages).",
    ["search"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
ENGINE_FAILURES = Counter(
    "wsis_search_engine_failures_total",
    "Requests to the search engine that failed (every node failed, a timeout, "
    "or an answer from part of the index), by search.",
    ["search"],
)
FALLBACK_ANSWERS = Counter(
    "wsis_search_fallback_answers_total",
    "Searches answered from the database instead of the engine (engine_degraded): "
    "after a failure, or while the process rests the engine, by search.",
    ["search"],
)
for _search in SEARCHES:
    # Every series exists from the start, at zero: rate() and alerts see it.
    ENGINE_SECONDS.labels(_search)
    ENGINE_FAILURES.labels(_search)
    FALLBACK_ANSWERS.labels(_search)


@contextlib.contextmanager
def engine_request(search):
    """Time one request to the search engine; an exception counts as a failure."""
    started = time.perf_counter()
    try:
        yield
    except Exception:
        ENGINE_FAILURES.labels(search).inc()
        raise
    finally:
        ENGINE_SECONDS.labels(search).observe(time.perf_counter() - started)


def engine_failure(search):
    """Count an answer that came back but cannot be used.

    An answer that came back but cannot be used (part of the index missing).
    """
    ENGINE_FAILURES.labels(search).inc()


def fallback_answer(search):
    FALLBACK_ANSWERS.labels(search).inc()


class PlatformCollector:
    """Gauges read from the database when Prometheus scrapes.

    The same on every web server, so alerts take their maximum over the servers.
    """

    def collect(self):
        try:
            backlog = PendingIndexUpdate.objects.count()
            oldest = (
                PendingIndexUpdate.objects.order_by("created_at")
                .values_list("created_at", flat=True)
                .first()
            )
            broker = get_broker()
            waiting = broker.queue_size()
            taken = broker.lock_size()
            failed = Failure.objects.filter(
                stopped__gte=timezone.now() - timedelta(hours=1)
            ).count()
            database_up = 1
        except Exception as error:  # noqa: BLE001 - a scrape must answer anyway
            logger.warning("Metrics: the database did not answer: %s", error)
            database_up = 0
        yield GaugeMetricFamily(
            "wsis_metrics_database_up",
            "1 if the database answered the scrape's queries, else 0.",
            value=database_up,
        )
        if not database_up:
            return
        yield GaugeMetricFamily(
            "wsis_index_outbox_backlog",
            "Index updates of inventory entries waiting in the outbox "
            "(PendingIndexUpdate) for the search engine.",
            value=backlog,
        )
        age = (timezone.now() - oldest).total_seconds() if oldest else 0
        yield GaugeMetricFamily(
            "wsis_index_outbox_oldest_seconds",
            "Age of the oldest index update waiting in the outbox (0: none waits).",
            value=max(age, 0),
        )
        yield GaugeMetricFamily(
            "wsis_task_queue_waiting",
            "django-q2 tasks queued and not yet taken by a worker.",
            value=waiting,
        )
        if taken is not None:
            yield GaugeMetricFamily(
                "wsis_task_queue_taken",
                "django-q2 tasks taken by a cluster and not yet acknowledged "
                "(running, or held by a cluster that died until their lease ends).",
                value=taken,
            )
        yield GaugeMetricFamily(
            "wsis_task_failures_last_hour",
            "django-q2 tasks that failed in the last hour.",
            value=failed,
        )


def multiprocess_mode():
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def exposition():
    """Return the text Prometheus reads: the processes' metrics, then the platform's."""
    if multiprocess_mode():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    platform = CollectorRegistry(auto_describe=False)
    platform.register(PlatformCollector())
    return prometheus_client.generate_latest(
        registry
    ) + prometheus_client.generate_latest(platform)


def allowed_networks():
    return [
        ipaddress.ip_network(value.strip(), strict=False)
        for value in settings.METRICS_ALLOWED_IPS
        if value.strip()
    ]


def may_scrape(request):
    """From an allowed address, straight to this server.

    A request relayed by a proxy (it says so in X-Forwarded-For) comes from the
    public, whatever the proxy's own address.
    """
    if "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in allowed_networks())


def metrics(request):
    if not may_scrape(request):
        return HttpResponse(status=403)
    return HttpResponse(
        exposition(), content_type=prometheus_client.CONTENT_TYPE_LATEST
    )
