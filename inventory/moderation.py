"""The "Inventory moderation" workflow: every new or changed entry goes to editors."""

from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import TaskState, WorkflowContentType, WorkflowState

from home.roles import (
    INVENTORY_EDITORS,
    MODEL_PERMISSIONS,
    approval_workflow,
    permissions,
)

from .duplicates import original_of
from .models import InventoryEntry, InventoryModerationTask

WORKFLOW_NAME = "Inventory moderation"
# Permissions Wagtail adds to snippets with drafts and locking.
SNIPPET_EXTRA_PERMISSIONS = ["publish", "lock", "unlock"]


def grant_editor_permissions(group):
    """Give the inventory editors their permissions, publishing included.

    Approving publishes the entry, so editors need ``publish_inventoryentry``.
    Wagtail creates that permission in a post_migrate handler that runs after
    home's on a fresh database, when home.roles has already synced the groups:
    it is created here, then the editors' permissions are synced again.
    """
    content_type = ContentType.objects.get_for_model(InventoryEntry)
    for action in SNIPPET_EXTRA_PERMISSIONS:
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=get_permission_codename(action, InventoryEntry._meta),
            defaults={"name": f"Can {action} {InventoryEntry._meta.verbose_name_raw}"},
        )
    group.permissions.add(*permissions(MODEL_PERMISSIONS[INVENTORY_EDITORS]))


def ensure_moderation_workflow():
    """Create the workflow and assigns it to inventory entries (idempotent)."""
    group, _created = Group.objects.get_or_create(name=INVENTORY_EDITORS)
    grant_editor_permissions(group)
    workflow = approval_workflow(WORKFLOW_NAME, group, InventoryModerationTask)
    content_type = ContentType.objects.get_for_model(InventoryEntry)
    WorkflowContentType.objects.update_or_create(
        content_type=content_type, defaults={"workflow": workflow}
    )
    return workflow


@transaction.atomic
def submit_for_moderation(entry, user=None):
    """Save the entry's current state as a revision and send it to moderation.

    An entry already waiting for the editors stays in its moderation, which now
    reviews this latest revision (approving publishes the latest): the editors
    were told once and are not told again. After a rejection, the workflow starts
    again. Nothing becomes public until an editor approves.
    """
    revision = entry.save_revision(user=user, log_action=True)
    state = entry.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return revision
    if state is not None:
        state.cancel(user=user)
    workflow = entry.get_workflow() or ensure_moderation_workflow()
    workflow.start(entry, user)
    return revision


def public_status(entry):
    """Return what anyone with the reference may know of its entry.

    What anyone with the reference may know (references of published entries are
    public): published, in moderation or received. Never a reason, and never whether
    a published entry has a change waiting.
    """
    if entry.live:
        return {"code": "published"}
    state = entry.workflow_states.order_by("-created_at").first()
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return {"code": "in_moderation"}
    return {"code": "received"}


def moderation_status(entry):
    """Return what the submitter may know (behind the key of their status link).

    Published, in moderation, rejected (with the editor's reason), a duplicate (with
    the entry it repeats) or draft.
    """
    state = entry.workflow_states.order_by("-created_at").first()
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return {"code": "in_moderation", "reason": ""}
    if not entry.live and (original := original_of(entry)) is not None:
        return {"code": "duplicate", "reason": "", "original": original}
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        task_state = state.task_states.filter(status=TaskState.STATUS_REJECTED).last()
        return {
            "code": "rejected",
            "reason": task_state.get_comment() if task_state else "",
        }
    if entry.live:
        return {"code": "published", "reason": ""}
    return {"code": "draft", "reason": ""}
