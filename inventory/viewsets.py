"""Admin screens of the inventory."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_forms import AnnualContributionAdminForm, InventoryEntryAdminForm
from .filters import InventoryEntryFilterSet
from .models import AnnualContribution, InventoryEntry


class InventoryEntryViewSet(SnippetViewSet):
    """Moderated entries: drafts, revisions, workflow, locking and preview."""

    model = InventoryEntry
    icon = "list-ul"
    menu_label = _("Inventory")
    menu_name = "inventory"
    menu_order = 150
    add_to_admin_menu = True
    filterset_class = InventoryEntryFilterSet
    list_display = [
        "title",
        Column("reference", label=_("Reference")),
        Column("team", label=_("Team")),
        Column("reporting_year", label=_("Year")),
        DateColumn("updated_at", label=_("Updated")),
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
    base_form_class = InventoryEntryAdminForm


class AnnualContributionViewSet(ModelViewSet):
    """A team's contribution for a reporting year: a narrative and its entries."""

    model = AnnualContribution
    icon = "doc-full-inverse"
    menu_label = _("Annual contributions")
    menu_name = "annual-contributions"
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["team", "year", DateColumn("submitted_at", label=_("Submitted"))]
    list_filter = ["year", "team"]
    search_fields = ["narrative"]
    form_fields = ["team", "year", "narrative", "entries"]
    inspect_view_enabled = True
    base_form_class = AnnualContributionAdminForm
    list_export = ["team", "year", "submitted_at", "narrative"]
    export_filename = "annual-contributions"
