"""Pages reach the engine through the index outbox, as inventory entries do.

Wagtail indexes a page after it is saved and only logs the engine's errors: a
page published while the engine is down would be missing from /search/ until a
full rebuild. Through the outbox its update waits, and the catch-up applies it
once the engine is back.
"""

from django.contrib.contenttypes.models import ContentType
from django.test import Client

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup
from django_q.models import OrmQ

from search import tasks
from search.models import PendingIndexUpdate
from tests.factories import ActionLineIndexPageFactory, SecretariatPageFactory
from tests.helpers.pages import publish
from tests.helpers.search import cluster_settings

UNREACHABLE_ENGINE = "http://127.0.0.1:9"  # nothing listens there


@pytest.fixture
def pages(cluster):
    """The page index on the real engine, empty."""
    index = cluster.backend.get_index_for_model(Page)
    index.reset()
    index.add_model(Page)
    return index


def found(q):
    """Links of the page results of /search/."""
    response = Client().get("/search/", {"q": q})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [link["href"] for link in soup.select("ol.search-results a")]


def test_a_page_published_while_the_engine_is_down_is_found_once_it_is_back(
    home_page, pages, settings, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        index_page = publish(
            ActionLineIndexPageFactory(parent=home_page, title="Action lines")
        )
    pages.refresh()
    assert index_page.url in found("action")
    assert not PendingIndexUpdate.objects.exists()

    node = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = cluster_settings(UNREACHABLE_ENGINE)
    with capture(execute=True):
        page = publish(
            SecretariatPageFactory(parent=home_page, title="Facilitators consultation")
        )
    (waiting,) = PendingIndexUpdate.objects.all()
    assert waiting.content_type == ContentType.objects.get_for_model(Page)
    assert waiting.object_id == str(page.pk)
    assert waiting.attempts >= 1

    # The engine is back: /search/ answers from it, where the page is missing.
    settings.WAGTAILSEARCH_BACKENDS = node
    assert found("consultation") == []
    # The catch-up schedule applies what waits.
    assert tasks.flush_index_updates() == {"applied": 1, "remaining": 0}
    pages.refresh()
    assert found("consultation") == [page.url]


def test_a_deleted_page_leaves_the_engine_in_the_same_request(
    home_page, pages, monkeypatch, django_capture_on_commit_callbacks
):
    from django_q.conf import Conf

    with django_capture_on_commit_callbacks(execute=True):
        page = publish(
            SecretariatPageFactory(parent=home_page, title="Facilitators consultation")
        )
    pages.refresh()
    assert found("consultation") == [page.url]
    document = {"index": pages.name, "id": str(page.pk)}
    assert pages.es.exists(**document)

    monkeypatch.setattr(Conf, "SYNC", False)  # no worker: tasks wait in the queue
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=page.pk).delete()
    assert not pages.es.exists(**document)
    assert not PendingIndexUpdate.objects.exists()
    queued = [task.func() for task in OrmQ.objects.all()]
    assert "search.tasks.apply_index_update" not in queued
