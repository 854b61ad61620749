"""Factories of the periodic reports: the /reports/ index and a report of a year."""

import datetime

import wagtail_factories

import factory

from reporting.models import ReportIndexPage, ReportPage

YEAR = 2025
PERIOD_START = datetime.date(YEAR, 1, 1)
PERIOD_END = datetime.date(YEAR, 12, 31)


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
