from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    """The stocktaking inventory: entries, moderation, search, contributions."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "inventory"
    verbose_name = _("Stocktaking inventory")

    def ready(self):
        from django.db.models.signals import post_migrate  # noqa: PLC0415 - apps.py is imported before the models

        from wagtail.permissions import register_permission_policy  # noqa: PLC0415 - apps.py is imported before the models
        from wagtail.signals import published  # noqa: PLC0415 - apps.py is imported before the models

        from . import signals  # noqa: F401, PLC0415 - apps.py is imported before the models
        from .duplicates import forget_mark  # noqa: PLC0415 - apps.py is imported before the models
        from .freshness import refresh_on_publish  # noqa: PLC0415 - apps.py is imported before the models
        from .models import AnnualContribution, InventoryEntry  # noqa: PLC0415 - apps.py is imported before the models
        from .permissions import TeamScopedPermissionPolicy  # noqa: PLC0415 - apps.py is imported before the models

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
    """Keep the moderation workflow and the background schedules in step.

    The moderation workflow and the background schedules, kept in step.
    """
    from home.schedules import ensure_schedules  # noqa: PLC0415 - apps.py is imported before the models

    from .moderation import ensure_moderation_workflow  # noqa: PLC0415 - apps.py is imported before the models

    ensure_moderation_workflow()
    ensure_schedules()
