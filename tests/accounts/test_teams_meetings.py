"""My teams and My meetings.

Join a team and register for a meeting in one click from the profile, through the teams'
own forms; see the answers and the registrations, made from the account or with its
verified address; cancel.
"""

import datetime

from django.utils import timezone

import pytest

from accounts.models import AccountJoinRequest, AccountProfile, AccountRegistration
from action_lines.models import MeetingRegistration, TeamMembershipRequest
from tests.factories import MeetingPageFactory, StakeholderOrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, account):
    """An account with a complete profile, signed in."""
    AccountProfile.objects.filter(user=account).update(
        organisation=StakeholderOrganisationFactory(name="Dakar Digital Schools"),
        stakeholder_type="civil-society",
        country="SEN",
    )
    client.force_login(account)
    return client


def test_joining_a_team_in_one_click(
    member, account, tree, users, mailoutbox, django_capture_on_commit_callbacks
):
    page = member.get(tree.c5_team.url).content.decode()
    assert f'action="/my/teams/join/{tree.c5_team.pk}/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(f"/my/teams/join/{tree.c5_team.pk}/")
    assert response["Location"] == "/my/teams/"
    request = TeamMembershipRequest.objects.get()
    assert (request.team_id, request.person_name, request.organisation_name) == (
        tree.c5_team.pk,
        "Ada Lovelace",
        "Dakar Digital Schools",
    )
    assert (request.email, request.stakeholder_type, request.country) == (
        "ada.lovelace@example.org",
        "civil-society",
        "SEN",
    )
    assert AccountJoinRequest.objects.get().user == account
    assert any(users["c5_facilitator"].email in mail.to for mail in mailoutbox)
    listing = member.get("/my/teams/").content.decode()
    assert "C5 team" in listing and "Pending" in listing
    # A second request while one waits is refused, in the team form's words.
    again = member.post(f"/my/teams/join/{tree.c5_team.pk}/", follow=True)
    assert "already waiting" in again.content.decode()
    assert TeamMembershipRequest.objects.count() == 1

    request.status, request.decision_note = "accepted", "Welcome aboard."
    request.decided_at = timezone.now()
    request.save()
    listing = member.get("/my/teams/").content.decode()
    assert "Accepted" in listing and "Welcome aboard." in listing


def test_a_request_sent_with_the_accounts_address_is_listed(member, tree):
    TeamMembershipRequest.objects.create(
        team=tree.c2_team,
        organisation_name="Dakar Digital Schools",
        person_name="Ada",
        email="ada.lovelace@example.org",
        stakeholder_type="civil-society",
        country="SEN",
    )
    TeamMembershipRequest.objects.create(
        team=tree.c5_team,
        organisation_name="Other",
        person_name="Someone",
        email="someone@example.org",
        stakeholder_type="academia",
        country="FRA",
    )
    listing = member.get("/my/teams/").content.decode()
    assert "C2 team" in listing
    assert "C5 team" not in listing


def test_an_incomplete_profile_is_completed_first(client, account, tree):
    client.force_login(account)
    AccountProfile.objects.filter(user=account).update(country="")
    response = client.post(f"/my/teams/join/{tree.c5_team.pk}/")
    assert response["Location"] == "/my/profile/"
    assert not TeamMembershipRequest.objects.exists()


def test_registering_in_one_click_then_cancelling(
    member, account, tree, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = tree.c5_meeting
    page = member.get(meeting.url).content.decode()
    assert f'action="/my/meetings/register/{meeting.pk}/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(
            f"/my/meetings/register/{meeting.pk}/", {"attendance": "in-person"}
        )
    assert response["Location"] == "/my/meetings/"
    registration = MeetingRegistration.objects.get()
    assert registration.email == "ada.lovelace@example.org"
    assert AccountRegistration.objects.get().user == account
    assert mailoutbox[-1].attachments  # the confirmation carries the .ics

    listing = member.get("/my/meetings/").content.decode()
    assert "C5 work plan meeting" in listing
    ics = f"{meeting.url}calendar/"
    assert f'href="{ics}"' in listing
    calendar = member.get(ics)
    assert calendar.status_code == 200
    assert calendar["Content-Type"].startswith("text/calendar")

    response = member.post(f"/my/meetings/{registration.pk}/cancel/")
    assert response.status_code == 302
    assert not MeetingRegistration.objects.exists()


def test_registrations_with_the_accounts_address_and_their_limits(
    member, other_account, tree, client
):
    mine = MeetingRegistration.objects.create(
        meeting=tree.c5_meeting,
        name="Ada",
        email="ada.lovelace@example.org",
        organisation="DDS",
        stakeholder_type="civil-society",
        country="SEN",
    )
    assert "C5 work plan meeting" in member.get("/my/meetings/").content.decode()
    # Another account neither sees nor cancels it.
    client.force_login(other_account)
    assert "C5 work plan meeting" not in client.get("/my/meetings/").content.decode()
    assert client.post(f"/my/meetings/{mine.pk}/cancel/").status_code == 404
    assert MeetingRegistration.objects.filter(pk=mine.pk).exists()


def test_a_past_meeting_is_not_cancelled(member, tree):
    past = MeetingPageFactory(
        parent=tree.c5_meetings,
        title="Last year's meeting",
        start=timezone.now() - datetime.timedelta(days=30),
    )
    registration = MeetingRegistration.objects.create(
        meeting=past,
        name="Ada",
        email="ada.lovelace@example.org",
        organisation="DDS",
        stakeholder_type="civil-society",
        country="SEN",
    )
    assert member.post(f"/my/meetings/{registration.pk}/cancel/").status_code == 404
    assert MeetingRegistration.objects.filter(pk=registration.pk).exists()


def test_anonymous_visitors_are_invited_to_sign_in(client, tree):
    page = client.get(tree.c5_team.url).content.decode()
    assert f"/accounts/login/?next={tree.c5_team.url}" in page
    assert client.post(f"/my/teams/join/{tree.c5_team.pk}/").status_code == 302
    assert not TeamMembershipRequest.objects.exists()
