"""Reports are published only through editorial review (docs/mechanism.md §7).

The Secretariat drafts reports and gives their final approval; publishing a
report is that final approval. So nobody but a superuser may publish a report
before its latest revision has passed every earlier step of the review workflow.
"""

from wagtail.models import TaskState, WorkflowState

from home.page_permissions import PublishRulePolicy, PublishRuleTester


def at_final_step(state):
    """Return True if the workflow run is at its last task, or approved.

    True if the workflow run is at its last task, or finished with approval.
    """
    if state.status == WorkflowState.STATUS_APPROVED:
        return True
    if state.status != WorkflowState.STATUS_IN_PROGRESS or not state.current_task_state:
        return False
    tasks = list(state.workflow.tasks.filter(active=True).values_list("pk", flat=True))
    return bool(tasks) and state.current_task_state.task_id == tasks[-1]


def review_complete(page):
    """Return the latest revision went through the review up to the final approval."""
    state = (
        WorkflowState.objects.for_instance(page).order_by("-created_at", "-pk").first()
    )
    if state is None or not at_final_step(state):
        return False
    reviewed = TaskState.objects.filter(
        workflow_state=state, status=TaskState.STATUS_APPROVED
    ).values_list("revision_id", flat=True)
    return page.latest_revision_id in set(reviewed) or (
        state.status == WorkflowState.STATUS_IN_PROGRESS
        and state.current_task_state.revision_id == page.latest_revision_id
    )


def may_publish_report(user, page):
    if user.is_superuser or not getattr(
        page.specific_class, "published_after_review", False
    ):
        return True
    return review_complete(page)


class ReportPermissionTester(PublishRuleTester):
    may_publish = staticmethod(may_publish_report)

    def can_publish_subpage(self):
        # Creating a report and publishing it in one go would skip the review.
        if type(self.page).__name__ == "ReportIndexPage" and not self.user.is_superuser:
            return False
        return super().can_publish_subpage()


class ReportPermissionPolicy(PublishRulePolicy):
    may_publish = staticmethod(may_publish_report)


# Publication dates are the final approver's decision, not reviewed content.
SCHEDULING_FIELDS = {"go_live_at", "expire_at"}


def changed_since_review(page, request):
    """Labels of what the page's latest revision changes in the reviewed one.

    "Publish" in the editor saves the form as a new revision before publishing
    it: edits made at the final step, or after the report was published, have
    not been through the editorial review. Compared like the admin's revision
    comparison.
    """
    state = WorkflowState.objects.for_instance(page).order_by("-created_at", "-pk")
    state = state.first()
    reviewed = None
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        if state.current_task_state:
            reviewed = state.current_task_state.revision
    elif state is not None and state.status == WorkflowState.STATUS_APPROVED:
        last_step = (
            TaskState.objects.filter(
                workflow_state=state, status=TaskState.STATUS_APPROVED
            )
            .order_by("-finished_at", "-pk")
            .first()
        )
        reviewed = last_step.revision if last_step else None
    latest = page.get_latest_revision()
    if reviewed is None or latest is None or reviewed.pk == latest.pk:
        return []
    before, after = reviewed.as_object(), latest.as_object()
    panel = page.get_edit_handler().get_bound_panel(
        instance=after, request=request, form=None
    )
    changes = []
    for make_comparison in panel.get_comparison():
        comparison = make_comparison(before, after)
        if getattr(comparison.field, "name", "") in SCHEDULING_FIELDS:
            continue
        if comparison.has_changed():
            changes.append(str(comparison.field_label()))
    return changes
