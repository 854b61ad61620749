"""Dashboard panel: the teams a facilitator looks after, and what waits for them."""

from django.db.models import Count, Q

from wagtail.admin.ui.components import Component

from .choices import RequestStatus
from .permissions import facilitated_teams
from .teams import source_teams


class MyTeamsPanel(Component):
    name = "my_teams"
    order = 90
    template_name = "action_lines/admin/my_teams_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        teams = (
            source_teams(facilitated_teams(self.request.user))
            .annotate(
                pending_requests=Count(
                    "membership_requests",
                    filter=Q(membership_requests__status=RequestStatus.PENDING),
                )
            )
            .order_by("path")
        )
        return {"teams": teams, "request": self.request}

    def render_html(self, parent_context=None):
        if not facilitated_teams(self.request.user).exists():
            return ""
        return super().render_html(parent_context)
