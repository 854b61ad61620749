"""Shared fixtures: a small action-line tree with two teams and one user per role."""

import os
from dataclasses import dataclass

from django.db import transaction

from wagtail.models import Page

import pytest

from home.models import HomePage
from home.roles import INVENTORY_EDITORS, REPORT_REVIEWERS, SECRETARIAT
from scripts import opensearch_node
from tests.factories import (
    ActionLineIndexPageFactory,
    ActionLinePageFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    ModalitiesPageFactory,
    SecretariatPageFactory,
    TeamPageFactory,
    UserFactory,
)
from tests.helpers.pages import publish
from tests.helpers.search import cluster_settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# end-to-end tests make around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def interface_in_default_language():
    """Each test starts with the default language active.

    A request under /ar/ leaves Arabic active in the thread, and page URLs follow
    the interface language (home.page_languages.InterfaceLanguageUrlMixin).
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class Tree:
    home: Page
    index: Page
    c5: Page
    c5_team: Page
    c5_modalities: Page
    c5_meetings: Page
    c5_meeting: Page
    c2: Page
    c2_team: Page
    c2_modalities: Page
    secretariat: Page


@pytest.fixture
def empty_cache():
    """Empty caches around the test: the rate limits' counters, cached pages."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_page(db):
    return HomePage.objects.get(depth=2)


TREE_PAGES = [field for field in Tree.__dataclass_fields__ if field != "home"]


def build_tree(home_page):
    """Return the pages of the tree, created and published under ``home_page``."""
    index = ActionLineIndexPageFactory(parent=home_page)
    c5 = ActionLinePageFactory(parent=index, code="C5", title="Building confidence")
    c5_team = TeamPageFactory(parent=c5, title="C5 team")
    c5_modalities = ModalitiesPageFactory(parent=c5_team, title="C5 modalities")
    c5_meetings = MeetingIndexPageFactory(parent=c5_team)
    c5_meeting = MeetingPageFactory(parent=c5_meetings, title="C5 work plan meeting")
    c2 = ActionLinePageFactory(parent=index, code="C2", title="Infrastructure")
    c2_team = TeamPageFactory(parent=c2, title="C2 team")
    c2_modalities = ModalitiesPageFactory(parent=c2_team, title="C2 modalities")
    secretariat = SecretariatPageFactory(parent=home_page)
    pages = [c5, c5_team, c5_modalities, c5_meetings, c5_meeting, c2, c2_team]
    for page in [index, *pages, c2_modalities, secretariat]:
        publish(page)
    return Tree(
        home=home_page,
        index=index,
        c5=c5,
        c5_team=c5_team.specific_class.objects.get(pk=c5_team.pk),
        c5_modalities=c5_modalities,
        c5_meetings=c5_meetings,
        c5_meeting=c5_meeting,
        c2=c2,
        c2_team=c2_team.specific_class.objects.get(pk=c2_team.pk),
        c2_modalities=c2_modalities,
        secretariat=secretariat,
    )


@pytest.fixture(scope="module")
def tree_template(django_db_setup, django_db_blocker):
    """Build the tree once for a module whose database tests all use it.

    Each test runs in a savepoint of this module's transaction (as Django's
    ``setUpTestData``), so it starts from the same tree and leaves nothing;
    ``tree`` gives each test fresh instances. pytest_collection_modifyitems
    decides which modules share it.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_tree(HomePage.objects.get(depth=2))
            yield {name: getattr(built, name).pk for name in TREE_PAGES}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def tree(request, home_page):
    """Action lines C5 and C2 with their teams, as the Secretariat would set them up."""
    if "tree_template" not in request.fixturenames:
        return build_tree(home_page)
    pks = request.getfixturevalue("tree_template")
    pages = Page.objects.in_bulk(pks.values())
    return Tree(
        home=home_page, **{name: pages[pk].specific for name, pk in pks.items()}
    )


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


def _module_wide_database(item):
    """Return whether a fixture of ``item`` holds the database beyond one test."""
    for name in item.fixturenames:
        if name.startswith("_django"):  # pytest-django's own, for unittest classes
            continue
        for fixturedef in item._fixtureinfo.name2fixturedefs.get(name, ()):
            if fixturedef.scope in ("module", "class", "package") and (
                "django_db_blocker" in fixturedef.argnames
            ):
                return True
    return False


def pytest_collection_modifyitems(config, items):
    """Share one tree among the database tests of a module.

    Building the tree (ten pages, published, two teams set up) is most of the
    set-up of the tests that use it. Every database test of a module that shares
    it sees it, whether it asks for it or not; a module does not share it if one
    of its tests is transactional (a flush would end the module's transaction)
    or has another fixture holding the database for the whole module.
    """
    modules = {}
    for item in items:
        modules.setdefault(getattr(item, "module", None), []).append(item)
    for module, module_items in modules.items():
        if module is None:
            continue
        database = [
            item
            for item in module_items
            if item.get_closest_marker("django_db")
            or {"db", "transactional_db", "tree"} & set(item.fixturenames)
        ]
        if not any("tree" in item.fixturenames for item in database) or any(
            _transactional(item) or _module_wide_database(item) for item in database
        ):
            continue
        for item in database:
            item.fixturenames.insert(0, "tree_template")


@pytest.fixture
def users(tree):
    """One user per role of the permission matrix."""
    return {
        "public": UserFactory(username="public"),
        "c5_facilitator": UserFactory(username="c5fac", groups=["C5 facilitators"]),
        "c2_facilitator": UserFactory(username="c2fac", groups=["C2 facilitators"]),
        "inventory_editor": UserFactory(username="editor", groups=[INVENTORY_EDITORS]),
        "report_reviewer": UserFactory(username="reviewer", groups=[REPORT_REVIEWERS]),
        "secretariat": UserFactory(username="secretary", groups=[SECRETARIAT]),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def client_for(client):
    """A test client logged in as the given user (None: anonymous)."""

    def make(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return make


# --- The real search engine -------------------------------------------------
#
# Tests use Wagtail's database backend unless they ask for ``cluster``: then the
# inventory is indexed in a real OpenSearch node. `make test` starts one and passes
# its address in SEARCH_TEST_URL; without it, the session starts its own node.
# It never skips: if no node can start, the tests that need one fail.


@pytest.fixture(scope="session")
def search_node_url():
    url = os.environ.get("SEARCH_TEST_URL")
    if url:
        yield url
        return
    opensearch_node.ensure_installed()
    node = opensearch_node.start(timeout=180)
    try:
        yield node.url
    finally:
        node.stop()
        node.cleanup()


@pytest.fixture
def cluster(settings, search_node_url, db):
    """Switches the search backend to the real engine, with a fresh inventory index.

    Returns a helper with ``refresh()`` (make indexed changes searchable) and the
    ``backend``.
    """
    from inventory.models import InventoryEntry
    from search.backends import default_backend

    settings.WAGTAILSEARCH_BACKENDS = cluster_settings(search_node_url)
    backend = default_backend()
    index = backend.get_index_for_model(InventoryEntry)
    if index.is_alias():  # a full rebuild ran: the name is now an alias
        for aliased in index.aliased_indices():
            aliased.delete()
    index.reset()
    index.add_model(InventoryEntry)

    class Cluster:
        def __init__(self):
            self.backend = backend
            self.index = index
            self.url = search_node_url

        def refresh(self):
            self.index.refresh()

    return Cluster()
