"""Background work of the inventory (django-q2). Tasks take ids, not instances."""

from search import outbox

from .contributions import send_reminders
from .freshness import run_cycle


def apply_index_update(entry_id):
    """Apply an index update of one entry queued before the search outbox.

    An index update of one entry, queued before index updates went through
    search.tasks (a queue may still hold some).
    """
    outbox.apply_update("inventory.inventoryentry", entry_id)


def flush_index_updates():
    """As search.tasks.flush_index_updates, for schedules and queues of before."""
    applied, remaining = outbox.flush_pending()
    return {"applied": applied, "remaining": remaining}


def run_freshness_cycle():
    """Scheduled daily.

    Flags entries not updated for several reporting cycles, asks their submitters,
    makes inactive those left unanswered.
    """
    return run_cycle()


def send_contribution_reminders():
    """Scheduled daily: reminds teams that have not sent their annual contribution."""
    return send_reminders()
