"""The inventory's side of the index outbox (search.outbox).

Only an Elasticsearch-family cluster keeps an index of entries: the database
engine (inventory.search) reads the tables directly. Every change to an entry
goes through the outbox, and is applied by a django-q2 task once its
transaction commits: the entry is indexed if it is published, removed from the
index otherwise.
"""

from search.outbox import queue

from .models import InventoryEntry


def queue_entry(entry_id):
    """Records that the entry's index document must be refreshed, then enqueues it."""
    queue(InventoryEntry, [entry_id])


def queue_entries(entry_ids):
    """``queue_entry`` for many entries at once: one task applies them all."""
    queue(InventoryEntry, entry_ids)
