"""Two doors.

Staff sign in to the admin by user name (Django's ModelBackend, behind django-axes),
stakeholder accounts sign in on the public site by e-mail address (allauth, behind its
own rate limits). Neither opens the other's.
"""

from django.urls import reverse

from allauth.account.auth_backends import AuthenticationBackend


def is_admin_path(path):
    return (path or "").startswith(reverse("wagtailadmin_home"))


def outside_admin(request, credentials=None):
    """django-axes' whitelist: it counts and locks out the admin's sign-ins only."""
    return request is not None and not is_admin_path(getattr(request, "path", ""))


def is_staff_user(user):
    return user.is_superuser or user.has_perm("wagtailadmin.access_admin")


class AccountBackend(AuthenticationBackend):
    """Sign in a stakeholder account by e-mail address, on the public site only.

    allauth's sign-in by e-mail address, on the public site only, and never for a
    user who may open the admin (staff keep the admin's sign-in, its lockout and its
    two-factor step).
    """

    def authenticate(self, request, **credentials):
        if request is None or is_admin_path(request.path):
            return None
        user = super().authenticate(request, **credentials)
        if user is not None and is_staff_user(user):
            return None
        return user
