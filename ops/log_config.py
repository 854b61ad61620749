"""Production logging: one JSON object per line, with the request's id.

A log collector indexes each field (time, level, logger, message, request_id,
and whatever a record adds); the request id joins the app's records to the
load balancer's log line and to the ``X-Request-ID`` the client received.
Development keeps Django's readable lines.
"""

from pythonjsonlogger.core import RESERVED_ATTRS


def json_logging(stream="ext://sys.stderr"):
    """Return the LOGGING setting of production (``stream``: where the lines go)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "ops.request_id.RequestIdFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": ["asctime", "levelname", "name", "message", "request_id"],
                "rename_fields": {
                    "asctime": "time",
                    "levelname": "level",
                    "name": "logger",
                },
                # django.request's records carry the request object itself.
                "reserved_attrs": ["request", *RESERVED_ATTRS],
            }
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": stream,
                "formatter": "json",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": "INFO"},
        "loggers": {
            "django.security": {"level": "WARNING"},
            # django-q2 gives its logger a text handler of its own unless the
            # logger already has one.
            "django-q": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # The search clients log every request at INFO, and every failed
            # attempt with a traceback while the engine is down (the inventory
            # then answers from the database and says so).
            "opensearch": {"level": "ERROR"},
            "elastic_transport": {"level": "ERROR"},
            "elasticsearch": {"level": "ERROR"},
        },
    }
