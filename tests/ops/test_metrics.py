"""/metrics.

Restricted to the allowed addresses, with the platform's own metrics, added up over
every gunicorn worker.
"""

import re
import time

from django.contrib.contenttypes.models import ContentType
from django.test import override_settings

import pytest
from django_q.models import OrmQ
from django_q.tasks import async_task

from inventory.models import InventoryEntry
from scripts.serve_prod import http_get
from search.models import PendingIndexUpdate
from tests.factories import InventoryEntryFactory
from tests.helpers.search import cluster_settings

from .servers import closed_port, start_gunicorn


def sample(text, name, **labels):
    """The value of one sample of the exposition text, or None."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "")
    match = re.search(rf"^{pattern} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else None


def scrape(client, **extra):
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


@pytest.mark.django_db
def test_metrics_answer_loopback_only(client):
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="2001:db8::1").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


@pytest.mark.django_db
def test_metrics_refuse_what_came_through_a_proxy(client):
    """Behind a balancer on the same machine every request comes from 127.0.0.1.

    One that a proxy relayed is the public's.
    """
    response = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 403
    assert b"wsis_" not in response.content
    response = client.get("/metrics", HTTP_FORWARDED="for=203.0.113.9")
    assert response.status_code == 403


@pytest.mark.django_db
@override_settings(METRICS_ALLOWED_IPS=["10.0.0.0/8"])
def test_metrics_answer_the_networks_allowed(client):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.django_db
def test_metrics_show_requests_by_view_and_the_platform_gauges(client, monkeypatch):
    from django_q.conf import Conf

    entries = InventoryEntryFactory.create_batch(3)
    PendingIndexUpdate.objects.all().delete()  # what saving them left, if any
    entry_type = ContentType.objects.get_for_model(InventoryEntry)
    for entry in entries:
        PendingIndexUpdate.objects.create(
            content_type=entry_type, object_id=str(entry.pk)
        )
    monkeypatch.setattr(Conf, "SYNC", False)  # queued, not run at once
    async_task("math.hypot", 3, 4)
    async_task("math.hypot", 5, 12)
    assert OrmQ.objects.count() == 2
    client.get("/inventory/")

    text = scrape(client)
    assert (
        sample(
            text,
            "django_http_requests_latency_seconds_by_view_method_count",
            view="inventory:search",
            method="GET",
        )
        >= 1
    )
    assert sample(text, "wsis_index_outbox_backlog") == 3
    assert sample(text, "wsis_index_outbox_oldest_seconds") >= 0
    assert sample(text, "wsis_task_queue_waiting") == 2
    assert sample(text, "wsis_task_queue_taken") == 0
    assert sample(text, "wsis_task_failures_last_hour") == 0
    assert sample(text, "wsis_metrics_database_up") == 1
    for search in ("inventory", "pages"):
        assert sample(text, "wsis_search_fallback_answers_total", search=search) >= 0


@pytest.mark.django_db
def test_metrics_count_engine_failures_and_fallback_answers(client, settings):
    """The engine refuses: the first search counts a failure.

    It and the next ones, while the process rests the engine, are answers from the
    database.
    """
    settings.WAGTAILSEARCH_BACKENDS = cluster_settings(
        f"http://127.0.0.1:{closed_port()}"
    )
    settings.SEARCH_ENGINE_RETRY_AFTER = 30
    InventoryEntryFactory(title="Rural broadband")
    before = scrape(client)
    answer = client.get("/api/inventory/", {"q": "broadband"}).json()
    assert answer["engine_degraded"] is True
    client.get("/search/", {"q": "broadband"})
    after = scrape(client)

    def delta(name, search):
        return sample(after, name, search=search) - sample(before, name, search=search)

    # The API failed; the site search's inventory part and its pages were
    # answered from the database without asking the resting engine.
    assert delta("wsis_search_engine_failures_total", "inventory") == 1
    assert delta("wsis_search_fallback_answers_total", "inventory") == 2
    assert delta("wsis_search_engine_failures_total", "pages") == 0
    assert delta("wsis_search_fallback_answers_total", "pages") == 1


@pytest.mark.django_db
def test_metrics_time_the_engine(client, cluster):
    InventoryEntryFactory(title="Rural broadband")
    cluster.refresh()
    name = "wsis_search_engine_request_seconds_count"
    before = sample(scrape(client), name, search="inventory")
    answer = client.get("/api/inventory/", {"q": "broadband"}).json()
    assert answer["engine_degraded"] is False
    assert sample(scrape(client), name, search="inventory") == before + 1


def test_metrics_add_up_every_gunicorn_worker(tmp_path):
    """Two workers in multiprocess mode.

    Whichever answers /metrics counts the requests both of them served.
    """
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"left by an earlier run")
    server = start_gunicorn(
        tmp_path,
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
            # No database: the gauges read from it say so, the counters do not care.
            "DATABASE_URL": f"postgres://nobody@127.0.0.1:{closed_port()}/none",
        },
        workers=2,
    )
    name = "django_http_requests_before_middlewares_total"
    try:
        status, _headers, body = http_get("127.0.0.1", server.port, "/metrics")
        before = sample(body.decode(), name)
        requests = 0
        # A new connection each time: the arbiter's workers take turns.
        deadline = time.monotonic() + 30
        while requests < 60 or len(list(metrics_dir.glob("counter_*.db"))) < 2:
            assert time.monotonic() < deadline, "only one worker answered"
            assert http_get("127.0.0.1", server.port, "/healthz")[0] == 200
            requests += 1
        status, _headers, body = http_get("127.0.0.1", server.port, "/metrics")
        assert status == 200
        text = body.decode()
        # Every request of both workers since the first scrape, this one
        # included, and nothing from the file an earlier run left.
        assert sample(text, name) == before + requests + 1
        pids = {path.stem.split("_")[-1] for path in metrics_dir.glob("counter_*")}
        assert len(pids) == 2 and "1" not in pids
        assert sample(text, "wsis_metrics_database_up") == 0
    finally:
        server.stop()
