from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class OpsConfig(AppConfig):
    """Operating the platform on several hosts.

    Liveness and readiness, metrics, request ids and structured logs. No models, no
    pages.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "ops"

    def ready(self):
        from . import request_id  # noqa: PLC0415 - apps.py is imported before the models

        request_started.connect(request_id.request_started, weak=False)
        request_finished.connect(request_id.request_finished, weak=False)
