"""Signal handlers of the inventory."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import workflow_approved, workflow_rejected

from django_q.tasks import async_task

from .indexing import queue_entry
from .models import InventoryEntry


@receiver(post_save, sender=InventoryEntry, dispatch_uid="inventory_entry_saved")
def entry_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        queue_entry(instance.pk)


@receiver(post_delete, sender=InventoryEntry, dispatch_uid="inventory_entry_deleted")
def entry_deleted(sender, instance, **kwargs):
    queue_entry(instance.pk)


@receiver(
    m2m_changed, sender=InventoryEntry.partners.through, dispatch_uid="entry_partners"
)
def entry_partners_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, InventoryEntry):
        queue_entry(instance.pk)


def _entry_of(workflow_state):
    content = workflow_state.content_object
    return content if isinstance(content, InventoryEntry) else None


@receiver(workflow_rejected, dispatch_uid="inventory_entry_rejected")
def entry_rejected(sender, instance, user=None, **kwargs):
    """A rejected entry's submitter learns why, by e-mail."""
    entry = _entry_of(instance)
    if entry is not None:
        transaction.on_commit(
            lambda: async_task(
                "inventory.notifications.notify_submitter_rejected", entry.pk
            )
        )


@receiver(workflow_approved, dispatch_uid="inventory_entry_approved")
def entry_approved(sender, instance, user=None, **kwargs):
    entry = _entry_of(instance)
    if entry is not None:
        transaction.on_commit(
            lambda: async_task(
                "inventory.notifications.notify_submitter_published", entry.pk
            )
        )
