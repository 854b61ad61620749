"""A C5 facilitator changes the team's modalities in the admin; the public sees it."""

import pytest
from playwright.sync_api import expect

from tests.factories import (
    ActionLineIndexPageFactory,
    ActionLinePageFactory,
    ModalitiesPageFactory,
    TeamPageFactory,
    UserFactory,
)
from tests.helpers.pages import publish, site_home

PASSWORD = "correct horse battery staple"  # UserFactory's
NEW_NOTES = "Online every second Tuesday; minutes within a week."


def c5_modalities():
    """C5 with its team and published modalities."""
    index = publish(ActionLineIndexPageFactory(parent=site_home()))
    c5 = publish(ActionLinePageFactory(parent=index, code="C5", title="Confidence"))
    team = publish(TeamPageFactory(parent=c5, title="C5 team"))
    return publish(ModalitiesPageFactory(parent=team, title="C5 modalities"))


@pytest.mark.e2e
def test_facilitator_publishes_modalities_seen_by_the_public(
    transactional_db, browser_context
):
    """Edited and published in the admin, the new meeting notes are public at once."""
    modalities = c5_modalities()
    UserFactory(username="c5fac", groups=["C5 facilitators"])

    admin = browser_context().new_page()
    admin.goto("/admin/login/")
    admin.get_by_label("Username").fill("c5fac")
    admin.get_by_label("Password").fill(PASSWORD)
    with admin.expect_navigation():
        admin.get_by_role("button", name="Sign in").click()
    expect(admin).to_have_url("/admin/")

    admin.goto(f"/admin/pages/{modalities.pk}/edit/")
    notes = admin.get_by_role("textbox", name="Meeting arrangements")
    notes.fill(NEW_NOTES)
    admin.get_by_role("button", name="More actions").click()
    with admin.expect_navigation():
        admin.get_by_role("button", name="Publish", exact=True).click()
    expect(admin.get_by_text("'C5 modalities' has been published")).to_be_visible()

    visitor = browser_context().new_page()
    response = visitor.goto(modalities.url)
    assert response.status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text("C5 modalities")
    expect(visitor.locator("dl.charter")).to_contain_text(NEW_NOTES)
