"""My WSIS: a stakeholder account's own page (accounts/urls.py)."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from home.ratelimit import too_many_requests

from .decorators import account_required


def rate_limited(request, exception=None):
    """The site's 429 page for allauth's rate limits (sign-up, sign-in, password
    reset): allauth does not say how long the client waits, so a minute."""
    return too_many_requests(
        request,
        _(
            "Too many attempts from your address or for this account. Please try "
            "again later."
        ),
        retry_after=60,
    )


@account_required
def home(request):
    return TemplateResponse(
        request, "my/home.html", {"profile": request.account_profile}
    )
