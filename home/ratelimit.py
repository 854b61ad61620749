"""A small fixed-window rate limit on the shared cache, for every public form and
the API, and the 429 page it answers with."""

import time

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def client_address(request):
    """The client's address; behind ``PROXY_COUNT`` proxies, from X-Forwarded-For."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(request, scope, limit, window):
    """Counts one request; True while the client stays within ``limit`` per window."""
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{client_address(request)}:{bucket}"
    if cache.add(key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count <= limit


def too_many_requests(request, message=None, retry_after=60):
    """The site's 429 page, with a Retry-After header."""
    response = TemplateResponse(
        request,
        "429.html",
        {"message": message or _("Too many requests. Please wait a minute.")},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def public_form_allowed(request, scope):
    """One POST of a public form (join, registration) within PUBLIC_FORM_RATE_LIMIT."""
    return hit(request, scope, settings.PUBLIC_FORM_RATE_LIMIT, 3600)
