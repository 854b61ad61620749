"""Two-factor authentication for the admin (allauth.mfa, an authenticator app).

Staff who set up an authenticator give a code from it after their password,
each time they sign in to the admin; the groups the Secretariat names (Settings
→ Staff sign-in, or STAFF_MFA_REQUIRED_GROUPS) must set one up before the admin
opens to them. Whether a session passed the step is allauth's own record of the
session's authentications (an "mfa" entry for one of the user's authenticators:
allauth's sign-in writes it, and so does the admin's code page).
"""

from django.conf import settings

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator

from .models import StaffSignInSettings

PASSED = "accounts.two_factor_user"

NONE, CHALLENGE, ENROL = "none", "challenge", "enrol"


def required_for(user):
    """Whether the platform requires a second factor from this staff user."""
    policy = StaffSignInSettings.load()
    if user.is_superuser and policy.mfa_required_for_superusers:
        return True
    groups = user.groups.all()
    named = set(getattr(settings, "STAFF_MFA_REQUIRED_GROUPS", []))
    if named and groups.filter(name__in=named).exists():
        return True
    return groups.filter(
        pk__in=policy.mfa_required_groups.values_list("pk", flat=True)
    ).exists()


def has_authenticator(user):
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def passed(request):
    """Whether this session gave a second factor for its user."""
    user = request.user
    if request.session.get(PASSED) == user.pk:
        return True
    ids = [
        record.get("id")
        for record in get_authentication_records(request)
        if record.get("method") == "mfa"
    ]
    if ids and Authenticator.objects.filter(user=user, pk__in=ids).exists():
        request.session[PASSED] = user.pk
        return True
    return False


def step_for(request):
    """Return what the admin asks of this session's staff user.

    Nothing, a code, or to set up an authenticator first.
    """
    user = request.user
    if passed(request):
        return NONE
    if has_authenticator(user):
        return CHALLENGE
    if required_for(user):
        return ENROL
    return NONE


def mark_passed(request):
    request.session[PASSED] = request.user.pk
