"""The admin works under its Content Security Policy.

No violation in Chromium on the dashboard, in the page editor (Draftail, StreamField,
the image chooser, inline panels, date pickers, the preview and checks panels) and in a
snippet's editor.
"""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.factories import (
    YEAR,
    ActionLineIndexPageFactory,
    ActionLinePageFactory,
    InventoryEntryFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    StakeholderOrganisationFactory,
    TeamPageFactory,
    UserFactory,
)
from tests.helpers.pages import publish, site_home

PASSWORD = "correct horse battery staple"  # UserFactory's
WAIT = 20_000
# Runs before the admin's own scripts in every document (Playwright's init
# scripts are not subject to the page's CSP) and records each violation.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.cspViolations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI} ` +
        `(${event.sourceFile}:${event.lineNumber})`
    );
});
"""


class AdminPage:
    """A signed-in admin tab that collects every CSP violation it meets."""

    def __init__(self, context):
        context.add_init_script(RECORD_VIOLATIONS)
        self.page = context.new_page()
        self.console = []
        self.page.on("console", self.record)
        self.seen = []

    def record(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def goto(self, url):
        self.check()
        response = self.page.goto(url)
        assert response.status == 200, url
        assert "script-src-attr 'none'" in response.headers["content-security-policy"]
        return self.page

    def check(self):
        """No violation so far in the current document, nor in the console."""
        page = self.page
        if page.url.startswith("http"):
            for frame in page.frames:
                try:
                    found = frame.evaluate("window.cspViolations || []")
                except PlaywrightError:  # a preview Wagtail has just replaced
                    continue
                assert found == [], f"{frame.url}: {found}"
        assert self.console == [], self.console

    def close(self):
        """Leave the editors before the test ends and the database is flushed.

        Leaves the editors (which then release their editing sessions) before
        the test ends and the database is flushed.
        """
        self.goto("/admin/")
        self.page.wait_for_load_state("networkidle")
        self.check()
        self.page.close()


@pytest.fixture
def content(transactional_db):
    home = site_home()
    index = publish(ActionLineIndexPageFactory(parent=home))
    c5 = publish(ActionLinePageFactory(parent=index, code="C5", title="Confidence"))
    team = publish(TeamPageFactory(parent=c5, title="C5 team"))
    reports = publish(ReportIndexPageFactory(parent=home))
    report = ReportPageFactory(parent=reports)
    report.save_revision()
    InventoryEntryFactory(title="Rural telecentres", year=YEAR, action_lines=["C5"])
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    return {
        "c5": c5,
        "team": team,
        "report": report,
        "entry": InventoryEntryFactory(
            title="Cyber hygiene clinics", year=YEAR, action_lines=["C5"]
        ),
        "organisation": StakeholderOrganisationFactory(name="Organisation A"),
    }


@pytest.mark.e2e
def test_the_admin_works_without_csp_violations(content, browser_context):
    admin = AdminPage(browser_context())
    page = admin.goto("/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

    # The dashboard (no upgrade check to a remote site).
    expect(page).to_have_url(re.compile(r"/admin/$"), timeout=WAIT)
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=WAIT)
    page.wait_for_load_state("networkidle")

    # A page's rich text in Draftail.
    page = admin.goto(f"/admin/pages/{content['team'].pk}/edit/")
    editor = page.locator(".Draftail-Editor").first
    editor.locator("[contenteditable=true]").click()
    page.keyboard.type("Open to every stakeholder.")
    expect(editor).to_contain_text("Open to every stakeholder.", timeout=WAIT)
    # ... and in the preview and checks panels.
    page.locator("[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text("C5 team", timeout=WAIT)
    page.locator("[data-side-panel-toggle='checks']").click()
    expect(page.get_by_text("Issues found")).to_be_visible(timeout=WAIT)
    admin.check()

    # A StreamField block and the image chooser.
    page = admin.goto(f"/admin/pages/{content['c5'].pk}/edit/")
    page.locator("button.c-sf-add-button").first.click()
    page.get_by_role("option", name=re.compile("^Image")).first.click()
    chooser = page.get_by_role("button", name="Choose an image").first
    expect(chooser).to_be_visible(timeout=WAIT)
    # The modal opens once the chooser's listing has loaded: wait for it, so a
    # slow machine reports a failed listing rather than a missing heading.
    with page.expect_response(
        re.compile(r"/admin/images/chooser/"), timeout=WAIT
    ) as listing:
        chooser.click()
    assert listing.value.ok, listing.value.status
    expect(page.get_by_role("heading", name="Choose an image")).to_be_visible(
        timeout=WAIT
    )
    admin.check()

    # Inline panels and date pickers (inline scripts of Wagtail's widgets).
    page = admin.goto(f"/admin/pages/{content['report'].pk}/edit/")
    page.get_by_role("button", name="Add Activity").click()
    expect(
        page.get_by_role("button", name=re.compile("Choose inventory entry"))
    ).to_be_visible(timeout=WAIT)
    page.locator("#id_period_start").click()
    expect(page.locator(".xdsoft_datetimepicker:visible").first).to_be_visible(
        timeout=WAIT
    )

    # Snippets.
    page = admin.goto(
        f"/admin/snippets/inventory/inventoryentry/edit/{content['entry'].pk}/"
    )
    expect(page.locator(".Draftail-Editor").first).to_be_visible(timeout=WAIT)
    page = admin.goto(
        "/admin/snippets/home/stakeholderorganisation/edit/"
        f"{content['organisation'].pk}/"
    )
    expect(page.locator("#id_name")).to_have_value("Organisation A", timeout=WAIT)
    admin.close()
