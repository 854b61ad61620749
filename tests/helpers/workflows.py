"""Page moderation as editors drive it.

Workflow action URLs, a second approval step, a two-step review run to its end.
"""

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from home.roles import SECRETARIAT
from tests.helpers.admin import (
    edit_url,
    team_page_data,
)
from tests.helpers.pages import refreshed

NEW_PURPOSE = "Coordinate national cybersecurity capacity building."


def workflow_action_url(page, action):
    task_state = refreshed(page).current_workflow_task_state
    assert task_state is not None, "the page is not in moderation"
    return reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk]
    )


def add_secretariat_step(sort_order):
    """A Secretariat approval step in the C5 team review, before or after C5's own."""
    workflow = Workflow.objects.get(name="C5 team review")
    step = GroupApprovalTask.objects.create(name="Secretariat check")
    step.groups.add(Group.objects.get(name=SECRETARIAT))
    WorkflowTask.objects.create(workflow=workflow, task=step, sort_order=sort_order)


def run_two_steps(tree, users, client_for, capture, approvers, last_action):
    """Submitted by the Secretariat, approved at step 1, ``last_action`` at step 2."""
    client = client_for(users["secretariat"])
    data = team_page_data(tree.c5_team, purpose=f"<p>{NEW_PURPOSE}</p>")
    with capture(execute=True):
        client.post(edit_url(tree.c5_team), {**data, "action-submit": "1"})
        first, second = approvers
        response = client_for(first).post(workflow_action_url(tree.c5_team, "approve"))
        assert response.status_code == 302
        assert refreshed(tree.c5_team).workflow_in_progress is True
        response = client_for(second).post(
            workflow_action_url(tree.c5_team, last_action)
        )
    assert response.status_code == 302


def mails_to(mailoutbox, user, word):
    """Subjects of the e-mails ``user`` received that contain ``word``."""
    return [
        mail.subject
        for mail in mailoutbox
        if user.email in mail.to and word in mail.subject
    ]
