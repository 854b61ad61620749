"""Admin registration for the action-line app."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from .modeladmin import TeamRecordsAdminGroup
from .viewsets import DesignationRoundViewSet

register_snippet(DesignationRoundViewSet)
modeladmin_register(TeamRecordsAdminGroup)


@hooks.register("register_log_actions")
def register_round_log_actions(actions):
    from .rounds import register_log_actions

    register_log_actions(actions)


@hooks.register("construct_homepage_panels")
def add_team_panel(request, panels):
    from .panels import MyTeamsPanel

    panels.append(MyTeamsPanel(request))
