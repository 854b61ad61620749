"""Factories of the reporting tests: inventory entries and report pages.

They live here rather than in tests/factories/ while the reporting suite is the
only user; the end-to-end test imports them too.
"""

import datetime

from django.utils import timezone

import wagtail_factories

import factory
from factory.django import DjangoModelFactory

from inventory.models import InventoryEntry
from reporting.models import ReportIndexPage, ReportPage

YEAR = 2025
PERIOD_START = datetime.date(YEAR, 1, 1)
PERIOD_END = datetime.date(YEAR, 12, 31)


def aware(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


class InventoryEntryFactory(DjangoModelFactory):
    """A published (``live``) inventory entry of the reporting year."""

    title = factory.Sequence(lambda n: f"Reported activity {n}")
    summary = factory.LazyAttribute(lambda entry: f"About {entry.title.lower()}.")
    activity_type = "project"
    action_lines = factory.LazyFunction(lambda: ["C5"])
    sdgs = factory.LazyFunction(list)
    countries = factory.LazyFunction(lambda: ["SEN"])
    stakeholder_type = "government"
    status = "ongoing"
    reporting_year = YEAR
    live = True
    first_published_at = factory.LazyFunction(lambda: aware(YEAR, 3, 1))
    last_published_at = factory.SelfAttribute("first_published_at")

    class Meta:
        model = InventoryEntry

    class Params:
        draft = factory.Trait(live=False, first_published_at=None)


class ReportIndexPageFactory(wagtail_factories.PageFactory):
    title = "Reports"
    slug = "reports"

    class Meta:
        model = ReportIndexPage


class ReportPageFactory(wagtail_factories.PageFactory):
    """A report of one calendar year; a draft unless ``live=True``."""

    title = factory.LazyAttribute(
        lambda page: f"Implementation of the WSIS outcomes in {page.period_start.year}"
    )
    slug = factory.LazyAttribute(lambda page: f"report-{page.period_start.year}")
    period_start = PERIOD_START
    period_end = PERIOD_END
    summary = "<p>The year in a few lines.</p>"
    live = False

    class Meta:
        model = ReportPage
