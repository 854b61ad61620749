"""The roles' approval workflows are wired to their approving groups, idempotently."""

from wagtail.models import GroupPagePermission, Locale, WorkflowPage, WorkflowTask

from action_lines.teams import setup_team
from home.roles import INVENTORY_EDITORS, SECRETARIAT, sees_every_team, setup_site_root


def approval_steps(page):
    """(task name, approving groups) for each step of the workflow on ``page``."""
    workflow = WorkflowPage.objects.get(page=page).workflow
    steps = WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order")
    return [
        (step.task.name, sorted(g.name for g in step.task.specific.groups.all()))
        for step in steps
    ]


def test_site_root_is_moderated_by_the_secretariat(home_page):
    """The home page's workflow has one step, approved by the Secretariat."""
    assert approval_steps(home_page) == [("Secretariat approval", [SECRETARIAT])]


def test_team_is_moderated_by_its_own_facilitators(tree):
    """Each team's workflow has one step, approved by that team's facilitators."""
    assert approval_steps(tree.c5_team) == [("C5 team review", ["C5 facilitators"])]
    assert approval_steps(tree.c2_team) == [("C2 team review", ["C2 facilitators"])]


def test_setting_up_roles_again_adds_nothing(tree):
    """Re-running the set-up (migrate, seed_demo) creates no duplicate step or grant."""
    before = (WorkflowTask.objects.count(), GroupPagePermission.objects.count())
    setup_site_root(tree.home)
    setup_team(tree.c5_team)
    assert (WorkflowTask.objects.count(), GroupPagePermission.objects.count()) == before
    assert approval_steps(tree.c5_team) == [("C5 team review", ["C5 facilitators"])]


def test_english_and_french_locales_exist_after_migrate(db):
    assert {"en", "fr"} <= set(Locale.objects.values_list("language_code", flat=True))


def test_who_reaches_every_teams_records(users):
    """One rule for every kind of team record.

    Superusers act on all of them, the Secretariat reads them all and changes none,
    and the group given as the kind's editors (the inventory editors for entries)
    acts on all of them.
    """
    reach = {
        role: (
            sees_every_team(user),
            sees_every_team(user, ["change"]),
            sees_every_team(user, ["change"], editors=INVENTORY_EDITORS),
        )
        for role, user in users.items()
    }
    assert reach == {
        "public": (False, False, False),
        "c5_facilitator": (False, False, False),
        "c2_facilitator": (False, False, False),
        "inventory_editor": (False, False, True),
        "report_reviewer": (False, False, False),
        "secretariat": (True, False, False),
        "superuser": (True, True, True),
    }
