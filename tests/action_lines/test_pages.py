"""Public pages as a visitor meets them: lists, facilitators, meetings, languages."""

import datetime

from django.test import Client
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from action_lines.choices import FacilitatorRole, RoundStatus
from tests.factories import (
    ActionLineFacilitatorFactory,
    DesignationRoundFactory,
    FacilitatorDesignationFactory,
    MeetingPageFactory,
    StakeholderOrganisationFactory,
)
from tests.helpers.pages import publish


def soup_of(url):
    response = Client().get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def facilitators_box(soup):
    """The text of the "Facilitators" aside of an action line or team page."""
    return soup.find("aside").get_text(" ", strip=True)


@pytest.fixture
def indicative_itu(tree):
    """ITU, lead facilitator of C5 on the Tunis Agenda's indicative list."""
    itu = StakeholderOrganisationFactory(
        name="International Telecommunication Union", acronym="ITU"
    )
    return ActionLineFacilitatorFactory(page=tree.c5, organisation=itu)


def designate(action_line, organisation_name, status=RoundStatus.DESIGNATED, **term):
    """A designation round for ``action_line`` with one designated organisation."""
    today = timezone.localdate()
    term = {"term_start": today - datetime.timedelta(days=365), **term}
    designation_round = DesignationRoundFactory(action_line=action_line, status=status)
    return FacilitatorDesignationFactory(
        round=designation_round,
        organisation=StakeholderOrganisationFactory(name=organisation_name, acronym=""),
        designated_on=term["term_start"],
        **term,
    )


def test_action_line_index_lists_lines_facilitators_and_teams(tree, indicative_itu):
    """/action-lines/ has a row per line, with its facilitators and its team link."""
    soup = soup_of("/action-lines/")
    rows = {row.find("td").get_text(strip=True): row for row in soup.select("tbody tr")}
    assert list(rows) == ["C5", "C2"]
    c5 = rows["C5"]
    assert c5.find("a", href=tree.c5.url).get_text(strip=True) == "Building confidence"
    assert "ITU" in c5.get_text()
    assert c5.find("a", href=tree.c5_team.url) is not None
    assert rows["C2"].find("a", href=tree.c2_team.url) is not None


def test_action_line_shows_designated_facilitators(tree, indicative_itu):
    """Facilitators designated in a completed round replace the indicative list."""
    designate(tree.c5, "Cyber Agency")
    box = facilitators_box(soup_of(tree.c5.url))
    assert "Cyber Agency" in box
    assert "designated, term from" in box
    assert "Indicative facilitators" not in box
    assert "International Telecommunication Union" not in box


def test_action_line_falls_back_to_indicative_list(tree, indicative_itu):
    """Without a designation in force, the indicative list is shown as such."""
    box = facilitators_box(soup_of(tree.c5.url))
    assert "Indicative facilitators (Tunis Agenda, annex):" in box
    assert "International Telecommunication Union" in box


@pytest.mark.parametrize(
    ("status", "term"),
    [
        pytest.param(
            RoundStatus.DESIGNATED,
            {"term_end": timezone.localdate() - datetime.timedelta(days=1)},
            id="term-ended-yesterday",
        ),
        pytest.param(
            RoundStatus.DESIGNATED,
            {"term_start": timezone.localdate() + datetime.timedelta(days=30)},
            id="term-not-started",
        ),
        pytest.param(RoundStatus.RECOMMENDED, {}, id="round-only-recommended"),
        pytest.param(RoundStatus.WITHDRAWN, {}, id="round-withdrawn"),
    ],
)
def test_designation_not_in_force_is_not_shown(tree, indicative_itu, status, term):
    """Expired, future or undecided designations leave the indicative list in place."""
    designate(tree.c5, "Former Agency", status=status, **term)
    for url in (tree.c5.url, tree.c5_team.url):
        box = facilitators_box(soup_of(url))
        assert "Former Agency" not in box
        assert "International Telecommunication Union" in box
    assert "Former Agency" not in soup_of(tree.secretariat.url).get_text()


def test_designation_ending_today_is_still_in_force(tree):
    """The last day of a term still counts."""
    designate(tree.c5, "Cyber Agency", term_end=timezone.localdate())
    assert "Cyber Agency" in facilitators_box(soup_of(tree.c5.url))


def test_lead_facilitator_is_listed_before_co_facilitators(tree):
    """Leads come first, whatever order they were recorded in."""
    co = designate(tree.c5, "Second Agency")
    co.role = FacilitatorRole.CO_FACILITATOR
    co.save()
    designate(tree.c5, "Lead Agency")
    items = [li.get_text() for li in soup_of(tree.c5.url).select("ul.facilitators li")]
    assert "Lead Agency" in items[0]
    assert "Second Agency" in items[1]


def test_team_page_shows_facilitators_members_join_form_and_modalities(tree):
    """The team page has what a stakeholder looks for, including the join form."""
    designate(tree.c5, "Cyber Agency")
    soup = soup_of(tree.c5_team.url)
    assert "Cyber Agency" in facilitators_box(soup)
    form = soup.find("form", action=f"{tree.c5_team.url}join/")
    assert form is not None
    assert form.find("input", attrs={"name": "email"}) is not None
    assert soup.find("a", href=tree.c5_modalities.url) is not None
    assert "C5 work plan meeting" in soup.get_text()


def test_home_page_lists_upcoming_meetings_only(tree):
    """The home page shows meetings still to come, not those that are over."""
    publish(
        MeetingPageFactory(
            parent=tree.c5_meetings,
            title="Last year's meeting",
            start=timezone.now() - datetime.timedelta(days=300),
            end=timezone.now() - datetime.timedelta(days=300, hours=-2),
        )
    )
    soup = soup_of("/")
    section = soup.find(id="meetings-heading").parent
    assert section.find("a", href=tree.c5_meeting.url) is not None
    assert "Last year's meeting" not in section.get_text()


def test_meeting_times_are_shown_in_the_meetings_time_zone(tree):
    """A New York meeting at 14:00 UTC reads 10:00 on its page and in lists."""
    meeting = publish(
        MeetingPageFactory(
            parent=tree.c5_meetings,
            title="New York meeting",
            start=datetime.datetime(2031, 3, 14, 14, 0, tzinfo=datetime.UTC),
            end=datetime.datetime(2031, 3, 14, 16, 0, tzinfo=datetime.UTC),
            time_zone="America/New_York",
        )
    )
    facts = soup_of(meeting.url).find("dl", class_="meeting-facts").get_text(" ")
    assert "Friday 14 March 2031, 10:00" in facts
    assert "12:00" in facts
    assert "(America/New_York)" in facts
    listing = soup_of(tree.c5_team.url).find("a", string="New York meeting").parent
    assert "14 March 2031, 10:00" in listing.get_text()


def test_secretariat_page_lists_designations_in_force(tree):
    """The secretariat section shows the register's current facilitators."""
    designate(tree.c5, "Cyber Agency")
    soup = soup_of(tree.secretariat.url)
    table = soup.find(id="designations-heading").parent
    row = table.find("td", string="Cyber Agency").parent
    assert row.find("a", href=tree.c5.url).get_text() == "C5"


def test_search_finds_a_live_page(tree):
    """Site search finds the action line by a word of its title."""
    soup = soup_of("/search/?q=confidence")
    results = soup.select("ol.search-results a")
    assert tree.c5.url in [link["href"] for link in results]


def test_search_ignores_unpublished_pages(tree):
    """A page taken offline does not appear in the search results."""
    tree.c2.unpublish()
    soup = soup_of("/search/?q=infrastructure")
    assert tree.c2.url not in [a["href"] for a in soup.select("ol.search-results a")]


def test_language_switcher_links_to_the_same_page_in_french(tree):
    """Each page links to its French address, and that address answers in French."""
    soup = soup_of(tree.c5.url)
    html = soup.find("html")
    assert (html["lang"], html["dir"]) == ("en", "ltr")
    french = soup.select_one("nav.languages a[hreflang='fr']")
    assert french["href"] == f"/fr{tree.c5.url}"
    assert french["lang"] == "fr"
    english = soup.select_one("nav.languages a[hreflang='en']")
    assert english["aria-current"] == "true"

    french_page = soup_of(french["href"])
    html = french_page.find("html")
    assert (html["lang"], html["dir"]) == ("fr", "ltr")
    current = french_page.select_one("nav.languages a[aria-current='true']")
    assert current["hreflang"] == "fr"


def test_skip_link_leads_to_the_main_content(tree):
    """The first link of every page skips to the main content."""
    for url in ("/", "/action-lines/", tree.c5_team.url, tree.c5_modalities.url):
        soup = soup_of(url)
        first_link = soup.body.find("a")
        assert first_link["href"] == "#main"
        assert "skip-link" in first_link["class"]
        assert soup.find(id="main").name == "main"


def test_modalities_page_shows_the_charter(tree):
    """The public modalities page shows the team's working languages and cadence."""
    text = soup_of(tree.c5_modalities.url).find("dl", class_="charter").get_text(" ")
    assert "English, French" in text
    assert "Twice a year" in text
