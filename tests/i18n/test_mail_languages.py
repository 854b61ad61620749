"""E-mails sent by background tasks go out in their recipient's language.

A visitor's interface language is stored with what they send (join request,
registration, inventory submission); users get their Wagtail preferred
language. The tasks here run outside any request, in the worker's (default)
language, as django-q2 runs them.
"""

import datetime

from django.test import Client
from django.utils import timezone, translation

from wagtail.users.models import UserProfile

import pytest

from action_lines import tasks
from action_lines.models import MeetingRegistration, TeamMembershipRequest
from inventory import contributions
from inventory.models import InventoryEntry
from inventory.notifications import notify_submitter_rejected
from tests.factories import UserFactory
from tests.helpers.public_forms import (
    SUBMIT_URL,
    join_data,
    registration_data,
    submission,
)


@pytest.fixture
def in_the_worker():
    """Runs the enclosed task as the worker does: default language, no request."""
    from contextlib import contextmanager

    @contextmanager
    def worker():
        with translation.override("en"):
            yield

    return worker


def french_facilitator():
    """A C5 facilitator who chose French in their account settings."""
    user = UserFactory(username="c5fr", groups=["C5 facilitators"])
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()
    return user


def sent_from(path, data, capture):
    """POSTs like a visitor; the e-mail tasks wait (on_commit not run)."""
    with capture(execute=False):
        response = Client().post(path, data)
    assert response.status_code == 302, response.content[:1000]


@pytest.mark.parametrize(
    ("prefix", "subject"),
    [
        ("/fr", "Bienvenue dans l'équipe C5 team"),
        ("/ar", "مرحباً بك في C5 team"),
        ("", "Welcome to C5 team"),
    ],
)
def test_a_join_decision_is_in_the_requesters_language(
    tree, mailoutbox, django_capture_on_commit_callbacks, in_the_worker, prefix, subject
):
    sent_from(
        f"{prefix}/action-lines/c5/team/join/",
        join_data(),
        django_capture_on_commit_callbacks,
    )
    request = TeamMembershipRequest.objects.get()
    assert request.language == (prefix.strip("/") or "en")
    request.status = "accepted"
    request.save()
    with in_the_worker():
        tasks.notify_membership_decision(request.pk)
    assert mailoutbox[-1].subject == subject


def test_a_registration_and_its_reminder_are_in_the_registrants_language(
    tree, settings, mailoutbox, django_capture_on_commit_callbacks, in_the_worker
):
    meeting = tree.c5_meeting
    meeting.start = timezone.now() + datetime.timedelta(hours=2)
    meeting.end = meeting.start + datetime.timedelta(hours=1)
    meeting.save_revision().publish()
    sent_from(
        f"/fr{meeting.url}register/",
        registration_data(),
        django_capture_on_commit_callbacks,
    )
    registration = MeetingRegistration.objects.get()
    assert registration.language == "fr"
    settings.MEETING_REMINDER_HOURS = 24
    with in_the_worker():
        tasks.send_registration_confirmation(registration.pk)
        assert tasks.send_meeting_reminders() == 1
    confirmation, reminder = mailoutbox[-2:]
    assert confirmation.subject.startswith("Inscription confirmée")
    assert reminder.body.startswith("Bonjour")


def test_a_rejected_submitter_reads_why_in_their_language(
    db, mailoutbox, django_capture_on_commit_callbacks, in_the_worker
):
    sent_from(f"/fr{SUBMIT_URL}", submission(), django_capture_on_commit_callbacks)
    entry = InventoryEntry.objects.get()
    assert entry.contact_language == "fr"
    with in_the_worker():
        notify_submitter_rejected(entry.pk)
    assert mailoutbox[-1].body.startswith("Bonjour")


def test_facilitators_get_their_preferred_language(
    tree, mailoutbox, django_capture_on_commit_callbacks, in_the_worker
):
    french = french_facilitator()
    english = UserFactory(username="c5en", groups=["C5 facilitators"])
    sent_from(
        "/action-lines/c5/team/join/", join_data(), django_capture_on_commit_callbacks
    )
    with in_the_worker():
        tasks.notify_new_membership_request(TeamMembershipRequest.objects.get().pk)
    subjects = {mail.to[0]: mail.subject for mail in mailoutbox}
    assert subjects[french.email] == "Nouvelle demande d'adhésion à l'équipe C5 team"
    assert subjects[english.email] == "New request to join C5 team"


def test_contribution_reminders_follow_each_facilitators_language(
    tree, settings, mailoutbox, in_the_worker
):
    french = french_facilitator()
    UserFactory(username="c5en", groups=["C5 facilitators"])
    cycle = contributions.current_cycle(timezone.localdate())
    today = cycle.deadline - datetime.timedelta(days=7)
    settings.INVENTORY_REMINDER_DAYS = [7]
    with in_the_worker():
        assert contributions.send_reminders(today=today) >= 1
    by_address = {mail.to[0]: mail for mail in mailoutbox if len(mail.to) == 1}
    assert by_address[french.email].subject.startswith("Rappel")
    assert by_address["c5en@example.org"].subject.startswith("Reminder")
