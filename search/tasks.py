"""Background work of the search index (django-q2). Tasks take ids, not instances."""

from . import outbox


def apply_index_update(label, object_id):
    """Indexes or de-indexes one object; retried while the engine is down."""
    outbox.apply_update(label, object_id)


def flush_index_updates():
    """Scheduled every minute: applies index updates still waiting after an outage."""
    applied, remaining = outbox.flush_pending()
    return {"applied": applied, "remaining": remaining}
