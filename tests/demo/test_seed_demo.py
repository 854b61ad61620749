from django.contrib.auth.models import Group
from django.core.management import call_command

from wagtail.models import Page, Revision, Workflow, WorkflowPage

import pytest

from action_lines.models import ActionLinePage, DesignationRound, TeamPage


def tree_snapshot():
    pages = list(
        Page.objects.order_by("path").values_list(
            "path", "slug", "title", "content_type__model", "live"
        )
    )
    return {
        "pages": pages,
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "workflows": sorted(
            WorkflowPage.objects.values_list("page__url_path", "workflow__name")
        ),
        "rounds": sorted(DesignationRound.objects.values_list("title", "status")),
        "revisions": Revision.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_builds_the_whole_tree(settings):
    call_command("seed_demo", "--no-index", verbosity=0)
    codes = set(ActionLinePage.objects.values_list("code", flat=True))
    assert len(codes) == 19
    assert {"C1", "C7", "C11", "C7-EHEALTH", "C7-ESCI"} <= codes
    assert TeamPage.objects.count() == 18
    assert not TeamPage.objects.filter(
        url_path__startswith="/home/action-lines/c7/team/"
    )
    assert ActionLinePage.objects.get(code="C7-EHEALTH").url_path == (
        "/home/action-lines/c7/c7-ehealth/"
    )
    assert Group.objects.filter(name__endswith=" facilitators").count() == 18
    assert Workflow.objects.filter(name="C5 team review").exists()


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_tree():
    call_command("seed_demo", "--no-index", verbosity=0)
    first = tree_snapshot()
    call_command("seed_demo", "--no-index", verbosity=0)
    assert tree_snapshot() == first
