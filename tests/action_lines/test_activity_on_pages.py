"""An action line's and a team's pages show the work done under them.

The published activities (a figure that is what its link lists), the team's upcoming
meetings and its latest annual contribution.
"""

from urllib.parse import parse_qs, urlsplit

from django.test import Client
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from inventory.models import AnnualContribution
from tests.factories import InventoryEntryFactory
from tests.helpers.pages import publish

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def activities(tree):
    """Create published C5 activities, a C5 draft and a C2 activity.

    Three published C5 activities (one reported by the C5 team), a C5 draft and a C2
    activity.
    """
    published = [
        InventoryEntryFactory(title=f"C5 activity {n}", action_lines=["C5"])
        for n in range(3)
    ]
    published[0].team = tree.c5_team
    published[0].save()
    InventoryEntryFactory(title="C5 draft", action_lines=["C5"], draft=True)
    InventoryEntryFactory(title="C2 activity", action_lines=["C2"])
    return published


def test_past_the_database_engines_window_the_figure_says_more_than(
    tree, activities, monkeypatch
):
    from inventory import search

    monkeypatch.setattr(search, "MAX_RESULT_WINDOW", 2)
    soup = soup_of(Client().get(publish(tree.c5).url))
    section = soup.find(id="activities-heading").parent
    link = section.find("a", string=lambda text: "published activities" in text)
    # As the search page it links to says (docs/inventory-query.md#engines).
    assert link.get_text(strip=True) == "More than 2 published activities under C5"


def test_action_line_page_counts_and_lists_its_published_activities(tree, activities):
    soup = soup_of(Client().get(publish(tree.c5).url))
    section = soup.find(id="activities-heading").parent
    link = section.find("a", string=lambda text: "published activities" in text)
    assert link.get_text(strip=True) == "3 published activities under C5"
    url = urlsplit(link["href"])
    assert url.path == "/inventory/"
    assert parse_qs(url.query) == {"action_line": ["C5"]}
    # The figure is what the link's search gives.
    assert Client().get("/api/inventory/", {"action_line": "C5"}).json()["count"] == 3
    titles = [h.get_text(strip=True) for h in section.find_all("h4")]
    assert sorted(titles) == ["C5 activity 0", "C5 activity 1", "C5 activity 2"]
    assert "C5 draft" not in section.get_text()
    assert "C2 activity" not in section.get_text()
    submit = section.find("a", class_="button")
    assert submit["href"] == "/inventory/submit/?action_line=C5"


def test_action_line_page_shows_the_teams_meetings_and_latest_contribution(tree):
    publish(tree.c5_team)
    publish(tree.c5_meeting)
    AnnualContribution.objects.create(
        team=tree.c5_team,
        year=2024,
        narrative="<p>Older narrative.</p>",
        submitted_at=timezone.now(),
    )
    AnnualContribution.objects.create(
        team=tree.c5_team,
        year=2025,
        narrative="<p>Cybersecurity drills in <b>twelve</b> countries.</p>",
        submitted_at=timezone.now(),
    )
    AnnualContribution.objects.create(
        team=tree.c5_team, year=2026, narrative="<p>Not sent yet.</p>"
    )
    soup = soup_of(Client().get(publish(tree.c5).url))
    aside = soup.find("aside")
    assert "C5 work plan meeting" in aside.get_text()
    assert "The team's contribution for 2025" in aside.get_text()
    assert "Cybersecurity drills in twelve countries." in aside.get_text()
    assert "Not sent yet." not in soup.get_text()
    assert "Older narrative." not in soup.get_text()


def test_team_page_lists_the_activities_its_team_reported(tree, activities):
    soup = soup_of(Client().get(publish(tree.c5_team).url))
    section = soup.find(id="reported-heading").parent
    assert "1 published activity reported by the team." in section.get_text()
    every = section.find("a", string="Every activity under C5")
    assert every["href"] == "/inventory/?action_line=C5"
    assert [h.get_text(strip=True) for h in section.find_all("h3")] == ["C5 activity 0"]
    other = soup_of(Client().get(publish(tree.c2_team).url))
    section = other.find(id="reported-heading").parent
    assert "has not reported any published activity yet" in section.get_text()


def test_the_submission_form_starts_with_the_action_line_it_was_opened_from(tree):
    soup = soup_of(Client().get("/inventory/submit/", {"action_line": "C5"}))
    checked = [box["value"] for box in soup.select("input[name=action_lines]:checked")]
    assert checked == ["C5"]
    soup = soup_of(Client().get("/inventory/submit/", {"action_line": "<b>"}))
    assert soup.select("input[name=action_lines]:checked") == []
