"""iCalendar (RFC 5545) export of meetings."""

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from icalendar import Calendar, Event, vText

from home.mail import site_url


def meeting_event(meeting, request=None):
    event = Event()
    host = request.get_host() if request else "wsis.example.org"
    event.add("uid", f"meeting-{meeting.translation_key}@{host}")
    event.add(
        "dtstamp", meeting.last_published_at or meeting.latest_revision_created_at
    )
    event.add("dtstart", meeting.local_start)
    event.add("dtend", meeting.local_end)
    event.add("summary", meeting.title)
    location = meeting.venue or meeting.online_url
    if location:
        event.add("location", vText(location))
    # Without a request, the calendar goes out by e-mail: the e-mail's address.
    url = (meeting.get_full_url(request) if request else str(site_url(meeting))) or ""
    if url:
        event.add("url", url)
    description = [meeting.summary]
    if meeting.online_url:
        description.append(_("Online: %(url)s") % {"url": meeting.online_url})
    if meeting.outcome:
        description.append(strip_tags(meeting.outcome))
    description.append(url)
    event.add("description", "\n\n".join(part for part in description if part))
    event.add("status", "CONFIRMED")
    return event


def meeting_calendar(meeting, request=None):
    """Return the meeting as a one-event calendar, as bytes."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(meeting_event(meeting, request))
    calendar.add_missing_timezones()
    return calendar.to_ical()
