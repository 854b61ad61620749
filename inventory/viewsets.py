"""Admin screens of the inventory."""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import ObjectList, TabbedInterface
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from home.admin_scope import SCOPE_ACTIONS, visible_instances
from home.scoped_admin import ScopedFilterSet, ScopedSnippetViewSet

from .admin_forms import AnnualContributionAdminForm, InventoryEntryAdminForm
from .duplicate_admin import SimilarEntriesPanel
from .models import AnnualContribution, InventoryEntry
from .notes import VIEW_PERMISSION as NOTES_VIEW_PERMISSION
from .notes import InternalNotesPanel
from .work_queue import (
    ModerationStateColumn,
    NamedWorkflowActionView,
    WorkQueueFilterSet,
    with_queue_state,
)


def scoped_queryset(model, user):
    """Return the objects of ``model`` the user may see in the admin.

    The objects of ``model`` the user may see in the admin (see .permissions).
    """
    return visible_instances(model, user)


def object_in_scope(model, user, pk):
    """Return False if the object exists but is outside the user's scope."""
    try:
        instance = model._default_manager.filter(pk=unquote(str(pk))).first()
    except (ValueError, ValidationError) as error:
        raise Http404 from error
    if instance is None:
        return True  # the view answers 404 itself
    policy = policy_registry.get_by_type(model)
    return policy.user_has_any_permission_for_instance(user, SCOPE_ACTIONS, instance)


class TeamScopedViewSetMixin:
    """Adds the object's team to Wagtail's checks, which look at model permissions only.

    Listings and exports show only the user's scope, and every view of one object
    (edit, delete, inspect, history, revisions, preview, workflow, lock, usage)
    refuses an object outside it.
    """

    def get_urlpatterns(self):
        return [
            URLPattern(
                pattern.pattern,
                self.scoped_view(pattern.callback),
                pattern.default_args,
                pattern.name,
            )
            if isinstance(pattern, URLPattern)
            else pattern
            for pattern in super().get_urlpatterns()
        ]

    def scoped_view(self, view):
        model = self.model

        @wraps(view)
        def view_in_scope(request, *args, **kwargs):
            pk = kwargs.get("pk")
            if pk is not None and not object_in_scope(model, request.user, pk):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return view_in_scope


class TeamScopedIndexView(IndexView):
    base_filterset_class = ScopedFilterSet

    def get_base_queryset(self):
        return scoped_queryset(self.model, self.request.user)


class InventoryEntryViewSet(TeamScopedViewSetMixin, ScopedSnippetViewSet):
    """Moderated entries: drafts, revisions, workflow, locking and preview."""

    model = InventoryEntry
    icon = "list-ul"
    menu_label = _("Inventory")
    menu_name = "inventory"
    menu_order = 150
    add_to_admin_menu = True
    filterset_class = WorkQueueFilterSet
    workflow_action_view_class = NamedWorkflowActionView
    list_display = [
        "title",
        ModerationStateColumn(),
        Column("reference", label=_("Reference")),
        Column("team", label=_("Team")),
        Column("reporting_year", label=_("Year")),
        DateColumn("updated_at", label=pgettext_lazy("date column", "Updated")),
    ]
    # Drafts are not in the search engine's index: search the table instead.
    search_fields = ["title", "summary", "reference", "contact_email"]
    search_backend_name = None
    ordering = ["-updated_at"]
    list_per_page = 50
    inspect_view_enabled = True
    list_export = [
        "reference",
        "title",
        "activity_type",
        "action_lines",
        "countries",
        "stakeholder_type",
        "status",
        "reporting_year",
        "live",
        "updated_at",
    ]
    export_filename = "inventory-entries"
    # Viewsets ignore a ``base_form_class`` attribute: the edit handler carries it.
    # The notes tab is the inventory editors' only.
    edit_handler = TabbedInterface(
        [
            ObjectList(InventoryEntry.panels, heading=_("Entry")),
            ObjectList(
                [SimilarEntriesPanel(heading=_("Similar entries"))],
                heading=_("Similar entries"),
            ),
            ObjectList(
                [InternalNotesPanel(heading=_("Internal notes"))],
                heading=_("Internal notes"),
                permission=NOTES_VIEW_PERMISSION,
            ),
        ],
        base_form_class=InventoryEntryAdminForm,
    )

    def get_queryset(self, request):
        return with_queue_state(scoped_queryset(self.model, request.user))


class AnnualContributionViewSet(TeamScopedViewSetMixin, ModelViewSet):
    """A team's contribution for a reporting year: a narrative and its entries."""

    model = AnnualContribution
    icon = "doc-full-inverse"
    menu_label = _("Annual contributions")
    menu_name = "annual-contributions"
    menu_order = 160
    add_to_admin_menu = True
    list_display = [
        "team",
        "year",
        DateColumn("submitted_at", label=pgettext_lazy("date column", "Submitted")),
    ]
    list_filter = ["year", "team"]
    search_fields = ["narrative"]
    index_view_class = TeamScopedIndexView
    inspect_view_enabled = True
    edit_handler = ObjectList(
        AnnualContribution.panels, base_form_class=AnnualContributionAdminForm
    )
    list_export = ["team", "year", "submitted_at", "narrative"]
    export_filename = "annual-contributions"
