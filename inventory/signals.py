"""Signal handlers of the inventory."""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from wagtail.signals import post_page_move, workflow_approved, workflow_rejected

from django_q.tasks import async_task

from home.models import StakeholderOrganisation
from search.backends import cluster_backend

from .indexing import queue_entries, queue_entry
from .models import InventoryEntry


@receiver(pre_save, sender=InventoryEntry, dispatch_uid="inventory_entry_saving")
def entry_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Note whether this save takes a published entry out of public view.

    Notes whether this save takes a published entry out of public view (however it
    happens: unpublishing, expiry, a withdrawal in moderation).
    """
    instance._leaves_public_view = (
        not raw
        and not instance.live
        and instance.pk is not None
        and (update_fields is None or "live" in update_fields)
        and cluster_backend() is not None
        and sender.objects.filter(pk=instance.pk, live=True).exists()
    )


@receiver(post_save, sender=InventoryEntry, dispatch_uid="inventory_entry_saved")
def entry_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        queue_entry(
            instance.pk,
            leaves_public_view=getattr(instance, "_leaves_public_view", False),
        )


@receiver(post_delete, sender=InventoryEntry, dispatch_uid="inventory_entry_deleted")
def entry_deleted(sender, instance, **kwargs):
    queue_entry(instance.pk, leaves_public_view=True)


@receiver(
    m2m_changed, sender=InventoryEntry.partners.through, dispatch_uid="entry_partners"
)
def entry_partners_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, InventoryEntry):
        queue_entry(instance.pk)


@receiver(
    pre_save, sender=StakeholderOrganisation, dispatch_uid="organisation_renaming"
)
def organisation_renaming(sender, instance, raw=False, **kwargs):
    instance._renamed = (
        not raw
        and instance.pk is not None
        and not sender.objects.filter(
            pk=instance.pk,
            name=instance.name,
            acronym=instance.acronym,
            slug=instance.slug,
        ).exists()
    )


@receiver(
    post_save, sender=StakeholderOrganisation, dispatch_uid="organisation_renamed"
)
def organisation_renamed(sender, instance, created=False, raw=False, **kwargs):
    """Index again the published entries of a renamed organisation (or partner).

    The published entries of a renamed organisation (or partner) are indexed again:
    their documents carry its name, for searching and in the record, and its slug,
    for the ``organisation`` filter (which its translations share).
    """
    if getattr(instance, "_renamed", False):
        key = instance.translation_key
        queue_entries(
            InventoryEntry.objects.filter(
                Q(organisation__translation_key=key) | Q(partners__translation_key=key),
                live=True,
            )
            .values_list("pk", flat=True)
            .distinct()
        )


@receiver(post_page_move, dispatch_uid="team_moved")
def team_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """Index again the entries of a team moved under another action line.

    A team moved under another action line: its entries' records name the team by
    that action line's code.
    """
    if parent_page_before.pk != parent_page_after.pk:
        queue_entries(
            InventoryEntry.objects.filter(
                team__path__startswith=instance.path, live=True
            ).values_list("pk", flat=True)
        )


def _entry_of(workflow_state):
    content = workflow_state.content_object
    return content if isinstance(content, InventoryEntry) else None


@receiver(workflow_rejected, dispatch_uid="inventory_entry_rejected")
def entry_rejected(sender, instance, user=None, **kwargs):
    """Tell a rejected entry's submitter why, by e-mail.

    A rejected entry's submitter learns why, by e-mail.
    """
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
