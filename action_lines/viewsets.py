"""Snippet viewsets of the facilitator designation register."""

from django.utils.translation import gettext_lazy as _

from home.scoped_admin import ScopedSnippetViewSet

from .models import DesignationRound


class DesignationRoundViewSet(ScopedSnippetViewSet):
    """The Secretariat's register: one round per designation process."""

    model = DesignationRound
    icon = "clipboard-list"
    menu_label = _("Facilitator designations")
    menu_name = "designations"
    menu_order = 300
    add_to_admin_menu = True
    list_display = [
        "title",
        "action_line",
        "status",
        "opened_on",
        "recommendation_date",
    ]
    list_filter = ["status", "action_line"]
    search_fields = ["title"]
    ordering = ["-opened_on"]
