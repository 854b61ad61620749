"""The editors' work queue.

States, ages and teams in the listing, bulk approval and rejection through each entry's
workflow, confirmations that name the entry, and the user's own tasks first on the
dashboard.
"""

import datetime

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry, WorkflowState

import pytest
from bs4 import BeautifulSoup

from inventory.models import InventoryEntry
from inventory.moderation import submit_for_moderation
from tests.factories import InventoryEntryFactory

SNIPPET = "wagtailsnippets_inventory_inventoryentry"
REASON = "Duplicates an activity already in the inventory."


def listing(client, **params):
    response = client.get(reverse(f"{SNIPPET}:list_results"), params)
    assert response.status_code == 200
    return response.content.decode()


def bulk_url(action, entries):
    ids = "&".join(f"id={entry.pk}" for entry in entries)
    return f"/admin/bulk/inventory/inventoryentry/{action}/?next=/admin/&{ids}"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def refreshed(entry):
    return InventoryEntry.objects.get(pk=entry.pk)


@pytest.fixture
def editor(users):
    client = Client()
    client.force_login(users["inventory_editor"])
    return client


@pytest.fixture
def queue(tree):
    """Create three entries in moderation and one published.

    Three entries in moderation (one of the C5 team, one waiting for 40 days) and
    one published.
    """
    fresh = InventoryEntryFactory(title="Fresh community network", draft=True)
    old = InventoryEntryFactory(title="Old school connectivity", draft=True)
    team = InventoryEntryFactory(
        title="Team cyber drill", draft=True, team=tree.c5_team
    )
    published = InventoryEntryFactory(title="Published registry", published=True)
    for entry in (fresh, old, team):
        submit_for_moderation(entry)
    WorkflowState.objects.filter(object_id=str(old.pk)).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    return {"fresh": fresh, "old": old, "team": team, "published": published}


def shown(content, entries):
    return {name for name, entry in entries.items() if entry.title in content}


def test_listing_shows_each_entrys_moderation_state(editor, queue):
    soup = BeautifulSoup(listing(editor), "html.parser")
    rows = {
        row.get_text(" ", strip=True)
        for row in soup.select("tbody tr")
        if row.get_text(strip=True)
    }
    old_row = next(row for row in rows if "Old school connectivity" in row)
    assert "In moderation for 40 days" in old_row
    fresh_row = next(row for row in rows if "Fresh community network" in row)
    assert "In moderation for 0 days" in fresh_row
    published_row = next(row for row in rows if "Published registry" in row)
    assert "Published" in published_row
    assert "In moderation" not in published_row


def test_listing_filters_by_age_in_the_queue_and_by_team(editor, queue, tree):
    assert shown(listing(editor, waiting=30), queue) == {"old"}
    assert shown(listing(editor, waiting=7), queue) == {"old"}
    assert shown(listing(editor, waiting=90), queue) == set()
    assert shown(listing(editor, team=tree.c5_team.pk), queue) == {"team"}
    both = listing(editor, team=tree.c5_team.pk, moderation="in_moderation")
    assert shown(both, queue) == {"team"}


def test_listing_sorts_by_time_in_the_queue(editor, queue):
    content = listing(editor, ordering="queued_at", moderation="in_moderation")
    assert content.index("Old school connectivity") < content.index(
        "Fresh community network"
    )


def test_bulk_approve_runs_each_entry_through_its_workflow(
    editor, users, queue, mailoutbox, django_capture_on_commit_callbacks
):
    chosen = [queue["fresh"], queue["old"], queue["published"]]
    confirmation = editor.get(bulk_url("approve", chosen))
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "Fresh community network" in page
    assert "Not in moderation, or not yours to approve" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(bulk_url("approve", chosen))
    assert response.status_code == 302
    for name in ("fresh", "old"):
        entry = refreshed(queue[name])
        assert entry.live is True
        assert entry.workflow_in_progress is False
        approvals = ModelLogEntry.objects.for_instance(entry).filter(
            action="wagtail.workflow.approve"
        )
        assert approvals.count() == 1
        assert approvals.get().user == users["inventory_editor"]
        published = [m for m in mailoutbox if entry.contact_email in m.to]
        assert len(published) == 1
    assert refreshed(queue["team"]).workflow_in_progress is True
    assert not ModelLogEntry.objects.for_instance(queue["published"]).filter(
        action="wagtail.workflow.approve"
    )
    [message] = messages_of(response)
    assert "2 entries approved and published" in message
    assert "Fresh community network" in message
    assert queue["old"].reference in message


def test_bulk_reject_gives_every_entry_the_one_reason(
    editor, queue, mailoutbox, django_capture_on_commit_callbacks
):
    chosen = [queue["fresh"], queue["team"]]
    refused = editor.post(bulk_url("reject", chosen), {"comment": "   "})
    assert refused.status_code == 200
    assert all(refreshed(entry).workflow_in_progress for entry in chosen)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(bulk_url("reject", chosen), {"comment": REASON})
    assert response.status_code == 302
    for entry in chosen:
        entry = refreshed(entry)
        assert entry.live is False
        assert entry.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
        [log] = ModelLogEntry.objects.for_instance(entry).filter(
            action="wagtail.workflow.reject"
        )
        assert log.data["comment"] == REASON
        [mail] = [m for m in mailoutbox if entry.contact_email in m.to]
        assert REASON in mail.body
    [message] = messages_of(response)
    assert "2 entries rejected" in message
    assert "Team cyber drill" in message


@pytest.mark.parametrize("role", ["c5_facilitator", "secretariat"])
def test_bulk_moderation_is_refused_to_whom_may_not_moderate(
    users, queue, role, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(users[role])
    chosen = [queue["team"]]
    for action, data in [("approve", {}), ("reject", {"comment": REASON})]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(bulk_url(action, chosen), data)
        assert response.status_code in {200, 302, 403, 404}
    entry = refreshed(queue["team"])
    assert entry.live is False
    assert entry.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not ModelLogEntry.objects.for_instance(entry).filter(
        action__in=["wagtail.workflow.approve", "wagtail.workflow.reject"]
    )


def test_one_approval_and_one_rejection_name_the_entry(
    editor, queue, django_capture_on_commit_callbacks
):
    def act(entry, action, **data):
        task_state = refreshed(entry).current_workflow_task_state
        url = reverse(
            f"{SNIPPET}:workflow_action", args=(entry.pk, action, task_state.pk)
        )
        with django_capture_on_commit_callbacks(execute=True):
            return editor.post(url, data)

    approved = act(queue["fresh"], "approve")
    [message] = messages_of(approved)
    assert "Fresh community network" in message
    assert queue["fresh"].reference in message
    assert "approved" in message

    editor.get("/admin/")  # shows (and so consumes) the first message
    rejected = act(queue["old"], "reject", comment=REASON)
    [message] = messages_of(rejected)
    assert "Old school connectivity" in message
    assert "rejected" in message

    # A refused rejection (no reason) confirms nothing.
    editor.get("/admin/")
    nothing = act(queue["team"], "reject", comment="")
    assert not any("Team cyber drill" in text for text in messages_of(nothing))


def test_dashboard_puts_the_users_own_tasks_first(editor, queue):
    content = editor.get("/admin/").content.decode()
    assert "Awaiting your review" in content
    assert "Inventory moderation" in content
    assert content.index("Awaiting your review") < content.index("Inventory moderation")
