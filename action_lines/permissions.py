"""Local permissions of team areas.

Wagtail's page permissions are inherited down the tree, so the Secretariat, which
manages the whole action-line tree, would also publish inside every team's area.
A team sets its own modalities (docs/mechanism.md §4): inside a team subtree only
that team's facilitators publish; everyone else's edits go through the team's
workflow to them.
A team that has no facilitators yet is published by whoever may publish there.
"""

from wagtail.models import Page

from home.page_permissions import PublishRulePolicy, PublishRuleTester


def ancestor_paths(page):
    steplen = Page.steplen
    return [page.path[: steplen * depth] for depth in range(1, page.depth + 1)]


def team_for_page(page):
    """Return the team whose area holds ``page`` (the team page itself included)."""
    from .models import TeamPage  # noqa: PLC0415 - cycle: the models import this module

    if isinstance(page, TeamPage):
        return page
    return TeamPage.objects.filter(path__in=ancestor_paths(page)).first()


def is_team_facilitator(user, team):
    if not user.is_authenticated or team is None or not team.facilitator_group_id:
        return False
    return user.groups.filter(pk=team.facilitator_group_id).exists()


def facilitated_teams(user):
    """Teams whose facilitator group ``user`` belongs to."""
    from .models import TeamPage  # noqa: PLC0415 - cycle: the models import this module

    if not user.is_authenticated:
        return TeamPage.objects.none()
    return TeamPage.objects.filter(facilitator_group__in=user.groups.all())


def may_publish_team_content(user, page):
    if user.is_superuser:
        return True
    team = team_for_page(page)
    if team is None:
        return True
    if is_team_facilitator(user, team):
        return True
    group = team.facilitator_group
    return group is None or not group.user_set.filter(is_active=True).exists()


class TeamContentPermissionTester(PublishRuleTester):
    """Drops the publish permission inherited from above the team's area."""

    may_publish = staticmethod(may_publish_team_content)


class TeamContentPermissionPolicy(PublishRulePolicy):
    may_publish = staticmethod(may_publish_team_content)


class TeamContentMixin:
    """For page types that live inside a team's area."""

    def permissions_for_user(self, user):
        return TeamContentPermissionTester(user, self)

    def get_team(self):
        return team_for_page(self)
