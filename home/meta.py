"""Meta descriptions of the public pages.

What search engines and link previews show under a page's title: the page's
own "search description" (Wagtail's promote tab) when an editor wrote one, else
the first of its descriptive fields that has text (summary, introduction,
purpose), else a sentence for its page type. Views that are not pages give
their own in their template's ``description`` block.
"""

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

DESCRIPTIVE_FIELDS = ("search_description", "summary", "introduction", "purpose")


def site_description():
    return _(
        "The WSIS implementation mechanism: action line teams, the global "
        "stocktaking inventory and periodic reports to the UN General Assembly "
        "through ECOSOC."
    )


def _type_defaults():
    return {
        "ActionLineIndexPage": _(
            "The action lines of the WSIS Plan of Action, with their "
            "multistakeholder teams and facilitators."
        ),
        "ActionLinePage": _(
            "%(title)s: an action line of the WSIS Plan of Action, its team, its "
            "facilitators and its activities."
        ),
        "TeamPage": _(
            "%(title)s: the team's purpose, facilitators, members and meetings, "
            "and how to join it."
        ),
        "ModalitiesPage": _(
            "%(title)s: how the team works (membership, meetings, decisions, "
            "working languages and reporting calendar)."
        ),
        "MeetingIndexPage": _(
            "%(title)s: upcoming and past meetings, open to all stakeholders."
        ),
        "MeetingPage": _("%(title)s: date, venue, agenda, documents and registration."),
        "SecretariatPage": _(
            "%(title)s: the facilitators' meetings, the designation consultations "
            "and the facilitators in office."
        ),
        "ReportIndexPage": _(
            "Periodic reports to the UN General Assembly, through ECOSOC, on the "
            "implementation of the WSIS outcomes."
        ),
        "ReportPage": _(
            "%(title)s: a periodic report to the UN General Assembly, through "
            "ECOSOC, on the implementation of the WSIS outcomes."
        ),
    }


def page_description(page):
    """Return the meta description of ``page`` (None: the site's)."""
    if page is None:
        return site_description()
    for name in DESCRIPTIVE_FIELDS:
        text = " ".join(strip_tags(str(getattr(page, name, "") or "")).split())
        if text:
            return text
    default = _type_defaults().get(type(page).__name__)
    if default is None:
        return site_description()
    return default % {"title": page.title} if "%(title)s" in default else default
