"""Admin registration for the inventory."""

from django.urls import path

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .bulk_moderation import ApproveBulkAction, RejectBulkAction
from .dashboard import own_tasks_first
from .duplicate_admin import mark_duplicate_view, warn_of_similar_entries
from .duplicates import register_log_actions
from .notes import InternalNoteViewSet
from .panels import ContributionsPanel, ModerationQueuePanel
from .viewsets import AnnualContributionViewSet, InventoryEntryViewSet

register_snippet(InventoryEntryViewSet)
hooks.register("register_bulk_action", ApproveBulkAction)
hooks.register("register_bulk_action", RejectBulkAction)
hooks.register("construct_homepage_panels", own_tasks_first)
hooks.register("after_create_snippet", warn_of_similar_entries)


@hooks.register("register_admin_urls")
def register_duplicate_urls():
    return [
        path(
            "inventory/entries/<int:pk>/duplicate/",
            mark_duplicate_view,
            name="inventory_mark_duplicate",
        )
    ]


@hooks.register("register_log_actions")
def register_duplicate_log_actions(actions):

    register_log_actions(actions)


@hooks.register("register_admin_viewset")
def register_contributions():
    return AnnualContributionViewSet("annual_contributions")


@hooks.register("register_admin_viewset")
def register_internal_notes():
    return InternalNoteViewSet("internal_notes")


@hooks.register("construct_homepage_panels")
def add_inventory_panels(request, panels):
    panels.append(ModerationQueuePanel(request))
    panels.append(ContributionsPanel(request))
