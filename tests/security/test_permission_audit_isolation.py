"""The permission audit's world does not outlive its module.

test_permission_audit.py builds its users, pages and records once, inside a
transaction rolled back when the module ends; this file runs after it (pytest
collects files in name order) and checks that nothing of it is left for the
tests that follow.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail.models import Page

import pytest

from action_lines.models import DesignationRound, TeamMembershipRequest
from inventory.models import AnnualContribution, InventoryEntry
from reporting.models import ReportAssembly

pytestmark = pytest.mark.django_db


def test_nothing_of_the_audit_world_is_left():
    assert not get_user_model().objects.filter(username__startswith="audit-").exists()
    assert not Group.objects.filter(name="C3 facilitators").exists()
    assert not Page.objects.filter(depth__gt=2).exists()
    assert not InventoryEntry.objects.exists()
    assert not AnnualContribution.objects.exists()
    assert not TeamMembershipRequest.objects.exists()
    assert not DesignationRound.objects.exists()
    assert not ReportAssembly.objects.exists()
