"""Which teams sent their annual contribution; reminders to those who did not."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from action_lines.teams import source_teams
from home.mail import send_templated_mail, site_url, users_by_language

from .cycles import current_cycle
from .models import AnnualContribution


def contribution_status(cycle=None):
    """[(team, contribution or None)] for every live team, in tree order."""
    cycle = cycle or current_cycle()
    contributions = {
        contribution.team_id: contribution
        for contribution in AnnualContribution.objects.filter(
            year__in=cycle.years, submitted_at__isnull=False
        ).order_by("year")
    }
    teams = source_teams().live().order_by("path")
    return cycle, [(team, contributions.get(team.pk)) for team in teams]


def send_reminders(today=None):
    """E-mails the facilitators of teams without a contribution, on reminder days.

    Reminder days are ``INVENTORY_REMINDER_DAYS`` days before the deadline.
    Returns the number of teams reminded.
    """
    today = today or timezone.localdate()
    cycle, status = contribution_status(current_cycle(today))
    days_left = (cycle.deadline - today).days
    if days_left not in settings.INVENTORY_REMINDER_DAYS:
        return 0
    reminded = 0
    for team, contribution in status:
        if contribution is not None or team.facilitator_group is None:
            continue
        recipients = users_by_language(team.facilitator_group.user_set)
        if not recipients:
            continue
        for language, addresses in recipients.items():
            send_templated_mail(
                "inventory/emails/contribution_reminder.txt",
                {
                    "team": team,
                    "cycle": cycle,
                    "days_left": days_left,
                    "admin_url": site_url(reverse("annual_contributions:index")),
                },
                addresses,
                language=language,
            )
        reminded += 1
    return reminded


def deadline_passed(cycle, today=None):
    return (today or timezone.localdate()) > cycle.deadline
