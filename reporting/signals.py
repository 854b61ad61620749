"""Signal handlers of the reports."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import page_published

from .models import ReportIndexPage, ReportPage, ReportPDF
from .review import ensure_review_workflow


@receiver(post_save, sender=ReportIndexPage, dispatch_uid="report_index_workflow")
def review_new_report_index(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_review_workflow()


@receiver(page_published, sender=ReportPage, dispatch_uid="report_pdf_on_publish")
def render_pdf_of_published_revision(sender, instance, revision=None, **kwargs):
    """Each published revision gets its PDF, rendered once in the background."""
    if revision is not None:
        ReportPDF.for_revision(revision.pk, instance)


@receiver(post_delete, sender=ReportPDF, dispatch_uid="report_pdf_file_deleted")
def delete_pdf_file(sender, instance, **kwargs):
    """Delete the stored file with its row.

    The stored file goes with its row (a purged revision, a deleted report).
    """
    if instance.file:
        instance.file.delete(save=False)
