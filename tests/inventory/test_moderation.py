"""Moderation of inventory entries: nothing is public before an editor approves it."""

from django.test import Client

from wagtail.models import ModelLogEntry, WorkflowState

import pytest
from bs4 import BeautifulSoup

from inventory.models import InventoryEntry
from inventory.moderation import WORKFLOW_NAME, submit_for_moderation
from tests.factories import InventoryEntryFactory
from tests.helpers.inventory import (
    SUBMITTER,
    act,
    admin_form_data,
    admin_url,
    public_submission,
    refreshed,
    workflow_action_url,
)

REASON = "Please add the countries where the trainings took place."


def public_page(entry):
    return Client().get(f"/inventory/entries/{entry.pk}/")


def in_public_search(entry, title=None):
    content = Client().get("/inventory/", {"q": "clinics"}).content.decode()
    listing = Client().get("/inventory/").content.decode()
    title = title or entry.title
    return title in content or title in listing


def mails_to(mailoutbox, address, word=""):
    return [mail for mail in mailoutbox if address in mail.to and word in mail.subject]


@pytest.fixture
def submitted(db, client, django_capture_on_commit_callbacks):
    """An entry sent through the public form by a member of the public."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/inventory/submit/", public_submission())
    assert response.status_code == 302
    return InventoryEntry.objects.get()


@pytest.fixture
def editor_client(users):
    """A separate client for the editor, so ``client`` stays anonymous."""
    client = Client()
    client.force_login(users["inventory_editor"])
    return client


def test_public_submission_waits_in_moderation(submitted):
    """A submitted entry is in the workflow, unpublished, and nowhere in public."""
    entry = refreshed(submitted)
    assert entry.live is False
    assert entry.workflow_in_progress is True
    assert entry.current_workflow_state.workflow.name == WORKFLOW_NAME
    assert public_page(entry).status_code == 404
    assert not in_public_search(entry)


def test_facilitator_admin_entry_waits_in_moderation(
    tree, users, client_for, django_capture_on_commit_callbacks
):
    """An entry a facilitator files in the admin is submitted, not published."""
    client = client_for(users["c5_facilitator"])
    data = admin_form_data(team=tree.c5_team.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url("add"), {**data, "action-submit": "1"})
    assert response.status_code == 302
    entry = InventoryEntry.objects.get()
    assert entry.team_id == tree.c5_team.pk
    assert entry.live is False
    assert entry.workflow_in_progress is True
    assert entry.current_workflow_state.workflow.name == WORKFLOW_NAME
    assert entry.current_workflow_state.requested_by == users["c5_facilitator"]
    assert public_page(entry).status_code == 404
    assert not in_public_search(entry)


def test_facilitator_cannot_publish_from_the_admin(tree, users, client_for):
    """Asking to publish without the publish permission saves a draft only."""
    client = client_for(users["c5_facilitator"])
    data = admin_form_data(team=tree.c5_team.pk)
    response = client.post(admin_url("add"), {**data, "action-publish": "1"})
    assert response.status_code == 302
    entry = InventoryEntry.objects.get()
    assert entry.live is False
    assert public_page(entry).status_code == 404


def test_editor_approval_publishes_and_tells_submitter(
    submitted, editor_client, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    response = act(
        editor_client, django_capture_on_commit_callbacks, submitted, "approve"
    )
    assert response.status_code == 302
    entry = refreshed(submitted)
    assert entry.live is True
    assert entry.workflow_in_progress is False
    assert entry.current_workflow_state is None
    page = public_page(entry)
    assert page.status_code == 200
    assert entry.title in page.content.decode()
    assert in_public_search(entry)
    published = mails_to(mailoutbox, SUBMITTER, "published")
    assert len(published) == 1
    assert entry.reference in published[0].subject
    assert f"/inventory/entries/{entry.pk}/" in published[0].body


def test_approval_with_comment_publishes(
    submitted, editor_client, django_capture_on_commit_callbacks
):
    act(
        editor_client,
        django_capture_on_commit_callbacks,
        submitted,
        "approve",
        comment="Fine.",
    )
    assert refreshed(submitted).live is True


def test_reject_without_reason_is_refused(
    submitted, editor_client, mailoutbox, django_capture_on_commit_callbacks
):
    """The reject form requires a reason; without one the entry stays in moderation."""
    mailoutbox.clear()
    url = workflow_action_url(submitted, "reject")
    with django_capture_on_commit_callbacks(execute=True):
        modal = editor_client.post(
            url, {"comment": "  "}, headers={"x-requested-with": "XMLHttpRequest"}
        )
        plain = editor_client.post(url, {"comment": ""})
    assert modal.status_code == 200
    payload = modal.json()
    assert payload["step"] == "action"
    assert "This field is required." in payload["html"]
    assert plain.status_code == 302
    entry = refreshed(submitted)
    assert entry.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert entry.live is False
    assert mails_to(mailoutbox, SUBMITTER) == []


def test_reject_with_reason_tells_submitter(
    submitted, editor_client, client, mailoutbox, django_capture_on_commit_callbacks
):
    """The submitter gets the reason by e-mail and on their status page.

    The submitter gets the reason by e-mail and on their status page (the link with
    its key); the reference alone does not show it.
    """
    mailoutbox.clear()
    response = act(
        editor_client,
        django_capture_on_commit_callbacks,
        submitted,
        "reject",
        comment=REASON,
    )
    assert response.status_code == 302
    entry = refreshed(submitted)
    assert entry.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert entry.live is False
    assert public_page(entry).status_code == 404
    assert not in_public_search(entry)

    rejected = mails_to(mailoutbox, SUBMITTER, "not accepted")
    assert len(rejected) == 1
    assert REASON in rejected[0].body
    assert f"/my/claim/?reference={entry.reference}" in rejected[0].body

    status = client.get("/inventory/status/", {"reference": entry.reference})
    assert status.status_code == 200
    content = status.content.decode()
    assert "Not accepted" not in content
    assert REASON not in content
    status = client.get(
        "/inventory/status/",
        {"reference": entry.reference, "key": entry.status_key()},
    )
    assert status.status_code == 200
    content = status.content.decode()
    assert "Not accepted" in content
    assert REASON in content


@pytest.mark.parametrize("role", ["c5_facilitator", "c2_facilitator", "secretariat"])
def test_only_inventory_editors_moderate(
    submitted, users, role, django_capture_on_commit_callbacks
):
    """Facilitators and the Secretariat can neither approve nor reject."""
    client = Client()
    client.force_login(users[role])
    for action, data in [("approve", {}), ("reject", {"comment": REASON})]:
        response = act(
            client, django_capture_on_commit_callbacks, submitted, action, **data
        )
        assert response.status_code in {302, 403}
    entry = refreshed(submitted)
    assert entry.live is False
    assert entry.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_change_to_published_entry_waits_for_approval(
    tree, users, client_for, editor_client, django_capture_on_commit_callbacks
):
    """The public keeps the published version while a change is in moderation."""
    old_title = "Cyber clinics, first edition"
    new_title = "Cyber clinics, second edition"
    facilitator = client_for(users["c5_facilitator"])
    with django_capture_on_commit_callbacks(execute=True):
        facilitator.post(
            admin_url("add"),
            {
                **admin_form_data(title=old_title, team=tree.c5_team.pk),
                "action-submit": "1",
            },
        )
    entry = InventoryEntry.objects.get()
    act(editor_client, django_capture_on_commit_callbacks, entry, "approve")
    assert refreshed(entry).live is True

    data = admin_form_data(refreshed(entry), title=new_title)
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator.post(
            admin_url("edit", entry.pk), {**data, "action-submit": "1"}
        )
    assert response.status_code == 302
    entry = refreshed(entry)
    assert entry.live is True
    assert entry.title == old_title
    assert entry.has_unpublished_changes is True
    assert entry.workflow_in_progress is True
    page = public_page(entry).content.decode()
    assert old_title in page
    assert new_title not in page
    assert not in_public_search(entry, new_title)

    act(editor_client, django_capture_on_commit_callbacks, entry, "approve")
    entry = refreshed(entry)
    assert entry.title == new_title
    assert entry.has_unpublished_changes is False
    page = public_page(entry).content.decode()
    assert new_title in page
    assert old_title not in page


def test_rejected_change_keeps_published_version(
    submitted, editor_client, users, client_for, django_capture_on_commit_callbacks
):
    act(editor_client, django_capture_on_commit_callbacks, submitted, "approve")
    entry = refreshed(submitted)
    data = admin_form_data(entry, title="Renamed by mistake")
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(admin_url("edit", entry.pk), {**data, "action-submit": "1"})
    act(
        editor_client,
        django_capture_on_commit_callbacks,
        entry,
        "reject",
        comment=REASON,
    )
    entry = refreshed(entry)
    assert entry.live is True
    assert entry.title == submitted.title
    page = public_page(entry).content.decode()
    assert submitted.title in page
    assert "Renamed by mistake" not in page


def test_audit_log_records_each_step(
    submitted, editor_client, django_capture_on_commit_callbacks
):
    """Submission, rejection, resubmission and approval are logged and shown."""
    act(
        editor_client,
        django_capture_on_commit_callbacks,
        submitted,
        "reject",
        comment=REASON,
    )
    entry = refreshed(submitted)
    data = admin_form_data(entry, summary="With the five cities named.")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            admin_url("edit", entry.pk), {**data, "action-submit": "1"}
        )
    assert response.status_code == 302
    act(editor_client, django_capture_on_commit_callbacks, entry, "approve")

    logs = ModelLogEntry.objects.for_instance(entry).order_by("timestamp", "pk")
    actions = list(logs.values_list("action", flat=True))
    for step in [
        "wagtail.workflow.start",
        "wagtail.workflow.reject",
        "wagtail.workflow.resume",
        "wagtail.workflow.approve",
        "wagtail.publish",
    ]:
        assert step in actions
    assert actions.index("wagtail.workflow.start") < actions.index(
        "wagtail.workflow.reject"
    )
    assert actions.index("wagtail.workflow.reject") < actions.index(
        "wagtail.workflow.approve"
    )
    reject = logs.get(action="wagtail.workflow.reject")
    assert reject.user.username == "editor"
    assert reject.data["comment"] == REASON
    assert logs.get(action="wagtail.workflow.approve").user.username == "editor"

    history = editor_client.get(admin_url("history", entry.pk))
    assert history.status_code == 200
    content = BeautifulSoup(history.content, "html.parser").get_text(" ")
    assert f"'{WORKFLOW_NAME}' started" in content
    assert "Rejected at" in content
    assert REASON in content
    assert "Approved at" in content
    workflow_history = editor_client.get(admin_url("workflow_history", entry.pk))
    assert workflow_history.status_code == 200
    assert WORKFLOW_NAME in workflow_history.content.decode()


def test_editors_find_the_moderation_queue(
    tree, editor_client, django_capture_on_commit_callbacks
):
    """The dashboard counts waiting entries; the listing filters by moderation state."""
    waiting = InventoryEntryFactory(title="Waiting entry", draft=True)
    rejected = InventoryEntryFactory(title="Rejected entry", draft=True)
    changed = InventoryEntryFactory(title="Changed entry", published=True)
    published = InventoryEntryFactory(title="Untouched entry", published=True)
    draft = InventoryEntryFactory(title="Draft entry", draft=True)
    for entry in (waiting, rejected, changed):
        submit_for_moderation(entry)
    act(
        editor_client,
        django_capture_on_commit_callbacks,
        rejected,
        "reject",
        comment=REASON,
    )

    dashboard = editor_client.get("/admin/").content.decode()
    assert "2 entries wait for review." in dashboard
    expected = {
        "in_moderation": {waiting, changed},
        "rejected": {rejected},
        "live": {published},
        "live_changed": {changed},
        "draft": {waiting, rejected, draft},
    }
    everyone = {waiting, rejected, changed, published, draft}
    for state, entries in expected.items():
        response = editor_client.get(admin_url("list_results"), {"moderation": state})
        assert response.status_code == 200
        content = response.content.decode()
        shown = {entry for entry in everyone if entry.title in content}
        assert shown == entries, state
