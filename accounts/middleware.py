"""The admin's two-factor step (accounts.two_factor), before any admin view."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import two_factor
from .backends import is_admin_path, is_staff_user

# Admin addresses open to a session that has not given its second factor: signing
# in and out, and the code page itself.
OPEN_ADMIN_VIEWS = [
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "accounts_admin_two_factor",
]


class AdminTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.gate(request) or self.get_response(request)

    def gate(self, request):
        path = request.path_info
        if not is_admin_path(path) or not request.user.is_authenticated:
            return None
        if any(path.startswith(reverse(name)) for name in OPEN_ADMIN_VIEWS):
            return None
        if not is_staff_user(request.user):
            return None  # Wagtail refuses them the admin anyway
        step = two_factor.step_for(request)
        if step == two_factor.CHALLENGE:
            return redirect(
                reverse("accounts_admin_two_factor")
                + "?"
                + urlencode({"next": request.get_full_path()})
            )
        if step == two_factor.ENROL:
            messages.warning(
                request,
                _(
                    "Your role requires two-factor authentication: set up an "
                    "authenticator app to open the admin."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return None
