"""Admin: assemble a report in the background and follow its progress."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from django_q.tasks import async_task

from .models import ReportAssembly, ReportPage


@require_POST
def start_assembly(request, page_id):
    report = get_object_or_404(ReportPage, pk=page_id)
    if not report.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if report.workflow_in_progress:
        messages.error(
            request,
            _(
                "The report is in review: new figures would need a new review. "
                "Cancel the workflow first, then assemble and submit again."
            ),
        )
        return redirect("wagtailadmin_pages:edit", report.pk)
    running = report.assemblies.filter(
        status__in=[ReportAssembly.Status.QUEUED, ReportAssembly.Status.RUNNING]
    ).first()
    if running is not None:
        messages.info(request, _("An assembly of this report is already under way."))
        return redirect("reporting_assembly", running.pk)
    assembly = ReportAssembly.objects.create(report=report, requested_by=request.user)
    transaction.on_commit(
        lambda: async_task("reporting.tasks.assemble_report", assembly.pk)
    )
    return redirect("reporting_assembly", assembly.pk)


def assembly_status(request, assembly_id):
    assembly = get_object_or_404(
        ReportAssembly.objects.select_related("report"), pk=assembly_id
    )
    if not assembly.report.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    compare_url = None
    if assembly.revision_id:
        previous = (
            assembly.report.revisions.filter(pk__lt=assembly.revision_id)
            .order_by("-pk")
            .first()
        )
        if previous is not None:
            compare_url = reverse(
                "wagtailadmin_pages:revisions_compare",
                args=[assembly.report.pk, previous.pk, assembly.revision_id],
            )
    return TemplateResponse(
        request,
        "reporting/admin/assembly_status.html",
        {
            "assembly": assembly,
            "report": assembly.report,
            "compare_url": compare_url,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[assembly.report.pk]),
        },
    )
