"""The inventory entry factory's traits give the states their names say."""

from wagtail.models import WorkflowState

import pytest

from inventory.models import InventoryEntry
from tests.factories import InventoryEntryFactory

pytestmark = pytest.mark.django_db


def stored(entry):
    return InventoryEntry.objects.get(pk=entry.pk)


def test_an_entry_is_public_by_default_with_increasing_publication_times():
    first, second = InventoryEntryFactory(), InventoryEntryFactory()
    assert first.live is True
    assert first.reporting_year == 2025
    assert first.first_published_at < second.first_published_at


def test_year_makes_an_activity_of_that_reporting_year():
    entry = stored(InventoryEntryFactory(year=2023))
    assert entry.reporting_year == 2023
    assert entry.first_published_at.date().isoformat() == "2023-03-01"
    assert entry.last_published_at == entry.first_published_at


def test_draft_was_never_published():
    entry = stored(InventoryEntryFactory(draft=True))
    assert entry.live is False
    assert entry.first_published_at is None


def test_published_has_a_live_revision():
    entry = stored(InventoryEntryFactory(published=True))
    assert entry.live is True
    assert entry.live_revision is not None


def test_in_moderation_waits_for_the_editors():
    entry = stored(InventoryEntryFactory(in_moderation=True))
    assert entry.live is False
    assert entry.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_rejected_was_turned_down_by_an_editor():
    entry = stored(InventoryEntryFactory(rejected=True))
    assert entry.live is False
    state = entry.workflow_states.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.finished_by.username == "inventory-editor"
