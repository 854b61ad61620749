"""A crawl of the demo site from the home page of each of the six languages.

No internal link may answer 4xx or 5xx, and every HTML page has a title and a
meta description. The demo is built once, small, for the module, with its
reports' PDFs rendered as the worker renders them after publication (the
demo is built in a transaction that never commits, so its tasks do not run).
The crawler requests a few links of each kind (tests/helpers/crawl.py).
"""

import time

from django.db import transaction
from django.test import Client
from django.utils.html import escape

import pytest

from inventory.models import InventoryEntry
from reporting.models import ReportPage, ReportPDF
from reporting.tasks import render_report_pdf
from tests.helpers.commands import seed
from tests.helpers.crawl import crawl_site, internal, kind_of

ENTRIES = 12
STARTS = ["/", "/fr/", "/es/", "/ru/", "/zh-hans/", "/ar/"]
LIMIT = 1200

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed("--entries", str(ENTRIES))
            for report in ReportPage.objects.live():
                stored = ReportPDF.for_revision(report.live_revision_id, report)
                render_report_pdf(stored.pk)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def crawl(demo, django_db_blocker):
    with django_db_blocker.unblock():
        started = time.monotonic()
        found = crawl_site(Client(), STARTS, per_kind=3, limit=LIMIT)
        found.seconds = time.monotonic() - started
        return found


def test_no_internal_link_answers_an_error(crawl):
    assert crawl.exhausted, f"the crawl stopped at {crawl.requests} requests"
    assert crawl.broken() == []


def test_every_language_was_crawled(crawl):
    for start in STARTS:
        language = kind_of(start)[0]
        pages = [url for url in crawl.statuses if kind_of(url)[0] == language]
        assert len(pages) > 30, start
        assert any("/action-lines/" in url for url in pages), start
        assert any("/reports/" in url for url in pages), start
        assert any("/inventory/entries/" in url for url in pages), start


def test_every_page_has_a_title_and_a_description(crawl):
    assert crawl.untitled == []
    assert crawl.undescribed == []


@pytest.mark.django_db(False)
def test_the_crawler_keeps_to_the_site():
    base = "http://testserver/fr/action-lines/"
    assert internal("c5/", base) == "/fr/action-lines/c5/"
    assert internal("/inventory/?q=a#results", base) == "/inventory/?q=a"
    assert internal("https://example.org/", base) is None
    assert internal("mailto:a@example.org", base) is None
    assert kind_of("/fr/action-lines/c5/") == kind_of("/fr/action-lines/c2/")
    assert kind_of("/action-lines/c5/") != kind_of("/fr/action-lines/c5/")
    assert kind_of("/action-lines/c5/team/") != kind_of("/action-lines/c5/")
    assert kind_of("/inventory/?country=SEN") != kind_of("/inventory/")


def test_the_demos_french_texts_still_show_under_fr(demo, client):
    entry = InventoryEntry.objects.filter(live=True).exclude(title_fr="").first()
    assert entry is not None
    french = client.get(f"/fr/inventory/entries/{entry.pk}/").content.decode()
    assert escape(entry.title_fr) in french
    english = client.get(f"/inventory/entries/{entry.pk}/").content.decode()
    assert escape(entry.title_fr) not in english
