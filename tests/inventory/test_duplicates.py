"""Duplicates.

A near-copy of a published entry is listed beside its original when it is submitted and
when an editor opens it (on both engines), and an editor can mark it a duplicate: not
published, its submitter told which entry it repeats.
"""

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from wagtail.models import ModelLogEntry, WorkflowState

import pytest
from bs4 import BeautifulSoup

from inventory.duplicates import cluster_similar, database_similar, similar_entries
from inventory.models import DuplicateMark, InventoryEntry
from inventory.search import primary_engine
from tests.factories import InventoryEntryFactory
from tests.helpers.inventory import admin_form_data, public_submission

SNIPPET = "wagtailsnippets_inventory_inventoryentry"
ORIGINAL = {
    "title": "Cybersecurity clinics for small businesses in Jordan",
    "summary": "Free weekly cybersecurity clinics for small businesses, run with "
    "the Amman chamber of commerce.",
}
NEAR_COPY = {
    "title": "Cybersecurity clinics for small businesses",
    "summary": "Weekly free clinics on cybersecurity for small businesses with the "
    "chamber of commerce of Amman.",
}


@pytest.fixture
def published(indexed):
    """The original, an unrelated published entry, both searchable."""
    with indexed():
        original = InventoryEntryFactory(countries=["JOR"], **ORIGINAL)
        unrelated = InventoryEntryFactory(
            title="Telemedicine network for rural hospitals",
            summary="Remote consultations between district hospitals.",
        )
    return original, unrelated


def submit_near_copy(client, capture):
    with capture(execute=True):
        response = client.post("/inventory/submit/", public_submission(**NEAR_COPY))
    assert response.status_code == 302
    return response, InventoryEntry.objects.get(title=NEAR_COPY["title"])


def test_similar_entries_finds_the_original_on_both_engines(engine, published):
    original, unrelated = published
    copy = InventoryEntry(**NEAR_COPY)
    found = [item.entry for item in similar_entries(copy)]
    assert found[0] == original
    assert unrelated not in found
    # Each engine answers itself (the cluster's answer is not the fallback's).
    if engine.name == "cluster":
        assert cluster_similar(primary_engine(), copy)[0] == original.pk
    else:
        assert database_similar(copy) == [original.pk]


def test_submitter_sees_the_similar_published_entries(
    engine, published, client, django_capture_on_commit_callbacks
):
    original, unrelated = published
    response, _entry = submit_near_copy(client, django_capture_on_commit_callbacks)
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    content = thanks.content.decode()
    assert "Similar activities already in the inventory" in content
    assert original.title in content
    assert f"/inventory/entries/{original.pk}/" in content
    assert unrelated.title not in content


def test_editor_sees_the_original_in_the_entrys_editor(
    engine, published, users, client, django_capture_on_commit_callbacks
):
    original, unrelated = published
    _response, entry = submit_near_copy(client, django_capture_on_commit_callbacks)
    editor = Client()
    editor.force_login(users["inventory_editor"])
    page = editor.get(reverse(f"{SNIPPET}:edit", args=[entry.pk]))
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    panel = soup.select_one(".similar-entries")
    assert panel is not None
    text = panel.get_text(" ")
    assert original.title in text
    assert original.reference in text
    assert "Jordan" in text
    assert unrelated.title not in text
    button = panel.select_one("button[name=original]")
    assert button["value"] == str(original.pk)


def test_team_filing_a_near_copy_is_warned(
    tree, users, published, django_capture_on_commit_callbacks
):
    original, _unrelated = published
    client = Client()
    client.force_login(users["c5_facilitator"])
    data = admin_form_data(team=tree.c5_team.pk, **NEAR_COPY)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(f"{SNIPPET}:add"), {**data, "action-submit": "1"}
        )
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(original.reference in message for message in shown), shown


def test_editor_marks_a_duplicate(
    published, users, client, mailoutbox, django_capture_on_commit_callbacks
):
    original, _unrelated = published
    _response, entry = submit_near_copy(client, django_capture_on_commit_callbacks)
    editor = Client()
    editor.force_login(users["inventory_editor"])
    mailoutbox.clear()
    url = reverse("inventory_mark_duplicate", args=[entry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(url, {"original": original.pk})
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert entry.title in message and original.reference in message

    entry = InventoryEntry.objects.get(pk=entry.pk)
    assert entry.live is False
    assert entry.workflow_in_progress is False
    assert DuplicateMark.objects.get(entry=entry).original == original
    log = ModelLogEntry.objects.for_instance(entry).get(
        action="inventory.mark_duplicate"
    )
    assert log.user == users["inventory_editor"]
    assert log.data["original"] == original.reference
    assert Client().get(f"/inventory/entries/{entry.pk}/").status_code == 404

    [mail] = [m for m in mailoutbox if entry.contact_email in m.to]
    assert "duplicates" in mail.subject
    assert original.title in mail.body
    assert f"/inventory/entries/{original.pk}/" in mail.body

    status = client.get(
        "/inventory/status/",
        {"reference": entry.reference, "key": entry.status_key()},
    ).content.decode()
    assert "already in the inventory" in status
    assert original.title in status
    assert original.reference in status
    public = Client().get("/inventory/status/", {"reference": entry.reference})
    assert original.title not in public.content.decode()


@pytest.mark.parametrize("role", ["c5_facilitator", "secretariat", None])
def test_only_editors_mark_duplicates(
    published, users, role, client, django_capture_on_commit_callbacks
):
    original, _unrelated = published
    _response, entry = submit_near_copy(client, django_capture_on_commit_callbacks)
    other = Client()
    if role:
        other.force_login(users[role])
    url = reverse("inventory_mark_duplicate", args=[entry.pk])
    response = other.post(url, {"original": original.pk})
    assert response.status_code in {302, 403, 404}
    if role is None:
        assert "/login/" in response["Location"]
    assert not DuplicateMark.objects.exists()
    entry = InventoryEntry.objects.get(pk=entry.pk)
    assert entry.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_publishing_a_marked_entry_clears_the_mark(published, users):
    original, unrelated = published
    DuplicateMark.objects.create(entry=unrelated, original=original)
    unrelated.save_revision().publish()
    assert not DuplicateMark.objects.exists()
