"""The public listing of meetings across every team and the secretariat."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import listing

PAST_PER_PAGE = 20


@require_GET
def meetings(request):
    now = timezone.now()
    past = Paginator(listing.past(now), PAST_PER_PAGE).get_page(request.GET.get("page"))
    past.object_list = listing.for_listing(past.object_list)
    return TemplateResponse(
        request,
        "action_lines/meetings.html",
        {
            "upcoming_meetings": listing.upcoming_meetings(now),
            "past_meetings": past,
        },
    )
