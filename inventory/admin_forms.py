"""Admin forms of the inventory: a facilitator only files entries for their teams."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from action_lines.permissions import facilitated_teams
from action_lines.teams import source_teams

from .models import InventoryEntry
from .permissions import sees_everything


class TeamScopedAdminForm(WagtailAdminModelForm):
    """Limits the ``team`` choice to the user's teams (editors choose freely)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("team")
        if field is None or for_user is None:
            return
        if sees_everything(for_user, ["change"]):
            field.queryset = source_teams().order_by("path")
            return
        field.queryset = source_teams(facilitated_teams(for_user)).order_by("path")
        field.required = True
        field.empty_label = None
        field.help_text = _("Entries you file belong to one of your teams.")


class InventoryEntryAdminForm(TeamScopedAdminForm):
    pass


class AnnualContributionAdminForm(TeamScopedAdminForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)

        entries = self.fields.get("entries")
        if (
            entries is not None
            and for_user is not None
            and not sees_everything(for_user, ["change"])
        ):
            entries.queryset = InventoryEntry.objects.filter(
                team__in=facilitated_teams(for_user)
            )

    def save(self, commit=True):
        contribution = super().save(commit=False)
        contribution.submitted_at = timezone.now()
        if self.for_user is not None:
            contribution.submitted_by = self.for_user
        if commit:
            contribution.save()
            self.save_m2m()
        return contribution
