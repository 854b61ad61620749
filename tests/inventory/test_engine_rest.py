"""An engine that hangs costs one timeout per process and rest period.

An engine that hangs costs one timeout per process and rest period, not one per visitor:
after a failure, searches answer from the database at once.
"""

import time

from django.test import override_settings

import pytest

from search.backends import default_backend
from tests.factories import InventoryEntryFactory
from tests.helpers.search import cluster_settings

API = "/api/inventory/"
TIMEOUT = 2  # seconds; searches that skip the engine take well under half


@pytest.fixture
def on_hanging_engine(settings, hanging_engine, db):
    engine = cluster_settings(hanging_engine)
    engine["default"]["TIMEOUT"] = TIMEOUT
    settings.WAGTAILSEARCH_BACKENDS = engine
    settings.SEARCH_ENGINE_RETRY_AFTER = 30
    InventoryEntryFactory(title="Rural broadband for schools")
    return default_backend()


def timed_get(client, url, params):
    started = time.monotonic()
    response = client.get(url, params)
    return response, time.monotonic() - started


def test_after_one_timeout_searches_answer_from_the_database_at_once(
    client, on_hanging_engine
):
    first, first_time = timed_get(client, API, {"q": "broadband"})
    assert first.status_code == 200
    assert first.json()["engine_degraded"] is True
    assert first_time >= TIMEOUT
    for _ in range(3):
        response, elapsed = timed_get(client, API, {"q": "broadband"})
        data = response.json()
        assert data["engine_degraded"] is True
        assert [result["title"] for result in data["results"]] == [
            "Rural broadband for schools"
        ]
        assert elapsed < TIMEOUT / 2


def test_the_page_and_the_site_search_rest_the_engine_too(client, on_hanging_engine):
    client.get(API)  # the failure
    page, elapsed = timed_get(client, "/inventory/", {"q": "broadband"})
    assert page.status_code == 200
    assert "Rural broadband for schools" in page.content.decode()
    assert elapsed < TIMEOUT / 2
    site, elapsed = timed_get(client, "/search/", {"q": "broadband"})
    assert site.status_code == 200
    assert elapsed < TIMEOUT / 2


def test_the_site_search_costs_one_timeout_not_two(client, on_hanging_engine):
    """Its inventory part fails first; its page part then skips the engine."""
    response, elapsed = timed_get(client, "/search/", {"q": "broadband"})
    assert response.status_code == 200
    assert TIMEOUT <= elapsed < 2 * TIMEOUT


def test_the_engine_is_tried_again_after_the_rest(client, on_hanging_engine):
    with override_settings(SEARCH_ENGINE_RETRY_AFTER=0.5):
        client.get(API)  # the failure
        time.sleep(0.6)
        response, elapsed = timed_get(client, API, {})
    assert response.json()["engine_degraded"] is True
    assert elapsed >= TIMEOUT  # the engine was asked again


def test_another_engine_is_not_rested(client, on_hanging_engine, settings):
    client.get(API)  # the hanging engine fails and rests
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database"}
    }
    assert client.get(API).json()["engine_degraded"] is False
