from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Stakeholder accounts ("My WSIS"), built on django-allauth."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Stakeholder accounts")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import signals  # noqa: F401
        from .models import AccountProfile
        from .permissions import NoAddPermissionPolicy

        register_permission_policy(
            AccountProfile, NoAddPermissionPolicy(AccountProfile)
        )
