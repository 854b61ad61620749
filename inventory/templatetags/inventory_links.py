"""Links to the public pages of organisations and countries, wherever one is named.

An organisation's name links to its page only when it has one
(``inventory.organisations``); names are isolated with ``<bdi>`` so that a name
in another script keeps its own direction inside the sentence around it (an
English name on an Arabic page, an Arabic name on an English one).
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from home.countries import country_name, is_country

from ..choices import GLOBAL
from ..organisations import public_slugs

register = template.Library()


@register.simple_tag
def organisation_link(organisation, short=False, public=False):
    """Return the organisation's name, linked to its page.

    The organisation's name (``short``: its acronym when it has one), linked to its
    page. ``public=True`` where the page is known to exist (an organisation named by
    a published entry); otherwise ``has_public_page``
    (``inventory.organisations.mark_public``) says, or one query does.
    """
    if not organisation:
        return ""
    name = organisation.short_name if short else str(organisation)
    if public is not True:
        public = getattr(organisation, "has_public_page", None)
    if public is None:
        public = organisation.slug in public_slugs([organisation.slug])
        organisation.has_public_page = public
    if public and organisation.slug:
        url = reverse("organisation", args=[organisation.slug])
        return format_html('<a href="{}"><bdi>{}</bdi></a>', url, name)
    return format_html("<bdi>{}</bdi>", name)


@register.simple_tag
def country_link(code):
    """Return the country's name in the interface language, linked to its page."""
    if code == GLOBAL:
        return _("Global")
    if not is_country(code):
        return code
    url = reverse("inventory:country", args=[code])
    return format_html('<a href="{}">{}</a>', url, country_name(code))
