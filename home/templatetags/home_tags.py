"""Template tags shared by every public page."""

from django import template
from django.utils.html import format_html

from home import page_languages

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
    """The page content's language: ``code``, ``direction``, ``differs`` (from
    the interface's), to mark the content with ``lang`` and ``dir``."""
    return page_languages.content_language(context.get("request"), context.get("page"))


@register.simple_tag(takes_context=True)
def content_attrs(context):
    """` lang="en" dir="ltr"` on an element of the page's own content (title, text)
    when it is in another language than the interface; nothing otherwise. Only the
    content is marked: the interface's headings, labels and buttons around it keep
    the page's language and direction."""
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
