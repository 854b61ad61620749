"""Admin list filters of the inventory."""

from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.models import WorkflowState

import django_filters

from action_lines.teams import source_teams
from home.choices import StakeholderType
from home.scoped_admin import ScopedFilterSet, ScopedModelChoiceFilter

from .choices import ActionLineCode
from .models import EntryFacetValue, InventoryEntry

MODERATION_STATES = [
    ("in_moderation", _("In moderation")),
    ("rejected", pgettext_lazy("moderation state", "Rejected")),
    ("live", pgettext_lazy("moderation state", "Published")),
    ("live_changed", _("Published, with changes in draft")),
    ("draft", _("Draft, never published")),
]


class InventoryEntryFilterSet(ScopedFilterSet):
    moderation = django_filters.ChoiceFilter(
        label=_("Moderation state"), choices=MODERATION_STATES, method="by_moderation"
    )
    action_line = django_filters.ChoiceFilter(
        label=_("Action line"), choices=ActionLineCode.choices, method="by_action_line"
    )
    reporting_year = django_filters.NumberFilter(label=_("Reporting year"))
    stakeholder_type = django_filters.ChoiceFilter(
        label=_("Stakeholder type"), choices=StakeholderType.choices
    )
    team = ScopedModelChoiceFilter(
        label=_("Team"), queryset=source_teams().order_by("path")
    )

    class Meta:
        model = InventoryEntry
        fields = [
            "moderation",
            "action_line",
            "reporting_year",
            "stakeholder_type",
            "team",
        ]

    def by_moderation(self, queryset, name, value):
        states = WorkflowState.objects.filter(
            base_content_type__model="inventoryentry",
            base_content_type__app_label="inventory",
            object_id=OuterRef("pk_text"),
        )

        queryset = queryset.annotate(pk_text=Cast("pk", CharField()))
        if value == "in_moderation":
            return queryset.filter(
                Exists(states.filter(status=WorkflowState.STATUS_IN_PROGRESS))
            )
        if value == "rejected":
            return queryset.filter(
                Exists(states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES))
            )
        if value == "live":
            return queryset.filter(live=True, has_unpublished_changes=False)
        if value == "live_changed":
            return queryset.filter(live=True, has_unpublished_changes=True)
        return queryset.filter(live=False)

    def by_action_line(self, queryset, name, value):
        return queryset.filter(
            Exists(
                EntryFacetValue.objects.filter(
                    entry=OuterRef("pk"), facet="action_line", value=value
                )
            )
        )
