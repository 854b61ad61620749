"""Liveness and readiness, for the load balancer and the process supervisor.

``/healthz`` (liveness) answers as soon as the process can run Python: no
database, no cache, nothing else. A supervisor restarts a server that stops
answering it.

``/readyz`` (readiness) asks each service the platform uses and says, in JSON,
how each answered. The load balancer sends visitors only to servers that
answer 200:

- **must-haves** — the database (every request runs in a transaction) and the
  cache (sessions, rate limits and sign-in lockouts live there): if either
  fails, 503 and ``"status": "unavailable"``;
- **degraded but ready** — the task broker (tasks wait to be queued: outbox
  rows keep the index updates) and the search cluster (searches fall back to
  the database and say so): 200 and ``"status": "degraded"``. Taking every
  server out of the balancer for them would turn a slower site into no site.

The answer names each check, whether it passed, how long it took and, when it
failed, only the kind of error: no address, user name or message that could
carry one (the details go to the log). Neither endpoint is rate limited nor
cached; both are answered before the rest of the middleware
(``ops.middleware``), so no host check, HTTPS redirect or session applies.
"""

import logging
import time

from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from django_q.brokers import get_broker

from inventory.search import engine_resting
from search.backends import cluster_backend

logger = logging.getLogger(__name__)

# Seconds the search cluster has to answer its health; the balancer's own
# check timeout (2 s in the HAProxy configuration) bounds the whole answer.
SEARCH_TIMEOUT = 1.5


def check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_cache():
    # A read of a key nobody writes: a round trip to the cache's server.
    caches["default"].get("ops:readiness")
    return {}


def check_broker():
    get_broker().queue_size()  # a query (ORM broker) or LLEN (Redis)
    return {}


class SearchUnavailable(Exception):
    pass


def check_search():
    backend = cluster_backend()
    if backend is None:
        return {"engine": "database"}
    if getattr(backend, "use_new_elasticsearch_api", False):
        health = backend.es.options(request_timeout=SEARCH_TIMEOUT).cluster.health()
    else:
        health = backend.es.cluster.health(params={"request_timeout": SEARCH_TIMEOUT})
    health = dict(health)
    details = {
        "engine": "cluster",
        "cluster_status": health.get("status"),
        "nodes": health.get("number_of_nodes"),
        # This process answers searches from the database for a while after a
        # failure (SEARCH_ENGINE_RETRY_AFTER).
        "resting": engine_resting(backend),
    }
    if health.get("status") == "red":
        # A shard has no copy left: searches are answered from the database.
        raise SearchUnavailable(details)
    return details


CHECKS = [
    # (name, check, must the server leave the balancer when it fails?)
    ("database", check_database, True),
    ("cache", check_cache, True),
    ("broker", check_broker, False),
    ("search", check_search, False),
]


def run_check(name, check):
    started = time.perf_counter()
    try:
        result = {"ok": True, **check()}
    except SearchUnavailable as unavailable:
        result = {"ok": False, **unavailable.args[0]}
    except Exception as error:  # noqa: BLE001 - any failure is an answer here
        logger.warning("Readiness: %s failed: %s", name, error)
        result = {"ok": False, "error": type(error).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def no_store(response):
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def liveness(request):
    return no_store(JsonResponse({"status": "alive"}))


def readiness(request):
    checks = {name: run_check(name, check) for name, check, _required in CHECKS}
    required_failed = any(
        not checks[name]["ok"] for name, _check, required in CHECKS if required
    )
    if required_failed:
        status, code = "unavailable", 503
    elif all(check["ok"] for check in checks.values()):
        status, code = "ready", 200
    else:
        status, code = "degraded", 200
    return no_store(JsonResponse({"status": status, "checks": checks}, status=code))
