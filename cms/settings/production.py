"""Production: every security-critical variable is required.

`SECRET_KEY`, `ALLOWED_HOSTS` and `DATABASE_URL` have no default: without them
the settings refuse to load. `manage.py check --deploy` is clean with these
settings (tests/security/test_security.py runs it).
"""

from django.core.exceptions import ImproperlyConfigured

from ops.log_config import json_logging

from .base import *  # noqa: F403
from .base import (
    MIDDLEWARE,
    Q_CLUSTER,
    REDIS_URL,
    env,
    media_storage,
    sqlite_for_concurrent_writers,
)


def required(name):
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"Set the {name} environment variable: production does not start "
            "without it (see README, Configuration)."
        )
    return value


SECRET_KEY = required("SECRET_KEY")
DATABASES = {"default": env.db_url_config(required("DATABASE_URL"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
Q_CLUSTER = sqlite_for_concurrent_writers(DATABASES["default"], Q_CLUSTER)
# The same backends, counting queries and their time for /metrics
# (django-prometheus).
PROMETHEUS_ENGINES = {
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
}
DATABASES["default"]["ENGINE"] = PROMETHEUS_ENGINES.get(
    DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"]
)
ALLOWED_HOSTS = [
    host.strip() for host in required("ALLOWED_HOSTS").split(",") if host.strip()
]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The rate-limit counters, sessions and Wagtail's caches are shared by every
# web process on every server: Redis when REDIS_URL is set, else a database
# table (`manage.py createcachetable`, which `make serve-prod` runs).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs fails a request in seconds, not never.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions are read from Redis and written through to the database, so a
    # restarted Redis signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }

# HTTPS only, behind a proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Static files through whitenoise (right after the security middleware),
# compressed and with hashed names.
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_security],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_security:],
]
STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# One JSON object per line on stderr, each with the id of the request it was
# written for (ops/request_id.py), for a log collector to index.
LOGGING = json_logging()
