"""Updates.

Proposed from the account that holds the entry, one moderation at a time, and nothing
written before an editor approves but the proposal itself.

The update links e-mailed before accounts worked once, for 48 hours: a link
still unused attaches its entry to the account that opens it (it proves control
of the contact address), then the account proposes the update in My WSIS. A
proposal for an entry already waiting for the editors stays in that moderation,
and organisation names wait on the proposal until the editor's approval turns
them into organisations.
"""

import datetime

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from accounts.models import EntryClaim
from home.models import StakeholderOrganisation
from inventory.models import InventoryEntry, UpdateLink
from inventory.views import UPDATE_LINK_LIFETIME
from tests.factories import InventoryEntryFactory, StakeholderOrganisationFactory
from tests.helpers.accounts import make_account
from tests.helpers.inventory import approve
from tests.helpers.public_forms import CONTACT, submission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

SUBMIT_URL = "/inventory/submit/"


@pytest.fixture
def entry(tree):
    """A published entry submitted by CONTACT, with an organisation and a partner."""
    entry = InventoryEntryFactory(
        title="Cyber drills for West African CERTs",
        contact_email=CONTACT,
        organisation=StakeholderOrganisationFactory(name="Sahel Cyber Network"),
        partners=[StakeholderOrganisationFactory(name="ITU")],
        published=True,
    )
    return InventoryEntry.objects.get(pk=entry.pk)


@pytest.fixture
def submitter(client, entry):
    """The submitter, signed in to an account that holds the entry."""
    user = make_account(CONTACT)
    EntryClaim.objects.create(entry=entry, user=user, source="claimed")
    client.force_login(user)
    return client


def propose(client, capture, entry, **changes):
    with capture(execute=True):
        return client.post(f"/my/activities/{entry.pk}/edit/", submission(**changes))


def editors_mails(mailoutbox, users):
    editor = users["inventory_editor"].email
    return [mail for mail in mailoutbox if editor in mail.to]


# --- Links of before ----------------------------------------------------------------


def test_a_link_attaches_its_entry_once(client, entry):
    _link, token = UpdateLink.issue(entry, UPDATE_LINK_LIFETIME)
    account = make_account("new.account@example.org")
    client.force_login(account)
    my_link = client.get(f"/inventory/update/{token}/")["Location"]
    assert client.post(my_link).status_code == 302
    assert EntryClaim.objects.filter(entry=entry, user=account).exists()
    again = client.post(my_link)
    assert again["Location"] == f"/my/claim/?reference={entry.reference}"
    assert EntryClaim.objects.count() == 1


def test_the_link_is_used_up_atomically(entry):
    """Of two requests that check the same link at once, only one uses it.

    The second's update of the link row finds it used.
    """
    link, _token = UpdateLink.issue(entry, UPDATE_LINK_LIFETIME)
    same_link_in_another_request = UpdateLink.objects.get(pk=link.pk)
    assert link.consume() is True
    assert same_link_in_another_request.consume() is False


def test_only_a_hash_of_the_link_is_stored(entry):
    _link, token = UpdateLink.issue(entry, UPDATE_LINK_LIFETIME)
    stored = UpdateLink.objects.get()
    assert token not in stored.token_hash
    assert stored.token_hash == UpdateLink.hash(token)
    lifetime = stored.expires_at - stored.created_at
    assert abs(lifetime - UPDATE_LINK_LIFETIME) < datetime.timedelta(seconds=5)


def test_an_expired_link_attaches_nothing(client, entry):
    link, token = UpdateLink.issue(entry, UPDATE_LINK_LIFETIME)
    UpdateLink.objects.update(
        expires_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    client.force_login(make_account("new.account@example.org"))
    my_link = client.get(f"/inventory/update/{token}/")["Location"]
    response = client.post(my_link, submission())
    assert response["Location"] == f"/my/claim/?reference={entry.reference}"
    assert not EntryClaim.objects.exists()
    assert entry.revisions.count() == 1


def test_proposals_are_limited_per_address(
    submitter, entry, settings, django_capture_on_commit_callbacks
):
    settings.INVENTORY_SUBMIT_RATE_LIMIT = 2
    capture = django_capture_on_commit_callbacks
    for number in range(2):
        assert propose(submitter, capture, entry, title=f"V{number}").status_code == 302
    revisions = entry.revisions.count()
    refused = propose(submitter, capture, entry, title="V3")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert entry.revisions.count() == revisions


# --- The editors are told once -------------------------------------------------------


def test_editors_are_not_told_again_of_an_entry_already_waiting_for_them(
    submitter, entry, users, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    for number in range(3):
        response = propose(submitter, capture, entry, title=f"Version {number}")
        assert response.status_code == 302
    entry = InventoryEntry.objects.get(pk=entry.pk)
    assert len(editors_mails(mailoutbox, users)) == 1
    assert entry.workflow_states.count() == 1
    assert entry.current_workflow_state.status == "in_progress"
    # The one moderation reviews the latest proposal: approving publishes it.
    entry = approve(entry, users["inventory_editor"], client_for, capture)
    assert entry.title == "Version 2"


def test_a_correction_after_a_rejection_goes_back_to_the_editors(
    submitter, entry, users, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    propose(submitter, capture, entry, title="Version 1")
    entry = InventoryEntry.objects.get(pk=entry.pk)
    with capture(execute=True):
        entry.current_workflow_task_state.specific.reject(
            user=users["inventory_editor"], comment="Add the dates."
        )
    mailoutbox.clear()
    propose(submitter, capture, entry, title="Version 2")
    assert len(editors_mails(mailoutbox, users)) == 1
    entry = InventoryEntry.objects.get(pk=entry.pk)
    assert entry.current_workflow_state.status == "in_progress"


# --- Organisations only on approval -------------------------------------------------


def test_a_submission_creates_no_organisation_until_it_is_approved(
    client, users, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    known = StakeholderOrganisationFactory(name="ITU")
    with capture(execute=True):
        response = client.post(
            SUBMIT_URL,
            submission(
                organisation_name="  Sahel   Cyber Network ",
                partner_names="itu; AfricaCERT;; africacert ",
            ),
        )
    assert response.status_code == 302
    assert list(StakeholderOrganisation.objects.all()) == [known]
    entry = InventoryEntry.objects.get()
    assert entry.organisation is None
    assert entry.proposed_organisation == "Sahel Cyber Network"
    assert entry.proposed_partners == "itu; AfricaCERT"

    entry = approve(entry, users["inventory_editor"], client_for, capture)
    assert entry.organisation.name == "Sahel Cyber Network"
    assert entry.organisation.stakeholder_type == "civil-society"
    assert entry.organisation.country == "SEN"
    assert sorted(p.name for p in entry.partners.all()) == ["AfricaCERT", "ITU"]
    assert known in entry.partners.all()  # the existing one, whatever the case
    assert StakeholderOrganisation.objects.count() == 3
    assert entry.proposed_organisation == entry.proposed_partners == ""
    # The published revision says what was published: the organisations by id.
    content = entry.live_revision.content
    assert content["organisation"] == entry.organisation.pk
    assert content["proposed_organisation"] == ""


def test_a_rejected_submission_leaves_no_organisation(
    client, users, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBMIT_URL, submission(organisation_name="Spam Corp"))
        entry = InventoryEntry.objects.get()
        entry.current_workflow_task_state.specific.reject(
            user=users["inventory_editor"], comment="Spam."
        )
    assert StakeholderOrganisation.objects.count() == 0


def test_an_update_proposal_creates_no_organisation_until_it_is_approved(
    submitter, entry, users, client_for, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    before = set(StakeholderOrganisation.objects.values_list("name", flat=True))
    response = propose(
        submitter,
        capture,
        entry,
        organisation_name="Sahel Cyber Network",
        partner_names="ITU; Kenya CERT; Ghana CERT",
    )
    assert response.status_code == 302
    assert set(StakeholderOrganisation.objects.values_list("name", flat=True)) == before
    live = InventoryEntry.objects.get(pk=entry.pk)
    assert [p.name for p in live.partners.all()] == ["ITU"]

    # The editor sees the proposed names, in the form and in the preview.
    editor = client_for(users["inventory_editor"])
    url = reverse("wagtailsnippets_inventory_inventoryentry:edit", args=[entry.pk])
    form = BeautifulSoup(editor.get(url).content, "html.parser")
    field = form.find("input", attrs={"name": "proposed_partners"})
    assert field["value"] == "ITU; Kenya CERT; Ghana CERT"

    entry = approve(live, users["inventory_editor"], client_for, capture)
    assert sorted(p.name for p in entry.partners.all()) == [
        "Ghana CERT",
        "ITU",
        "Kenya CERT",
    ]
    assert entry.organisation.name == "Sahel Cyber Network"
    assert StakeholderOrganisation.objects.filter(name="ITU").count() == 1


def test_the_update_form_offers_the_pending_proposal(submitter, entry):
    """While a proposal waits, the form opens that proposal (names too)."""
    proposal = entry.get_latest_revision_as_object()
    proposal.proposed_organisation = "Sahel Cyber Network"
    proposal.proposed_partners = "ITU; Kenya CERT"
    proposal.save_revision()
    form = submitter.get(f"/my/activities/{entry.pk}/edit/").context["form"]
    assert form.initial["partner_names"] == "ITU; Kenya CERT"
