"""Background work (django-q2): e-mails to stakeholders and facilitators, reminders.

Tasks take ids, not instances, and are enqueued by dotted path.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.urls import reverse
from django.utils import timezone, translation

from home.mail import (
    mail_language,
    recipient_preference,
    render_mail,
    site_url,
    users_by_language,
)

from .calendar import meeting_calendar
from .models import MeetingRegistration, TeamMembershipRequest


def send_registration_confirmation(registration_id):
    """Confirm a meeting registration, with the meeting as an .ics attachment."""
    registration = (
        MeetingRegistration.objects.select_related("meeting")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:  # cancelled, or its person's account deleted
        return
    meeting = registration.meeting
    subject, body = render_mail(
        "action_lines/emails/registration_confirmation.txt",
        {"registration": registration, "meeting": meeting, "url": site_url(meeting)},
        registration.language,
    )
    with translation.override(mail_language(registration.language)):
        calendar = meeting_calendar(meeting)  # its link and text, like the e-mail's
    message = EmailMessage(subject, body, to=[registration.email])
    message.attach(f"{meeting.slug}.ics", calendar, "text/calendar")
    message.send()


def notify_new_membership_request(request_id):
    """Tells the team's facilitators that a stakeholder asked to join."""
    membership_request = (
        TeamMembershipRequest.objects.select_related("team")
        .filter(pk=request_id)
        .first()
    )
    if membership_request is None:  # its person's account was deleted meanwhile
        return
    team = membership_request.team
    group = team.facilitator_group
    recipients = users_by_language(group.user_set) if group else {}
    if not recipients and team.contact_email:
        recipients = {settings.LANGUAGE_CODE: [team.contact_email]}
    context = {
        "request": membership_request,
        "team": team,
        "admin_url": site_url(
            reverse("action_lines_teammembershiprequest_modeladmin_index")
        ),
    }
    for language, addresses in recipients.items():
        subject, body = render_mail(
            "action_lines/emails/membership_request_received.txt", context, language
        )
        send_mail(subject, body, None, addresses)


def notify_membership_decision(request_id):
    """Tells the requester whether the facilitators accepted the request."""
    membership_request = (
        TeamMembershipRequest.objects.select_related("team")
        .filter(pk=request_id)
        .first()
    )
    if membership_request is None or not membership_request.email:
        return  # its person's account and personal data were deleted
    wanted, language = recipient_preference(
        membership_request.email, "team_news", membership_request.language
    )
    if not wanted:
        return
    subject, body = render_mail(
        "action_lines/emails/membership_decision.txt",
        {
            "request": membership_request,
            "team": membership_request.team,
            "url": site_url(membership_request.team),
        },
        language,
    )
    send_mail(subject, body, None, [membership_request.email])


def send_meeting_reminders():
    """Reminds registrants of meetings that start within MEETING_REMINDER_HOURS.

    Scheduled hourly; each registrant is reminded once.
    """
    now = timezone.now()
    horizon = now + datetime.timedelta(hours=settings.MEETING_REMINDER_HOURS)
    due = MeetingRegistration.objects.filter(
        reminder_sent_at__isnull=True,
        meeting__live=True,
        meeting__start__gt=now,
        meeting__start__lte=horizon,
    ).select_related("meeting")
    sent = 0
    for registration in due:
        meeting = registration.meeting
        wanted, language = recipient_preference(
            registration.email, "meeting_reminders", registration.language
        )
        if wanted:
            subject, body = render_mail(
                "action_lines/emails/meeting_reminder.txt",
                {
                    "registration": registration,
                    "meeting": meeting,
                    "url": site_url(meeting),
                },
                language,
            )
            send_mail(subject, body, None, [registration.email])
            sent += 1
        # Marked either way: a registrant who wants no reminder is not asked
        # about again every hour.
        MeetingRegistration.objects.filter(pk=registration.pk).update(
            reminder_sent_at=timezone.now()
        )
    return sent
