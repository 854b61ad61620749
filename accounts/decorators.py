"""Who may open My WSIS: a signed-in stakeholder account with a verified address."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from allauth.account.decorators import verified_email_required

from .backends import is_staff_user
from .profiles import ensure_profile


def account_required(view):
    """Require a signed-in account with a verified e-mail address.

    A signed-in account with a verified e-mail address (allauth sends the link again
    otherwise); staff, who are not stakeholder accounts, are sent to the admin.
    """

    @verified_email_required
    def verified(request, *args, **kwargs):
        request.account_profile = ensure_profile(request.user)
        request.user.account_profile = request.account_profile  # for the header
        return view(request, *args, **kwargs)

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if is_staff_user(request.user):
            return redirect("wagtailadmin_home")
        return verified(request, *args, **kwargs)

    return wrapped
