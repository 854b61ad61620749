"""Signal handlers of the home app: new site roots, workflow e-mails."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.models import WorkflowState
from wagtail.signals import workflow_approved, workflow_rejected

from .models import HomePage
from .notifications import ApprovalNotifier, earlier_reviewers_notifier
from .roles import setup_site_root


@receiver(post_save, sender=HomePage, dispatch_uid="home_page_roles")
def grant_secretariat_on_new_site_root(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        setup_site_root(instance)


# weak=False: the notifiers are instances nothing else refers to; a weak reference
# would let them be garbage-collected at once and the e-mails would never be sent.
workflow_approved.connect(
    earlier_reviewers_notifier("approved"),
    weak=False,
    dispatch_uid="notify_reviewers_approved",
)
workflow_rejected.connect(
    earlier_reviewers_notifier("rejected"),
    weak=False,
    dispatch_uid="notify_reviewers_rejected",
)
# Takes the place of Wagtail's own notifier for the submitter: connected under
# its dispatch_uid before wagtail.admin's ready() connects Wagtail's (home comes
# first in INSTALLED_APPS), which a signal then ignores as already connected.
workflow_approved.connect(
    ApprovalNotifier(),
    sender=WorkflowState,
    weak=False,
    dispatch_uid="workflow_state_approved_email_notification",
)
