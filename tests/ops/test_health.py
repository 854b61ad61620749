"""Liveness and readiness over HTTP: each service down gives the right answer.

Services are real: a Redis server started here, the OpenSearch node of the
engine tests, and ports nothing listens on for the ones that are down.
"""

import json

from django.test import override_settings

import pytest

from tests.helpers.search import cluster_settings

from .servers import closed_port, start_gunicorn


def redis_cache(url):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


def readiness(client, **headers):
    response = client.get("/readyz", **headers)
    return response, json.loads(response.content)


@pytest.mark.django_db
def test_liveness_answers_without_asking_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "alive"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_when_every_service_answers(client, redis):
    with override_settings(CACHES=redis_cache(redis.url)):
        response, body = readiness(client)
    assert response.status_code == 200
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "cache", "broker", "search"}
    assert all(check["ok"] for check in body["checks"].values())
    # No engine configured: searches are the database's, and that is no fault.
    assert body["checks"]["search"]["engine"] == "database"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_cache_down_takes_the_server_out_of_the_balancer(client):
    port = closed_port()
    with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{port}/0")):
        response, body = readiness(client)
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"] == {
        "ok": False,
        "error": "ConnectionError",
        "ms": body["checks"]["cache"]["ms"],
    }
    assert body["checks"]["database"]["ok"] is True
    # Nothing about where the cache is.
    assert str(port) not in response.content.decode()


@pytest.mark.django_db
def test_search_cluster_down_is_degraded_but_ready(client, settings):
    settings.WAGTAILSEARCH_BACKENDS = cluster_settings(
        f"http://127.0.0.1:{closed_port()}"
    )
    response, body = readiness(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["search"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_search_cluster_up_reports_its_health(client, cluster):
    response, body = readiness(client)
    assert response.status_code == 200
    assert body["status"] == "ready"
    search = body["checks"]["search"]
    assert search["ok"] is True
    assert search["engine"] == "cluster"
    assert search["cluster_status"] in {"green", "yellow"}
    assert search["nodes"] >= 1
    assert search["resting"] is False


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["wsis.example.org"])
def test_the_balancer_reaches_each_server_by_its_address_over_http(client):
    """HAProxy's check asks 10.0.0.5:8000 over plain HTTP.

    Neither the host check (a 400) nor the redirect to HTTPS (a 301) may stand in
    the way, and no session or cookie is made.
    """
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.0.5:8000")
        assert response.status_code == 200, path
        assert not response.cookies
    # Everything else still gets the host check.
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400


@pytest.mark.django_db
@override_settings(INVENTORY_SEARCH_RATE_LIMIT=1, SITE_SEARCH_RATE_LIMIT=1)
def test_neither_endpoint_is_rate_limited_nor_cached(client):
    for _ in range(30):
        for path in ("/healthz", "/readyz"):
            response = client.get(path)
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"]
            assert "Retry-After" not in response


def test_database_down_on_a_real_server(tmp_path):
    """Gunicorn whose database refuses connections.

    Not ready (503), the database and the broker (its queue is in the database)
    reported down, nothing about the server in the answer; alive all the same.
    """
    port = closed_port()
    server = start_gunicorn(
        tmp_path,
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": f"postgres://wsis-user:pass-w0rd@127.0.0.1:{port}/wsis",
        },
    )
    try:
        from scripts.serve_prod import http_get

        status, headers, body = http_get("127.0.0.1", server.port, "/readyz")
        assert status == 503, body
        answer = json.loads(body)
        assert answer["status"] == "unavailable"
        assert answer["checks"]["database"]["ok"] is False
        assert answer["checks"]["database"]["error"] == "OperationalError"
        assert answer["checks"]["broker"]["ok"] is False
        assert answer["checks"]["cache"]["ok"] is True
        for secret in (str(port), "wsis-user", "pass-w0rd", "127.0.0.1"):
            assert secret not in body.decode()
        assert http_get("127.0.0.1", server.port, "/healthz")[0] == 200
    finally:
        server.stop()
