"""Internal notes: what inventory editors write about an entry for each other.

A note is a row of its own, shown only in the admin (a tab of the entry's editor
and its own screens) and only to the inventory editors, who alone hold its model
permissions. Nothing outside the admin reads the table.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from .models import InternalNote, InventoryEntry

VIEW_PERMISSION = "inventory.view_internalnote"


def entry_edit_url(entry_id):
    return reverse("wagtailsnippets_inventory_inventoryentry:edit", args=[entry_id])


class InternalNotesPanel(Panel):
    """Show the entry's notes, newest first, with a link to add one.

    The entry's notes, newest first, with a link to add one (read only: notes are
    not part of the entry's form, nor of its revisions).
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "inventory/admin/internal_notes_panel.html"

        def is_shown(self):
            return self.request is not None and self.request.user.has_perm(
                VIEW_PERMISSION
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            entry = self.instance
            context["notes"] = (
                entry.internal_notes.select_related("author") if entry.pk else []
            )
            if entry.pk and self.request.user.has_perm("inventory.add_internalnote"):
                context["add_url"] = (
                    reverse("internal_notes:add") + f"?entry={entry.pk}"
                )
            return context


class InternalNoteCreateView(CreateView):
    def get_initial_form_instance(self):
        from .viewsets import scoped_queryset  # noqa: PLC0415 - cycle: the viewsets import this module

        instance = super().get_initial_form_instance() or self.model()
        entry_id = self.request.GET.get("entry", "")
        if entry_id.isdigit():
            instance.entry = (
                scoped_queryset(InventoryEntry, self.request.user)
                .filter(pk=entry_id)
                .first()
            )
        return instance

    def save_instance(self):
        self.form.instance.author = self.request.user
        return super().save_instance()

    def get_success_url(self):
        return entry_edit_url(self.object.entry_id)


class InternalNoteEditView(EditView):
    def get_success_url(self):
        return entry_edit_url(self.object.entry_id)


class InternalNoteViewSet(ModelViewSet):
    model = InternalNote
    icon = "comment"
    menu_label = _("Internal notes")
    menu_name = "internal-notes"
    menu_order = 155
    add_to_admin_menu = True
    add_view_class = InternalNoteCreateView
    edit_view_class = InternalNoteEditView
    list_display = [
        Column("entry", label=_("Entry")),
        "__str__",
        Column("author", label=_("Written by")),
        DateColumn("created_at", label=_("Written")),
    ]
    search_fields = ["text", "entry__title", "entry__reference"]
    search_backend_name = None
    ordering = ["-created_at"]
    # Notes never leave the admin: no CSV or Excel export of them.
    list_export = []
