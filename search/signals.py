"""Every change to an indexed object goes through the index outbox (search.outbox).

On a cluster these handlers replace Wagtail's own index updates (its backend is
configured with ``AUTO_UPDATE`` off, see cms/settings/base.py), for the same
models: those Wagtail would update on save. Inventory entries have handlers of
their own (inventory.signals), which also know when an entry leaves public view.
"""

from django.db.models.signals import post_delete, post_save

from modelsearch.index import get_indexed_models

from .outbox import queue


def object_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        queue(sender, [instance.pk])


def object_deleted(sender, instance, **kwargs):
    """Remove a deleted page (or image, document) from the engine at once.

    A deleted page (or image, document) leaves the engine in the same request.
    """
    queue(sender, [instance.pk], remove_now=True)


def connect():
    for model in get_indexed_models():
        if getattr(model, "search_auto_update", True):
            uid = f"search_outbox_{model._meta.label_lower}"
            post_save.connect(object_saved, sender=model, dispatch_uid=uid)
            post_delete.connect(object_deleted, sender=model, dispatch_uid=uid)
