"""The submitter's answer to a freshness request: "still current"."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from home.ratelimit import too_many_requests, within_limit

from .freshness import confirm_current
from .models import UpdateLink
from .views import private, status_path


def link_refused(request, link):
    """Answer a confirmation link that does not exist, has expired or was used.

    The page for a confirmation link that does not exist or has expired (400), or
    that was used already (410).
    """
    used = link is not None and link.used_at is not None
    return private(
        TemplateResponse(
            request,
            "inventory/confirm_link_invalid.html",
            {"used": used},
            status=410 if used else 400,
        )
    )


@never_cache
def confirm_current_view(request, token):
    """Show the entry and a button on GET; confirm it on POST.

    GET shows the entry and a button (a link opened by a mail scanner must not
    confirm anything); POST confirms it and uses the link up.
    """
    link = UpdateLink.find(token)
    if link is None or link.used_at is not None or link.is_expired:
        return link_refused(request, link)
    entry = link.entry
    if request.method == "POST":
        if not within_limit(request, "update_use"):
            return too_many_requests(request)
        with transaction.atomic():
            if not link.consume():
                link.refresh_from_db()
                return link_refused(request, link)
            confirm_current(entry)
        messages.success(request, _("Thank you: the entry is marked as current."))
        return redirect(status_path(entry, with_key=True))
    return private(
        TemplateResponse(request, "inventory/confirm_current.html", {"entry": entry})
    )
