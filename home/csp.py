"""The Content Security Policy of the admin, beside the public site's.

django-csp sends ``CONTENT_SECURITY_POLICY`` with every response. The admin is
Wagtail's own pages and scripts, which need a little more than the public site
allows: responses under ``ADMIN_CONTENT_SECURITY_POLICY["URL_PREFIXES"]`` get
that policy instead, enforced, or as ``Content-Security-Policy-Report-Only``
with ``"REPORT_ONLY": True`` (to try a new Wagtail version before enforcing
it). docs/security.md says why each directive is what it is.
"""

from django.conf import settings

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import default_config


def admin_policy(request):
    """Return the admin's policy if ``request`` is for the admin, else None."""
    policy = getattr(settings, "ADMIN_CONTENT_SECURITY_POLICY", None)
    if not policy:
        return None
    prefixes = tuple(policy.get("URL_PREFIXES", ()))
    return policy if request.path_info.startswith(prefixes) else None


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the admin's policy on the admin's URLs."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        policy = admin_policy(request)
        if policy is not None and parts.config is None:
            if bool(policy.get("REPORT_ONLY")) == report_only:
                parts.config = default_config(policy["DIRECTIVES"])
            else:
                parts.config = {}  # an empty policy: that header is not sent
        return parts
