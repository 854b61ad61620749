from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import pgettext_lazy


class HomeConfig(AppConfig):
    """Home page, shared snippets, blocks and the platform's core roles."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = pgettext_lazy("app name", "Home")

    def ready(self):
        from . import roles, signals  # noqa: F401, PLC0415 - apps.py is imported before the models
        from .csv_guard import guard_wagtail_exports  # noqa: PLC0415 - apps.py is imported before the models

        guard_wagtail_exports()

        post_migrate.connect(roles.sync_core_roles_after_migrate, sender=self)
