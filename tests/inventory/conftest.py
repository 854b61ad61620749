"""Inventory fixtures: the entry factory and the search-engine switch."""

import socket
import threading

import pytest

from tests.factories import InventoryEntryFactory


@pytest.fixture
def entry_factory(db):
    return InventoryEntryFactory


@pytest.fixture
def inventory_editor(db):
    """A member of "Inventory editors", who moderates entries."""
    from home.roles import INVENTORY_EDITORS
    from tests.factories import UserFactory

    return UserFactory(username="inventory-editor", groups=[INVENTORY_EDITORS])


@pytest.fixture(params=["database", "cluster"])
def engine(request, db):
    """Runs a test on the database search and on the real engine.

    Returns a helper whose ``refresh()`` makes indexed changes searchable (a
    no-op on the database), and whose ``name`` is the engine's.
    """
    if request.param == "cluster":
        from wagtail.models import Page

        cluster = request.getfixturevalue("cluster")
        cluster.name = "cluster"
        # The site search (/search/) also asks the engine for pages.
        pages = cluster.backend.get_index_for_model(Page)
        pages.reset()
        pages.add_model(Page)
        return cluster

    class Database:
        name = "database"

        def refresh(self):
            pass

    return Database()


@pytest.fixture
def indexed(django_capture_on_commit_callbacks, engine):
    """A context manager: writes inside it are indexed and searchable at its end."""
    from contextlib import contextmanager

    @contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        engine.refresh()

    return block


@pytest.fixture
def hanging_engine():
    """A server that accepts connections and never answers, as a stuck node."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()
