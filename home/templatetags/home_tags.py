"""Template tags shared by every public page."""

from html import unescape

from django import template
from django.utils.dateparse import parse_datetime
from django.utils.html import conditional_escape, escape, format_html, strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext

from home import page_languages
from home.meta import page_description as describe
from home.worldmap import country_map, search_link

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per site language that keeps the visitor on the same page.

    Goes to the page's translation when one is live, otherwise to the nearest
    page in that language (see ``home.page_languages``). One query per page.
    """
    return page_languages.language_links(context.get("request"), context.get("page"))


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """``hreflang`` alternates of the page: each language version, x-default."""
    return page_languages.alternates(context.get("request"), context.get("page"))


@register.simple_tag(takes_context=True)
def content_language(context):
    """Return the page content's language.

    ``code``, ``direction``, ``differs`` (from the interface's), to mark the content
    with ``lang`` and ``dir``.
    """
    return page_languages.content_language(context.get("request"), context.get("page"))


@register.simple_tag(takes_context=True)
def content_attrs(context):
    """Mark an element of the page's own content with its language.

    ` lang="en" dir="ltr"` on an element of the page's own content (title, text)
    when it is in another language than the interface; nothing otherwise. Only the
    content is marked: the interface's headings, labels and buttons around it keep
    the page's language and direction.
    """
    language = context.get("content_lang")
    if language is None:
        language = content_language(context)
    if not language or not language.get("differs"):
        return ""
    return format_html(' lang="{}" dir="{}"', language["code"], language["direction"])


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"ancestors": [], "page": page}
    ancestors = page.get_ancestors().live().filter(depth__gt=1).specific()
    return {"ancestors": ancestors, "page": page}


@register.filter(is_safe=True)
def with_site_name(title):
    """Return the document's title: "<page> — WSIS implementation".

    The site's name alone where there is no page title (the home page has its own
    block).
    """
    site = gettext("WSIS implementation")
    title = conditional_escape(title).strip()
    if not title or title == site:
        return site
    return format_html("{} — {}", title, site)


@register.filter(is_safe=True)
def as_description(text):
    """Return a meta description.

    The text on one line, without markup, at most 200 characters (what search
    engines show).
    """
    text = " ".join(strip_tags(unescape(str(text))).split())
    return escape(Truncator(text).chars(200))


@register.simple_tag(takes_context=True)
def page_description(context):
    """Return the page's search description, or a default for its type (home.meta)."""
    return describe(context.get("page"))


@register.inclusion_tag("includes/world_map.html")
def world_map(counts, caption, query=None, link=None, map_id="world-map"):
    """Return the world map of ``counts`` (the inventory's country facet).

    See home.worldmap. Each country links to its inventory search, or, given the
    search page's ``query``, to that search narrowed to the country (a map view of
    the results: ``{% world_map result.facets.country caption query=query %}``);
    ``link`` may make the addresses instead.
    """
    if link is None and query is not None:

        def link(code):
            filters = {**query.filters, "country": (code,)}
            return "?" + query.urlencode(filters=filters, page=1)

    return {
        "map": country_map(counts, link=link or search_link, map_id=map_id),
        "caption": caption,
    }


@register.filter
def as_datetime(value):
    """Return a date and time stored as ISO 8601 text (in JSON) as a datetime.

    The ``date`` filter then formats it in the reader's language; other values
    are returned unchanged.
    """
    if isinstance(value, str):
        try:
            return parse_datetime(value) or value
        except ValueError:
            return value
    return value
