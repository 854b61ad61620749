"""Template tags shared by every public page."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from wagtail.models import Locale

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per site language that keeps the visitor on the same page.

    Goes to the page's translation when one is live, otherwise to the same
    address with the other language's prefix (the interface changes language).
    """
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if page is not None and hasattr(page, "get_translation_or_none"):
            locale = Locale.objects.filter(language_code=code).first()
            translation = locale and page.get_translation_or_none(locale)
            if translation is not None and translation.live and translation.url:
                url = translation.url
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append(
            {"code": code, "name": name, "url": url or "/", "current": code == current}
        )
    return links


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"ancestors": [], "page": page}
    ancestors = page.get_ancestors().live().filter(depth__gt=1).specific()
    return {"ancestors": ancestors, "page": page}
