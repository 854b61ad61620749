"""What an admin user may find listed in the admin: one rule for every listing.

Wagtail holds its page explorer, page search and page reports to the pages a
user may explore, and each model's own listing to its permission policy. Other
admin views list objects without asking: the choosers, the bulk-action
confirmation pages, the page types usage report, list filters and
wagtail-localize's snippet API showed any admin user the titles of other teams'
drafts and of inventory entries outside their team. They all ask here instead:

- a page is the user's to see if they may explore it (their permission areas
  and the path from the closest common ancestor down to them, as in Wagtail's
  explorer);
- where a view lets anyone point at published content (choosers, list filters),
  live pages are shown too, under their published title, never their draft's;
- any other object is the user's to see if the model's permission policy grants
  them at least one action on it (a team's entries for its facilitators, see
  ``inventory/permissions.py``; organisations for whoever may view them).
"""

from django.db.models import Q

from wagtail.models import Page
from wagtail.permissions import policy_registry

# Holding any of these on an object puts it in the user's scope; each view
# still requires its own permission. "choose" is the images' and documents'.
SCOPE_ACTIONS = [
    "add",
    "change",
    "delete",
    "view",
    "publish",
    "lock",
    "unlock",
    "choose",
]

EXPLORE_ACTIONS = {"add", "change", "publish", "lock", "unlock", "bulk_delete"}


def page_policy():
    return policy_registry.get_by_type(Page)


def explorable_pages(user):
    """Return the pages ``user`` may explore (a queryset of ``Page``)."""
    policy = page_policy()
    if not user.is_active or user.is_anonymous:
        return Page.objects.none()
    if not user.is_superuser and not policy.get_cached_permissions_for_user(user):
        return Page.objects.none()
    return policy.explorable_instances(user)


def visible_instances(model, user):
    """Return the instances of ``model`` that ``user`` may find listed in the admin."""
    if issubclass(model, Page):
        return model._default_manager.filter(pk__in=explorable_pages(user).values("pk"))
    policy = policy_registry.get_by_type(model)
    return policy.instances_user_has_any_permission_for(user, SCOPE_ACTIONS)


def listable_pages(user, pages):
    """``pages`` narrowed to those the user may explore, and the live ones."""
    if user.is_active and user.is_superuser:
        return pages
    return pages.filter(Q(live=True) | Q(pk__in=explorable_pages(user).values("pk")))


def holds_content(model):
    """Pages and snippets: the objects whose titles are a team's or a role's.

    Lookups (locales, content types) are not scoped: a filter on them offers
    every value, as Wagtail does.
    """
    return issubclass(model, Page) or hasattr(model, "snippet_viewset")


def in_scope(queryset, user):
    """``queryset`` narrowed to what a chooser or a list filter may offer ``user``."""
    if issubclass(queryset.model, Page):
        return listable_pages(user, queryset)
    visible = visible_instances(queryset.model, user).values("pk")
    return queryset.filter(pk__in=visible)


class PageScope:
    """The pages one user may explore, tested in memory (no query per page).

    The same pages as Wagtail's ``explorable_instances``: those under a page
    where the user holds an explore permission, and the ancestors of their
    permissions' pages below the closest common ancestor of those pages.
    """

    def __init__(self, user):
        self.everything = user.is_active and user.is_superuser
        self.roots = []
        self.permission_paths = []
        self.top = None
        if self.everything or not user.is_active or user.is_anonymous:
            return
        policy = page_policy()
        codenames = policy._get_permission_codenames(EXPLORE_ACTIONS)
        permissions = list(policy.get_cached_permissions_for_user(user))
        self.roots = [
            perm.page.path
            for perm in permissions
            if perm.permission.codename in codenames
        ]
        self.permission_paths = [perm.page.path for perm in permissions]
        if permissions:
            self.top = Page.objects.first_common_ancestor_of(
                [perm.page for perm in permissions]
            ).path

    def explores(self, page):
        if self.everything:
            return True
        path = page.path
        if any(path.startswith(root) for root in self.roots):
            return True
        return (
            self.top is not None
            and path.startswith(self.top)
            and any(
                other != path and other.startswith(path)
                for other in self.permission_paths
            )
        )


def page_scope(user):
    """Return the user's ``PageScope``, kept on the user for the rest of the request."""
    scope = user.__dict__.get("_admin_page_scope")
    if scope is None:
        scope = user.__dict__["_admin_page_scope"] = PageScope(user)
    return scope


def hide_draft_title(page, user):
    """Show ``page`` under its published title to a user who may not explore it.

    Wagtail lists pages under their latest draft's title (``draft_title``); the
    draft of a page outside the user's areas is not theirs to read.
    """
    if page is not None and not page_scope(user).explores(page):
        page.draft_title = page.title
    return page
