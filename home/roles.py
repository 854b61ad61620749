"""The platform's roles (docs/roles.md), kept in step idempotently.

Groups and their model permissions are synced after every ``migrate``; page
permissions and the Secretariat's approval workflow are granted on each site root
when it is created (and again by ``seed_demo``). Team groups are made per team by
``action_lines.teams``.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import HomePage

SECRETARIAT = "Secretariat"
INVENTORY_EDITORS = "Inventory editors"
REPORT_REVIEWERS = "Report reviewers"
CORE_GROUPS = [SECRETARIAT, INVENTORY_EDITORS, REPORT_REVIEWERS]

# Groups Wagtail creates for a new project; our roles replace them.
WAGTAIL_DEFAULT_GROUPS = ["Editors", "Moderators"]

EDITOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
LIBRARY_PERMISSIONS = {
    "wagtaildocs": ["add_document", "choose_document"],
    "wagtailimages": ["add_image", "choose_image"],
}

MODEL_PERMISSIONS = {
    SECRETARIAT: [
        "wagtailadmin.access_admin",
        "action_lines.add_designationround",
        "action_lines.change_designationround",
        "action_lines.move_designationround",
        "action_lines.view_designationround",
        "action_lines.view_teammembershiprequest",
        "action_lines.view_meetingregistration",
        "home.add_stakeholderorganisation",
        "home.change_stakeholderorganisation",
        "home.view_stakeholderorganisation",
        "inventory.view_inventoryentry",
        "inventory.view_annualcontribution",
        "wagtail_localize.submit_translation",
        # Which staff groups must use two-factor authentication (accounts app).
        "accounts.change_staffsigninsettings",
    ],
    INVENTORY_EDITORS: [
        "wagtailadmin.access_admin",
        "home.add_stakeholderorganisation",
        "home.change_stakeholderorganisation",
        "home.view_stakeholderorganisation",
        "inventory.add_inventoryentry",
        "inventory.change_inventoryentry",
        "inventory.delete_inventoryentry",
        "inventory.view_inventoryentry",
        "inventory.publish_inventoryentry",
        "inventory.lock_inventoryentry",
        "inventory.unlock_inventoryentry",
        "inventory.view_annualcontribution",
        # Their internal notes on entries: theirs alone, never shown elsewhere.
        "inventory.add_internalnote",
        "inventory.change_internalnote",
        "inventory.delete_internalnote",
        "inventory.view_internalnote",
        # Organisations that stakeholder accounts proposed, and the entries
        # they give to accounts (accounts app).
        "accounts.view_accountprofile",
        "accounts.change_accountprofile",
        "accounts.add_entryclaim",
        "accounts.view_entryclaim",
        "accounts.delete_entryclaim",
    ],
    REPORT_REVIEWERS: [
        "wagtailadmin.access_admin",
    ],
}

FACILITATOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "action_lines.view_teammembershiprequest",
    "action_lines.change_teammembershiprequest",
    "action_lines.view_meetingregistration",
    "home.view_stakeholderorganisation",
    "inventory.add_inventoryentry",
    "inventory.change_inventoryentry",
    "inventory.view_inventoryentry",
    "inventory.add_annualcontribution",
    "inventory.change_annualcontribution",
    "inventory.view_annualcontribution",
    "wagtail_localize.submit_translation",
]


# What reading a record takes; any other action changes it.
READ_ACTIONS = frozenset({"view"})


def in_group(user, name):
    """Whether ``user`` is in the group ``name``, asked once per user object.

    A request's user is a fresh object, so the answer lasts one request.
    """
    cache = user.__dict__.setdefault("_role_groups", {})
    if name not in cache:
        cache[name] = user.groups.filter(name=name).exists()
    return cache[name]


def sees_every_team(user, actions=("view",), editors=None):
    """Whether ``actions`` by ``user`` reach every team's records, not only their own.

    Superusers' do, and those of the members of ``editors``, the group that acts
    on every team's records of a kind (the inventory editors on entries). The
    Secretariat reads every team's records and changes none. Anyone else reaches
    only the records of the teams they facilitate.
    """
    if user.is_superuser or (editors is not None and in_group(user, editors)):
        return True
    return set(actions) <= READ_ACTIONS and in_group(user, SECRETARIAT)


def permissions(names):
    """Permission objects for "app_label.codename" strings (missing ones skipped)."""
    wanted = [name.split(".", 1) for name in names]
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in wanted},
        codename__in={codename for _, codename in wanted},
    ).select_related("content_type")
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in found}
    return [by_name[name] for name in names if name in by_name]


def grant_library_permissions(group):
    root = Collection.get_first_root_node()
    if root is None:
        return
    for app_label, codenames in LIBRARY_PERMISSIONS.items():
        for perm in permissions([f"{app_label}.{codename}" for codename in codenames]):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=perm
            )


def grant_page_permissions(group, page, codenames=EDITOR_PAGE_PERMISSIONS):
    for perm in permissions([f"wagtailcore.{codename}" for codename in codenames]):
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=perm
        )


def approval_workflow(name, group, task_class=GroupApprovalTask):
    """Return a one-step workflow approved by ``group`` (created once, then reused)."""
    task = task_class.objects.filter(name=name).first()
    if task is None:
        task = task_class.objects.create(name=name)
    task.groups.add(group)
    workflow, _created = Workflow.objects.get_or_create(name=name)
    # Not workflow.workflow_tasks.create(): a ClusterableModel's child relation only
    # writes on the workflow's next save(), so the task would never be linked.
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    return workflow


def assign_workflow(page, workflow):
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


def sync_core_groups():
    groups = {}
    for name in CORE_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(MODEL_PERMISSIONS[name]))
        groups[name] = group
    grant_library_permissions(groups[SECRETARIAT])
    return groups


@transaction.atomic
def setup_site_root(home_page):
    """Let the Secretariat manage the tree under a site root, behind its approval.

    The Secretariat manages the tree under a site root, behind its approval.
    """
    groups = sync_core_groups()
    secretariat = groups[SECRETARIAT]
    grant_page_permissions(secretariat, home_page)
    workflow = approval_workflow("Secretariat approval", secretariat)
    assign_workflow(home_page, workflow)
    return workflow


def ensure_locales():
    """Create a Wagtail locale for every content language (the six UN languages)."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def remove_wagtail_default_roles():
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS).delete()
    Workflow.objects.filter(name="Moderators approval").delete()
    GroupApprovalTask.objects.filter(name="Moderators approval").delete()


def sync_core_roles_after_migrate(using="default", **kwargs):
    """Run after home's migrations: other apps' permissions may not exist yet."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    ensure_locales()
    remove_wagtail_default_roles()
    sync_core_groups()
    for home_page in HomePage.objects.all():
        setup_site_root(home_page)
    facilitator_permissions = permissions(FACILITATOR_PERMISSIONS)
    for group in Group.objects.filter(facilitated_teams__isnull=False).distinct():
        group.permissions.add(*facilitator_permissions)
