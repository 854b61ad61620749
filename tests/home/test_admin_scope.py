"""The page chooser's search on both search backends.

Live pages and the user's own, never another team's draft (home.admin_scope,
home.scoped_admin).

The permission audit (tests/security/test_permission_audit.py) checks every
listing view on the database backend; here the chooser's filter goes through
the search engine's query compiler too.
"""

import json

from django.urls import reverse

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

import pytest

from tests.factories import MeetingIndexPageFactory
from tests.helpers.pages import publish

LIVE_TITLE = "Consultation meetings of C5"
DRAFT_TITLE = "Consultation meetings in preparation"


@pytest.fixture(params=["database", "cluster"])
def search_backend(request, db):
    """The database backend, or the real engine with a fresh page index."""
    if request.param == "database":
        return get_search_backend()
    backend = request.getfixturevalue("cluster").backend
    index = backend.get_index_for_model(Page)
    index.reset()
    index.add_model(Page)
    return backend


@pytest.fixture
def consultations(tree, users, search_backend):
    """A published page of C5's area and a never-published one of C2's, indexed."""
    publish(
        MeetingIndexPageFactory(
            parent=tree.c5_team, title=LIVE_TITLE, slug="consultations"
        )
    )
    draft = MeetingIndexPageFactory(
        parent=tree.c2_team, title=DRAFT_TITLE, slug="consultations", live=False
    )
    draft.save_revision(user=users["c2_facilitator"])
    for page in Page.objects.filter(depth__gt=1).specific():
        search_backend.add(page)
    index = search_backend.get_index_for_model(Page)
    if hasattr(index, "refresh"):
        index.refresh()
    return draft


def chooser_search(client):
    url = reverse("wagtailadmin_choose_page_search")
    response = client.get(url, {"q": "consultation"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["c5_facilitator", "inventory_editor"])
def test_chooser_search_finds_live_pages_not_another_teams_draft(
    consultations, users, client_for, role
):
    text = chooser_search(client_for(users[role]))
    assert LIVE_TITLE in text
    assert DRAFT_TITLE not in text


def test_chooser_search_finds_the_teams_own_draft(consultations, users, client_for):
    text = chooser_search(client_for(users["c2_facilitator"]))
    assert DRAFT_TITLE in text
    assert LIVE_TITLE in text


def test_chooser_returns_no_draft_it_does_not_list(tree, users, client_for):
    draft = MeetingIndexPageFactory(
        parent=tree.c2_team, title=DRAFT_TITLE, slug="consultations", live=False
    )
    url = reverse("wagtailadmin_choose_page_chosen_multiple")
    client = client_for(users["c5_facilitator"])
    response = client.get(f"{url}?id={draft.pk}&id={tree.c2_team.pk}")
    assert response.status_code == 200
    result = json.loads(response.content)["result"]
    assert [page["id"] for page in result] == [tree.c2_team.pk]


def test_list_filters_scope_pages_not_lookups(tree, users, client_for):
    """Facilitators filter their entries by their own team, never another's draft.

    A team's facilitators filter their entries by their own team and by any
    published one, never by another team's draft; the organisations' locale filter
    (a lookup, not content) still offers every language.
    """
    from tests.factories import TeamPageFactory

    TeamPageFactory(
        parent=tree.c2, title="C2 team in preparation", slug="team-2", live=False
    )
    client = client_for(users["c5_facilitator"])
    inventory = client.get(reverse("wagtailsnippets_inventory_inventoryentry:list"))
    assert inventory.status_code == 200
    text = inventory.content.decode()
    assert "C5 team" in text
    assert "C2 team in preparation" not in text
    organisations = client.get(
        reverse("wagtailsnippets_home_stakeholderorganisation:list")
    )
    assert organisations.status_code == 200
    assert "Français" in organisations.content.decode()
