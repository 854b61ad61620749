"""Duplicates in the admin.

The "Similar entries" tab of an entry's editor, the editors' "mark as duplicate" action,
and the warning a team gets when it files an entry that resembles published ones.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.admin import messages
from wagtail.admin.panels import Panel
from wagtail.permissions import policy_registry

from .duplicates import mark_duplicate, original_of, similar_entries
from .models import InventoryEntry


def may_mark(user, entry):
    """Only who may publish the entry (the inventory editors) may mark it."""
    policy = policy_registry.get_by_type(InventoryEntry)
    return policy.user_has_permission_for_instance(user, "publish", entry)


def edit_url(entry):
    return reverse("wagtailsnippets_inventory_inventoryentry:edit", args=[entry.pk])


def describe(entries):
    return ", ".join(f"'{item.entry}' ({item.entry.reference})" for item in entries)


class SimilarEntriesPanel(Panel):
    """The published entries the entry's latest version resembles.

    The editors mark it a duplicate of one of them from here.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "inventory/admin/similar_entries_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            entry = self.instance
            if not entry.pk:
                return {**context, "similar": []}
            latest = entry.get_latest_revision_as_object()
            context.update(
                similar=similar_entries(latest),
                original=original_of(entry),
                mark_url=reverse("inventory_mark_duplicate", args=[entry.pk])
                if may_mark(self.request.user, entry)
                else None,
            )
            return context


@require_POST
def mark_duplicate_view(request, pk):
    """Mark the entry a duplicate of the published entry ``original``."""
    from .viewsets import scoped_queryset  # noqa: PLC0415 - import cycle: the imported module imports this one

    entry = scoped_queryset(InventoryEntry, request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    if not may_mark(request.user, entry):
        raise PermissionDenied
    original_id = request.POST.get("original", "")
    original = (
        InventoryEntry.objects.filter(pk=original_id, live=True).exclude(pk=entry.pk)
        if original_id.isdigit()
        else InventoryEntry.objects.none()
    ).first()
    if original is None:
        messages.error(request, _("Choose a published entry that this one repeats."))
        return redirect(edit_url(entry))
    mark_duplicate(entry, original, request.user)
    messages.success(
        request,
        _(
            "Entry '%(title)s' (%(reference)s) marked as a duplicate of "
            "'%(original)s' (%(original_reference)s); it is not published and its "
            "submitter is told."
        )
        % {
            "title": entry,
            "reference": entry.reference,
            "original": original,
            "original_reference": original.reference,
        },
    )
    return redirect(edit_url(entry))


def warn_of_similar_entries(request, instance):
    """After a team (or anyone in the admin) files an entry.

    The published entries it resembles, so a copy is noticed before the editors see
    it.
    """
    if not isinstance(instance, InventoryEntry):
        return
    similar = similar_entries(instance.get_latest_revision_as_object())
    if similar:
        messages.warning(
            request,
            _("Similar entries are already published: %(entries)s.")
            % {"entries": describe(similar)},
        )
