"""Dashboard panels: contributions of the current cycle, entries awaiting moderation."""

from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState

from home.roles import INVENTORY_EDITORS, SECRETARIAT

from .contributions import contribution_status


def _in_any_group(user, names):
    return user.is_superuser or user.groups.filter(name__in=names).exists()


class ContributionsPanel(Component):
    """For the Secretariat: which teams have and have not contributed this cycle."""

    name = "annual_contributions"
    order = 80
    template_name = "inventory/admin/contributions_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        cycle, status = contribution_status()
        missing = [team for team, contribution in status if contribution is None]
        return {
            "cycle": cycle,
            "status": status,
            "missing_count": len(missing),
            "received_count": len(status) - len(missing),
        }

    def render_html(self, parent_context=None):
        if not _in_any_group(self.request.user, [SECRETARIAT]):
            return ""
        return super().render_html(parent_context)


class ModerationQueuePanel(Component):
    """For inventory editors: how many entries wait for them."""

    name = "inventory_moderation"
    order = 70
    template_name = "inventory/admin/moderation_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        waiting = WorkflowState.objects.filter(
            base_content_type__app_label="inventory",
            base_content_type__model="inventoryentry",
            status=WorkflowState.STATUS_IN_PROGRESS,
        ).count()
        return {"waiting": waiting}

    def render_html(self, parent_context=None):
        if not _in_any_group(self.request.user, [INVENTORY_EDITORS]):
            return ""
        return super().render_html(parent_context)
