"""The editorial-review workflow of reports: review, then final approval."""

from django.contrib.auth.models import Group

from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from home.roles import REPORT_REVIEWERS, SECRETARIAT

from .models import ReportIndexPage

WORKFLOW_NAME = "Report editorial review"
STEPS = [
    ("Editorial review", REPORT_REVIEWERS),
    ("Final approval", SECRETARIAT),
]


def ensure_review_workflow():
    """Create the two-step workflow and assigns it to every report index."""
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    for order, (name, group_name) in enumerate(STEPS):
        group, _created = Group.objects.get_or_create(name=group_name)
        task = GroupApprovalTask.objects.filter(name=name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=name)
        task.groups.set([group])
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    for index in ReportIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(
            page=index, defaults={"workflow": workflow}
        )
    return workflow
