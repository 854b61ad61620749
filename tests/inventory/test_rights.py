"""Per-entry rights in the admin: who sees, edits, publishes and deletes what.

Each role is tried over HTTP on a C5 team entry and a C2 team entry. A team's
facilitators work on their own team's entries only, and their changes go to
moderation; inventory editors do everything; the Secretariat only looks.
"""

import csv
import io

from django.test import Client
from django.urls import reverse

from wagtail.models import Revision

import pytest

from inventory.models import InventoryEntry
from inventory.moderation import submit_for_moderation
from tests.factories import InventoryEntryFactory
from tests.helpers.inventory import admin_form_data, admin_url

ROLES = [
    "anonymous",
    "public",
    "c5_facilitator",
    "c2_facilitator",
    "inventory_editor",
    "report_reviewer",
    "secretariat",
    "superuser",
]
EVERY_ENTRY = {"c5", "c5_draft", "c2", "c2_draft", "orphan"}
# The entries each role finds in the admin listing (None: no access at all).
LISTED = {
    "anonymous": None,
    "public": None,
    "c5_facilitator": {"c5", "c5_draft"},
    "c2_facilitator": {"c2", "c2_draft"},
    "inventory_editor": EVERY_ENTRY,
    "report_reviewer": None,
    "secretariat": EVERY_ENTRY,
    "superuser": EVERY_ENTRY,
}
# The team entries (C5's, C2's) each role may change.
EDITS = {
    "anonymous": set(),
    "public": set(),
    "c5_facilitator": {"c5"},
    "c2_facilitator": {"c2"},
    "inventory_editor": {"c5", "c2"},
    "report_reviewer": set(),
    "secretariat": set(),
    "superuser": {"c5", "c2"},
}
PUBLISHERS = {"inventory_editor", "superuser"}
DELETERS = {"inventory_editor", "superuser"}


@pytest.fixture
def entries(tree):
    """Published and in-moderation entries of both teams, and a public submission."""
    made = {
        "c5": InventoryEntryFactory(
            title="Alpha C5 published", team=tree.c5_team, published=True
        ),
        "c2": InventoryEntryFactory(
            title="Bravo C2 published", team=tree.c2_team, published=True
        ),
        "c5_draft": InventoryEntryFactory(
            title="Charlie C5 in moderation", team=tree.c5_team, draft=True
        ),
        "c2_draft": InventoryEntryFactory(
            title="Delta C2 in moderation", team=tree.c2_team, draft=True
        ),
        "orphan": InventoryEntryFactory(title="Echo public submission", draft=True),
    }
    for key in ("c5_draft", "c2_draft", "orphan"):
        submit_for_moderation(made[key])
    return made


def login(users, role):
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def titles_in(text, entries):
    return {key for key, entry in entries.items() if entry.title in text}


def assert_refused(response, *hidden):
    """Refused: a 403, or a redirect to the login page or the admin dashboard."""
    assert response.status_code in {302, 403}, response.status_code
    if response.status_code == 302:
        location = response["Location"]
        assert location == "/admin/" or location.startswith("/admin/login/"), location
    text = body(response)
    for title in hidden:
        assert title not in text


def live_title(entry):
    return InventoryEntry.objects.get(pk=entry.pk).title


def latest_title(entry):
    return InventoryEntry.objects.get(pk=entry.pk).get_latest_revision_as_object().title


# --- Listing and export ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_listing_shows_only_the_entries_in_scope(entries, users, role):
    client = login(users, role)
    titles = [entry.title for entry in entries.values()]
    for url in (admin_url("list"), admin_url("list_results")):
        response = client.get(url)
        if LISTED[role] is None:
            assert_refused(response, *titles)
        else:
            assert response.status_code == 200
            assert titles_in(body(response), entries) == LISTED[role]


@pytest.mark.parametrize("role", ROLES)
def test_csv_export_contains_only_the_entries_in_scope(entries, users, role):
    """The admin export includes drafts, so it follows the same scope."""
    response = login(users, role).get(admin_url("list"), {"export": "csv"})
    if LISTED[role] is None:
        assert_refused(response, *[entry.reference for entry in entries.values()])
        return
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body(response))))
    cells = {cell for row in rows[1:] for cell in row}
    exported = {key for key, entry in entries.items() if entry.reference in cells}
    assert exported == LISTED[role]
    assert len(rows) - 1 == len(LISTED[role])


@pytest.mark.parametrize("role", ROLES)
def test_filtered_listing_stays_in_scope(entries, users, role, tree):
    """Filtering by another team's id shows nothing of it."""
    if LISTED[role] is None:
        return
    response = login(users, role).get(
        admin_url("list_results"), {"team": tree.c2_team.pk}
    )
    assert response.status_code == 200
    assert titles_in(body(response), entries) == LISTED[role] & {"c2", "c2_draft"}


@pytest.mark.parametrize("role", ROLES)
def test_chooser_lists_only_the_entries_in_scope(entries, users, role):
    client = login(users, role)
    response = client.get("/admin/snippets/choose/inventory/inventoryentry/")
    titles = [entry.title for entry in entries.values()]
    if role in {"anonymous", "public"}:
        assert_refused(response, *titles)
        return
    assert response.status_code == 200
    assert titles_in(body(response), entries) == (LISTED[role] or set())
    chosen = client.get(
        f"/admin/snippets/choose/inventory/inventoryentry/chosen/{entries['c2_draft'].pk}/"
    )
    if "c2_draft" in (LISTED[role] or set()):
        assert chosen.status_code == 200
    else:
        assert chosen.status_code == 404
        assert entries["c2_draft"].title not in body(chosen)


# --- Opening and changing one entry ------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", ["c5", "c2"])
def test_edit_view(entries, users, role, key):
    entry = entries[key]
    response = login(users, role).get(admin_url("edit", entry.pk))
    if key in EDITS[role]:
        assert response.status_code == 200
        assert entry.title in body(response)
    else:
        assert_refused(response, entry.title, entry.contact_email)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", ["c5", "c2"])
def test_posted_edit(entries, users, role, key):
    """A permitted edit is saved as a draft revision; a refused one changes nothing."""
    entry = entries[key]
    revisions = Revision.objects.for_instance(entry).count()
    data = admin_form_data(entry, title=f"Changed by {role}")
    response = login(users, role).post(admin_url("edit", entry.pk), data)
    assert live_title(entry) == entry.title
    if key in EDITS[role]:
        assert response.status_code == 302
        assert latest_title(entry) == f"Changed by {role}"
    else:
        assert_refused(response)
        assert latest_title(entry) == entry.title
        assert Revision.objects.for_instance(entry).count() == revisions


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", ["c5", "c2"])
def test_publish_directly(entries, users, role, key):
    """Only inventory editors publish at once; a facilitator's change waits."""
    entry = entries[key]
    data = admin_form_data(entry, title=f"Published by {role}")
    response = login(users, role).post(
        admin_url("edit", entry.pk), {**data, "action-publish": "1"}
    )
    if key in EDITS[role] and role in PUBLISHERS:
        assert response.status_code == 302
        assert live_title(entry) == f"Published by {role}"
    elif key in EDITS[role]:
        assert response.status_code == 302
        assert live_title(entry) == entry.title
        assert latest_title(entry) == f"Published by {role}"
        public = Client().get(f"/inventory/entries/{entry.pk}/")
        assert f"Published by {role}" not in body(public)
    else:
        assert_refused(response)
        assert latest_title(entry) == entry.title


@pytest.mark.parametrize("role", ["c5_facilitator", "c2_facilitator"])
def test_facilitator_change_goes_to_moderation(entries, users, role):
    key = role[:2]
    entry = entries[key]
    data = admin_form_data(entry, title="Waiting for the editors")
    response = login(users, role).post(
        admin_url("edit", entry.pk), {**data, "action-submit": "1"}
    )
    assert response.status_code == 302
    entry = InventoryEntry.objects.get(pk=entry.pk)
    assert entry.workflow_in_progress is True
    assert entry.title == entries[key].title
    assert latest_title(entry) == "Waiting for the editors"


@pytest.mark.parametrize("role", ROLES)
def test_unpublish(entries, users, role):
    entry = entries["c5"]
    response = login(users, role).post(admin_url("unpublish", entry.pk))
    still_live = InventoryEntry.objects.get(pk=entry.pk).live
    if role in PUBLISHERS:
        assert response.status_code == 302
        assert still_live is False
    else:
        assert_refused(response)
        assert still_live is True


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", ["c5", "c2"])
def test_delete(entries, users, role, key):
    entry = entries[key]
    client = login(users, role)
    confirm = client.get(admin_url("delete", entry.pk))
    response = client.post(admin_url("delete", entry.pk))
    exists = InventoryEntry.objects.filter(pk=entry.pk).exists()
    if role in DELETERS:
        assert confirm.status_code == 200
        assert response.status_code == 302
        assert exists is False
    else:
        assert_refused(confirm, entry.title)
        assert_refused(response)
        assert exists is True


@pytest.mark.parametrize("role", ROLES)
def test_bulk_delete(entries, users, role):
    """The listing's bulk delete removes only what the user may delete."""
    url = reverse("wagtail_bulk_action", args=["inventory", "inventoryentry", "delete"])
    ids = [entries["c5"].pk, entries["c2"].pk]
    response = login(users, role).post(f"{url}?id={ids[0]}&id={ids[1]}")
    remaining = InventoryEntry.objects.filter(pk__in=ids).count()
    if role in DELETERS:
        assert remaining == 0
    else:
        # 404: none of the entries named is the user's to see.
        assert response.status_code in {200, 302, 403, 404}
        assert remaining == 2


# --- Views of another team's entry ------------------------------------------------


def object_views(entry):
    """(name, method, url) of every admin view about one entry."""
    revision = entry.latest_revision
    task_state = entry.current_workflow_task_state
    views = [
        ("inspect", "get", admin_url("inspect", entry.pk)),
        ("history", "get", admin_url("history", entry.pk)),
        ("history_results", "get", admin_url("history_results", entry.pk)),
        ("usage", "get", admin_url("usage", entry.pk)),
        ("preview", "get", admin_url("preview_on_edit", entry.pk)),
        ("preview", "post", admin_url("preview_on_edit", entry.pk)),
        (
            "revision",
            "get",
            admin_url("revisions_view", entry.pk, revision.pk),
        ),
        (
            "compare",
            "get",
            reverse(
                "wagtailsnippets_inventory_inventoryentry:revisions_compare",
                args=[entry.pk, "earliest", "latest"],
            ),
        ),
        ("revert", "get", admin_url("revisions_revert", entry.pk, revision.pk)),
        ("workflow_history", "get", admin_url("workflow_history", entry.pk)),
        ("lock", "post", admin_url("lock", entry.pk)),
        ("unlock", "post", admin_url("unlock", entry.pk)),
        (
            "confirm_cancellation",
            "get",
            admin_url("confirm_workflow_cancellation", entry.pk),
        ),
    ]
    if task_state is not None:
        views += [
            (
                "workflow_action",
                "get",
                admin_url("workflow_action", entry.pk, "approve", task_state.pk),
            ),
            (
                "collect_workflow_action_data",
                "get",
                admin_url(
                    "collect_workflow_action_data",
                    entry.pk,
                    "reject",
                    task_state.pk,
                ),
            ),
            (
                "workflow_preview",
                "get",
                admin_url("workflow_preview", entry.pk, task_state.task_id),
            ),
        ]
    return views


@pytest.mark.parametrize("key", ["c2", "c2_draft"])
@pytest.mark.parametrize("role", ["c5_facilitator", "report_reviewer", "public"])
def test_other_team_entry_is_closed(entries, users, role, key):
    """Previews, revisions, history, workflow and locks of C2's entries stay shut."""
    entry = InventoryEntry.objects.get(pk=entries[key].pk)
    client = login(users, role)
    for name, method, url in object_views(entry):
        response = getattr(client, method)(url)
        assert response.status_code in {302, 403}, (name, response.status_code)
        assert entry.title not in body(response), name
    entry = InventoryEntry.objects.get(pk=entry.pk)
    assert entry.locked is False
    assert entry.workflow_in_progress is (key == "c2_draft")


@pytest.mark.parametrize("role", ["c2_facilitator", "inventory_editor"])
def test_entitled_roles_open_revisions_and_previews(entries, users, role):
    entry = InventoryEntry.objects.get(pk=entries["c2"].pk)
    client = login(users, role)
    urls = {name: url for name, method, url in object_views(entry) if method == "get"}
    for name in ("inspect", "history", "preview", "revision", "compare"):
        response = client.get(urls[name])
        assert response.status_code == 200, name


def test_secretariat_reads_but_changes_nothing(entries, users):
    client = login(users, "secretariat")
    entry = entries["c2"]
    inspect = client.get(admin_url("inspect", entry.pk))
    assert inspect.status_code == 200
    assert entry.title in body(inspect)
    assert_refused(client.get(admin_url("add")))
    data = admin_form_data(title="Secretariat entry", team=entry.team_id)
    assert_refused(client.post(admin_url("add"), {**data, "action-publish": "1"}))
    assert not InventoryEntry.objects.filter(title="Secretariat entry").exists()
    assert_refused(client.post(admin_url("lock", entry.pk)))
    assert InventoryEntry.objects.get(pk=entry.pk).locked is False


# --- Creating entries -----------------------------------------------------------------


def team_choices(response):
    """The teams the add form accepts (the field is a page chooser)."""
    field = response.context["form"].fields["team"]
    return {str(pk) for pk in field.queryset.values_list("pk", flat=True)}


def test_facilitator_files_entries_for_its_own_team_only(tree, users):
    client = login(users, "c5_facilitator")
    form = client.get(admin_url("add"))
    assert form.status_code == 200
    assert team_choices(form) == {str(tree.c5_team.pk)}

    data = admin_form_data(title="Smuggled into C2", team=tree.c2_team.pk)
    response = client.post(admin_url("add"), {**data, "action-submit": "1"})
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    data = admin_form_data(title="Without a team", team="")
    response = client.post(admin_url("add"), {**data, "action-submit": "1"})
    assert "team" in response.context["form"].errors
    assert not InventoryEntry.objects.exists()

    data = admin_form_data(title="Filed for C5", team=tree.c5_team.pk)
    response = client.post(admin_url("add"), {**data, "action-submit": "1"})
    assert response.status_code == 302
    assert InventoryEntry.objects.get().team == tree.c5_team


def test_facilitator_cannot_move_an_entry_to_another_team(entries, users, tree):
    entry = entries["c5"]
    data = admin_form_data(entry, team=tree.c2_team.pk)
    response = login(users, "c5_facilitator").post(admin_url("edit", entry.pk), data)
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert InventoryEntry.objects.get(pk=entry.pk).team == tree.c5_team
    assert latest_title(entry) == entry.title


def test_editor_files_entries_for_any_team(tree, users):
    client = login(users, "inventory_editor")
    form = client.get(admin_url("add"))
    assert team_choices(form) >= {str(tree.c5_team.pk), str(tree.c2_team.pk)}
    data = admin_form_data(title="Filed for C2", team=tree.c2_team.pk)
    response = client.post(admin_url("add"), {**data, "action-publish": "1"})
    assert response.status_code == 302
    entry = InventoryEntry.objects.get()
    assert entry.team == tree.c2_team
    assert entry.live is True


@pytest.mark.parametrize("role", ["anonymous", "public", "report_reviewer"])
def test_roles_without_inventory_rights_cannot_add(tree, users, role):
    client = login(users, role)
    assert_refused(client.get(admin_url("add")))
    data = admin_form_data(title="Sneaked in", team=tree.c5_team.pk)
    assert_refused(client.post(admin_url("add"), {**data, "action-submit": "1"}))
    assert not InventoryEntry.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/site-history/",
    ],
)
def test_admin_reports_hide_other_teams_entries(entries, users, url):
    """The reports open for a facilitator, without other teams' entries."""
    response = login(users, "c5_facilitator").get(url)
    assert response.status_code == 200
    assert entries["c2_draft"].title not in body(response)
    assert entries["orphan"].title not in body(response)


def test_site_history_still_shows_editors_every_entry(entries, users):
    response = login(users, "inventory_editor").get("/admin/reports/site-history/")
    assert response.status_code == 200
    assert entries["c2_draft"].title in body(response)
