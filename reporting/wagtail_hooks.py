"""Admin registration of the reports."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from . import admin_views


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
    from .models import ReportPage
    from .permissions import changed_since_review

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
