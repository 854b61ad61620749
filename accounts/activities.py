"""My activities.

The entries an account holds, their moderation status, the editors' reasons and their
history, in a bounded number of queries.

An account holds the entries it submitted (``InventoryEntry.submitted_by``) and
those it claimed or was given (``EntryClaim``). The status of each is the one
the submitter's status link gives (inventory.moderation.moderation_status),
worked out for a whole page of entries at once.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from inventory.models import InventoryEntry

from .models import EntryClaim

STATUS_LABELS = {
    "draft": pgettext_lazy("activity status", "Draft"),
    "in_moderation": pgettext_lazy("activity status", "In moderation"),
    "rejected": pgettext_lazy("activity status", "Sent back"),
    "published": pgettext_lazy("activity status", "Published"),
    "unpublished": pgettext_lazy("activity status", "Unpublished"),
}


@dataclass
class Activity:
    entry: InventoryEntry
    code: str  # a key of STATUS_LABELS
    reason: str = ""
    # A published entry whose proposed change waits for the editors or was
    # sent back: the public page shows the published version meanwhile.
    change_pending: bool = False
    history: list = field(default_factory=list)

    @property
    def label(self):
        return STATUS_LABELS[self.code]

    @property
    def live(self):
        return self.entry.live


def held_ids(user):
    """Return the ids of the entries the account submitted or holds.

    One query, each half by its index (an OR of the two would read every entry).
    """
    submitted = (
        InventoryEntry.objects.filter(submitted_by=user)
        .order_by()
        .values_list("pk", flat=True)
    )
    claimed = (
        EntryClaim.objects.filter(user=user)
        .order_by()
        .values_list("entry_id", flat=True)
    )
    return sorted(set(submitted.union(claimed)))


def held_entries(user):
    """Every entry the account submitted or holds."""
    return InventoryEntry.objects.filter(pk__in=held_ids(user))


def holds(user, entry_id):
    return held_entries(user).filter(pk=entry_id).exists()


def entry_content_type():
    return ContentType.objects.get_for_model(InventoryEntry, for_concrete_model=False)


def activities(entries):
    """Return an ``Activity`` for each entry, in order: two queries for any number."""
    entries = list(entries)
    if not entries:
        return []
    latest = {}
    states = WorkflowState.objects.filter(
        base_content_type=entry_content_type(),
        object_id__in=[str(entry.pk) for entry in entries],
    ).order_by("created_at", "pk")
    for state in states:
        latest[state.object_id] = state  # the last one wins
    sent_back = [
        state.pk
        for state in latest.values()
        if state.status == WorkflowState.STATUS_NEEDS_CHANGES
    ]
    reasons = {}
    for workflow_state_id, comment in (
        TaskState.objects.filter(
            workflow_state_id__in=sent_back, status=TaskState.STATUS_REJECTED
        )
        .order_by("pk")
        .values_list("workflow_state_id", "comment")
    ):
        reasons[workflow_state_id] = comment or ""
    return [status_of(entry, latest.get(str(entry.pk)), reasons) for entry in entries]


def status_of(entry, state, reasons):
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return Activity(entry, "in_moderation", change_pending=entry.live)
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return Activity(
            entry,
            "rejected",
            reason=reasons.get(state.pk, ""),
            change_pending=entry.live,
        )
    if entry.live:
        return Activity(entry, "published")
    if entry.first_published_at:
        return Activity(entry, "unpublished")
    return Activity(entry, "draft")


# What the history of an entry tells its account, by Wagtail's log action; the
# editors are never named.
HISTORY_EVENTS = {
    "wagtail.create": pgettext_lazy("history event", "Created"),
    "wagtail.edit": _("A new version was saved"),
    "wagtail.workflow.start": _("Sent to the inventory editors"),
    "wagtail.workflow.approve": _("Approved by the editors"),
    "wagtail.workflow.reject": _("Sent back by the editors"),
    "wagtail.publish": pgettext_lazy("history event", "Published"),
    "wagtail.unpublish": _("Taken out of public view"),
}


@dataclass
class HistoryEvent:
    when: object
    what: str
    by_you: bool
    reason: str = ""


def history(entry, user):
    """Return the entry's moderation history as its account may read it."""
    logs = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(InventoryEntry),
        object_id=str(entry.pk),
        action__in=list(HISTORY_EVENTS),
    ).order_by("-timestamp", "-pk")
    return [
        HistoryEvent(
            when=log.timestamp,
            what=HISTORY_EVENTS[log.action],
            by_you=log.user_id == user.pk,
            reason=(log.data or {}).get("comment") or ""
            if log.action == "wagtail.workflow.reject"
            else "",
        )
        for log in logs
    ]
