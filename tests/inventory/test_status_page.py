"""/inventory/status/.

What a reference shows to anyone, and what the submitter's status link (the reference
and its secret key) adds.

References of published entries are public (the export, the API, the entry
page), so a reference alone may only say received, in moderation or published;
the editors' reason for a rejection, the proposal's title and the rest of the
submission are for whoever holds the key e-mailed to the submitter.
"""

from django.core.cache import cache
from django.urls import reverse

import pytest

from inventory.models import InventoryEntry
from inventory.moderation import submit_for_moderation
from tests.factories import InventoryEntryFactory

pytestmark = pytest.mark.django_db

STATUS_URL = "/inventory/status/"
REASON = "Duplicates WSIS-24-QQQQQQ; contact Dr Rahman at rahman@example.net."
PRIVATE_TITLE = "Confidential pilot with the ministry"


def status_page(client, entry, key=None, **headers):
    params = {"reference": entry.reference}
    if key is not None:
        params["key"] = key
    return client.get(STATUS_URL, params, **headers)


def reject(entry, editor, reason=REASON):
    entry = InventoryEntry.objects.get(pk=entry.pk)
    entry.current_workflow_task_state.specific.reject(user=editor, comment=reason)
    return InventoryEntry.objects.get(pk=entry.pk)


@pytest.fixture
def rejected(inventory_editor, django_capture_on_commit_callbacks):
    """A public submission the editors rejected with a reason."""
    entry = InventoryEntryFactory(
        title=PRIVATE_TITLE, draft=True, contact_email="rahman@example.net"
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit_for_moderation(entry)
        return reject(entry, inventory_editor)


@pytest.fixture
def published_with_rejected_update(
    inventory_editor, django_capture_on_commit_callbacks
):
    """A published entry (public reference) whose proposed update was rejected."""
    entry = InventoryEntryFactory(title="Public title", published=True)
    proposal = entry.get_latest_revision_as_object()
    proposal.title = PRIVATE_TITLE
    with django_capture_on_commit_callbacks(execute=True):
        submit_for_moderation(proposal)
        return reject(entry, inventory_editor)


def test_a_reference_alone_shows_no_reason_and_no_private_field(client, rejected):
    response = status_page(client, rejected)
    assert response.status_code == 200
    content = response.content.decode()
    assert rejected.reference in content
    assert "Received; not published." in content
    for private in (REASON, PRIVATE_TITLE, rejected.contact_email, "Not accepted"):
        assert private not in content
    assert "Propose a corrected version" not in content


def test_the_public_reference_of_a_published_entry_shows_only_published(
    client, published_with_rejected_update
):
    """The attack: a reference from the export, and the reason of a rejected update.

    The public sees the published entry, nothing of the proposal.
    """
    entry = published_with_rejected_update
    export = client.get("/inventory/export.csv")
    assert entry.reference in b"".join(export.streaming_content).decode()
    content = status_page(client, entry).content.decode()
    assert "Published." in content
    assert "Public title" in content
    for private in (REASON, PRIVATE_TITLE, "Not accepted", "Waiting for review"):
        assert private not in content


def test_the_submitters_status_link_shows_the_reason(client, rejected):
    response = status_page(client, rejected, rejected.status_key())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Not accepted by the editors." in content
    assert REASON in content
    assert PRIVATE_TITLE in content
    assert "Propose a corrected version" in content
    # A page with a secret: not cached, not sent on as a referrer, not indexed.
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex"


def test_the_submitter_sees_the_rejected_update_of_a_published_entry(
    client, published_with_rejected_update
):
    entry = published_with_rejected_update
    content = status_page(client, entry, entry.status_key()).content.decode()
    assert "Not accepted by the editors." in content
    assert REASON in content
    assert PRIVATE_TITLE in content


@pytest.mark.parametrize(
    "key",
    ["", "0" * 32, "wrong", "KEY", "other-entry", "truncated"],
)
def test_a_wrong_key_shows_the_public_status(client, rejected, key):
    other = InventoryEntryFactory(draft=True)
    key = {
        "KEY": rejected.status_key().upper(),
        "other-entry": other.status_key(),
        "truncated": rejected.status_key()[:-1],
    }.get(key, key)
    content = status_page(client, rejected, key).content.decode()
    assert "Received; not published." in content
    assert REASON not in content
    assert PRIVATE_TITLE not in content


def test_status_keys_differ_per_entry_and_survive_a_secret_key_rotation(
    rejected, settings
):
    other = InventoryEntryFactory(draft=True)
    key = rejected.status_key()
    assert len(key) == 32
    assert key != other.status_key()
    assert rejected.status_key_matches(key)
    assert not rejected.status_key_matches(other.status_key())
    assert not rejected.status_key_matches(None)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation"
    assert rejected.status_key() != key
    assert rejected.status_key_matches(key)


def test_an_entry_in_moderation_says_so_without_its_title(client, inventory_editor):
    entry = InventoryEntryFactory(title=PRIVATE_TITLE, draft=True)
    submit_for_moderation(entry)
    content = status_page(client, entry).content.decode()
    assert "Waiting for review by the inventory editors." in content
    assert PRIVATE_TITLE not in content
    mine = status_page(client, entry, entry.status_key()).content.decode()
    assert "Waiting for review by the inventory editors." in mine
    assert PRIVATE_TITLE in mine


def test_the_thanks_page_needs_the_key_of_the_submission(client, rejected):
    thanks = reverse("inventory:submitted")
    params = {"reference": rejected.reference}
    assert client.get(thanks, params).status_code == 404
    assert client.get(thanks, {**params, "key": "0" * 32}).status_code == 404
    response = client.get(thanks, {**params, "key": rejected.status_key()})
    assert response.status_code == 200
    assert rejected.status_key() in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"


def test_status_lookups_are_rate_limited(client, rejected, settings):
    """Unpublished references cannot be found by trying them.

    Past the hourly limit a client gets the 429 page, whatever it asks for.
    """
    settings.INVENTORY_STATUS_RATE_LIMIT = 3
    cache.clear()
    try:
        for reference in ("WSIS-25-AAAAAA", "WSIS-25-AAAAAB", rejected.reference):
            assert client.get(STATUS_URL, {"reference": reference}).status_code in (
                200,
                404,
            )
        refused = status_page(client, rejected, rejected.status_key())
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        assert REASON not in refused.content.decode()
        other_client = status_page(client, rejected, REMOTE_ADDR="192.0.2.77")
        assert other_client.status_code == 200
        # The empty form is not a lookup.
        assert client.get(STATUS_URL).status_code == 200
    finally:
        cache.clear()
