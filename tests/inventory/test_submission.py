"""Public submission.

The form, its spam and rate defences, status and updates (proposed from the submitter's
account).
"""

import datetime
import re

from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from home.models import StakeholderOrganisation
from inventory.models import InventoryEntry, UpdateLink
from inventory.moderation import WORKFLOW_NAME
from tests.helpers.inventory import approve
from tests.helpers.public_forms import CONTACT, SUBMIT_URL, UPDATE_URL, submission

pytestmark = pytest.mark.django_db

STATUS_URL = "/inventory/status/"
SCRIPT = "<script>alert('owned')</script>"


def errors_of(response):
    return response.context["form"].errors


def submit(client, capture, **changes):
    with capture(execute=True):
        return client.post(SUBMIT_URL, submission(**changes))


def mails_to(mailoutbox, address):
    return [mail for mail in mailoutbox if address in mail.to]


@pytest.fixture
def submitted(client, django_capture_on_commit_callbacks, db):
    """An entry as submitted by a member of the public."""
    response = submit(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    return InventoryEntry.objects.get()


def test_submission_form_is_public(client, db):
    """Anyone can open the form; it carries the hidden spam trap."""
    response = client.get(SUBMIT_URL)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("input", attrs={"name": "title"}) is not None
    trap = soup.find("input", attrs={"name": "homepage"})
    assert trap is not None
    assert trap.find_parent(class_="trap").get("aria-hidden") == "true"


def test_missing_fields_are_named_and_nothing_is_saved(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """Leaving out required fields gives a 400 naming each one; nothing is stored."""
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        title="",
        action_lines=None,
        countries=None,
        contact_email="not-an-address",
    )
    assert response.status_code == 400
    errors = errors_of(response)
    assert set(errors) >= {"title", "action_lines", "countries", "contact_email"}
    assert "homepage" not in errors
    content = response.content.decode()
    assert "This field is required." in content
    assert "Enter a valid email address." in content
    assert InventoryEntry.objects.count() == 0
    assert mailoutbox == []


def test_end_before_start_is_refused(client, django_capture_on_commit_callbacks):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        start_date="2025-06-01",
        end_date="2025-01-01",
    )
    assert response.status_code == 400
    assert "end_date" in errors_of(response)
    assert InventoryEntry.objects.count() == 0


def test_filled_honeypot_is_refused_silently(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """A bot filling the hidden field gets a 400; nothing is stored or sent."""
    response = submit(
        client, django_capture_on_commit_callbacks, homepage="http://spam.example"
    )
    assert response.status_code == 400
    assert InventoryEntry.objects.count() == 0
    assert mailoutbox == []


def test_rate_limit_answers_429_with_retry_after(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Past the hourly limit a client gets a 429 page; nothing more is stored."""
    settings.INVENTORY_SUBMIT_RATE_LIMIT = 2
    cache.clear()
    try:
        for number in range(2):
            response = submit(
                client, django_capture_on_commit_callbacks, title=f"Activity {number}"
            )
            assert response.status_code == 302
        response = submit(client, django_capture_on_commit_callbacks, title="Third")
        assert response.status_code == 429
        assert response["Retry-After"].isdigit()
        assert int(response["Retry-After"]) > 0
        assert "Too many submissions" in response.content.decode()
        assert InventoryEntry.objects.filter(title="Third").count() == 0
        assert InventoryEntry.objects.count() == 2
        assert len(mails_to(mailoutbox, CONTACT)) == 2
    finally:
        cache.clear()


def test_rate_limit_is_per_client_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.INVENTORY_SUBMIT_RATE_LIMIT = 1
    cache.clear()
    try:
        assert submit(client, django_capture_on_commit_callbacks).status_code == 302
        assert submit(client, django_capture_on_commit_callbacks).status_code == 429
        with django_capture_on_commit_callbacks(execute=True):
            other = client.post(
                SUBMIT_URL, submission(title="Other"), REMOTE_ADDR="192.0.2.9"
            )
        assert other.status_code == 302
    finally:
        cache.clear()


def test_valid_submission_goes_to_moderation_with_a_reference(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """Stored unpublished and in moderation; the submitter gets the reference."""
    response = submit(client, django_capture_on_commit_callbacks)
    entry = InventoryEntry.objects.get()
    assert re.fullmatch(r"WSIS-\d{2}-[A-Z2-9]{6}", entry.reference)
    assert entry.live is False
    assert entry.workflow_in_progress is True
    assert entry.current_workflow_state.workflow.name == WORKFLOW_NAME
    assert entry.contact_email == CONTACT
    # Organisation names wait on the proposal until an editor approves it.
    assert entry.organisation is None
    assert entry.proposed_organisation == "Sahel Cyber Network"
    assert entry.proposed_partner_names == ["ITU", "AfricaCERT"]
    assert StakeholderOrganisation.objects.count() == 0
    assert entry.regions == ["africa"]

    status_link = f"{STATUS_URL}?reference={entry.reference}&key={entry.status_key()}"
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert entry.reference in thanks.content.decode()
    assert status_link.replace("&", "&amp;") in thanks.content.decode()

    received = mails_to(mailoutbox, CONTACT)
    assert len(received) == 1
    assert entry.reference in received[0].subject
    assert entry.reference in received[0].body
    assert status_link in received[0].body

    assert client.get(f"/inventory/entries/{entry.pk}/").status_code == 404


def status_of(client, entry, key=None):
    """The status page of ``entry``: public, or the submitter's with ``key``."""
    params = {"reference": entry.reference}
    if key is not None:
        params["key"] = key
    return client.get(STATUS_URL, params)


def test_status_page_shows_waiting_for_review(client, submitted):
    """The reference alone says the entry waits for review, not what it is."""
    response = client.get(STATUS_URL, {"reference": submitted.reference.lower()})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Waiting for review" in content
    assert submitted.title not in content
    mine = status_of(client, submitted, submitted.status_key()).content.decode()
    assert "Waiting for review" in mine
    assert submitted.title in mine


def test_status_of_unknown_reference_is_404_with_message(client, db):
    response = client.get(STATUS_URL, {"reference": "WSIS-25-ZZZZZZ"})
    assert response.status_code == 404
    assert "No entry has this reference." in response.content.decode()


@pytest.mark.parametrize(
    "reference", ["", "WSIS-25-ABCDEFGHJKLMNPQRSTUV", "<script>x</script>", "a b;c"]
)
def test_status_of_malformed_reference_is_400(client, db, reference):
    response = client.get(STATUS_URL, {"reference": reference})
    assert response.status_code == 400
    assert "<script>x" not in response.content.decode()
    assert response.context["form"].errors["reference"]


def test_script_in_description_is_stored_escaped(
    client, users, client_for, django_capture_on_commit_callbacks
):
    """Text with markup is stored as escaped text; the published page runs no script."""
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        description=f"Before.\n\n{SCRIPT} after",
        title=f"Drills {SCRIPT}",
    )
    assert response.status_code == 302
    entry = InventoryEntry.objects.get()
    assert "<script" not in entry.description
    assert "&lt;script&gt;" in entry.description
    approve(
        entry, users["inventory_editor"], client_for, django_capture_on_commit_callbacks
    )
    page = client_for(None).get(f"/inventory/entries/{entry.pk}/")
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    content = soup.find("main") or soup
    assert content.find("script", string=re.compile("owned")) is None
    assert "alert('owned')" in content.get_text()


# --- Update proposals ---------------------------------------------------------
#
# Proposed from the submitter's account (My WSIS), which holds the entry once it
# proved control of its contact address (tests/accounts/test_claims.py).


@pytest.fixture
def published(submitted, users, client_for, django_capture_on_commit_callbacks):
    return approve(
        submitted,
        users["inventory_editor"],
        client_for,
        django_capture_on_commit_callbacks,
    )


def submitters_account(client, entry):
    """The submitter, signed in to an account that holds the entry."""
    from accounts.models import EntryClaim
    from tests.helpers.accounts import make_account

    user = make_account(CONTACT)
    EntryClaim.objects.create(entry=entry, user=user, source="claimed")
    client.force_login(user)
    return client


def edit_path(entry):
    return f"/my/activities/{entry.pk}/edit/"


def test_update_form_is_prefilled(client, published):
    account = submitters_account(client, published)
    response = account.get(edit_path(published))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == published.title
    assert form.initial["organisation_name"] == "Sahel Cyber Network"
    assert form.initial["countries"] == ["SEN", "CIV"]
    assert form.initial["contact_email"] == CONTACT
    assert "Open to every CERT of the region." in form.initial["description"]
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("input", attrs={"name": "title"})["value"] == published.title


def test_update_proposal_waits_for_approval(
    client,
    published,
    users,
    client_for,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """The proposal is a revision in moderation; the public sees the old version."""
    account = submitters_account(client, published)
    new_title = "Cyber drills for all African CERTs"
    revisions_before = published.revisions.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = account.post(
            edit_path(published),
            submission(
                title=new_title,
                summary="Now continent-wide.",
                countries=["SEN", "KEN"],
                partner_names="ITU; AfricaCERT; Kenya CERT",
            ),
        )
    assert response.status_code == 302
    assert response["Location"] == f"/my/activities/{published.pk}/"

    entry = InventoryEntry.objects.get(pk=published.pk)
    assert entry.live is True
    assert entry.title == published.title
    assert entry.countries == ["SEN", "CIV"]
    assert sorted(p.name for p in entry.partners.all()) == ["AfricaCERT", "ITU"]
    assert ("country", "KEN") not in set(entry.facet_rows.values_list("facet", "value"))
    assert entry.has_unpublished_changes is True
    assert entry.workflow_in_progress is True
    assert entry.revisions.count() == revisions_before + 1
    assert entry.latest_revision.as_object().title == new_title

    public = client_for(None)
    page = public.get(f"/inventory/entries/{entry.pk}/").content.decode()
    assert published.title in page
    assert new_title not in page
    # The public sees a published entry; its submitter, the update under review.
    status = status_of(public, entry).content.decode()
    assert "Published." in status
    assert "Waiting for review" not in status
    assert new_title not in status
    status = status_of(public, entry, entry.status_key()).content.decode()
    assert "Waiting for review" in status
    assert "The published version stays online meanwhile." in status
    assert new_title in status

    entry = approve(
        entry, users["inventory_editor"], client_for, django_capture_on_commit_callbacks
    )
    assert entry.title == new_title
    assert entry.countries == ["SEN", "KEN"]
    assert len(entry.partners.all()) == 3
    assert ("country", "KEN") in set(entry.facet_rows.values_list("facet", "value"))
    page = public.get(f"/inventory/entries/{entry.pk}/").content.decode()
    assert new_title in page


def test_rejected_submission_can_be_corrected(
    client,
    submitted,
    users,
    client_for,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """After a rejection the submitter sends a corrected version back to review."""
    entry = InventoryEntry.objects.get(pk=submitted.pk)
    url = reverse(
        "wagtailsnippets_inventory_inventoryentry:workflow_action",
        args=[entry.pk, "reject", entry.current_workflow_task_state.pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(users["inventory_editor"]).post(url, {"comment": "Add dates."})
    public = client_for(None)
    status = status_of(public, entry).content.decode()
    assert "Received; not published." in status
    assert "Add dates." not in status
    status = status_of(public, entry, entry.status_key()).content.decode()
    assert "Not accepted" in status
    assert "Add dates." in status
    assert f"/my/claim/?reference={entry.reference}" in status

    account = submitters_account(public, entry)
    with django_capture_on_commit_callbacks(execute=True):
        response = account.post(
            edit_path(entry), submission(title="Cyber drills, with dates")
        )
    assert response.status_code == 302
    entry = InventoryEntry.objects.get(pk=entry.pk)
    assert entry.live is False
    assert entry.workflow_in_progress is True
    status = status_of(client_for(None), entry)
    assert "Waiting for review" in status.content.decode()
    entry = approve(
        entry, users["inventory_editor"], client_for, django_capture_on_commit_callbacks
    )
    assert entry.live is True
    assert entry.title == "Cyber drills, with dates"


def expired_link(entry):
    link, token = UpdateLink.issue(entry, datetime.timedelta(hours=48))
    UpdateLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    return token


def old_signed_token(entry):
    """Return a signed link of before, valid for 48 hours.

    The signed links of before, which were valid for 48 hours, any number of times.
    """
    return signing.dumps({"entry": entry.pk}, salt="inventory-update")


def test_an_expired_update_link_leads_to_sign_in(client, published):
    """Links of before accounts lead to sign-in and never change the entry.

    Links e-mailed before accounts lead to sign-in, then to claiming the entry
    (tests/accounts/test_claims.py); they never change the entry.
    """
    client.logout()
    revisions = published.revisions.count()
    path = f"{UPDATE_URL}{expired_link(published)}/"
    for method in (client.get, client.post):
        response = method(path, submission(title="Forged"), follow=True)
        assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert InventoryEntry.objects.get(pk=published.pk).revisions.count() == revisions


@pytest.mark.parametrize("kind", ["unknown", "old signed link", "garbage"])
def test_bad_update_link_is_400(client, published, kind):
    token = {
        "unknown": lambda: UpdateLink.issue(published, datetime.timedelta(1))[1][::-1],
        "old signed link": lambda: old_signed_token(published),
        "garbage": lambda: "not-a-token",
    }[kind]()
    revisions = published.revisions.count()
    for method in (client.get, client.post):
        response = method(f"{UPDATE_URL}{token}/", submission(title="Forged"))
        assert response.status_code == 400
        assert "invalid or has expired" in response.content.decode()
    entry = InventoryEntry.objects.get(pk=published.pk)
    assert entry.has_unpublished_changes is False
    assert entry.revisions.count() == revisions


def test_update_form_shows_the_description_as_the_plain_text_it_was_typed_as():
    from inventory.forms import paragraphs_html, rich_text_as_plain

    typed = "Costs < 5 & rising\nsecond line\n\nNew paragraph"
    stored = paragraphs_html(typed)
    assert rich_text_as_plain(stored) == typed
    assert rich_text_as_plain(paragraphs_html(rich_text_as_plain(stored))) == typed
