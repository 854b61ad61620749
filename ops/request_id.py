"""One id per request, from the load balancer to the app's logs and back.

HAProxy names each request (``unique-id-format``) and passes the name on in
``X-Request-ID``. The app takes it, or makes one when a request comes without
(a server reached directly), keeps it for as long as the request is handled, so
that every log record written meanwhile carries it (``RequestIdFilter``), and
returns it in the response's ``X-Request-ID``: the balancer's log line, the
app's records and what the client saw can be matched.
"""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
# An id from outside ends up in every log line of the request: only plain
# characters (HAProxy's usual formats use hex digits, ':', '_' and '.'), bounded.
ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_current = contextvars.ContextVar("request_id", default=None)


def current_request_id():
    """Return the id of the request being handled in this thread, or None."""
    return _current.get()


def request_id_from(meta):
    given = meta.get(META_KEY, "")
    return given if ACCEPTED.fullmatch(given) else uuid.uuid4().hex


# The id is set when the handler starts on the request and cleared when the
# response is closed, not only around the middleware: Django logs the 4xx and
# 5xx answers (django.request) after the last middleware has returned.
def request_started(sender, environ=None, scope=None, **kwargs):
    meta = environ or {}
    if scope is not None:  # ASGI: the headers are in the scope
        meta = {
            "HTTP_" + name.decode("latin-1").upper().replace("-", "_"): value.decode(
                "latin-1"
            )
            for name, value in scope.get("headers", [])
        }
    _current.set(request_id_from(meta))


def request_finished(sender, **kwargs):
    _current.set(None)


class RequestIdMiddleware:
    """Give the request its id and return it in ``X-Request-ID``.

    Gives the request its id (``request.request_id``) and returns it in the
    response's ``X-Request-ID``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = current_request_id() or request_id_from(request.META)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record a handler writes.

    The id of the request being handled, or None outside a request (start-up,
    tasks).
    """

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True
