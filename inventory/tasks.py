"""Background work of the inventory (django-q2). Tasks take ids, not instances."""

from . import indexing


def apply_index_update(entry_id):
    """Indexes or de-indexes one entry; retried while the engine is down."""
    indexing.apply_update(entry_id)


def flush_index_updates():
    """Scheduled every minute: applies index updates still waiting after an outage."""
    applied, remaining = indexing.flush_pending()
    return {"applied": applied, "remaining": remaining}


def send_contribution_reminders():
    """Scheduled daily: reminds teams that have not sent their annual contribution."""
    from .contributions import send_reminders

    return send_reminders()
