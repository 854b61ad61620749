"""Edit-form panels of the designation register."""

from django.urls import reverse

from wagtail.admin.panels import Panel

from .choices import RoundStatus
from .rounds import MOVE_PERMISSION, next_steps

MOVE_URL = "wagtailsnippets_action_lines_designationround:move"


class RoundStatusPanel(Panel):
    """The round's step, and a button for each step the user may take it to.

    The step is never a form field (action_lines.rounds).
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "action_lines/admin/round_status_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            designation_round = self.instance
            saved = designation_round.pk is not None
            context["status"] = (
                designation_round.get_status_display()
                if saved
                else RoundStatus.OPEN.label
            )
            user = getattr(self.request, "user", None)
            may_move = saved and user is not None and user.has_perm(MOVE_PERMISSION)
            context["next_steps"] = (
                [
                    (step, reverse(MOVE_URL, args=[designation_round.pk, step.name]))
                    for step in next_steps(designation_round)
                ]
                if may_move
                else []
            )
            return context
