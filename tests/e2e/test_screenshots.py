"""Screenshots of the public page types, kept as test artefacts.

Home, inventory search, entry, action line, team, organisation, country and
report pages, at 1280 and 390 CSS pixels wide, in English and in Arabic (right
to left), full page, saved as ``<language>-<width>-<page>.png`` under
``SCREENSHOT_DIR`` (``.cache/screenshots/`` unless set) for people to look at;
``scripts/run_tests.py`` prints where they are. Each page also must not scroll
sideways, no data table may lose its table layout, and the report's chart
labels must not overflow their chart.
"""

import pytest

from tests.helpers.browser import PREFIXES, SCREENSHOT_DIR, sideways_overflow
from tests.helpers.public_site import build_public_site, page_types

PAGES = [
    "home",
    "inventory search with facets",
    "inventory entry",
    "action line",
    "team",
    "organisation",
    "country",
    "report",
]
WIDTHS = [1280, 390]

# Every text of each chart stays inside its chart's box.
CHART_TEXT_OVERFLOW = """() => {
    const out = [];
    for (const svg of document.querySelectorAll("svg.chart")) {
        const box = svg.getBoundingClientRect();
        for (const text of svg.querySelectorAll("text")) {
            const r = text.getBoundingClientRect();
            if (r.left < box.left - 1 || r.right > box.right + 1) {
                out.push(text.textContent);
            }
        }
    }
    return out;
}"""


# A data table the stylesheets turned into something else (a class meant for
# another element) loses its columns.
TABLES_NOT_SHOWN_AS_TABLES = """() => Array.from(document.querySelectorAll("table"))
    .filter(table => getComputedStyle(table).display !== "table")
    .map(table => table.className)"""


def file_name(language, width, name):
    return f"{language}-{width}-{name.replace(' ', '-')}.png"


@pytest.mark.e2e
@pytest.mark.parametrize("language", PREFIXES)
def test_screenshots_of_each_page_type(tree, new_page, language):
    site = build_public_site(tree)
    paths = dict(page_types(site))
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page = new_page()
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name in PAGES:
            response = page.goto(PREFIXES[language] + paths[name])
            assert response.status == 200, (name, response.status)
            path = SCREENSHOT_DIR / file_name(language, width, name)
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 10_000, path
            if overflow := sideways_overflow(page):
                problems.append(f"{path.name}: scrolls sideways by {overflow}px")
            if cut := page.evaluate(CHART_TEXT_OVERFLOW):
                problems.append(f"{path.name}: chart text overflows: {cut[:3]}")
            if tables := page.evaluate(TABLES_NOT_SHOWN_AS_TABLES):
                problems.append(f"{path.name}: tables not shown as tables: {tables}")
    assert problems == []
