"""Local development: SQLite, console e-mail, database search backend."""

import os

from .base import *  # noqa: F403
from .base import (
    BASE_DIR,
    Q_CLUSTER,
    env,
    media_storage,
    sqlite_for_concurrent_writers,
)

DEBUG = True
SECRET_KEY = env(
    "SECRET_KEY", default="django-insecure-dev-only-key-not-for-production"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
Q_CLUSTER = sqlite_for_concurrent_writers(DATABASES["default"], Q_CLUSTER)

STORAGES = {
    "default": media_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)

if os.path.exists(os.path.join(os.path.dirname(__file__), "local.py")):
    from .local import *  # noqa: F403
