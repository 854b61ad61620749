"""The editors' work queue: the admin listing of entries as a moderation queue.

Thousands of entries wait for a handful of editors, so the listing says where
each entry stands in its workflow and since when, filters by that state, by team
and by how long an entry has waited, and every approval or rejection (one entry
or a selection) says which entries it acted on.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.models import TaskState, WorkflowState
from wagtail.snippets.views.snippets import WorkflowActionView

import django_filters

from .filters import InventoryEntryFilterSet
from .models import InventoryEntry

# Days an entry has waited in moderation, as offered by the age filter.
QUEUE_AGES = [
    (7, _("More than a week")),
    (30, _("More than a month")),
    (90, _("More than three months")),
]


def entry_states():
    """Workflow states of inventory entries, for a subquery on ``OuterRef("pk")``."""
    content_type = ContentType.objects.get_for_model(InventoryEntry)
    return WorkflowState.objects.filter(
        base_content_type=content_type,
        object_id=Cast(OuterRef("pk"), CharField()),
    )


def with_queue_state(queryset):
    """Annotate entries with their latest workflow state and queue time.

    Entries annotated with their latest workflow state (``queue_status``) and the
    time their moderation started, while it lasts (``queued_at``).
    """
    states = entry_states()
    return queryset.annotate(
        queue_status=Subquery(states.order_by("-created_at").values("status")[:1]),
        queued_at=Subquery(
            states.filter(status=WorkflowState.STATUS_IN_PROGRESS).values("created_at")[
                :1
            ]
        ),
    )


def queue_label(entry, now=None):
    """Where the entry stands, in words (``entry`` from ``with_queue_state``)."""
    status = getattr(entry, "queue_status", None)
    if status == WorkflowState.STATUS_IN_PROGRESS:
        queued_at = getattr(entry, "queued_at", None)
        if queued_at is None:
            return _("In moderation")
        days = ((now or timezone.now()) - queued_at).days
        return ngettext(
            "In moderation for %(days)d day",
            "In moderation for %(days)d days",
            days,
        ) % {"days": days}
    if status == WorkflowState.STATUS_NEEDS_CHANGES:
        return pgettext_lazy("moderation state", "Rejected")
    if entry.live and entry.has_unpublished_changes:
        return _("Published, with changes in draft")
    if entry.live:
        return pgettext_lazy("moderation state", "Published")
    return _("Draft, never published")


class ModerationStateColumn(Column):
    """Where each entry stands in its workflow, sortable by time in the queue."""

    def __init__(self, name="queue_status", **kwargs):
        kwargs.setdefault("label", _("Moderation state"))
        kwargs.setdefault("sort_key", "queued_at")
        super().__init__(name, **kwargs)

    def get_value(self, instance):
        return queue_label(instance)


class WorkQueueFilterSet(InventoryEntryFilterSet):
    """The listing's filters, with the time an entry has waited in moderation."""

    waiting = django_filters.TypedChoiceFilter(
        label=_("Waiting in moderation"),
        choices=QUEUE_AGES,
        coerce=int,
        method="by_waiting",
    )

    class Meta(InventoryEntryFilterSet.Meta):
        fields = [*InventoryEntryFilterSet.Meta.fields, "waiting"]

    def by_waiting(self, queryset, name, value):
        if not value:
            return queryset
        since = timezone.now() - datetime.timedelta(days=int(value))
        return queryset.filter(
            Exists(
                entry_states().filter(
                    status=WorkflowState.STATUS_IN_PROGRESS, created_at__lte=since
                )
            )
        )


# --- Confirmations that name the entry ---------------------------------------------


def confirm_moderation(request, entry, action):
    """Return the message after ``action`` was done on ``entry``.

    The message after ``action`` ("approve" or "reject") was done on ``entry``.
    """
    if action == "approve":
        text = _("Entry '%(title)s' (%(reference)s) approved and published.")
    else:
        text = _(
            "Entry '%(title)s' (%(reference)s) rejected; the submitter is told the "
            "reason."
        )
    messages.success(request, text % {"title": entry, "reference": entry.reference})


class NamedWorkflowActionView(WorkflowActionView):
    """Wagtail's approve/reject view, which confirms nothing.

    Here the editor is told which entry the action was done on, once it is done.
    """

    def post(self, request, *args, **kwargs):
        before = self.task_state.status
        response = super().post(request, *args, **kwargs)
        after = TaskState.objects.filter(pk=self.task_state.pk).values_list(
            "status", flat=True
        )
        after = after.first()
        if after != before and after in (
            TaskState.STATUS_APPROVED,
            TaskState.STATUS_REJECTED,
        ):
            action = "approve" if after == TaskState.STATUS_APPROVED else "reject"
            entry = InventoryEntry.objects.get(pk=self.object.pk)
            confirm_moderation(request, entry, action)
        return response
