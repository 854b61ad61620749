"""Browser checks the end-to-end tests share.

Axe-core, sideways overflow, keyboard focus, and the default locale a live-server flush
may remove.
"""

import os
from pathlib import Path

from django.conf import settings

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

import pytest
from axe_playwright_python.sync_playwright import Axe

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": TAGS},
    # Passes and needs-review items are not reported: much less to serialise.
    "resultTypes": ["violations"],
}


AXE = Axe()

# Test artefacts: the end-to-end tests' screenshots, kept after the run (the
# .cache directory is ignored by git); scripts/run_tests.py says where.
SCREENSHOT_DIR = Path(
    os.environ.get(
        "SCREENSHOT_DIR",
        Path(__file__).resolve().parents[2] / ".cache" / "screenshots",
    )
)


PREFIXES = {"en": "", "ar": "/ar"}


def violations_of(page):
    return AXE.run(page, options=AXE_OPTIONS).response["violations"]


def sideways_overflow(page):
    """How far the page scrolls sideways (0: it does not)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"  {violation['id']} ({violation['impact']}): {violation['help']}"
        )
        lines.extend(
            f"      {node['target']}: {node['failureSummary']}"[:300]
            for node in violation["nodes"][:5]
        )
    return "\n".join(lines)


FOCUS_STATE = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        tag: element.tagName,
        id: element.id,
        text: (element.innerText || element.value || "").trim().slice(0, 60),
        outline: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
    };
}"""


def focus_state(page):
    return page.evaluate(FOCUS_STATE)


def has_focus(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, target, limit=100):
    """Presses Tab until ``target`` (a locator or a selector) has the focus.

    Every element focused on the way shows a visible focus outline, and none is
    the submission form's spam trap.
    """
    target = page.locator(target) if isinstance(target, str) else target
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focus_state(page)
        seen.append(f"{state['tag']}#{state['id']} {state['text']!r}")
        visible = state["outline"] == "solid" and state["outlineWidth"] >= 2
        assert visible, f"no visible focus on {seen[-1]}: {state}"
        assert state["id"] != "id_homepage", "the spam trap took the focus"
        if has_focus(target):
            return
    pytest.fail(f"Tab never reached {target}; went through: {seen}")


def ensure_default_locale():
    """Migrations create it; an earlier live-server test's flush may have removed it."""
    code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code=code)


def fill_activity_form(page, title, *, description=""):
    """Fill in the inventory's submission form as a visitor does, field by field.

    The contact's address is left to the caller: an account's form has it already.
    """
    page.get_by_label("Title").fill(title)
    page.get_by_label("Short summary").fill(
        "Weekly clinics teaching pupils and teachers to stay safe online."
    )
    if description:
        page.get_by_label("Description").fill(description)
    page.get_by_label("Type of activity").select_option("training")
    page.get_by_label("Status").select_option("ongoing")
    page.get_by_label("C5 Confidence and security in the use of ICTs").check()
    page.get_by_label("Countries").select_option("SEN")
    page.get_by_label("Stakeholder type").select_option("civil-society")
    page.get_by_label("Implementing organisation").fill("Dakar Digital Schools")
    page.get_by_label("Reporting year").fill("2025")
    page.get_by_label("Contact name").fill("Moussa Ndiaye")
