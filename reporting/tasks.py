"""Background work of the reports (django-q2)."""

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_noop

from .assembly import assemble_and_save
from .models import ReportAssembly, ReportPDF
from .pdf import render_revision_pdf

logger = logging.getLogger(__name__)


def assemble_report(assembly_id):
    """Run one assembly requested from the admin, recording its progress."""
    assembly = ReportAssembly.objects.select_related("report", "requested_by").get(
        pk=assembly_id
    )
    assembly.set_progress(1, gettext_noop("Starting the assembly"))
    try:
        revision = assemble_and_save(
            assembly.report,
            user=assembly.requested_by,
            progress=lambda percent, message: assembly.set_progress(percent, message),
        )
    except Exception as error:
        logger.exception("Assembly of report %s failed", assembly.report_id)
        assembly.finish(
            ReportAssembly.Status.FAILED, f"{type(error).__name__}: {error}"
        )
        raise
    assembly.finish(
        ReportAssembly.Status.DONE, gettext_noop("Assembled"), revision=revision
    )
    return revision.pk


def render_report_pdf(pdf_id):
    """Render and stores the PDF of one published revision, once.

    A task queued twice, or run while another worker renders it, does nothing.
    """
    stored = ReportPDF.objects.select_related("revision", "page").filter(pk=pdf_id)
    stored = stored.first()
    if stored is None or not stored.claim():  # gone with its revision, or taken
        return None
    try:
        content = render_revision_pdf(stored.revision)
    except Exception as error:
        logger.exception("PDF of report revision %s failed", stored.revision_id)
        ReportPDF.objects.filter(pk=stored.pk).update(
            status=ReportPDF.Status.FAILED,
            error=f"{type(error).__name__}: {error}",
            updated_at=timezone.now(),
        )
        raise
    stored.file.save(f"{stored.page.slug}.pdf", ContentFile(content), save=False)
    stored.status = ReportPDF.Status.DONE
    stored.error = ""
    stored.updated_at = timezone.now()
    stored.save(update_fields=["file", "status", "error", "updated_at"])
    return stored.file.name
