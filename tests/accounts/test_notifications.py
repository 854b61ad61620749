"""The e-mails an account chooses, in its language.

The platform's senders ask the account that holds the recipient's verified address;
other addresses get every e-mail as before. The yearly call leads into My WSIS.
"""

import datetime

from django.utils import timezone

import pytest

from accounts.models import AccountProfile, EntryClaim
from accounts.profiles import set_preferred_language
from accounts.yearly_call import send_yearly_call
from action_lines.models import MeetingRegistration, TeamMembershipRequest
from action_lines.tasks import notify_membership_decision, send_meeting_reminders
from home.mail import recipient_preference
from inventory.notifications import notify_submitter_published
from tests.factories import InventoryEntryFactory

pytestmark = pytest.mark.django_db

ADA = "ada.lovelace@example.org"


def prefer(account, **flags):
    AccountProfile.objects.filter(user=account).update(**flags)


def test_an_address_without_an_account_gets_everything(account):
    assert recipient_preference("someone@example.org", "moderation", "fr") == (
        True,
        "fr",
    )


def test_the_account_decides_and_speaks_its_language(account):
    set_preferred_language(account, "es")
    prefer(account, notify_team_news=False)
    assert recipient_preference(ADA.upper(), "moderation", "fr") == (True, "es")
    assert recipient_preference(ADA, "team_news", "fr") == (False, "es")


def test_moderation_decisions(account, mailoutbox):
    entry = InventoryEntryFactory(contact_email=ADA, contact_language="en")
    set_preferred_language(account, "fr")
    notify_submitter_published(entry.pk)
    (mail,) = mailoutbox
    assert "publiée" in mail.subject  # in the account's language
    prefer(account, notify_moderation=False)
    notify_submitter_published(entry.pk)
    assert len(mailoutbox) == 1


def test_team_news(account, tree, mailoutbox):
    request = TeamMembershipRequest.objects.create(
        team=tree.c5_team,
        organisation_name="DDS",
        person_name="Ada",
        email=ADA,
        stakeholder_type="civil-society",
        country="SEN",
        status="accepted",
    )
    notify_membership_decision(request.pk)
    assert len(mailoutbox) == 1
    prefer(account, notify_team_news=False)
    notify_membership_decision(request.pk)
    assert len(mailoutbox) == 1


def test_meeting_reminders(account, tree, mailoutbox):
    meeting = tree.c5_meeting
    meeting.start = timezone.now() + datetime.timedelta(hours=2)
    meeting.end = meeting.start + datetime.timedelta(hours=2)
    meeting.save_revision().publish()
    prefer(account, notify_meeting_reminders=False)
    kept = MeetingRegistration.objects.create(
        meeting=meeting,
        name="Ada",
        email=ADA,
        organisation="DDS",
        stakeholder_type="civil-society",
        country="SEN",
    )
    MeetingRegistration.objects.create(
        meeting=meeting,
        name="Grace",
        email="no.account@example.org",
        organisation="Navy",
        stakeholder_type="government",
        country="USA",
    )
    assert send_meeting_reminders() == 1
    assert [mail.to for mail in mailoutbox] == [["no.account@example.org"]]
    kept.refresh_from_db()
    assert kept.reminder_sent_at is not None  # not asked about again
    assert send_meeting_reminders() == 0


def test_the_yearly_call_leads_into_my_wsis(
    account, other_account, account_factory, mailoutbox
):
    InventoryEntryFactory(submitted_by=account, published=True)
    EntryClaim.objects.create(
        entry=InventoryEntryFactory(published=True),
        user=other_account,
        source="claimed",
    )
    quiet = account_factory("quiet@example.org")
    InventoryEntryFactory(submitted_by=quiet, published=True)
    prefer(quiet, notify_yearly_call=False)
    account_factory("nothing.published@example.org")
    InventoryEntryFactory(submitted_by=other_account, draft=True)
    set_preferred_language(other_account, "ar")
    assert send_yearly_call() == 2
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_address) == {ADA, "grace.hopper@example.org"}
    assert "http://testserver/my/activities/" in by_address[ADA].body
    assert (
        "http://testserver/ar/my/activities/"
        in by_address["grace.hopper@example.org"].body
    )
