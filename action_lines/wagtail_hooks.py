"""Admin registration for the action-line app."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from .modeladmin import TeamRecordsAdminGroup
from .panels import MyTeamsPanel
from .rounds import register_log_actions
from .viewsets import DesignationRoundViewSet

register_snippet(DesignationRoundViewSet)
modeladmin_register(TeamRecordsAdminGroup)


@hooks.register("register_log_actions")
def register_round_log_actions(actions):
    register_log_actions(actions)


@hooks.register("construct_homepage_panels")
def add_team_panel(request, panels):
    panels.append(MyTeamsPanel(request))
