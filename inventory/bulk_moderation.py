"""Approve or reject a selection of entries at once, from the admin listing.

A bulk action is only a loop over the workflow: each entry goes through its own
moderation task exactly as if the editor had opened it (the task decides whether
this user may act on this entry, logs the step in the audit log, publishes on
approval and e-mails the submitter), so nothing is approved that the editor could
not approve one by one.
"""

from django import forms
from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from .models import InventoryEntry


def available_action(entry, user, action):
    """Return the entry's current task state if ``user`` may do ``action`` on it now."""
    if not entry.workflow_in_progress:
        return None
    task_state = entry.current_workflow_task_state
    if task_state is None:
        return None
    task = task_state.task.specific
    if action not in {name for name, _label, _modal in task.get_actions(entry, user)}:
        return None
    return task_state


def moderate(entry, user, action, **data):
    """Run ``action`` on the entry's current task, as the workflow view does."""
    task_state = available_action(entry, user, action)
    if task_state is None:
        return False
    task_state.task.specific.on_action(task_state.specific, user, action, **data)
    return True


class BulkModerationAction(SnippetBulkAction):
    """The selected entries the user may moderate are acted on one by one."""

    workflow_action = None

    @classproperty
    def models(cls):
        return [InventoryEntry]

    def check_perm(self, entry):
        user, action = self.request.user, self.workflow_action
        return available_action(entry, user, action) is not None

    def action_data(self):
        return {}

    def get_execution_context(self):
        return {
            **super().get_execution_context(),
            "user": self.request.user,
            "data": self.action_data(),
        }

    @classmethod
    def execute_action(cls, objects, user=None, data=None, **kwargs):
        done = [
            entry
            for entry in objects
            if moderate(entry, user, cls.workflow_action, **(data or {}))
        ]
        kwargs["self"].done = done
        return len(done), 0

    def titles(self):
        return ", ".join(
            f"'{entry}' ({entry.reference})" for entry in getattr(self, "done", [])
        )


class ApproveBulkAction(BulkModerationAction):
    display_name = pgettext_lazy("bulk action", "Approve")
    action_type = "approve"
    aria_label = _("Approve the selected entries")
    template_name = "inventory/admin/bulk_approve.html"
    action_priority = 10
    workflow_action = "approve"

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d entry approved and published: %(titles)s.",
            "%(count)d entries approved and published: %(titles)s.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "titles": self.titles()}


class RejectionForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason"),
        required=True,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Sent by e-mail to the submitter of each entry."),
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Give the reason of the rejection."))
        return comment


class RejectBulkAction(BulkModerationAction):
    display_name = pgettext_lazy("bulk action", "Reject")
    action_type = "reject"
    aria_label = _("Reject the selected entries, with one reason")
    template_name = "inventory/admin/bulk_reject.html"
    action_priority = 20
    classes = {"serious"}
    form_class = RejectionForm
    workflow_action = "reject"

    def action_data(self):
        return {"comment": self.cleaned_form.cleaned_data["comment"]}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d entry rejected, the submitter told the reason: %(titles)s.",
            "%(count)d entries rejected, each submitter told the reason: %(titles)s.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "titles": self.titles()}
