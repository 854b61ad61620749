"""Internal notes: the inventory editors' words about an entry, for them only.

They are written in the admin (the entry's "Internal notes" tab) and never leave
it: not on the public or the submitter's status page, not in an e-mail, the API,
the CSV export, the search (database or engine) or the public record, and not
to facilitators or the Secretariat in the admin.
"""

import json

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from accounts.models import EntryClaim
from inventory.export import public_records
from inventory.models import InternalNote, InventoryEntry
from inventory.moderation import submit_for_moderation
from tests.factories import InventoryEntryFactory
from tests.helpers.accounts import make_account
from tests.helpers.inventory import approve
from tests.helpers.public_forms import CONTACT, submission

pytestmark = pytest.mark.django_db

NOTE = "Internal: the ministry asked us not to publish the budget figures."
NOTES_ADD = "internal_notes:add"


def entry_edit(entry):
    return reverse("wagtailsnippets_inventory_inventoryentry:edit", args=[entry.pk])


def add_note(client, entry, text=NOTE):
    return client.post(
        reverse(NOTES_ADD) + f"?entry={entry.pk}", {"entry": entry.pk, "text": text}
    )


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def c5_entry(tree):
    entry = InventoryEntryFactory(
        title="Cyber clinics", team=tree.c5_team, contact_email=CONTACT, published=True
    )
    return InventoryEntry.objects.get(pk=entry.pk)


def test_an_editor_writes_a_note_from_the_entrys_editor(c5_entry, users, client_for):
    editor = client_for(users["inventory_editor"])
    page = BeautifulSoup(editor.get(entry_edit(c5_entry)).content, "html.parser")
    add = page.find("a", string=lambda text: text and "Add an internal note" in text)
    assert add is not None
    form = editor.get(add["href"])
    assert form.status_code == 200
    assert form.context["form"].initial["entry"] == c5_entry.pk

    response = add_note(editor, c5_entry)
    assert response.status_code == 302
    assert response["Location"] == entry_edit(c5_entry)
    note = InternalNote.objects.get()
    assert (note.entry, note.text, note.author) == (
        c5_entry,
        NOTE,
        users["inventory_editor"],
    )
    assert NOTE in body(editor.get(entry_edit(c5_entry)))
    # Not part of the entry: no revision, nothing to publish.
    assert c5_entry.revisions.count() == 1
    assert NOTE not in json.dumps(c5_entry.latest_revision.content)


@pytest.mark.parametrize("role", ["c5_facilitator", "secretariat", "public"])
def test_nobody_but_the_editors_reads_or_writes_notes(
    c5_entry, users, client_for, role
):
    InternalNote.objects.create(entry=c5_entry, text=NOTE)
    client = client_for(users[role])
    for url in (
        reverse("internal_notes:index"),
        reverse(NOTES_ADD),
        reverse("internal_notes:edit", args=[InternalNote.objects.get().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert NOTE not in body(response)
    assert add_note(client, c5_entry, "Facilitator's note").status_code == 302
    assert InternalNote.objects.count() == 1


def test_the_facilitator_editing_the_entry_does_not_see_its_notes(
    c5_entry, users, client_for
):
    InternalNote.objects.create(entry=c5_entry, text=NOTE)
    facilitator = client_for(users["c5_facilitator"])
    response = facilitator.get(entry_edit(c5_entry))
    assert response.status_code == 200
    content = body(response)
    assert NOTE not in content
    assert "Internal notes" not in content
    # Nor the Secretariat, who reads entries.
    secretariat = client_for(users["secretariat"])
    url = reverse(
        "wagtailsnippets_inventory_inventoryentry:inspect", args=[c5_entry.pk]
    )
    inspect = secretariat.get(url)
    assert inspect.status_code == 200
    assert NOTE not in body(inspect)


def test_a_note_never_leaves_the_admin(
    client, tree, users, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    """No page, file or e-mail outside the admin shows an internal note.

    A public submission with a note, rejected, corrected through an update link,
    approved: no page, file or e-mail outside the admin shows the note.
    """
    capture = django_capture_on_commit_callbacks
    public = client
    with capture(execute=True):
        response = public.post("/inventory/submit/", submission(title="Cyber drills"))
    entry = InventoryEntry.objects.get()
    thanks = response["Location"]
    InternalNote.objects.create(
        entry=entry, text=NOTE, author=users["inventory_editor"]
    )
    with capture(execute=True):
        entry.current_workflow_task_state.specific.reject(
            user=users["inventory_editor"], comment="Add the dates."
        )
    # The submitter corrects it from the account that holds it.
    account = make_account(CONTACT)
    EntryClaim.objects.create(entry=entry, user=account, source="claimed")
    public.force_login(account)
    with capture(execute=True):
        public.post(
            f"/my/activities/{entry.pk}/edit/", submission(title="Cyber drills 2025")
        )
    account_pages = {
        "my activity": public.get(f"/my/activities/{entry.pk}/"),
        "my activities": public.get("/my/activities/"),
        "my update form": public.get(f"/my/activities/{entry.pk}/edit/"),
    }
    entry = approve(entry, users["inventory_editor"], client_for, capture)
    assert entry.live
    client_for(None)

    key = {"reference": entry.reference, "key": entry.status_key()}
    outside = {
        "thanks": public.get(thanks),
        "entry page": public.get(f"/inventory/entries/{entry.pk}/"),
        "public status": public.get(
            "/inventory/status/", {"reference": entry.reference}
        ),
        "submitter's status": public.get("/inventory/status/", key),
        "search": public.get("/inventory/", {"q": "ministry budget"}),
        "search listing": public.get("/inventory/"),
        "site search": public.get("/search/", {"q": "ministry budget"}),
        "api": public.get("/api/inventory/"),
        "api search": public.get("/api/inventory/", {"q": "ministry budget"}),
        "export": public.get("/inventory/export.csv"),
    }
    for name, response in {**outside, **account_pages}.items():
        assert response.status_code == 200, name
        assert NOTE not in body(response), name
    assert entry.title in body(outside["api"])
    assert public.get("/api/inventory/", {"q": "ministry"}).json()["count"] == 0
    assert len(mailoutbox) >= 3  # received, rejected, published
    for mail in mailoutbox:
        assert NOTE not in mail.subject + mail.body
    assert NOTE not in json.dumps(public_records([entry.pk]))
    for revision in entry.revisions.all():
        assert NOTE not in json.dumps(revision.content)


def test_a_note_is_not_in_the_engines_document(
    cluster, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = InventoryEntryFactory(title="Cyber clinics", draft=True)
        InternalNote.objects.create(entry=entry, text=NOTE)
        submit_for_moderation(entry)
        entry.get_latest_revision().publish()
    cluster.refresh()
    response = cluster.backend.es.search(
        index=cluster.index.name, body={"query": {"match_all": {}}}
    )
    hits = response["hits"]["hits"]
    assert [hit["_source"]["title"] for hit in hits] == ["Cyber clinics"]
    assert NOTE not in json.dumps(hits)
    assert "budget" not in json.dumps(hits)
