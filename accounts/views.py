"""My WSIS: a stakeholder account's own page (accounts/urls.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from home.ratelimit import too_many_requests

from .decorators import account_required
from .forms import ProfileForm


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


def form_status(form):
    return 400 if form.is_bound and form.errors else 200


@account_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.account_profile)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved.proposed_organisation:
            messages.success(
                request,
                _(
                    "Saved. The inventory editors will check the organisation you "
                    "proposed."
                ),
            )
        else:
            messages.success(request, _("Your profile is saved."))
        return redirect("my:profile")
    return TemplateResponse(
        request, "my/profile.html", {"form": form}, status=form_status(form)
    )
