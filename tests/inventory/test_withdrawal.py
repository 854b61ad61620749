"""An entry taken out of public view leaves the engine in the same request.

The inventory API and the searches answer from the engine's documents: an entry
an editor unpublishes or deletes (for wrong or sensitive content) must be gone
from them as soon as the editor's request is done, not when a django-q2 worker
gets round to its index update. In these tests no worker runs: tasks wait on
django-q2's database broker and nothing takes them.
"""

import time

from django.test import Client
from django.urls import reverse

import pytest
from bs4 import BeautifulSoup
from django_q.models import OrmQ

from search import tasks
from search.models import PendingIndexUpdate
from search.outbox import REMOVAL_TIMEOUT, flush_pending
from tests.factories import InventoryEntryFactory
from tests.helpers.search import cluster_settings

API = "/api/inventory/"
UNREACHABLE_ENGINE = "http://127.0.0.1:9"  # nothing listens there
TITLE = "Leaked registry of field contacts"


@pytest.fixture
def worker_stopped(monkeypatch):
    """django-q2 queues tasks on its database broker, where nothing runs them."""
    from django_q.conf import Conf

    assert Conf.ORM == "default"
    monkeypatch.setattr(Conf, "SYNC", False)


def queued_tasks():
    return [task.func() for task in OrmQ.objects.all()]


@pytest.fixture
def on_the_engine(cluster, worker_stopped, django_capture_on_commit_callbacks):
    """A published entry and another that stays, both found on the engine."""
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = InventoryEntryFactory(
            published=True, title=TITLE, sdgs=[16], countries=["MLI"]
        )
        InventoryEntryFactory(published=True, title="Registry of rural clinics")
    # What a worker would do with the queued updates.
    assert flush_pending() == (2, 0)
    OrmQ.objects.all().delete()
    cluster.refresh()
    data = api_search("registry")
    assert data["engine_degraded"] is False
    assert sorted(titles(data)) == [TITLE, "Registry of rural clinics"]
    return withdrawn


def api_search(q, **params):
    response = Client().get(API, {"q": q, **params})
    assert response.status_code == 200
    return response.json()


def titles(data):
    return [row["title"] for row in data["results"]]


def editor_client(user):
    editor = Client()
    editor.force_login(user)
    return editor


def unpublish_in_the_admin(editor, entry):
    url = reverse("wagtailsnippets_inventory_inventoryentry:unpublish", args=[entry.pk])
    return editor.post(url)


def bulk_delete_in_the_admin(editor, entry):
    url = reverse("wagtail_bulk_action", args=["inventory", "inventoryentry", "delete"])
    return editor.post(f"{url}?id={entry.pk}")


def delete_in_the_admin(editor, entry):
    url = reverse("wagtailsnippets_inventory_inventoryentry:delete", args=[entry.pk])
    return editor.post(url)


WAYS = {
    "unpublished in the admin": unpublish_in_the_admin,
    "deleted in the admin": delete_in_the_admin,
    "deleted with a bulk action": bulk_delete_in_the_admin,
    "unpublished through the model": lambda editor, entry: entry.unpublish(),
}


@pytest.mark.parametrize("way", WAYS)
def test_an_entry_taken_out_of_public_view_leaves_the_api_and_searches_at_once(
    way,
    on_the_engine,
    inventory_editor,
    django_capture_on_commit_callbacks,
):
    entry = on_the_engine
    editor = editor_client(inventory_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = WAYS[way](editor, entry)
    if response is not None:
        assert response.status_code == 302

    # Right away, with no worker and no refresh: the engine no longer has it.
    data = api_search("registry")
    assert data["engine_degraded"] is False
    assert titles(data) == ["Registry of rural clinics"]
    assert data["count"] == 1
    assert api_search("leaked")["count"] == 0
    assert api_search("", sdg="16")["count"] == 0
    assert api_search("")["facets"]["country"] == {"SEN": 1}
    public = Client()
    page = public.get("/inventory/", {"q": "leaked"}).content.decode()
    assert "No activity matches this search" in page
    site = BeautifulSoup(public.get("/search/", {"q": "leaked"}).content, "html.parser")
    assert site.find(id="inventory-results") is None
    # The CSV, from the database, agrees with the API.
    export = public.get("/inventory/export.csv", {"q": "registry"})
    csv_text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert TITLE not in csv_text
    assert "Registry of rural clinics" in csv_text
    # Nothing was left for a worker to do.
    assert not PendingIndexUpdate.objects.exists()
    assert "search.tasks.apply_index_update" not in queued_tasks()


def test_a_plain_save_that_unpublishes_removes_it_too(
    on_the_engine, django_capture_on_commit_callbacks
):
    entry = on_the_engine
    entry.live = False
    with django_capture_on_commit_callbacks(execute=True):
        entry.save()
    assert api_search("leaked")["count"] == 0
    assert not PendingIndexUpdate.objects.exists()


def test_saving_a_draft_of_a_published_entry_keeps_it_public(
    on_the_engine, django_capture_on_commit_callbacks
):
    """Only leaving public view is urgent.

    A draft of a live entry leaves its published version on the engine (and its
    update to the worker).
    """
    entry = on_the_engine
    entry.title = "Renamed in a draft"
    with django_capture_on_commit_callbacks(execute=True):
        entry.save_revision()
    assert titles(api_search("leaked")) == [TITLE]
    assert "search.tasks.apply_index_update" in queued_tasks()


def test_the_removal_waits_in_the_outbox_while_the_engine_is_unreachable(
    on_the_engine,
    cluster,
    inventory_editor,
    settings,
    django_capture_on_commit_callbacks,
):
    entry = on_the_engine
    node = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = cluster_settings(UNREACHABLE_ENGINE)
    editor = editor_client(inventory_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = unpublish_in_the_admin(editor, entry)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.live is False
    (waiting,) = PendingIndexUpdate.objects.all()
    assert waiting.object_id == str(entry.pk)
    assert waiting.attempts == 1
    assert waiting.last_error
    assert queued_tasks() == ["search.tasks.apply_index_update"]
    # Meanwhile the searches answer from the database, without it.
    data = api_search("registry")
    assert data["engine_degraded"] is True
    assert titles(data) == ["Registry of rural clinics"]

    # The engine is back; the queued task (or the catch-up schedule) applies it.
    settings.WAGTAILSEARCH_BACKENDS = node
    assert tasks.flush_index_updates() == {"applied": 1, "remaining": 0}
    cluster.refresh()
    data = api_search("registry")
    assert data["engine_degraded"] is False
    assert titles(data) == ["Registry of rural clinics"]


def test_an_engine_that_hangs_holds_the_editor_for_the_short_timeout_only(
    db,
    hanging_engine,
    worker_stopped,
    settings,
    inventory_editor,
    django_capture_on_commit_callbacks,
):
    engine = cluster_settings(hanging_engine)
    engine["default"]["TIMEOUT"] = 10 * REMOVAL_TIMEOUT
    settings.WAGTAILSEARCH_BACKENDS = engine
    settings.SEARCH_ENGINE_RETRY_AFTER = 30
    with django_capture_on_commit_callbacks(execute=False):
        entry = InventoryEntryFactory(published=True, title=TITLE)
    editor = editor_client(inventory_editor)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = unpublish_in_the_admin(editor, entry)
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert REMOVAL_TIMEOUT <= elapsed < 3 * REMOVAL_TIMEOUT
    assert PendingIndexUpdate.objects.get(object_id=entry.pk).attempts == 1
    # The engine now rests: the next searches answer from the database at once.
    started = time.monotonic()
    data = api_search("leaked")
    assert time.monotonic() - started < REMOVAL_TIMEOUT
    assert data["engine_degraded"] is True
    assert data["count"] == 0
