"""List meetings across every team and the secretariat.

Meetings across every team and the secretariat, for the public listing (``/meetings/``)
and the home page.

Meetings are organised in the default language, on the source team or in the
secretariat section; a reader of a content language sees each meeting in its
own translation when one is published. Each meeting is labelled with the
action line whose team holds it, or with its kind (facilitators' meeting,
designation consultation). The number of queries does not grow with the number
of meetings listed.
"""

from django.conf import settings
from django.utils.translation import get_language

from .choices import MeetingKind
from .models import ActionLinePage, MeetingPage


def source_meetings():
    return MeetingPage.objects.live().filter(
        locale__language_code=settings.LANGUAGE_CODE
    )


def _line_codes():
    """(path, code) of the action lines, deepest first (C7's sub-lines first)."""
    rows = ActionLinePage.objects.filter(
        locale__language_code=settings.LANGUAGE_CODE
    ).values_list("path", "code")
    return sorted(rows, key=lambda row: -len(row[0]))


def _reader_versions(meetings):
    language = get_language() or settings.LANGUAGE_CODE
    content = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    if language == settings.LANGUAGE_CODE or language not in content or not meetings:
        return meetings
    versions = {
        version.translation_key: version
        for version in MeetingPage.objects.live().filter(
            locale__language_code=language,
            translation_key__in=[meeting.translation_key for meeting in meetings],
        )
    }
    return [versions.get(meeting.translation_key, meeting) for meeting in meetings]


def for_listing(meetings):
    """Return the meetings, each in the reader's language.

    The meetings, each in the reader's language, with ``listing_code`` (the action
    line's code) or ``listing_kind`` (the kind of a secretariat meeting).
    """
    meetings = list(meetings)
    if not meetings:
        return []
    lines = _line_codes()
    for meeting in meetings:
        meeting.listing_code = next(
            (code for path, code in lines if meeting.path.startswith(path)), ""
        )
    shown = _reader_versions(meetings)
    for source, meeting in zip(meetings, shown, strict=True):
        meeting.listing_code = source.listing_code
        meeting.listing_kind = (
            "" if source.kind == MeetingKind.TEAM else source.get_kind_display()
        )
    return shown


def upcoming(now):
    return source_meetings().filter(end__gte=now).order_by("start", "pk")


def past(now):
    return source_meetings().filter(end__lt=now).order_by("-start", "-pk")


def upcoming_meetings(now, limit=None):
    meetings = upcoming(now)
    return for_listing(meetings[:limit] if limit else meetings)
