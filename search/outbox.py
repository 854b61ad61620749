"""Keeping the search engine in step with the database, through an outbox.

Only an Elasticsearch-family cluster keeps an index outside the database (the
database backend is updated in the same transaction by Wagtail itself). Wagtail
indexes an object after it is saved and only logs the engine's errors, so a
page published while the engine is down would stay out of the search until a
full rebuild. Instead, every change to an indexed object (inventory entry, page,
image, document) writes a ``PendingIndexUpdate`` row in the same transaction,
and once the transaction commits a django-q2 task applies it: the object's
document is indexed if the object is among its model's indexed objects (a
published entry; any page, live or draft, as Wagtail indexes them), removed
otherwise. If the engine is down the row stays, the task fails and django-q2
retries it; the "Search index catch-up" schedule (and ``sync_search_index``)
applies whatever is still waiting, so no change is lost however long the
outage lasts.

A removal that takes something out of public view (an entry unpublished or
deleted, a page deleted) is applied in the request itself, right after the
commit, with a short timeout: the inventory API and the searches answer from
the engine, and must not show it a moment longer than the database does. Only
when the engine is unreachable (or resting after a failure) does it wait in the
outbox like any other update. Additions and changes stay with the worker: they
are not urgent, and a bulk change (an import, a renamed organisation) should
not hold a request for one engine call per object.
"""

import logging

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from django_q.tasks import async_task
from modelsearch.backends.base import get_model_root
from modelsearch.index import get_indexed_instance

from inventory.search import engine_failed, engine_resting

from .backends import cluster_backend, raw_delete
from .models import PendingIndexUpdate

logger = logging.getLogger(__name__)

# Seconds a request waits for the engine to remove a document before leaving
# the removal to the outbox.
REMOVAL_TIMEOUT = 2


def cluster_backends():
    """Search backends that keep their own index outside the database."""
    backend = cluster_backend()
    return [backend] if backend is not None else []


def queue(model, object_ids, remove_now=False):
    """Record that the documents of ``object_ids`` must be brought in step.

    Records, in the current transaction, that the documents of ``object_ids``
    (objects of ``model``) must be brought in step with the database, and applies
    them once it commits: by a django-q2 task, or in this very request for
    ``remove_now`` (objects leaving public view).
    """
    object_ids = [str(object_id) for object_id in object_ids]
    if not object_ids or not cluster_backends():
        return
    model = get_model_root(model)
    PendingIndexUpdate.objects.bulk_create(
        [
            PendingIndexUpdate(
                content_type=ContentType.objects.get_for_model(model),
                object_id=object_id,
                changed_at=timezone.now(),
            )
            for object_id in object_ids
        ],
        update_conflicts=True,
        unique_fields=["content_type", "object_id"],
        update_fields=["changed_at"],
    )
    label = model._meta.label_lower

    # (A function, not a partial: Django names it when it logs its failure.)
    def apply_after_commit():
        if remove_now:
            remove_at_once(label, object_ids)
        elif len(object_ids) == 1:
            enqueue(label, object_ids[0])
        else:
            async_task("search.tasks.flush_index_updates")

    # robust: the change is committed and the outbox row keeps the update, so a
    # failure to enqueue (or, with a synchronous q cluster, to index) is logged
    # and must neither fail the request nor skip the other on_commit callbacks.
    transaction.on_commit(apply_after_commit, robust=True)


def enqueue(label, object_id):
    async_task(
        "search.tasks.apply_index_update",
        label,
        object_id,
        task_name=f"index-{label}-{object_id}",
    )


def _pending(model, object_id):
    return PendingIndexUpdate.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=object_id
    )


def _failed(model, object_id, error):
    _pending(model, object_id).update(
        attempts=F("attempts") + 1, last_error=str(error)[:2000]
    )


def _indexed_instance(model, object_id):
    """Return the object as its index holds it, or None.

    The object as its index holds it (a page as its specific type), or None if it
    must not be indexed, as Wagtail decides it.
    """
    found = model._default_manager.filter(pk=object_id).first()
    return get_indexed_instance(found) if found is not None else None


def _delete_document(backend, model, object_id):
    index = backend.get_index_for_model(model)
    try:
        index.delete_item(model(pk=object_id))
    except Exception as error:
        # Another client's way of saying "not found": nothing to delete.
        if "not_found" not in str(error).lower() and "404" not in str(error):
            raise


def _apply(model, object_id):
    """Apply one pending update; raise if the engine is unreachable.

    Returns False if there was nothing to apply: another task applied it, from
    a reading of the object made after the change.
    """
    changed_at = _pending(model, object_id).values_list("changed_at", flat=True)
    changed_at = changed_at.first()
    if changed_at is None:
        return False
    try:
        indexed = _indexed_instance(model, object_id)
        for backend in cluster_backends():
            if indexed is not None:
                backend.add(indexed)
            else:
                _delete_document(backend, model, object_id)
    except Exception as error:
        _failed(model, object_id, error)
        raise
    # A change recorded since the object was read keeps its row.
    _pending(model, object_id).filter(changed_at=changed_at).delete()
    return True


def apply_update(label, object_id):
    """Apply the pending update of one object; raise if the engine is unreachable.

    Applies the pending update of one object (``label`` names its index's model,
    e.g. "wagtailcore.page"); raises if the engine is unreachable.
    """
    return _apply(apps.get_model(label), str(object_id))


def remove_at_once(label, object_ids):
    """Right after the commit.

    Removes the objects' documents and refreshes the index, waiting at most
    REMOVAL_TIMEOUT; if the engine is unreachable, the removal waits in the outbox
    and a task retries it.
    """
    backend = cluster_backend()
    if backend is None:
        return
    model = apps.get_model(label)
    index_name = backend.get_index_for_model(model).name
    for object_id in object_ids:
        changed_at = _pending(model, object_id).values_list("changed_at", flat=True)
        changed_at = changed_at.first()
        if changed_at is None:
            continue  # already applied (the object saved twice, say)
        if engine_resting(backend) or _indexed_instance(model, object_id):
            # The engine failed moments ago, or the object is public again.
            enqueue(label, object_id)
            continue
        try:
            raw_delete(backend, index_name, object_id, timeout=REMOVAL_TIMEOUT)
        except Exception as error:  # noqa: BLE001 - any engine failure
            logger.warning(
                "Search engine unavailable; the removal of %s %s waits: %s",
                label,
                object_id,
                error,
            )
            _failed(model, object_id, error)
            engine_failed(backend)
            enqueue(label, object_id)
            continue
        _pending(model, object_id).filter(changed_at=changed_at).delete()


def flush_pending(limit=5000):
    """Apply waiting updates, oldest first; stop at the first engine failure.

    Returns (applied, remaining).
    """
    applied = 0
    waiting = PendingIndexUpdate.objects.values_list(
        "pk", "content_type_id", "object_id"
    )[:limit]
    for pk, content_type_id, object_id in waiting:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:  # a model that no longer exists has no index
            PendingIndexUpdate.objects.filter(pk=pk).delete()
            continue
        try:
            applied += _apply(model, object_id)
        except Exception:  # noqa: BLE001 - logged; the rest waits for the next flush
            logger.warning("Search engine unavailable; %s updates applied", applied)
            break
    return applied, PendingIndexUpdate.objects.count()
