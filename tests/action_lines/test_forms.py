"""Public forms (joining a team, registering for a meeting) and what follows them."""

import csv
import datetime
import io
import zoneinfo

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.users.models import UserProfile

import pytest
from icalendar import Calendar

from action_lines.choices import MeetingKind, RequestStatus
from action_lines.forms import MeetingRegistrationForm, save_form
from action_lines.models import (
    MeetingPage,
    MeetingRegistration,
    TeamMembership,
    TeamMembershipRequest,
)
from action_lines.tasks import send_meeting_reminders
from tests.factories import (
    MeetingIndexPageFactory,
    MeetingPageFactory,
    MeetingRegistrationFactory,
    StakeholderOrganisationFactory,
    TeamMembershipRequestFactory,
)
from tests.helpers.admin import add_url, edit_url, meeting_page_data
from tests.helpers.pages import publish
from tests.helpers.public_forms import join_data, registration_data

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def post_join(team, capture, **changes):
    with capture(execute=True):
        return Client().post(f"{team.url}join/", join_data(**changes))


def post_registration(meeting, capture, **changes):
    with capture(execute=True):
        return Client().post(f"{meeting.url}register/", registration_data(**changes))


def decide_url(membership_request):
    return reverse(
        "action_lines_teammembershiprequest_modeladmin_decide",
        args=[membership_request.pk],
    )


# Joining a team


def test_join_form_without_answers_lists_every_missing_field(
    tree, mailoutbox, django_capture_on_commit_callbacks
):
    """An empty form comes back with a 400, an error summary and nothing saved."""
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"{tree.c5_team.url}join/", {})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Please correct the following" in content
    for label in ("Organisation", "Name", "E-mail", "Stakeholder type", "Country"):
        assert f"{label}: This field is required." in content
    assert not TeamMembershipRequest.objects.exists()
    assert mailoutbox == []


def test_join_form_explains_an_invalid_email(tree, django_capture_on_commit_callbacks):
    """A mistyped e-mail address is named in the error, and nothing is saved."""
    response = post_join(
        tree.c5_team, django_capture_on_commit_callbacks, email="ada.example.org"
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not TeamMembershipRequest.objects.exists()


def test_join_request_is_pending_and_facilitators_are_told(
    tree, users, mailoutbox, django_capture_on_commit_callbacks
):
    """A valid request waits for the C5 facilitators, who get an e-mail about it."""
    response = post_join(tree.c5_team, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == tree.c5_team.url
    request = TeamMembershipRequest.objects.get()
    assert request.team_id == tree.c5_team.pk
    assert request.status == RequestStatus.PENDING
    assert [mail.to for mail in mailoutbox] == [[users["c5_facilitator"].email]]
    assert "Cyber Peace Institute" in mailoutbox[0].body
    assert "/admin/action_lines/teammembershiprequest/" in mailoutbox[0].body
    thanks = Client().get(tree.c5_team.url)
    assert "No member organisation yet." in thanks.content.decode()


def test_second_pending_request_from_same_address_is_refused(
    tree, django_capture_on_commit_callbacks
):
    """While a request waits, the same address (in any case) cannot ask again."""
    post_join(tree.c5_team, django_capture_on_commit_callbacks)
    response = post_join(
        tree.c5_team, django_capture_on_commit_callbacks, email="ADA@example.org"
    )
    assert response.status_code == 400
    assert "already waiting for the facilitators" in response.content.decode()
    assert TeamMembershipRequest.objects.count() == 1


def test_same_address_may_ask_another_team(tree, django_capture_on_commit_callbacks):
    """The duplicate rule is per team: asking to join C2 as well is fine."""
    post_join(tree.c5_team, django_capture_on_commit_callbacks)
    response = post_join(tree.c2_team, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert TeamMembershipRequest.objects.count() == 2


def test_accepted_organisation_is_listed_on_team_page(
    tree, users, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    """Acceptance in the admin makes a member, shown publicly; the requester is told."""
    post_join(tree.c5_team, django_capture_on_commit_callbacks)
    request = TeamMembershipRequest.objects.get()
    mailoutbox.clear()
    client = client_for(users["c5_facilitator"])
    assert client.get(decide_url(request)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide_url(request), {"decision": "accepted", "note": "Welcome aboard."}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert request.decided_by == users["c5_facilitator"]
    membership = TeamMembership.objects.get()
    assert membership.team_id == tree.c5_team.pk
    assert membership.organisation.name == "Cyber Peace Institute"
    assert "Cyber Peace Institute" in Client().get(tree.c5_team.url).content.decode()
    assert [mail.to for mail in mailoutbox] == [["ada@example.org"]]
    assert mailoutbox[0].subject == "Welcome to C5 team"
    assert "Welcome aboard." in mailoutbox[0].body


def test_acceptance_reuses_a_known_organisation(tree, users, client_for):
    """An organisation already on record is not duplicated by a new member request."""
    known = StakeholderOrganisationFactory(name="Cyber Peace Institute")
    request = TeamMembershipRequestFactory(
        team=tree.c5_team, organisation_name="cyber peace institute "
    )
    client_for(users["c5_facilitator"]).post(
        decide_url(request), {"decision": "accepted"}
    )
    assert TeamMembership.objects.get().organisation == known


def test_declined_request_makes_no_member_and_tells_requester(
    tree, users, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    """A declined organisation is not listed; the requester may ask again later."""
    post_join(tree.c5_team, django_capture_on_commit_callbacks)
    request = TeamMembershipRequest.objects.get()
    mailoutbox.clear()
    client = client_for(users["c5_facilitator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide_url(request), {"decision": "declined", "note": ""})
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert not TeamMembership.objects.exists()
    content = Client().get(tree.c5_team.url).content.decode()
    assert "No member organisation yet." in content
    assert [mail.to for mail in mailoutbox] == [["ada@example.org"]]
    assert "declined" in mailoutbox[0].body
    again = post_join(tree.c5_team, django_capture_on_commit_callbacks)
    assert again.status_code == 302


def test_decision_without_a_choice_is_refused(tree, users, client_for):
    """The decision form requires accept or decline."""
    request = TeamMembershipRequestFactory(team=tree.c5_team)
    response = client_for(users["c5_facilitator"]).post(decide_url(request), {})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


# Registering for a meeting


@pytest.fixture
def meeting(tree):
    """An open C5 meeting in New York time, starting 10:00 local (14:00 UTC)."""
    page = MeetingPageFactory(
        parent=tree.c5_meetings,
        title="C5 annual meeting",
        start=datetime.datetime(2031, 3, 14, 14, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2031, 3, 14, 17, 0, tzinfo=datetime.UTC),
        time_zone="America/New_York",
        venue="UN Headquarters",
    )
    return publish(page)


def test_registration_is_confirmed_with_an_ics_attachment(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    """A registrant gets a confirmation e-mail with the meeting as a calendar file."""
    response = post_registration(meeting, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    registration = MeetingRegistration.objects.get()
    assert registration.meeting_id == meeting.pk
    assert [mail.to for mail in mailoutbox] == [["grace@example.org"]]
    mail = mailoutbox[0]
    assert "C5 annual meeting" in mail.subject
    assert "14 March 2031, 10:00 (America/New_York)" in mail.body
    ((filename, content, mimetype),) = mail.attachments
    assert filename.endswith(".ics")
    assert mimetype == "text/calendar"
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "C5 annual meeting"


def test_full_meeting_refuses_the_next_registration(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    """With one place, the second registrant is told the meeting is full."""
    meeting.capacity = 1
    publish(meeting)
    first = post_registration(meeting, django_capture_on_commit_callbacks)
    assert first.status_code == 302
    response = post_registration(
        meeting, django_capture_on_commit_callbacks, email="linus@example.org"
    )
    assert response.status_code == 400
    assert "The meeting is full" in response.content.decode()
    assert MeetingRegistration.objects.count() == 1
    assert len(mailoutbox) == 1


def test_capacity_holds_when_the_last_place_goes_during_validation(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    """The place is checked again under a lock: a lost race saves and sends nothing."""
    meeting.capacity = 1
    publish(meeting)
    form = MeetingRegistrationForm(registration_data(), meeting=meeting)
    assert form.is_valid()
    MeetingRegistrationFactory(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        assert save_form(form) is None
    assert "The meeting is full: no places are left." in form.non_field_errors()
    assert MeetingRegistration.objects.count() == 1
    assert mailoutbox == []


def test_same_address_cannot_register_twice(
    meeting, django_capture_on_commit_callbacks
):
    """A second registration with the same e-mail (any case) is refused."""
    post_registration(meeting, django_capture_on_commit_callbacks)
    response = post_registration(
        meeting, django_capture_on_commit_callbacks, email="Grace@Example.org"
    )
    assert response.status_code == 400
    assert "already registered for this meeting" in response.content.decode()
    assert MeetingRegistration.objects.count() == 1


def test_closed_registration_is_refused(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    """When the facilitators close registration, nobody can register."""
    meeting.registration_open = False
    publish(meeting)
    response = post_registration(meeting, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Registration for this meeting is closed." in response.content.decode()
    assert not MeetingRegistration.objects.exists()
    assert mailoutbox == []


def test_past_meeting_refuses_registration(tree, django_capture_on_commit_callbacks):
    """A meeting that has ended takes no registration, even if left open."""
    past = publish(
        MeetingPageFactory(
            parent=tree.c5_meetings,
            start=timezone.now() - datetime.timedelta(days=2),
            end=timezone.now() - datetime.timedelta(days=2, hours=-3),
        )
    )
    response = post_registration(past, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Registration for this meeting is closed." in response.content.decode()
    assert not MeetingRegistration.objects.exists()


def test_online_attendance_needs_an_online_link(
    meeting, django_capture_on_commit_callbacks
):
    """A meeting without an online link offers in-person attendance only."""
    response = post_registration(
        meeting, django_capture_on_commit_callbacks, attendance="online"
    )
    assert response.status_code == 400
    assert not MeetingRegistration.objects.exists()


def test_calendar_file_starts_in_the_meetings_time_zone(meeting):
    """The .ics download starts at 10:00 New York time, with that zone's definition."""
    response = Client().get(f"{meeting.url}calendar/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    start = event["DTSTART"]
    assert start.params["TZID"] == "America/New_York"
    assert start.dt == datetime.datetime(2031, 3, 14, 10, 0, tzinfo=NEW_YORK)
    assert start.dt.utcoffset() == datetime.timedelta(hours=-4)
    assert event["DTEND"].dt == datetime.datetime(2031, 3, 14, 13, 0, tzinfo=NEW_YORK)
    zones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["America/New_York"]


# Registrations in the admin


def export_emails(client):
    url = reverse("action_lines_meetingregistration_modeladmin_index")
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    return sorted(row["E-Mail"] for row in rows)


@pytest.fixture
def registrations_of_three_teams(tree):
    """One registration each for a C5, a C2 and a Secretariat meeting."""
    c2_meetings = publish(MeetingIndexPageFactory(parent=tree.c2_team))
    c2_meeting = publish(MeetingPageFactory(parent=c2_meetings))
    secretariat_meetings = publish(
        MeetingIndexPageFactory(
            parent=tree.secretariat,
            slug="facilitators-meetings",
            kind=MeetingKind.FACILITATORS,
        )
    )
    facilitators_meeting = publish(MeetingPageFactory(parent=secretariat_meetings))
    MeetingRegistrationFactory(meeting=tree.c5_meeting, email="c5@example.org")
    MeetingRegistrationFactory(meeting=c2_meeting, email="c2@example.org")
    MeetingRegistrationFactory(meeting=facilitators_meeting, email="sec@example.org")


def test_c5_facilitator_exports_only_c5_registrations(
    registrations_of_three_teams, users, client_for
):
    """The CSV export of a C5 facilitator holds the C5 meetings' registrations only."""
    assert export_emails(client_for(users["c5_facilitator"])) == ["c5@example.org"]


def test_secretariat_exports_every_registration(
    registrations_of_three_teams, users, client_for
):
    """The Secretariat's export covers every team and its own meetings."""
    emails = export_emails(client_for(users["secretariat"]))
    assert emails == ["c2@example.org", "c5@example.org", "sec@example.org"]


@pytest.mark.parametrize("role", ["inventory_editor", "public"])
def test_registrations_list_is_closed_to_other_roles(
    registrations_of_three_teams, users, client_for, role
):
    """Roles outside the teams and the Secretariat get no registration list."""
    url = reverse("action_lines_meetingregistration_modeladmin_index")
    response = client_for(users[role]).get(url, {"export": "csv"})
    assert response.status_code in {302, 403}


# Meetings in the admin


def test_admin_reads_meeting_times_in_the_meetings_time_zone(tree, users, client_for):
    """10:00 typed for a New York meeting is 14:00 UTC, whatever the editor's zone."""
    facilitator = users["c5_facilitator"]
    profile = UserProfile.get_for_user(facilitator)
    profile.current_time_zone = "Asia/Tokyo"
    profile.save()
    client = client_for(facilitator)
    data = meeting_page_data(
        title="Budget meeting",
        slug="budget-meeting",
        start="2031-03-14 10:00",
        end="2031-03-14 12:00",
        time_zone="America/New_York",
        registration_open=True,
    )
    response = client.post(
        add_url(MeetingPage, tree.c5_meetings), {**data, "action-publish": "1"}
    )
    assert response.status_code == 302
    meeting = MeetingPage.objects.get(slug="budget-meeting")
    assert meeting.live is True
    assert meeting.start == datetime.datetime(2031, 3, 14, 14, 0, tzinfo=datetime.UTC)
    assert meeting.end == datetime.datetime(2031, 3, 14, 16, 0, tzinfo=datetime.UTC)
    editor = client.get(edit_url(meeting)).content.decode()
    assert 'value="2031-03-14 10:00"' in editor
    assert 'value="2031-03-14 12:00"' in editor


def test_admin_refuses_a_meeting_that_ends_before_it_starts(tree, users, client_for):
    """An end before the start is reported on the form; no meeting is created."""
    client = client_for(users["c5_facilitator"])
    data = meeting_page_data(
        title="Backwards meeting",
        slug="backwards",
        start="2031-03-14 10:00",
        end="2031-03-14 09:00",
    )
    response = client.post(
        add_url(MeetingPage, tree.c5_meetings), {**data, "action-publish": "1"}
    )
    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.content.decode()
    assert not MeetingPage.objects.filter(slug="backwards").exists()


def test_reminder_is_sent_once_with_the_local_start_time(tree, mailoutbox, settings):
    """Registrants of a meeting starting soon are reminded once, in its local time."""
    settings.MEETING_REMINDER_HOURS = 24
    start = (timezone.now() + datetime.timedelta(hours=5)).replace(
        second=0, microsecond=0
    )
    soon = publish(
        MeetingPageFactory(
            parent=tree.c5_meetings,
            start=start,
            end=start + datetime.timedelta(hours=2),
            time_zone="Asia/Tokyo",
        )
    )
    MeetingRegistrationFactory(meeting=soon, email="grace@example.org")
    MeetingRegistrationFactory(meeting=tree.c5_meeting)  # in 30 days: not yet
    assert send_meeting_reminders() == 1
    assert send_meeting_reminders() == 0
    assert [mail.to for mail in mailoutbox] == [["grace@example.org"]]
    tokyo = start.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo:%H:%M} (Asia/Tokyo)" in mailoutbox[0].body
