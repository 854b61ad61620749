from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SearchConfig(AppConfig):
    """Site-wide search over live pages, and the index outbox of the engine."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = pgettext_lazy("app name", "Search")

    def ready(self):
        from .signals import connect  # noqa: PLC0415 - apps.py is imported before the models

        connect()
