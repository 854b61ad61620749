"""The dashboard opens on what waits for the user.

Wagtail lists the objects awaiting the user's review (panel order 220) below
every panel the apps add, so a Secretariat member's pending final approval sat
under the table of the teams' contributions. Here the user's own tasks come
first, then what the user submitted and still waits, then everything else.
"""

from wagtail.admin.views.home import (
    UserObjectsInWorkflowModerationPanel,
    WorkflowObjectsToModeratePanel,
)

OWN_TASKS_FIRST = {
    WorkflowObjectsToModeratePanel: 10,
    UserObjectsInWorkflowModerationPanel: 20,
}


def own_tasks_first(request, panels):
    for panel in panels:
        order = OWN_TASKS_FIRST.get(type(panel))
        if order is not None:
            panel.order = order
