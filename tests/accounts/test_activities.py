"""My activities.

Submit from the account, follow the moderation, correct what the editors sent back,
propose updates the public does not see before approval; in a bounded number of queries,
and never another account's.
"""

import pytest
from bs4 import BeautifulSoup

from accounts.activities import activities
from accounts.models import AccountProfile, EntryClaim
from home.models import StakeholderOrganisation
from inventory.models import InventoryEntry
from inventory.moderation import moderation_status
from tests.factories import InventoryEntryFactory, StakeholderOrganisationFactory
from tests.helpers.inventory import approve
from tests.helpers.public_forms import submission

pytestmark = pytest.mark.django_db

REASON = "Add the dates of the exercises."


def editors_mails(mailoutbox, editor):
    return [mail for mail in mailoutbox if editor.email in mail.to]


def reject(entry, editor, capture, comment=REASON):
    entry = InventoryEntry.objects.get(pk=entry.pk)
    with capture(execute=True):
        entry.current_workflow_task_state.specific.reject(user=editor, comment=comment)


@pytest.fixture
def signed_in(client, account):
    client.force_login(account)
    return client


@pytest.fixture
def submitted(signed_in, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post("/my/submit/", submission())
    assert response.status_code == 302
    entry = InventoryEntry.objects.get()
    assert response["Location"] == f"/my/activities/{entry.pk}/"
    return entry


def test_the_form_is_filled_in_from_the_profile(signed_in, account):
    AccountProfile.objects.filter(user=account).update(
        organisation=StakeholderOrganisationFactory(name="Sahel Cyber Network"),
        stakeholder_type="civil-society",
        country="SEN",
    )
    form = signed_in.get("/my/submit/").context["form"]
    assert form.initial["organisation_name"] == "Sahel Cyber Network"
    assert form.initial["contact_email"] == "ada.lovelace@example.org"
    assert form.initial["contact_name"] == "Ada Lovelace"
    assert form.initial["stakeholder_type"] == "civil-society"
    assert form.initial["countries"] == ["SEN"]


def test_a_submission_from_the_account_is_moderated_and_listed(
    signed_in, submitted, account, mailoutbox
):
    assert submitted.submitted_by == account
    assert submitted.live is False
    assert submitted.workflow_in_progress
    assert any(submitted.reference in mail.subject for mail in mailoutbox)
    listing = signed_in.get("/my/activities/").content.decode()
    assert submitted.title in listing
    assert "In moderation" in listing
    page = signed_in.get(f"/my/activities/{submitted.pk}/")
    assert page.status_code == 200
    assert "Sent to the inventory editors" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")


def test_the_reason_is_shown_then_the_correction_goes_back_to_the_editors(
    signed_in,
    submitted,
    inventory_editor,
    mailoutbox,
    client_for,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    reject(submitted, inventory_editor, capture)
    page = signed_in.get(f"/my/activities/{submitted.pk}/").content.decode()
    assert REASON in page
    assert "Sent back" in page
    assert "Correct it and send it again" in page
    listing = signed_in.get("/my/activities/").content.decode()
    assert "Sent back" in listing

    mailoutbox.clear()
    form = signed_in.get(f"/my/activities/{submitted.pk}/edit/").context["form"]
    assert form.initial["organisation_name"] == "Sahel Cyber Network"
    with capture(execute=True):
        response = signed_in.post(
            f"/my/activities/{submitted.pk}/edit/",
            submission(title="Cyber drills, with dates", start_date="2025-02-01"),
        )
    assert response.status_code == 302
    assert len(editors_mails(mailoutbox, inventory_editor)) == 1
    entry = InventoryEntry.objects.get(pk=submitted.pk)
    assert entry.current_workflow_state.status == "in_progress"
    entry = approve(entry, inventory_editor, client_for, capture)
    assert entry.live
    assert entry.title == "Cyber drills, with dates"
    signed_in.force_login(submitted.submitted_by)
    listing = signed_in.get("/my/activities/").content.decode()
    assert "Published" in listing


def test_an_update_waits_for_approval_while_the_public_sees_the_published_version(
    signed_in,
    submitted,
    inventory_editor,
    mailoutbox,
    client,
    client_for,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    entry = approve(submitted, inventory_editor, client_for, capture)
    client_for(None)
    signed_in.force_login(submitted.submitted_by)
    mailoutbox.clear()
    with capture(execute=True):
        response = signed_in.post(
            f"/my/activities/{entry.pk}/edit/",
            submission(title="Cyber drills, second edition"),
        )
    assert response.status_code == 302
    page = signed_in.get(f"/my/activities/{entry.pk}/").content.decode()
    assert "Cyber drills, second edition" in page
    assert "The published version stays online meanwhile." in page
    public = client.get(f"/inventory/entries/{entry.pk}/").content.decode()
    assert "Cyber drills for West African CERTs" in public
    assert "second edition" not in public
    assert len(editors_mails(mailoutbox, inventory_editor)) == 1
    entry = approve(entry, inventory_editor, client_for, capture)
    assert entry.title == "Cyber drills, second edition"


def test_names_become_organisations_only_on_approval(
    signed_in,
    submitted,
    inventory_editor,
    client_for,
    django_capture_on_commit_callbacks,
):
    assert not StakeholderOrganisation.objects.exists()
    assert submitted.proposed_organisation == "Sahel Cyber Network"
    entry = approve(
        submitted, inventory_editor, client_for, django_capture_on_commit_callbacks
    )
    assert entry.organisation.name == "Sahel Cyber Network"


def test_another_account_sees_nothing_of_it(client, submitted, other_account):
    client.force_login(other_account)
    for path in (
        f"/my/activities/{submitted.pk}/",
        f"/my/activities/{submitted.pk}/edit/",
    ):
        assert client.get(path).status_code == 404
        assert client.post(path, submission(title="Hijacked")).status_code == 404
    assert submitted.title not in client.get("/my/activities/").content.decode()
    assert InventoryEntry.objects.get(pk=submitted.pk).revisions.count() == 1


def test_anonymous_visitors_are_asked_to_sign_in(client, db):
    for path in ("/my/", "/my/activities/", "/my/submit/", "/my/activities/1/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_the_public_form_stays_open_and_invites_to_sign_in(client, db):
    html = client.get("/inventory/submit/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    invitation = soup.find(class_="invitation")
    assert invitation.find("a", href="/accounts/login/?next=/my/submit/")


# --- Statuses in bulk --------------------------------------------------------------


def test_statuses_agree_with_the_submitters_status_link(
    account, inventory_editor, django_capture_on_commit_callbacks
):
    from inventory.moderation import submit_for_moderation

    capture = django_capture_on_commit_callbacks
    draft = InventoryEntryFactory(draft=True, submitted_by=account)
    waiting = InventoryEntryFactory(draft=True, submitted_by=account)
    submit_for_moderation(waiting, account)
    sent_back = InventoryEntryFactory(draft=True, submitted_by=account)
    submit_for_moderation(sent_back, account)
    reject(sent_back, inventory_editor, capture)
    published = InventoryEntryFactory(published=True, submitted_by=account)
    withdrawn = InventoryEntryFactory(published=True, submitted_by=account)
    withdrawn.unpublish()
    entries = [draft, waiting, sent_back, published, withdrawn]
    found = activities(InventoryEntry.objects.filter(pk__in=[e.pk for e in entries]))
    by_pk = {activity.entry.pk: activity for activity in found}
    for entry in entries:
        expected = moderation_status(InventoryEntry.objects.get(pk=entry.pk))
        activity = by_pk[entry.pk]
        code = "unpublished" if entry is withdrawn else expected["code"]
        assert (activity.code, activity.reason) == (code, expected["reason"])
    assert by_pk[sent_back.pk].reason == REASON


def test_my_pages_make_a_bounded_number_of_queries(
    signed_in,
    account,
    inventory_editor,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    from inventory.moderation import submit_for_moderation

    def make(count):
        for number in range(count):
            entry = InventoryEntryFactory(draft=True, submitted_by=account)
            submit_for_moderation(entry, account)
            if number % 2:
                reject(entry, inventory_editor, django_capture_on_commit_callbacks)
            EntryClaim.objects.create(
                entry=InventoryEntryFactory(published=True),
                user=account,
                source="assigned",
            )

    make(2)
    with django_assert_max_num_queries(34) as few:
        assert signed_in.get("/my/activities/").status_code == 200
        assert signed_in.get("/my/").status_code == 200
    make(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert signed_in.get("/my/activities/").status_code == 200
        assert signed_in.get("/my/").status_code == 200
