"""A French team page is the team, in French.

It shows the team's members, designations and meetings, and a join request made on it
reaches the team.
"""

from django.test import Client

from bs4 import BeautifulSoup

from action_lines.models import TeamMembership, TeamMembershipRequest
from home.models import StakeholderOrganisation
from tests.helpers.i18n import translated
from tests.helpers.public_forms import join_data

FRENCH_TEAM = "/fr/action-lines/c5/equipe/"


def page_text(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser").get_text(" ")


def test_the_french_page_shows_the_teams_members_and_meetings(tree, bilingual):
    member = StakeholderOrganisation.objects.create(
        name="Cyber Peace Institute", stakeholder_type="civil-society"
    )
    TeamMembership.objects.create(team=tree.c5_team, organisation=member)
    english = page_text("/action-lines/c5/team/")
    french = page_text(FRENCH_TEAM)
    for text in ("Cyber Peace Institute", "C5 work plan meeting"):
        assert text in english
        assert text in french, text


def test_a_translated_meeting_is_listed_in_french(tree, bilingual, fr):
    translated(tree.c5_meetings, fr, title="Réunions", slug="reunions")
    translated(tree.c5_meeting, fr, title="Réunion du plan de travail C5")
    response = Client().get(FRENCH_TEAM)
    html = response.content.decode()
    assert "Réunion du plan de travail C5" in html
    assert "C5 work plan meeting" not in html


def test_a_join_request_on_the_french_page_reaches_the_team(
    tree, bilingual, mailoutbox
):
    response = Client().post(f"{FRENCH_TEAM}join/", join_data())
    assert response.status_code == 302
    assert response["Location"] == FRENCH_TEAM
    request = TeamMembershipRequest.objects.get()
    assert request.team_id == tree.c5_team.pk


def test_the_english_page_is_its_own_source(tree):
    assert tree.c5_team.source.pk == tree.c5_team.pk


def test_the_french_page_has_the_english_page_as_source(tree, bilingual):
    assert bilingual["team"].source.pk == tree.c5_team.pk
