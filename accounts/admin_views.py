"""The admin's two-factor code page (accounts.two_factor)."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from allauth.mfa.base.forms import AuthenticateForm

from . import two_factor


def safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


@never_cache
def admin_two_factor(request):
    """Asks a code of the staff user's authenticator app (or a recovery code)."""
    target = safe_next(request)
    if two_factor.step_for(request) != two_factor.CHALLENGE:
        return redirect(target)
    form = AuthenticateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        two_factor.mark_passed(request)
        return redirect(target)
    return TemplateResponse(
        request,
        "accounts/admin_two_factor.html",
        {"form": form, "next": target, "body_class": "login"},
        status=400 if form.is_bound else 200,
    )
