"""Template context shared by every public page: the site's navigation.

Visitors come to search the inventory and to submit activities, so the primary
navigation starts there, then the action lines, meetings, reports and "About".
The sections that are pages (action lines, reports, About) are found in one
query, in the reader's content language when it has them; the C1…C11 strip in
one more. Both are queried only when a template asks, once per request.
"""

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import pgettext_lazy as _p

from wagtail.models import Page

from accounts.backends import is_staff_user
from action_lines.models import ActionLineIndexPage, ActionLinePage, SecretariatPage
from inventory.choices import ActionLineCode
from reporting.models import ReportIndexPage

from .models import AboutPage
from .page_languages import text_direction

NAV = "main navigation"


def _section_pages():
    """{name: page} of the sections that are pages, in the reader's language."""
    names = {
        ActionLineIndexPage: "action_lines",
        ReportIndexPage: "reports",
        AboutPage: "about",
        SecretariatPage: "secretariat",
    }
    default = settings.LANGUAGE_CODE
    language = get_language() or default
    found = {}
    pages = (
        Page.objects.live()
        .filter(depth=3, locale__language_code__in={default, language})
        .type(*names)
        # An annotation, unlike a related object, stays on the specific page.
        .annotate(language=F("locale__language_code"))
        .order_by("path")
        .specific(defer=True)
    )
    for page in pages:
        name = names[type(page)]
        own = page.language == language
        if name not in found or (own and found[name].language != language):
            found[name] = page
    return found


def _action_lines(index):
    if index is None:
        return []
    return list(
        ActionLinePage.objects.live()
        .child_of(index)
        .order_by("path")
        .only("title", "url_path", "code", "path", "depth", "locale_id")
    )


def _line_title(line, index):
    """Return the action line's short name in the interface's language.

    The action line's short name in the interface's language (the inventory's
    vocabulary), or its page's title, marked with the content's language.
    """
    label = str(dict(ActionLineCode.choices).get(line.code, ""))
    if label:
        return {"title": label.removeprefix(f"{line.code} "), "lang": "", "dir": ""}
    content = index.language
    if content == (get_language() or settings.LANGUAGE_CODE):
        return {"title": line.title, "lang": "", "dir": ""}
    return {"title": line.title, "lang": content, "dir": text_direction(content)}


def _mark_current(items, path):
    """aria-current on the item whose address is the longest start of ``path``."""
    best = None
    for item in items:
        url = item["url"]
        if (
            url
            and path.startswith(url)
            and (best is None or len(url) > len(best["url"]))
        ):
            best = item
    if best is not None:
        best["current"] = "page" if best["url"] == path else "true"
    return items


def submit_url(request):
    """Return where "Submit an activity" leads.

    A signed-in account holder gets their form in My WSIS, filled in from their
    profile; everyone else, staff included, the public form.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not is_staff_user(user):
        return reverse("my:submit")
    return reverse("inventory:submit")


def site_navigation(request):
    pages = _section_pages()
    about = pages.get("about") or pages.get("secretariat")
    sections = [
        ("inventory", _p(NAV, "Inventory"), reverse("inventory:search")),
        ("submit", _p(NAV, "Submit an activity"), submit_url(request)),
        ("action_lines", _p(NAV, "Action lines"), pages.get("action_lines")),
        ("meetings", _p(NAV, "Meetings"), reverse("meetings")),
        ("reports", _p(NAV, "Reports"), pages.get("reports")),
        ("about", _p(NAV, "About"), about),
    ]
    items = []
    for name, label, target in sections:
        if target is None:
            continue
        url = target if isinstance(target, str) else target.get_url(request)
        items.append({"name": name, "label": label, "url": url, "current": ""})
    path = request.path if request is not None else ""
    index = pages.get("action_lines")
    lines = [
        {"code": line.code, "url": line.get_url(request), "current": "", **title}
        for line in _action_lines(index)
        for title in [_line_title(line, index)]
    ]
    secretariat = pages.get("secretariat")
    return {
        "sections": _mark_current(items, path),
        "action_lines": _mark_current(lines, path),
        "secretariat_url": secretariat.get_url(request)
        if secretariat is not None and secretariat is not about
        else "",
    }


def navigation(request):
    """Return the site's navigation, queried only when a template asks."""
    return {"site_nav": SimpleLazyObject(lambda: site_navigation(request))}
