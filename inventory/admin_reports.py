"""Wagtail's workflow and site-history reports, scoped to the user's teams.

Wagtail lists every entry of a model the user may edit; for team-scoped records
(inventory entries, annual contributions) a facilitator must see only their own
teams'. These views replace Wagtail's at the same addresses (see cms/urls.py).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.models import ModelLogEntry

from .models import AnnualContribution, InventoryEntry
from .permissions import TeamScopedPermissionPolicy, sees_everything

SCOPED_MODELS = (InventoryEntry, AnnualContribution)


def hidden_objects(user, prefix=""):
    """Return a Q matching the team-scoped objects ``user`` may not see (or None)."""
    if sees_everything(user, ["view"]):
        return None
    hidden = Q()
    for model in SCOPED_MODELS:
        visible = (
            TeamScopedPermissionPolicy(model)
            .instances_user_has_any_permission_for(user, ["view", "change"])
            .values_list(Cast("pk", output_field=CharField()), flat=True)
        )
        content_type = ContentType.objects.get_for_model(model)
        hidden |= Q(**{f"{prefix}content_type": content_type}) & ~Q(
            **{f"{prefix}object_id__in": visible}
        )
    return hidden


class ScopedWorkflowView(WorkflowView):
    def get_queryset(self):
        queryset = super().get_queryset()
        hidden = hidden_objects(self.request.user)
        return queryset if hidden is None else queryset.exclude(hidden)


class ScopedWorkflowTasksView(WorkflowTasksView):
    def get_queryset(self):
        queryset = super().get_queryset()
        hidden = hidden_objects(self.request.user, prefix="workflow_state__")
        return queryset if hidden is None else queryset.exclude(hidden)


class ScopedLogEntriesView(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is not ModelLogEntry:
            return queryset
        hidden = hidden_objects(self.request.user)
        return queryset if hidden is None else queryset.exclude(hidden)
