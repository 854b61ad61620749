"""Update links: one update per link, throttled, and nothing written before an
editor approves but the proposal itself.

Before, a link worked for 48 hours, any number of times: each use saved a
revision, restarted the moderation, e-mailed every editor again and created the
organisations it named. Now a link is used up by the proposal it sends (in the
same transaction), requests and uses are rate limited, an entry already waiting
for the editors stays in its moderation, and organisation names wait on the
proposal until the editor's approval turns them into organisations.
"""

import datetime
import re

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from home.models import StakeholderOrganisation
from inventory.models import InventoryEntry, UpdateLink
from inventory.views import UPDATE_LINK_LIFETIME, UPDATE_LINKS_PER_ENTRY_AND_DAY
from tests.factories import InventoryEntryFactory, StakeholderOrganisationFactory
from tests.helpers.inventory import approve
from tests.helpers.public_forms import CONTACT, submission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

REQUEST_URL = "/inventory/update/"
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


def ask_for_link(client, capture, entry, **headers):
    with capture(execute=True):
        return client.post(
            REQUEST_URL,
            {"reference": entry.reference, "contact_email": CONTACT},
            **headers,
        )


def link_in(mail):
    match = re.search(r"http://testserver(/inventory/update/[^/\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def propose(client, capture, link, **changes):
    with capture(execute=True):
        return client.post(link, submission(**changes))


def editors_mails(mailoutbox, users):
    editor = users["inventory_editor"].email
    return [mail for mail in mailoutbox if editor in mail.to]


@pytest.fixture
def link(client, entry, mailoutbox, django_capture_on_commit_callbacks):
    ask_for_link(client, django_capture_on_commit_callbacks, entry)
    (mail,) = mailoutbox
    mailoutbox.clear()
    return link_in(mail)


# --- One use ----------------------------------------------------------------------


def test_a_link_sends_one_update_and_then_says_it_was_used(
    client, entry, link, django_capture_on_commit_callbacks
):
    first = propose(client, django_capture_on_commit_callbacks, link, title="First")
    assert first.status_code == 302
    revisions = entry.revisions.count()

    for method in (client.get, client.post):
        response = method(link, submission(title="Second"))
        assert response.status_code == 410
        content = response.content.decode()
        assert "This link was already used" in content
        assert "Ask for a new link" in content
    entry = InventoryEntry.objects.get(pk=entry.pk)
    assert entry.revisions.count() == revisions
    assert entry.get_latest_revision_as_object().title == "First"


def test_a_proposal_with_errors_does_not_use_the_link(
    client, entry, link, django_capture_on_commit_callbacks
):
    refused = propose(client, django_capture_on_commit_callbacks, link, title="")
    assert refused.status_code == 400
    assert UpdateLink.objects.get().used_at is None
    accepted = propose(client, django_capture_on_commit_callbacks, link, title="Fixed")
    assert accepted.status_code == 302
    assert UpdateLink.objects.get().used_at is not None


def test_the_link_is_used_up_atomically(entry):
    """Of two proposals that check the same link at once, only one goes through:
    the second's update of the link row finds it used."""
    link, _token = UpdateLink.issue(entry, UPDATE_LINK_LIFETIME)
    same_link_in_another_request = UpdateLink.objects.get(pk=link.pk)
    assert link.consume() is True
    assert same_link_in_another_request.consume() is False


def test_only_a_hash_of_the_link_is_stored(entry, link):
    token = link.strip("/").rsplit("/", 1)[1]
    stored = UpdateLink.objects.get()
    assert token not in stored.token_hash
    assert stored.token_hash == UpdateLink.hash(token)
    lifetime = stored.expires_at - stored.created_at
    assert abs(lifetime - UPDATE_LINK_LIFETIME) < datetime.timedelta(seconds=5)


def test_an_expired_link_is_refused(client, entry, link):
    UpdateLink.objects.update(
        expires_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    response = client.post(link, submission())
    assert response.status_code == 400
    assert "invalid or has expired" in response.content.decode()
    assert entry.revisions.count() == 1


# --- Throttles --------------------------------------------------------------------


def test_requests_for_links_are_limited_per_address(
    client, entry, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.INVENTORY_SUBMIT_RATE_LIMIT = 2
    capture = django_capture_on_commit_callbacks
    assert ask_for_link(client, capture, entry).status_code == 302
    assert ask_for_link(client, capture, entry).status_code == 302
    refused = ask_for_link(client, capture, entry)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert len(mailoutbox) == 2


def test_links_for_one_entry_are_limited_per_day_whoever_asks(
    client, entry, mailoutbox, django_capture_on_commit_callbacks
):
    """Its contact's mailbox is not a target: past the daily number of links, the
    answer is the same and no e-mail goes out."""
    for number in range(UPDATE_LINKS_PER_ENTRY_AND_DAY + 2):
        response = ask_for_link(
            client,
            django_capture_on_commit_callbacks,
            entry,
            REMOTE_ADDR=f"192.0.2.{number + 1}",
        )
        assert response.status_code == 302
    assert len(mailoutbox) == UPDATE_LINKS_PER_ENTRY_AND_DAY
    assert UpdateLink.objects.count() == UPDATE_LINKS_PER_ENTRY_AND_DAY


def test_uses_of_links_are_limited_per_address(
    client, entry, settings, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    links = [UpdateLink.issue(entry, UPDATE_LINK_LIFETIME)[1] for _ in range(3)]
    settings.INVENTORY_SUBMIT_RATE_LIMIT = 2
    for token in links[:2]:
        response = propose(client, capture, f"/inventory/update/{token}/")
        assert response.status_code == 302
    revisions = entry.revisions.count()
    refused = propose(client, capture, f"/inventory/update/{links[2]}/")
    assert refused.status_code == 429
    assert entry.revisions.count() == revisions
    assert UpdateLink.objects.filter(used_at__isnull=True).count() == 1


# --- The editors are told once -------------------------------------------------------


def test_editors_are_not_told_again_of_an_entry_already_waiting_for_them(
    client, entry, users, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    tokens = [UpdateLink.issue(entry, UPDATE_LINK_LIFETIME)[1] for _ in range(3)]
    for number, token in enumerate(tokens):
        response = propose(
            client, capture, f"/inventory/update/{token}/", title=f"Version {number}"
        )
        assert response.status_code == 302
    entry = InventoryEntry.objects.get(pk=entry.pk)
    assert len(editors_mails(mailoutbox, users)) == 1
    assert entry.workflow_states.count() == 1
    assert entry.current_workflow_state.status == "in_progress"
    # The one moderation reviews the latest proposal: approving publishes it.
    entry = approve(entry, users["inventory_editor"], client_for, capture)
    assert entry.title == "Version 2"


def test_a_correction_after_a_rejection_goes_back_to_the_editors(
    client, entry, users, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    first, second = (UpdateLink.issue(entry, UPDATE_LINK_LIFETIME)[1] for _ in range(2))
    propose(client, capture, f"/inventory/update/{first}/", title="Version 1")
    entry = InventoryEntry.objects.get(pk=entry.pk)
    with capture(execute=True):
        entry.current_workflow_task_state.specific.reject(
            user=users["inventory_editor"], comment="Add the dates."
        )
    mailoutbox.clear()
    propose(client, capture, f"/inventory/update/{second}/", title="Version 2")
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
    client, entry, link, users, client_for, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    before = set(StakeholderOrganisation.objects.values_list("name", flat=True))
    response = propose(
        client,
        capture,
        link,
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


def test_the_update_form_offers_the_pending_proposal(client, entry, tree):
    """A second link, while a proposal waits, opens that proposal (names too)."""
    proposal = entry.get_latest_revision_as_object()
    proposal.proposed_organisation = "Sahel Cyber Network"
    proposal.proposed_partners = "ITU; Kenya CERT"
    proposal.save_revision()
    _link, token = UpdateLink.issue(entry, UPDATE_LINK_LIFETIME)
    form = client.get(f"/inventory/update/{token}/").context["form"]
    assert form.initial["partner_names"] == "ITU; Kenya CERT"
