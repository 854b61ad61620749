"""Moderation journeys: team review, Secretariat approval, modalities history."""

import re

from django.test import Client

from wagtail.models import Revision

import pytest
from bs4 import BeautifulSoup

from home.roles import SECRETARIAT
from tests.factories import UserFactory
from tests.helpers.admin import (
    action_line_page_data,
    edit_url,
    modalities_page_data,
    team_page_data,
)
from tests.helpers.pages import public_text, refreshed
from tests.helpers.workflows import (
    NEW_PURPOSE,
    add_secretariat_step,
    mails_to,
    run_two_steps,
    workflow_action_url,
)

ORIGINAL_PURPOSE = "Implement the action line with every stakeholder."


@pytest.fixture
def submitted_team_edit(tree, users, client_for, django_capture_on_commit_callbacks):
    """The Secretariat's edit of the C5 team page, submitted to the team's review."""
    client = client_for(users["secretariat"])
    data = team_page_data(tree.c5_team, purpose=f"<p>{NEW_PURPOSE}</p>")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(tree.c5_team), {**data, "action-submit": "1"})
    assert response.status_code == 302
    return tree.c5_team


def test_secretariat_edit_waits_for_c5_review(submitted_team_edit, mailoutbox, users):
    """A submitted edit stays off the public page; the C5 facilitators are told."""
    page = refreshed(submitted_team_edit)
    assert page.workflow_in_progress is True
    assert page.current_workflow_state.workflow.name == "C5 team review"
    content = public_text(page)
    assert ORIGINAL_PURPOSE in content
    assert NEW_PURPOSE not in content
    assert mails_to(mailoutbox, users["c5_facilitator"], "submitted")
    assert not mails_to(mailoutbox, users["c2_facilitator"], "submitted")


def test_c5_facilitator_approval_publishes_and_tells_submitter(
    submitted_team_edit,
    users,
    client_for,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """Approval by a C5 facilitator publishes the edit and e-mails the submitter."""
    mailoutbox.clear()
    client = client_for(users["c5_facilitator"])
    url = workflow_action_url(submitted_team_edit, "approve")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comment": "Thanks."})
    assert response.status_code == 302
    page = refreshed(submitted_team_edit)
    assert page.workflow_in_progress is False
    assert NEW_PURPOSE in public_text(page)
    assert mails_to(mailoutbox, users["secretariat"], "approved")


@pytest.mark.parametrize("role", ["c2_facilitator", "secretariat", "inventory_editor"])
def test_only_c5_facilitators_approve_c5_review(
    submitted_team_edit, users, client_for, role
):
    """Nobody outside the C5 facilitators approves the team's review step."""
    client = client_for(users[role])
    response = client.post(workflow_action_url(submitted_team_edit, "approve"))
    assert response.status_code in {302, 403}
    page = refreshed(submitted_team_edit)
    assert page.workflow_in_progress is True
    assert NEW_PURPOSE not in public_text(page)


def test_rejection_keeps_live_page_and_tells_submitter(
    submitted_team_edit,
    users,
    client_for,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """A rejected edit never goes live and its submitter hears about it."""
    mailoutbox.clear()
    client = client_for(users["c5_facilitator"])
    url = workflow_action_url(submitted_team_edit, "reject")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comment": "Please discuss with the team first."})
    assert response.status_code == 302
    page = refreshed(submitted_team_edit)
    assert page.current_workflow_state.status == "needs_changes"
    assert ORIGINAL_PURPOSE in public_text(page)
    rejected = [mail for mail in mailoutbox if "rejected" in mail.subject]
    assert [mail.to for mail in rejected] == [[users["secretariat"].email]]
    assert "Please discuss with the team first." in rejected[0].body


def test_rejection_at_step_two_tells_step_one_approver(
    tree, users, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    """The C5 facilitator who approved step 1 learns that step 2 rejected the edit."""
    add_secretariat_step(sort_order=1)
    rejecter = UserFactory(username="secretary2", groups=[SECRETARIAT])
    run_two_steps(
        tree,
        users,
        client_for,
        django_capture_on_commit_callbacks,
        approvers=(users["c5_facilitator"], rejecter),
        last_action="reject",
    )
    assert refreshed(tree.c5_team).current_workflow_state.status == "needs_changes"
    assert mails_to(mailoutbox, users["secretariat"], "rejected")
    assert mails_to(mailoutbox, users["c5_facilitator"], "rejected")
    assert not mails_to(mailoutbox, rejecter, "rejected")
    assert ORIGINAL_PURPOSE in public_text(tree.c5_team)


def test_approval_at_step_two_tells_step_one_approver(
    tree, users, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    """After the last step, the submitter and the step-1 approver hear of it."""
    add_secretariat_step(sort_order=-1)
    checker = UserFactory(username="secretary2", groups=[SECRETARIAT])
    run_two_steps(
        tree,
        users,
        client_for,
        django_capture_on_commit_callbacks,
        approvers=(checker, users["c5_facilitator"]),
        last_action="approve",
    )
    assert NEW_PURPOSE in public_text(tree.c5_team)
    assert mails_to(mailoutbox, users["secretariat"], "approved")
    assert mails_to(mailoutbox, checker, "approved")
    assert not mails_to(mailoutbox, users["c5_facilitator"], "has been approved")


def test_action_line_edit_goes_to_secretariat_approval(
    tree, users, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    """An action line edit submitted by the Secretariat is approved within it."""
    marker = "Building confidence and security in the use of ICTs."
    colleague = UserFactory(username="secretary2", groups=[SECRETARIAT])
    client = client_for(users["secretariat"])
    data = action_line_page_data(tree.c5, summary=marker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(tree.c5), {**data, "action-submit": "1"})
    page = refreshed(tree.c5)
    assert page.current_workflow_state.workflow.name == "Secretariat approval"
    assert marker not in public_text(page)
    assert mails_to(mailoutbox, colleague, "submitted")

    refused = client_for(users["c5_facilitator"]).post(
        workflow_action_url(page, "approve")
    )
    assert refused.status_code in {302, 403}
    assert marker not in public_text(page)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(colleague).post(workflow_action_url(page, "approve"))
    assert marker in public_text(page)
    assert mails_to(mailoutbox, users["secretariat"], "approved")


def history_links(page):
    """The compare links of the public history page, as (old, new) revision ids."""
    response = Client().get(f"{page.url}history/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    links = []
    for anchor in soup.select("a[href*='/history/']"):
        match = re.search(r"/history/(\d+)/(\d+)/$", anchor["href"])
        if match:
            links.append((int(match[1]), int(match[2])))
    return soup, links


@pytest.fixture
def published_twice(tree, users, client_for):
    """The C5 facilitator publishes the modalities monthly, then quarterly."""
    client = client_for(users["c5_facilitator"])
    for cadence in ("monthly", "quarterly"):
        page = refreshed(tree.c5_modalities)
        data = modalities_page_data(page, meeting_cadence=cadence)
        response = client.post(edit_url(page), {**data, "action-publish": "1"})
        assert response.status_code == 302
        assert refreshed(page).meeting_cadence == cadence
    return refreshed(tree.c5_modalities)


def test_history_lists_every_published_version(published_twice):
    """The history shows the first version and one comparison per later version."""
    soup, links = history_links(published_twice)
    assert len(soup.select("tbody tr")) == 3
    assert len(links) == 2
    assert "First published version" in soup.get_text()


def test_compare_shows_the_cadence_change(published_twice):
    """Comparing the last two versions shows monthly replaced by quarterly."""
    _soup, links = history_links(published_twice)
    old, new = links[0]
    response = Client().get(f"{published_twice.url}history/{old}/{new}/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    row = soup.find("th", string=re.compile("Meeting cadence", re.IGNORECASE)).parent
    assert row.find("del").get_text(strip=True) == "Monthly"
    assert row.find("ins").get_text(strip=True) == "Quarterly"


def test_drafts_stay_out_of_history_and_public_page(published_twice, users, client_for):
    """A saved draft is not public, not in the history and not comparable (404)."""
    client = client_for(users["c5_facilitator"])
    data = modalities_page_data(
        published_twice, meeting_cadence="yearly", meeting_notes="Draft arrangements."
    )
    response = client.post(edit_url(published_twice), data)
    assert response.status_code == 302
    draft = Revision.page_revisions.filter(object_id=str(published_twice.pk)).latest(
        "created_at"
    )
    assert draft.as_object().meeting_cadence == "yearly"

    content = public_text(published_twice)
    assert "Quarterly" in content
    assert "Draft arrangements." not in content
    _soup, links = history_links(published_twice)
    assert all(draft.pk not in pair for pair in links)
    latest_published = links[0][1]
    compare = f"{published_twice.url}history/{latest_published}/{draft.pk}/"
    assert Client().get(compare).status_code == 404
    compare = f"{published_twice.url}history/{draft.pk}/{latest_published}/"
    assert Client().get(compare).status_code == 404


def test_revision_in_moderation_is_not_comparable(published_twice, users, client_for):
    """A revision submitted for review is no published version either."""
    client = client_for(users["secretariat"])
    data = modalities_page_data(published_twice, meeting_cadence="as-needed")
    client.post(edit_url(published_twice), {**data, "action-submit": "1"})
    page = refreshed(published_twice)
    assert page.workflow_in_progress is True
    pending = page.current_workflow_state.current_task_state.revision
    _soup, links = history_links(page)
    assert all(pending.pk not in pair for pair in links)
    compare = f"{page.url}history/{links[0][1]}/{pending.pk}/"
    assert Client().get(compare).status_code == 404
    assert "As needed" not in public_text(page)


def test_compare_of_another_pages_revision_is_404(published_twice, tree):
    """Revision ids of another team's modalities are not accepted in the URL."""
    _soup, links = history_links(published_twice)
    other = refreshed(tree.c2_modalities).live_revision
    compare = f"{published_twice.url}history/{links[0][1]}/{other.pk}/"
    assert Client().get(compare).status_code == 404
