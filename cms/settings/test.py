"""Test settings: fast hashing, locmem cache and mail, synchronous django-q2.

DATABASE_URL selects PostgreSQL (make test runs the suite on it and on SQLite);
SEARCH_TEST_URL is the OpenSearch node the search suite uses (tests/conftest.py).
"""

from .base import *  # noqa: F403
from .base import BASE_DIR, Q_CLUSTER, env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / '.cache' / 'test.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["TEST"] = {"NAME": None}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
INVENTORY_SUBMIT_RATE_LIMIT = 1000
INVENTORY_STATUS_RATE_LIMIT = 1000
INVENTORY_API_RATE_LIMIT = 10_000
INVENTORY_EXPORT_RATE_LIMIT = 10_000
PUBLIC_FORM_RATE_LIMIT = 1000
INVENTORY_SEARCH_RATE_LIMIT = 10_000
SITE_SEARCH_RATE_LIMIT = 10_000
PASSWORD_RESET_RATE_LIMIT = 1000
ACCOUNTS_CLAIM_RATE_LIMIT = 1000
# allauth's limits, out of the way but for the tests of them (tests/accounts).
ACCOUNT_RATE_LIMITS = {
    **ACCOUNT_RATE_LIMITS,  # noqa: F405
    "signup": "1000/m/ip",
    "login": "1000/m/ip",
    "login_failed": "1000/m/ip,1000/m/key",
    "reset_password": "1000/m/ip,1000/m/key",
    "confirm_email": "1000/m/key",
}
SEARCH_INDEX_PREFIX = "test"
# Every search tries the engine (tests stop and restart it); the rest after a
# failure has its own tests (tests/inventory/test_engine_rest.py).
SEARCH_ENGINE_RETRY_AFTER = 0
WAGTAILADMIN_BASE_URL = "http://testserver"

# The database backend by default; tests that need the real engine ask for the
# `cluster` fixture (tests/conftest.py), which points this at an OpenSearch node.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
