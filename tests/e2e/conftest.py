"""Debian's Chromium driven by Playwright's sync API, for the end-to-end tests.

Playwright's own browser downloads are not used: the tests need the
``chromium`` package (``apt-get install chromium``) at /usr/bin/chromium, or
the browser named by ``CHROMIUM_PATH`` (as ``make test`` reads it).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

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
    """The root collection, as the migrations made it. A live-server test ends
    with the database flushed, rows of the migrations included; the image and
    document choosers need this one (the tests build their own pages)."""
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


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
