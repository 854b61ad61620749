"""Which organisations the public may see, by their slug.

An organisation has a public page (``/organisations/<slug>/``), and its slug is
a value of the inventory's ``organisation`` filter, once the public can see it
take part in the mechanism: it leads or partners in a published inventory
entry, is a member of a published team, or holds a facilitator designation of
a completed round. An organisation that only ever submitted drafts has neither:
its slug answers like one that does not exist, so the site never lists the
organisations behind unpublished submissions.

Translations of an organisation share its slug (``StakeholderOrganisation``),
so every question here is asked of a slug, not of one row.
"""

import re

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import get_language

from action_lines.choices import RoundStatus
from action_lines.models import FacilitatorDesignation, TeamMembership
from home.models import SLUG_MAX_LENGTH, StakeholderOrganisation

from .models import InventoryEntry

# What ``django.utils.text.slugify`` makes of a name: lower-case ASCII letters,
# digits, hyphens and underscores.
SLUG_PATTERN = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{SLUG_MAX_LENGTH - 1}}}")


def is_slug(value):
    return bool(SLUG_PATTERN.fullmatch(value))


def published_entries():
    return InventoryEntry.objects.filter(live=True)


def public_memberships():
    return TeamMembership.objects.filter(team__live=True)


def public_designations():
    """Designations the UN Secretary-General made: those of completed rounds."""
    return FacilitatorDesignation.objects.filter(round__status=RoundStatus.DESIGNATED)


def public_organisations():
    """Return the organisations (rows of every locale) the public may see."""
    organisation = OuterRef("pk")
    return StakeholderOrganisation.objects.filter(
        Exists(published_entries().filter(organisation=organisation))
        | Exists(published_entries().filter(partners=organisation))
        | Exists(public_memberships().filter(organisation=organisation))
        | Exists(public_designations().filter(organisation=organisation))
    )


def public_slugs(slugs):
    """Return the slugs among ``slugs`` that name an organisation the public may see."""
    slugs = [slug for slug in slugs if slug]
    if not slugs:
        return set()
    return set(
        public_organisations()
        .filter(slug__in=slugs)
        .values_list("slug", flat=True)
        .distinct()
    )


def in_reader_language(versions):
    """Return the organisation's version in the interface language, if any.

    Of an organisation's versions (rows sharing its slug), the one in the interface
    language, else the one in the default language, else any.
    """
    by_language = {row.locale.language_code: row for row in versions}
    return (
        by_language.get(get_language())
        or by_language.get(settings.LANGUAGE_CODE)
        or versions[0]
    )


def mark_public(organisations):
    """Set ``has_public_page`` on each organisation (one query).

    Sets ``has_public_page`` on each organisation (one query), for the
    ``organisation_link`` template tag.
    """
    organisations = [org for org in organisations if org is not None]
    public = public_slugs({org.slug for org in organisations})
    for organisation in organisations:
        organisation.has_public_page = organisation.slug in public
    return organisations
