"""Signal handlers of the reports."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import ReportIndexPage
from .review import ensure_review_workflow


@receiver(post_save, sender=ReportIndexPage, dispatch_uid="report_index_workflow")
def review_new_report_index(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_review_workflow()
