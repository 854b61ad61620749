"""Debian's Chromium driven by Playwright's sync API, for the end-to-end tests.

Playwright's own browser downloads are not used: the tests need the
``chromium`` package (``apt-get install chromium``) at /usr/bin/chromium, or
the browser named by ``CHROMIUM_PATH`` (as ``make test`` reads it).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers.pages import root_collection, site_home

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def wagtail_roots(transactional_db):
    """The root collection, as the migrations made it.

    A live-server test ends with the database flushed, rows of the migrations
    included; the image and document choosers need this one (the tests build their
    own pages).
    """
    root_collection()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install it with `apt-get install chromium`."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def browser_context(browser, live_server):
    """A fresh browser profile (no cookies) pointed at the live server."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


STYLESHEETS = Path(__file__).resolve().parents[2] / "cms" / "static" / "css"


def serve_source_stylesheets(route):
    """Serve the site's stylesheets as they are in the repository.

    The site's stylesheets as they are in the repository, not the copy a local
    ``collectstatic`` may have left in STATIC_ROOT (WhiteNoise serves that first).
    """
    source = STYLESHEETS / route.request.url.split("?")[0].rsplit("/", 1)[-1]
    if source.is_file():
        route.fulfill(path=source, content_type="text/css; charset=utf-8")
    else:
        route.continue_()


@pytest.fixture
def new_page(browser_context):
    """A page in a fresh browser profile, with the repository's stylesheets."""

    def make():
        context = browser_context()
        context.route("**/static/css/*.css", serve_source_stylesheets)
        return context.new_page()

    return make


@pytest.fixture
def home_page(transactional_db):
    """Return the site's home page, rebuilt if an earlier test flushed it.

    The site's home page (rebuilt if an earlier live-server test flushed it), under
    tests/conftest.py's ``tree``.
    """
    return site_home()
