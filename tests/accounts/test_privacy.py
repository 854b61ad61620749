"""Download my data and delete my account.

The person's data goes (from the database, the feeds and anything still queued to be
e-mailed), the inventory keeps every activity, attributed to its organisation, with its
moderation history.
"""

import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from wagtail.models import ModelLogEntry, Revision, WorkflowState

import pytest

from accounts.digests import send_digests
from accounts.models import AccountProfile, EntryClaim, SavedSearch
from accounts.privacy import delete_account
from action_lines.models import MeetingRegistration, TeamMembershipRequest
from action_lines.tasks import (
    notify_membership_decision,
    send_registration_confirmation,
)
from inventory.models import InventoryEntry
from inventory.notifications import notify_submitter_published
from tests.factories import InventoryEntryFactory, StakeholderOrganisationFactory
from tests.helpers.accounts import PASSWORD
from tests.helpers.inventory import approve
from tests.helpers.public_forms import submission

pytestmark = pytest.mark.django_db

EMAIL = "ada.lovelace@example.org"
NAME = "Ada Quixotic-Lovelace"  # found nowhere else


def sign_in(client, email=EMAIL):
    """Through the form: a recent sign-in, as deleting and downloading ask."""
    client.logout()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def history(
    client,
    account,
    tree,
    inventory_editor,
    client_for,
    django_capture_on_commit_callbacks,
):
    """An account that submitted, claimed, joined, registered and saved."""
    capture = django_capture_on_commit_callbacks
    AccountProfile.objects.filter(user=account).update(
        name=NAME,
        organisation=StakeholderOrganisationFactory(name="Dakar Digital Schools"),
        stakeholder_type="civil-society",
        country="SEN",
    )
    sign_in(client)
    with capture(execute=True):
        client.post(
            "/my/submit/",
            submission(title="Published one", contact_name=NAME, contact_email=EMAIL),
        )
        client.post(
            "/my/submit/",
            submission(title="Waiting one", contact_name=NAME, contact_email=EMAIL),
        )
    published = InventoryEntry.objects.get(title="Published one")
    published = approve(published, inventory_editor, client_for, capture)
    claimed = InventoryEntryFactory(
        title="Claimed one", contact_name=NAME, contact_email=EMAIL, published=True
    )
    EntryClaim.objects.create(entry=claimed, user=account, source="claimed")
    sign_in(client)
    with capture(execute=True):
        client.post(f"/my/teams/join/{tree.c5_team.pk}/")
        client.post(f"/my/meetings/register/{tree.c5_meeting.pk}/")
    decided = TeamMembershipRequest.objects.create(
        team=tree.c2_team,
        organisation_name="Dakar Digital Schools",
        person_name=NAME,
        email=EMAIL,
        stakeholder_type="civil-society",
        country="SEN",
        status="accepted",
        message="Hello",
        decision_note="Welcome",
    )
    SavedSearch.objects.create(user=account, name="Mine", query="", frequency="daily")
    return {"published": published, "claimed": claimed, "decided": decided}


def rows_mentioning(*needles):
    """Every database row (any model) whose values contain a needle."""
    found = []
    for model in apps.get_models():
        for row in model._base_manager.values():
            text = json.dumps(row, default=str).lower()
            if any(needle.lower() in text for needle in needles):
                found.append((model._meta.label, row.get("id")))
    return found


def test_download_my_data(client, history, account, other_account):
    response = client.get("/my/data/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-wsis-data.json"'
    data = json.loads(response.content)
    assert data["account"]["email_addresses"][0]["email"] == EMAIL
    assert data["profile"]["name"] == NAME
    assert data["profile"]["organisation"] == "Dakar Digital Schools"
    titles = {activity["title"]: activity for activity in data["activities"]}
    assert set(titles) == {"Published one", "Waiting one", "Claimed one"}
    assert titles["Published one"]["status"] == "published"
    assert titles["Claimed one"]["held_as"] == "claimed"
    assert titles["Waiting one"]["contact_email"] == EMAIL
    assert {join["team"] for join in data["join_requests"]} == {"C5 team", "C2 team"}
    assert data["meeting_registrations"][0]["meeting"] == "C5 work plan meeting"
    assert data["saved_searches"][0]["feed"].startswith("http://testserver/my/feeds/")
    assert "grace.hopper" not in response.content.decode()


def test_downloading_and_deleting_ask_for_a_recent_sign_in(client, account):
    client.force_login(account)
    for path in ("/my/data/download/", "/my/delete/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")


def test_deleting_the_account_keeps_the_inventory_and_forgets_the_person(
    client, history, account, mailoutbox, django_capture_on_commit_callbacks
):
    published, claimed = history["published"], history["claimed"]
    registration = MeetingRegistration.objects.get()
    before = {
        "revisions": Revision.objects.count(),
        "workflow states": WorkflowState.objects.count(),
        "log entries": ModelLogEntry.objects.count(),
    }
    assert rows_mentioning(EMAIL, NAME)
    page = client.get("/my/delete/")
    assert page.status_code == 200
    assert client.post("/my/delete/", {}).status_code == 400  # not confirmed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/my/delete/", {"confirm": "on"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=account.pk).exists()
    assert client.get("/my/").status_code == 302  # signed out

    # Nothing published is lost; the moderation history is whole.
    for entry in (published, claimed):
        kept = InventoryEntry.objects.get(pk=entry.pk)
        assert kept.live and kept.title == entry.title
        assert kept.organisation_id == entry.organisation_id
        assert client.get(f"/inventory/entries/{entry.pk}/").status_code == 200
    assert InventoryEntry.objects.filter(title="Waiting one").exists()
    assert InventoryEntry.objects.get(pk=published.pk).organisation.name == (
        "Sahel Cyber Network"
    )
    assert {
        "revisions": Revision.objects.count(),
        "workflow states": WorkflowState.objects.count(),
        "log entries": ModelLogEntry.objects.count(),
    } == before
    decided = TeamMembershipRequest.objects.get(pk=history["decided"].pk)
    assert (decided.status, decided.organisation_name) == (
        "accepted",
        "Dakar Digital Schools",
    )

    # No personal data left in the database…
    assert rows_mentioning(EMAIL, NAME) == []
    # …in what the public reads…
    for path in ("/inventory/export.csv", "/api/inventory/", "/inventory/"):
        response = client.get(path)
        text = b"".join(
            response.streaming_content if response.streaming else [response.content]
        ).decode()
        assert EMAIL not in text and NAME not in text
    # …or in the e-mails still queued about it.
    mailoutbox.clear()
    send_registration_confirmation(registration.pk)
    notify_membership_decision(decided.pk)
    notify_submitter_published(published.pk)
    assert send_digests() == 0
    assert mailoutbox == []


def test_the_search_index_keeps_no_personal_data(
    cluster, account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = InventoryEntryFactory(
            title="Indexed one",
            contact_name=NAME,
            contact_email=EMAIL,
            submitted_by=account,
            published=True,
        )
    cluster.refresh()
    request = RequestFactory().post("/my/delete/")
    request.user = account
    request.session = SessionStore()
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(request)
    cluster.refresh()
    hits = cluster.backend.es.search(
        index=cluster.index.name, body={"query": {"match_all": {}}}
    )["hits"]["hits"]
    assert [hit["_source"]["title"] for hit in hits] == ["Indexed one"]
    dumped = json.dumps(hits).lower()
    assert EMAIL not in dumped and NAME.lower() not in dumped
    assert InventoryEntry.objects.get(pk=entry.pk).live
