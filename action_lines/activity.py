"""What an action line's and a team's pages show of the work done under them.

A visitor who opens an action line wants to know what is being done: how many
published activities it has (a link to the inventory search that lists them,
so the figure is what the link shows), the latest of them, the team's upcoming
meetings and its latest annual contribution. A team's page lists the activities
its team reported. Each costs a bounded number of queries: one inventory search
(the engine's, or the database's when there is none) and a few indexed reads.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from inventory.models import AnnualContribution, InventoryEntry
from inventory.search import InventoryQuery, search_inventory

LATEST = 5
UPCOMING = 3


def search_link(code):
    return reverse("inventory:search") + "?" + urlencode({"action_line": code})


def action_line_activity(page, team):
    """Return the action line's activities, upcoming meetings and contribution.

    The action line's published activities (count, link, latest), its team's
    upcoming meetings and latest submitted contribution.
    """
    result = search_inventory(
        InventoryQuery(
            filters={"action_line": (page.code,)}, sort="newest", page_size=LATEST
        )
    )
    activity = {
        "activity_count": result.total,
        "activity_count_exact": result.total_exact,
        "activity_link": search_link(page.code),
        "latest_activities": list(result.entries),
        "team_upcoming_meetings": [],
        "latest_contribution": None,
    }
    if team is not None:
        source = team.source
        activity["team_upcoming_meetings"] = list(
            source.get_meetings()
            .filter(end__gte=timezone.now())
            .order_by("start")[:UPCOMING]
        )
        activity["latest_contribution"] = latest_contribution(source)
    return activity


def latest_contribution(team):
    return (
        AnnualContribution.objects.filter(team=team, submitted_at__isnull=False)
        .order_by("-year")
        .first()
    )


def team_activity(team):
    """Return the published activities the team reported: how many, and the latest."""
    entries = InventoryEntry.objects.filter(live=True, team=team.source)
    line = team.action_line
    return {
        "activity_link": search_link(line.code) if line else "",
        "reported_count": entries.count(),
        "reported_activities": list(
            entries.select_related("organisation").order_by(
                "-first_published_at", "-pk"
            )[:LATEST]
        ),
        "latest_contribution": latest_contribution(team.source),
    }
