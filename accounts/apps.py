from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Stakeholder accounts ("My WSIS"), built on django-allauth."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Stakeholder accounts")

    def ready(self):
        from wagtail.permissions import register_permission_policy  # noqa: PLC0415 - apps.py is imported before the models

        from . import signals  # noqa: F401, PLC0415 - apps.py is imported before the models
        from .models import AccountProfile  # noqa: PLC0415 - apps.py is imported before the models
        from .permissions import NoAddPermissionPolicy  # noqa: PLC0415 - apps.py is imported before the models

        register_permission_policy(
            AccountProfile, NoAddPermissionPolicy(AccountProfile)
        )
