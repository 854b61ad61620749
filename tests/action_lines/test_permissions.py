"""Who may see drafts, edit, publish and decide join requests, role by role.

Every cell of the matrix goes through the admin over HTTP, the way a person
would try it; a publish counts only if the new value reaches the public page.
"""

from django.urls import reverse

import pytest

from action_lines.choices import RequestStatus
from action_lines.models import TeamMembership, TeamMembershipRequest
from tests.factories import MeetingPageFactory, TeamMembershipRequestFactory
from tests.helpers.admin import (
    action_line_page_data,
    edit_url,
    modalities_page_data,
    team_page_data,
)
from tests.helpers.pages import public_text, refreshed

# "anonymous" has no user in the ``users`` fixture: users.get() gives None.
ROLES = [
    "anonymous",
    "public",
    "c5_facilitator",
    "c2_facilitator",
    "inventory_editor",
    "report_reviewer",
    "secretariat",
]

# The only roles that may perform each action; every other role is refused.
ALLOWED = {
    "view_c5_team_draft": {"c5_facilitator", "secretariat"},
    "edit_c5_team": {"c5_facilitator", "secretariat"},
    "publish_c5_team": {"c5_facilitator"},
    "edit_c5_modalities": {"c5_facilitator", "secretariat"},
    "publish_c5_modalities": {"c5_facilitator"},
    "edit_c2_team": {"c2_facilitator", "secretariat"},
    "publish_c2_team": {"c2_facilitator"},
    "edit_c5_action_line": {"secretariat"},
    "publish_c5_action_line": {"secretariat"},
    "decide_c5_join_request": {"c5_facilitator"},
}

DENIED_STATUSES = {302, 403}


def can_open_editor(client, page):
    response = client.get(edit_url(page))
    if response.status_code == 200:
        return True
    assert response.status_code in DENIED_STATUSES
    return False


def publishes(client, page, data, marker):
    """POSTs the edit form with "Publish"; True when ``marker`` went live."""
    assert marker not in public_text(page)
    response = client.post(edit_url(page), {**data, "action-publish": "publish"})
    assert response.status_code in {200, *DENIED_STATUSES}
    if response.status_code == 200:
        # The form was shown again: an invalid form would hide a real refusal.
        assert "The page could not be saved" not in response.content.decode()
    return marker in public_text(refreshed(page))


def view_c5_team_draft(tree, client):
    page = refreshed(tree.c5_team)
    page.purpose = "<p>Draft purpose, not yet approved.</p>"
    page.save_revision()
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    if response.status_code == 200:
        assert "Draft purpose, not yet approved." in response.content.decode()
        return True
    assert response.status_code in DENIED_STATUSES
    return False


def edit_c5_team(tree, client):
    return can_open_editor(client, tree.c5_team)


def publish_c5_team(tree, client):
    marker = "Purpose rewritten by the team."
    data = team_page_data(tree.c5_team, purpose=f"<p>{marker}</p>")
    return publishes(client, tree.c5_team, data, marker)


def edit_c5_modalities(tree, client):
    return can_open_editor(client, tree.c5_modalities)


def publish_c5_modalities(tree, client):
    marker = "We meet on the first Monday of each quarter."
    data = modalities_page_data(tree.c5_modalities, meeting_notes=marker)
    return publishes(client, tree.c5_modalities, data, marker)


def edit_c2_team(tree, client):
    return can_open_editor(client, tree.c2_team)


def publish_c2_team(tree, client):
    marker = "Purpose rewritten for C2."
    data = team_page_data(tree.c2_team, purpose=f"<p>{marker}</p>")
    return publishes(client, tree.c2_team, data, marker)


def edit_c5_action_line(tree, client):
    return can_open_editor(client, tree.c5)


def publish_c5_action_line(tree, client):
    marker = "Confidence and security in the use of ICTs."
    data = action_line_page_data(tree.c5, summary=marker)
    return publishes(client, tree.c5, data, marker)


def decide_c5_join_request(tree, client):
    request = TeamMembershipRequestFactory(team=tree.c5_team)
    url = reverse(
        "action_lines_teammembershiprequest_modeladmin_decide", args=[request.pk]
    )
    response = client.post(url, {"decision": RequestStatus.ACCEPTED, "note": ""})
    request.refresh_from_db()
    if request.status == RequestStatus.ACCEPTED:
        assert response.status_code == 302
        assert TeamMembership.objects.filter(team=tree.c5_team).exists()
        return True
    assert response.status_code in DENIED_STATUSES
    assert request.status == RequestStatus.PENDING
    assert not TeamMembership.objects.exists()
    return False


ACTIONS = {
    "view_c5_team_draft": view_c5_team_draft,
    "edit_c5_team": edit_c5_team,
    "publish_c5_team": publish_c5_team,
    "edit_c5_modalities": edit_c5_modalities,
    "publish_c5_modalities": publish_c5_modalities,
    "edit_c2_team": edit_c2_team,
    "publish_c2_team": publish_c2_team,
    "edit_c5_action_line": edit_c5_action_line,
    "publish_c5_action_line": publish_c5_action_line,
    "decide_c5_join_request": decide_c5_join_request,
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(tree, users, client_for, role, action):
    """Each role may do exactly what the matrix allows, and nothing more."""
    client = client_for(users.get(role))
    assert ACTIONS[action](tree, client) is (role in ALLOWED[action])


@pytest.mark.parametrize("role", ROLES)
def test_never_published_page_is_not_public_for_anyone(tree, users, client_for, role):
    """A page that was never published answers 404 at its public address."""
    draft = MeetingPageFactory(parent=tree.c5_meetings, title="Unannounced meeting")
    draft.unpublish()
    client = client_for(users.get(role))
    response = client.get(f"{tree.c5_meetings.url}{draft.slug}/")
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_public_page_never_shows_a_draft(tree, users, client_for, role):
    """The public team page shows the live version, whoever asks."""
    page = refreshed(tree.c5_team)
    page.purpose = "<p>Unapproved wording.</p>"
    page.save_revision()
    client = client_for(users.get(role))
    content = client.get(tree.c5_team.url).content.decode()
    assert "Implement the action line with every stakeholder." in content
    assert "Unapproved wording." not in content


def test_secretariat_publishes_a_team_that_has_no_facilitator_yet(
    tree, users, client_for
):
    """Until a team has an active facilitator, the Secretariat publishes its pages."""
    tree.c2_team.facilitator_group.user_set.update(is_active=False)
    client = client_for(users["secretariat"])
    marker = "Team being set up by the Secretariat."
    data = team_page_data(tree.c2_team, purpose=f"<p>{marker}</p>")
    assert publishes(client, tree.c2_team, data, marker) is True


def test_secretariat_publish_of_team_page_is_kept_as_a_draft(tree, users, client_for):
    """The Secretariat's "publish" in a team area saves a draft, not a live change."""
    client = client_for(users["secretariat"])
    data = team_page_data(tree.c5_team, purpose="<p>Secretariat wording.</p>")
    client.post(edit_url(tree.c5_team), {**data, "action-publish": "publish"})
    page = refreshed(tree.c5_team)
    assert page.has_unpublished_changes is True
    assert "Secretariat wording." in page.get_latest_revision_as_object().purpose
    assert "Secretariat wording." not in page.purpose


def join_requests_index(client):
    return client.get(reverse("action_lines_teammembershiprequest_modeladmin_index"))


def test_other_teams_facilitators_do_not_see_a_join_request(tree, users, client_for):
    """A C5 join request is invisible to the C2 facilitators: not listed, no inspect."""
    request = TeamMembershipRequestFactory(team=tree.c5_team, organisation_name="Acme")
    client = client_for(users["c2_facilitator"])
    assert "Acme" not in join_requests_index(client).content.decode()
    inspect = reverse(
        "action_lines_teammembershiprequest_modeladmin_inspect", args=[request.pk]
    )
    assert client.get(inspect).status_code in DENIED_STATUSES
    decide = reverse(
        "action_lines_teammembershiprequest_modeladmin_decide", args=[request.pk]
    )
    assert client.get(decide).status_code in DENIED_STATUSES


def test_secretariat_inspects_join_requests_but_cannot_decide(tree, users, client_for):
    """The Secretariat lists and inspects every team's requests, read-only."""
    request = TeamMembershipRequestFactory(team=tree.c5_team, organisation_name="Acme")
    client = client_for(users["secretariat"])
    listing = join_requests_index(client).content.decode()
    assert "Acme" in listing
    assert "Accept or decline" not in listing
    inspect = reverse(
        "action_lines_teammembershiprequest_modeladmin_inspect", args=[request.pk]
    )
    assert client.get(inspect).status_code == 200
    decide = reverse(
        "action_lines_teammembershiprequest_modeladmin_decide", args=[request.pk]
    )
    assert client.get(decide).status_code in DENIED_STATUSES


def test_c5_facilitator_sees_own_requests_with_decision_button(tree, users, client_for):
    """The C5 facilitators see their team's requests, with a button to decide."""
    TeamMembershipRequestFactory(team=tree.c5_team, organisation_name="Acme")
    TeamMembershipRequestFactory(team=tree.c2_team, organisation_name="Globex")
    listing = join_requests_index(client_for(users["c5_facilitator"])).content.decode()
    assert "Acme" in listing
    assert "Accept or decline" in listing
    assert "Globex" not in listing


def test_decided_request_cannot_be_decided_again(tree, users, client_for):
    """A request already declined cannot be turned into an acceptance."""
    request = TeamMembershipRequestFactory(
        team=tree.c5_team, status=RequestStatus.DECLINED
    )
    client = client_for(users["c5_facilitator"])
    url = reverse(
        "action_lines_teammembershiprequest_modeladmin_decide", args=[request.pk]
    )
    response = client.post(url, {"decision": RequestStatus.ACCEPTED})
    assert response.status_code in DENIED_STATUSES
    assert TeamMembershipRequest.objects.get(pk=request.pk).status == "declined"
    assert not TeamMembership.objects.exists()
