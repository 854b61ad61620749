from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Periodic reports to the UN General Assembly, assembled from the inventory."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = _("Periodic reports")

    def ready(self):
        from django.db.models.signals import post_migrate  # noqa: PLC0415 - apps.py is imported before the models

        from wagtail.permissions import register_permission_policy  # noqa: PLC0415 - apps.py is imported before the models

        from . import signals  # noqa: F401, PLC0415 - apps.py is imported before the models
        from .models import ReportIndexPage, ReportPage  # noqa: PLC0415 - apps.py is imported before the models
        from .permissions import ReportPermissionPolicy  # noqa: PLC0415 - apps.py is imported before the models

        for model in (ReportIndexPage, ReportPage):
            register_permission_policy(
                model, ReportPermissionPolicy(), exact_class=True
            )
        post_migrate.connect(setup_after_migrate, sender=self)


def setup_after_migrate(**kwargs):
    from .review import ensure_review_workflow  # noqa: PLC0415 - apps.py is imported before the models

    ensure_review_workflow()
