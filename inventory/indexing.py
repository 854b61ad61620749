"""Keeping the search engine in step with the inventory, through an outbox.

Only an Elasticsearch-family cluster keeps an index of entries: the database
engine (inventory.search) reads the tables directly. Every change to an entry
writes a ``PendingIndexUpdate`` row in the same transaction, then asks django-q2
to apply it once the transaction commits. Applying means: index the entry if it
is published, remove it from the index otherwise. If the engine is down the row
stays, the task fails and django-q2 retries it; a scheduled flush (and
``sync_search_index``) applies whatever is still waiting, so no change is lost
however long the outage lasts.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from modelsearch.index import class_is_indexed

from search.backends import cluster_backend

from .models import InventoryEntry, PendingIndexUpdate

logger = logging.getLogger(__name__)


def cluster_backends():
    """Search backends that keep their own index outside the database."""
    backend = cluster_backend()
    return [backend] if backend is not None else []


def queue_entry(entry_id):
    """Records that the entry's index document must be refreshed, then enqueues it."""
    from django_q.tasks import async_task

    if not cluster_backends():
        return
    PendingIndexUpdate.objects.update_or_create(entry_id=entry_id, defaults={})
    # robust: the change is committed and the outbox row keeps the update, so a
    # failure to enqueue (or, with a synchronous q cluster, to index) is logged
    # and must neither fail the request nor skip the other on_commit callbacks.
    transaction.on_commit(
        lambda: async_task(
            "inventory.tasks.apply_index_update",
            entry_id,
            task_name=f"index-entry-{entry_id}",
        ),
        robust=True,
    )


def queue_entries(entry_ids):
    """``queue_entry`` for many entries at once: one task applies them all."""
    from django_q.tasks import async_task

    entry_ids = list(entry_ids)
    if not cluster_backends() or not entry_ids:
        return
    PendingIndexUpdate.objects.bulk_create(
        [PendingIndexUpdate(entry_id=entry_id) for entry_id in entry_ids],
        ignore_conflicts=True,
    )
    transaction.on_commit(
        lambda: async_task("inventory.tasks.flush_index_updates"), robust=True
    )


def _apply(backends, entry_id):
    entry = (
        InventoryEntry.objects.filter(pk=entry_id, live=True)
        .select_related("organisation")
        .prefetch_related("partners")
        .first()
    )
    for backend in backends:
        index = backend.get_index_for_model(InventoryEntry)
        if entry is not None and class_is_indexed(InventoryEntry):
            index.add_item(entry)
        else:
            stub = InventoryEntry(pk=entry_id)
            try:
                index.delete_item(stub)
            except Exception as error:
                if "not_found" not in str(error).lower() and "404" not in str(error):
                    raise


def apply_update(entry_id):
    """Applies one pending update; raises if the engine is unreachable."""
    try:
        _apply(cluster_backends(), entry_id)
    except Exception as error:
        PendingIndexUpdate.objects.filter(entry_id=entry_id).update(
            attempts=F("attempts") + 1, last_error=str(error)[:2000]
        )
        raise
    PendingIndexUpdate.objects.filter(entry_id=entry_id).delete()


def flush_pending(limit=5000):
    """Applies waiting updates, oldest first; stops at the first engine failure.

    Returns (applied, remaining).
    """
    applied = 0
    for entry_id in PendingIndexUpdate.objects.values_list("entry_id", flat=True)[
        :limit
    ]:
        try:
            apply_update(entry_id)
        except Exception:  # noqa: BLE001 - logged; the rest waits for the next flush
            logger.warning("Search engine unavailable; %s updates wait", applied)
            break
        applied += 1
    return applied, PendingIndexUpdate.objects.count()


def engine_healthy():
    for backend in cluster_backends():
        try:
            if not backend.es.ping():
                return False
        except Exception:  # noqa: BLE001
            return False
    return True


def pending_since():
    oldest = PendingIndexUpdate.objects.order_by("created_at").first()
    return oldest.created_at if oldest else None


def stale_minutes():
    since = pending_since()
    return (timezone.now() - since).total_seconds() / 60 if since else 0
