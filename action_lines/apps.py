from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionLinesConfig(AppConfig):
    """Action lines, their teams, meetings, membership and facilitator designations."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "action_lines"
    verbose_name = _("Action lines and teams")

    def ready(self):
        from wagtail.permissions import register_permission_policy  # noqa: PLC0415 - apps.py is imported before the models

        from . import signals  # noqa: F401, PLC0415 - apps.py is imported before the models
        from .models import MeetingIndexPage, MeetingPage, ModalitiesPage, TeamPage  # noqa: PLC0415 - apps.py is imported before the models
        from .permissions import TeamContentPermissionPolicy  # noqa: PLC0415 - apps.py is imported before the models

        for model in (TeamPage, ModalitiesPage, MeetingIndexPage, MeetingPage):
            register_permission_policy(
                model, TeamContentPermissionPolicy("wagtailcore.Page"), exact_class=True
            )
