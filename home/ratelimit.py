"""A small fixed-window rate limit on the cache, for the public forms and the API."""

import time

from django.core.cache import cache


def client_address(request):
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
