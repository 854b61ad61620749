from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    """The stocktaking inventory: entries, moderation, search, contributions."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "inventory"
    verbose_name = _("Stocktaking inventory")

    def ready(self):
        from django.db.models.signals import post_migrate

        from wagtail.permissions import register_permission_policy
        from wagtail.signals import published

        from . import signals  # noqa: F401
        from .duplicates import forget_mark
        from .freshness import refresh_on_publish
        from .models import AnnualContribution, InventoryEntry
        from .permissions import TeamScopedPermissionPolicy

        register_permission_policy(
            InventoryEntry, TeamScopedPermissionPolicy(InventoryEntry), exact_class=True
        )
        register_permission_policy(
            AnnualContribution,
            TeamScopedPermissionPolicy(AnnualContribution),
            exact_class=True,
        )
        post_migrate.connect(setup_after_migrate, sender=self)
        published.connect(
            forget_mark, sender=InventoryEntry, dispatch_uid="inventory_forget_mark"
        )
        published.connect(
            refresh_on_publish,
            sender=InventoryEntry,
            dispatch_uid="inventory_refresh_on_publish",
        )


def setup_after_migrate(**kwargs):
    """The moderation workflow and the background schedules, kept in step."""
    from home.schedules import ensure_schedules

    from .moderation import ensure_moderation_workflow

    ensure_moderation_workflow()
    ensure_schedules()
