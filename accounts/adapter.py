"""allauth's adapter.

The site's client identity for rate limits, and a profile for every new account.
"""

from allauth.account.adapter import DefaultAccountAdapter

from home.ratelimit import client_key

from .profiles import ensure_profile


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """Return the client as every rate limit of the site counts it.

        The address the trusted proxies (PROXY_COUNT) saw, by IPv4 address or
        IPv6 /64. allauth's own reads the first X-Forwarded-For entry, which the
        client writes.
        """
        return client_key(request)

    def save_user(self, request, user, form, commit=True):

        user = super().save_user(request, user, form, commit=commit)
        if commit:
            ensure_profile(user)
        return user
