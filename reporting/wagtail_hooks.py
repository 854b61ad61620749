"""Admin registration of the reports."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.models import WorkflowState

from . import admin_views
from .models import ReportPage
from .permissions import changed_since_review


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/<int:page_id>/assemble/",
            admin_views.start_assembly,
            name="reporting_assemble",
        ),
        path(
            "reports/assemblies/<int:assembly_id>/",
            admin_views.assembly_status,
            name="reporting_assembly",
        ),
    ]


@hooks.register("register_log_actions")
def register_report_log_actions(actions):
    actions.register_action(
        "reporting.assemble", _("Assemble"), _("Figures assembled from the inventory")
    )


@hooks.register("before_publish_page")
def publish_reports_as_reviewed(request, page):
    """Edits published from the editor after the review go back to the review."""
    if not isinstance(page, ReportPage) or request.user.is_superuser:
        return None
    changes = changed_since_review(page, request)
    if not changes:
        return None
    messages.error(
        request,
        gettext(
            "Not published: %(fields)s changed after the editorial review. "
            "Submit the report for review again (cancelling the workflow under "
            "way, if any)."
        )
        % {"fields": ", ".join(changes)},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_edit_page")
def review_resubmitted_reports_from_the_start(request, page):
    """Restart a resubmitted report's review at the editorial review.

    A report resubmitted after a later step (the final approval) asked for changes
    starts the review again at the editorial review, so that what the reviewers
    approved is what is published. Wagtail would resume at the step that asked for
    changes: the run is cancelled here, and the editor's submit then starts a new
    one.
    """
    if (
        request.method != "POST"
        or "action-submit" not in request.POST
        or not isinstance(page.specific_deferred, ReportPage)
    ):
        return None
    state = page.workflow_states.order_by("-created_at", "-pk").first()
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    first = state.workflow.tasks.filter(active=True).first()  # in workflow order
    rejected_at = state.current_task_state
    if first is None or rejected_at is None or rejected_at.task_id == first.pk:
        return None
    state.cancel(user=request.user)
    messages.info(
        request,
        gettext("The changes asked for at “%(step)s” go through “%(first)s” again.")
        % {"step": rejected_at.task.name, "first": first.name},
    )
    return None
