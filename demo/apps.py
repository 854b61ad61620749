from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Hold the demo content and the synthetic inventory entries.

    The demo content (``seed_demo``) and the synthetic inventory entries that the
    tests and the benchmarks load. No other app imports it.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
