"""The inventory's side of the index outbox (search.outbox).

Only an Elasticsearch-family cluster keeps an index of entries: the database
engine (inventory.search) reads the tables directly. Every change to an entry
goes through the outbox, and is applied by a django-q2 task once its
transaction commits: the entry is indexed if it is published, removed from the
index otherwise. An entry that leaves public view (unpublished, deleted,
withdrawn by moderation: any save that makes a live entry not live) is removed
from the engine in the request itself, since the API and the searches answer
from the engine's documents; only if the engine is unreachable does the removal
wait in the outbox.
"""

from search.outbox import queue

from .models import InventoryEntry


def queue_entry(entry_id, leaves_public_view=False):
    """Record that the entry's index document must be refreshed.

    Removes it from the engine right after the commit if the entry
    ``leaves_public_view``.
    """
    queue(InventoryEntry, [entry_id], remove_now=leaves_public_view)


def queue_entries(entry_ids):
    """``queue_entry`` for many entries at once: one task applies them all."""
    queue(InventoryEntry, entry_ids)
