"""Snippet viewsets of the home app."""

from django.utils.translation import gettext_lazy as _

from .models import StakeholderOrganisation
from .scoped_admin import ScopedSnippetViewSet


class StakeholderOrganisationViewSet(ScopedSnippetViewSet):
    model = StakeholderOrganisation
    icon = "site"
    menu_label = _("Organisations")
    menu_name = "organisations"
    menu_order = 400
    add_to_admin_menu = True
    list_display = ["name", "acronym", "stakeholder_type", "country_name"]
    list_filter = ["stakeholder_type", "locale"]
    search_fields = ["name", "acronym"]
    ordering = ["name"]
    list_export = ["name", "acronym", "stakeholder_type", "country", "website"]
    export_filename = "organisations"
