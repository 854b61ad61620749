"""Background work of the reports (django-q2)."""

import logging

from django.utils.translation import gettext_noop

from .assembly import assemble_and_save
from .models import ReportAssembly

logger = logging.getLogger(__name__)


def assemble_report(assembly_id):
    """Runs one assembly requested from the admin, recording its progress."""
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
