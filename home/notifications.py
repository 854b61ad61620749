"""Workflow e-mails beyond Wagtail's own.

Wagtail tells the submitter when a workflow is approved or rejected, but not the
reviewers who approved earlier steps: after a rejection at the last step, they
never learn that the content they approved did not go live. These notifiers send
the same message to every earlier reviewer.

Wagtail's approval e-mail links to the approved page with ``page.full_url``, the
page's address for nobody in particular; here, as in every e-mail of the
platform, it is the address for the recipient's language (``site_url``).
"""

from django.contrib.auth import get_user_model

from wagtail.admin.mail import (
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
)
from wagtail.models import TaskState

from .mail import site_url


def earlier_reviewers(workflow_state, triggering_user=None):
    """Users who approved an earlier step of this run of the workflow."""
    reviewer_ids = (
        TaskState.objects.filter(
            workflow_state=workflow_state,
            status=TaskState.STATUS_APPROVED,
            finished_by__isnull=False,
        )
        .values_list("finished_by_id", flat=True)
        .distinct()
    )
    users = get_user_model().objects.filter(pk__in=list(reviewer_ids))
    excluded = {workflow_state.requested_by_id}
    if triggering_user is not None:
        excluded.add(triggering_user.pk)
    return set(users.exclude(pk__in=[pk for pk in excluded if pk]))


class PageInTheRecipientsLanguage:
    """The page as Wagtail's notification templates read it, but for its address.

    ``full_url`` is the recipient's (Wagtail renders each e-mail in its recipient's
    language, and ``site_url`` is worked out then).
    """

    def __init__(self, page):
        self._page = page

    def __getattr__(self, name):
        return getattr(self._page, name)

    @property
    def full_url(self):
        return site_url(self._page)


class LinkInTheRecipientsLanguage:
    def get_context(self, workflow_state, **kwargs):
        context = super().get_context(workflow_state, **kwargs)
        if context.get("page") is not None:
            context["page"] = PageInTheRecipientsLanguage(context["page"])
        return context


class ApprovalNotifier(LinkInTheRecipientsLanguage, WorkflowStateApprovalEmailNotifier):
    """Wagtail's e-mail to the submitter of an approved workflow."""


class EarlierReviewersApprovalNotifier(
    LinkInTheRecipientsLanguage, WorkflowStateApprovalEmailNotifier
):
    def get_recipient_users(self, workflow_state, **kwargs):
        return earlier_reviewers(workflow_state, kwargs.get("user"))


class EarlierReviewersRejectionNotifier(WorkflowStateRejectionEmailNotifier):
    def get_recipient_users(self, workflow_state, **kwargs):
        return earlier_reviewers(workflow_state, kwargs.get("user"))


_NOTIFIERS = {
    "approved": EarlierReviewersApprovalNotifier,
    "rejected": EarlierReviewersRejectionNotifier,
}


def earlier_reviewers_notifier(kind):
    return _NOTIFIERS[kind]()
