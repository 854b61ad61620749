"""Fixed-window rate limits on the shared cache, and the 429 answers they give.

Every limit of the site is declared here, in ``LIMITS``: the setting that gives
the number of requests and the window it applies to. A view names its scope
and nothing else, so the numbers, the client key and Retry-After are decided
once for all of them.

A client is an IPv4 address, or an IPv6 /64: one subscriber or one server is
routinely given a whole /64, so counting its addresses one by one would let a
single client pose as billions. Retry-After is the time left until the
client's window ends, the real wait before a request is accepted again.
"""

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

MINUTE = 60
HOUR = 60 * MINUTE
IPV6_CLIENT_PREFIX = 64


def client_address(request):
    """Return the client's address.

    Behind ``PROXY_COUNT`` proxies, from X-Forwarded-For.

    Each trusted proxy appends the address it received the request from, so
    the client is the ``PROXY_COUNT``-th entry from the right; whatever is to
    its left was written by the client itself and is not trusted.
    """
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


def network_key(address):
    """Return the counter an address counts against.

    An IPv4 address as it is, an IPv6 address by its /64. Anything that is not an
    address shares one counter.
    """
    text = address.strip()
    # Some proxies write the port too: "203.0.113.7:51234", "[2001:db8::1]:443".
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return "invalid"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip), IPV6_CLIENT_PREFIX), strict=False))
    return str(ip)


def client_key(request):
    return network_key(client_address(request))


def posted_email_key(request):
    """Return the e-mail address a form was sent for, hashed, or None.

    The e-mail address a form was sent for (hashed: no addresses in the cache); None
    when there is none, and then nothing is counted.
    """
    email = request.POST.get("email", "").strip().lower()
    if not email:
        return None
    return hashlib.sha256(email.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Limit:
    setting: str  # requests allowed per window, per key
    window: int  # seconds
    key: object = client_key  # request -> the counter's key (None: not counted)


LIMITS = {
    "submit": Limit("INVENTORY_SUBMIT_RATE_LIMIT", HOUR),
    "update_use": Limit("INVENTORY_SUBMIT_RATE_LIMIT", HOUR),
    # References of unpublished entries must not be found by trying them.
    "status": Limit("INVENTORY_STATUS_RATE_LIMIT", HOUR),
    "join": Limit("PUBLIC_FORM_RATE_LIMIT", HOUR),
    "register": Limit("PUBLIC_FORM_RATE_LIMIT", HOUR),
    "api": Limit("INVENTORY_API_RATE_LIMIT", MINUTE),
    # A saved search's Atom feed runs its search on every fetch, for anyone
    # holding the address: machine reading of the inventory, as the API.
    "feed": Limit("INVENTORY_API_RATE_LIMIT", MINUTE),
    "export": Limit("INVENTORY_EXPORT_RATE_LIMIT", MINUTE),
    "inventory_search": Limit("INVENTORY_SEARCH_RATE_LIMIT", MINUTE),
    "site_search": Limit("SITE_SEARCH_RATE_LIMIT", MINUTE),
    # Per client, and per recipient so that no one's mailbox can be flooded
    # from many addresses.
    "password_reset": Limit("PASSWORD_RESET_RATE_LIMIT", HOUR),
    "password_reset_recipient": Limit(
        "PASSWORD_RESET_RATE_LIMIT", HOUR, key=posted_email_key
    ),
    # Claim links of stakeholder accounts (accounts app): per client and per
    # recipient, like password resets.
    "claim": Limit("ACCOUNTS_CLAIM_RATE_LIMIT", HOUR),
    "claim_recipient": Limit("ACCOUNTS_CLAIM_RATE_LIMIT", HOUR, key=posted_email_key),
}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends

    def __bool__(self):
        return self.allowed


def hit(request, scope, limit, window, key=None):
    """Count one request of the client (or of ``key``) in the current window.

    The answer is true while the count stays within ``limit``; a refusal is
    noted on the request, so that ``too_many_requests`` gives its real wait.
    """
    now = time.time()
    bucket = int(now // window)
    retry_after = max(1, math.ceil((bucket + 1) * window - now))
    cache_key = f"ratelimit:{scope}:{key or client_key(request)}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=window + 1)
            count = 1
    verdict = Verdict(count <= limit, retry_after)
    if not verdict:
        request.rate_limit_retry_after = max(
            retry_after, getattr(request, "rate_limit_retry_after", 0)
        )
    return verdict


def within_limit(request, scope):
    """Count one request against the limit named ``scope`` in ``LIMITS``."""
    limit = LIMITS[scope]
    key = limit.key(request)
    if key is None:
        return Verdict(True, 0)
    return hit(request, scope, getattr(settings, limit.setting), limit.window, key)


def retry_after_of(request, retry_after=None):
    if retry_after is None:
        retry_after = request.rate_limit_retry_after
    return str(int(retry_after))


def too_many_requests(request, message=None, retry_after=None):
    """Return the site's 429 page, with Retry-After.

    By default the wait the refusing limit computed.
    """
    response = TemplateResponse(
        request,
        "429.html",
        {"message": message or _("Too many requests. Please wait a minute.")},
        status=429,
    )
    response["Retry-After"] = retry_after_of(request, retry_after)
    return response


def too_many_requests_json(request, message=None, retry_after=None):
    """Return the API's 429: its usual error object, with Retry-After."""
    response = JsonResponse(
        {"errors": [message or _("Too many requests. Please wait a minute.")]},
        status=429,
    )
    response["Retry-After"] = retry_after_of(request, retry_after)
    return response


def rate_limited(*scopes, methods=None, message=None, json=False):
    """Decorate a view with rate limits.

    Each request (of ``methods``, or any) counts against every limit named in
    ``scopes``; past any of them, the 429 answer.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                for scope in scopes:
                    if not within_limit(request, scope):
                        answer = too_many_requests_json if json else too_many_requests
                        return answer(request, message and str(message))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
