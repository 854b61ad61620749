"""The inventory's one entry factory, for every suite.

An entry is public (``live``) unless a trait says otherwise: ``draft=True`` for
one never published, ``published=True`` for one published through a revision
(as an editor's approval does, so it has a live revision and can be
unpublished), ``in_moderation=True`` for a proposal waiting for the editors,
``rejected=True`` for one they turned down. ``year=`` makes it an activity of
that reporting year, published on the 1st of March of it.
"""

import datetime

from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from inventory.models import InventoryEntry

# Published entries get distinct, increasing publication times, so "newest"
# ordering is deterministic whatever the engine.
EPOCH = timezone.make_aware(datetime.datetime(2024, 1, 1, 12, 0))
REPORTING_YEAR = 2025


def _first_published_at(entry, n):
    if entry.year is None:
        return EPOCH + datetime.timedelta(hours=n)
    return timezone.make_aware(datetime.datetime(entry.year, 3, 1, 12))


def _submit(entry, create, extracted, **kwargs):
    """Sends the entry to the inventory moderation."""
    from inventory.moderation import submit_for_moderation

    if create:
        submit_for_moderation(entry)


def _reject(entry, create, extracted, **kwargs):
    """Sends the entry to the inventory moderation, where an editor turns it down."""
    from home.roles import INVENTORY_EDITORS
    from tests.helpers.inventory import reject_in_moderation

    from .home import UserFactory

    if create:
        editor = UserFactory(username="inventory-editor", groups=[INVENTORY_EDITORS])
        reject_in_moderation(entry, editor)


class InventoryEntryFactory(DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Activity number {n}")
    summary = factory.LazyAttribute(lambda entry: f"About {entry.title.lower()}.")
    activity_type = "project"
    action_lines = factory.LazyFunction(lambda: ["C2"])
    sdgs = factory.LazyFunction(list)
    countries = factory.LazyFunction(lambda: ["SEN"])
    stakeholder_type = "government"
    status = "ongoing"
    reporting_year = factory.LazyAttribute(lambda entry: entry.year or REPORTING_YEAR)
    contact_name = "Ada Contact"
    contact_email = factory.Sequence(lambda n: f"private.contact{n}@example.net")
    live = True
    first_published_at = factory.LazyAttributeSequence(_first_published_at)
    last_published_at = factory.SelfAttribute("first_published_at")

    class Meta:
        model = InventoryEntry
        skip_postgeneration_save = True

    class Params:
        year = None
        draft = factory.Trait(live=False, first_published_at=None)
        in_moderation = factory.Trait(draft=True)
        rejected = factory.Trait(draft=True)

    moderation = factory.Maybe(
        "in_moderation",
        yes_declaration=factory.PostGeneration(_submit),
        no_declaration=factory.Maybe(
            "rejected", yes_declaration=factory.PostGeneration(_reject)
        ),
    )

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)
            self.save()

    @factory.post_generation
    def published(self, create, extracted, **kwargs):
        if create and extracted:
            self.save_revision().publish()
