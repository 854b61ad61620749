"""Each team gets its own facilitator group, page permissions and review workflow.

Called when a team page is created (signal) and by ``seed_demo``; safe to re-run.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.functions import Length, Substr

from wagtail.models import Page

from action_lines.models import ActionLinePage, TeamPage
from home.roles import (
    FACILITATOR_PERMISSIONS,
    approval_workflow,
    assign_workflow,
    grant_library_permissions,
    grant_page_permissions,
    permissions,
)


@transaction.atomic
def setup_team(team):
    """Create or refreshes ``<CODE> facilitators`` and the team's workflow."""
    name = team.facilitator_group_name
    group = team.facilitator_group
    if group is None:
        group, _created = Group.objects.get_or_create(name=name)
    elif group.name != name and not Group.objects.filter(name=name).exists():
        group.name = name
        group.save(update_fields=["name"])
    group.permissions.add(*permissions(FACILITATOR_PERMISSIONS))
    grant_library_permissions(group)
    grant_page_permissions(group, team)
    if team.facilitator_group_id != group.pk:
        type(team).objects.filter(pk=team.pk).update(facilitator_group=group)
        team.facilitator_group = group
    workflow = approval_workflow(f"{team.code} team review", group)
    assign_workflow(team, workflow)
    return group


def source_teams(teams=None):
    """Teams in the default language.

    A French team page is a translation of its team, not another team: entries,
    contributions and reminders belong to the source page.
    """
    teams = TeamPage.objects.all() if teams is None else teams
    return teams.filter(locale__language_code=settings.LANGUAGE_CODE)


def team_code_subquery(team_path):
    """Return a subquery of the action line code of the team at ``team_path``.

    ``team_path`` is an OuterRef: rows that point at a team are annotated with
    its code in the same query.
    """
    return (
        ActionLinePage.objects.filter(
            path=Substr(team_path, 1, Length(team_path) - Page.steplen)
        )
        .order_by()
        .values("code")[:1]
    )


def team_codes(team_ids):
    """{team id: action line code} for the given teams, in two queries."""
    team_ids = {team_id for team_id in team_ids if team_id}
    if not team_ids:
        return {}
    paths = dict(TeamPage.objects.filter(pk__in=team_ids).values_list("pk", "path"))
    parents = dict(
        ActionLinePage.objects.filter(
            path__in=[path[: -Page.steplen] for path in paths.values()]
        ).values_list("path", "code")
    )
    return {pk: parents.get(path[: -Page.steplen], "") for pk, path in paths.items()}
