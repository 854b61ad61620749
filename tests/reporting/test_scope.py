"""Reports scoped to a region or a theme, counted by the activities' dates.

Every figure of a scoped report must equal the count its link gives on
``/api/inventory/``, on the database and on the real engine; inactive entries
are left out and their number stated; teams' narratives can be shown.
"""

import datetime

from django.core.management import call_command

import pytest
from bs4 import BeautifulSoup

from inventory.bulk_index import rebuild
from reporting.assembly import assemble, assemble_and_save
from reporting.models import ReportPage
from search.backends import default_backend
from tests.factories import YEAR, ReportPageFactory
from tests.helpers.admin import edit_url, report_page_data
from tests.helpers.dates import aware
from tests.helpers.pages import refreshed
from tests.helpers.reporting import (
    ENTRIES,
    api_count,
    every_figure_link,
    make_entry,
    publish_report,
)


@pytest.fixture(params=["database", "cluster"])
def engine(request, db):
    """Answer ``/api/inventory/`` from the tables, or from the cluster."""
    if request.param == "cluster":
        return request.getfixturevalue("cluster")
    return None


@pytest.fixture
def multi_year(inventory):
    """Add an activity reported for 2024, running from mid-2024 to mid-2026."""
    spec = ENTRIES["portal"]._replace(
        year=YEAR - 1,
        countries=["KEN"],
        start=datetime.date(2024, 6, 1),
        published=aware(2024, 6, 5),
        end=datetime.date(2026, 6, 30),
    )
    return make_entry("multi_year", spec, inventory.organisations)


@pytest.fixture
def indexed(engine, inventory, multi_year):
    """Index the inventory in the engine when the API answers from it."""
    if engine is not None:
        rebuild(default_backend())
        engine.index = default_backend().get_index_for_model(type(multi_year))
        engine.refresh()
    return inventory


def scoped_report(report_index, slug, **scope):
    page = ReportPageFactory(parent=report_index, slug=slug, **scope)
    page.save_revision()
    return refreshed(page)


def assembled_figures(report):
    return assemble_and_save(report).as_object().figures


def assert_every_figure_reproduced(figures, scope_params):
    pairs = every_figure_link(figures)
    for link, count in pairs:
        for param in scope_params:
            assert param in link, link
        assert api_count(link) == count, link


def test_regional_report_every_figure_equals_its_link(report_index, indexed, engine):
    report = scoped_report(report_index, "africa-2025", scope_region="africa")
    figures = assembled_figures(report)
    # Africa, active in 2025: clinics (SEN), backbone (BRA, SEN), portal (SEN,
    # KEN), and multi_year (KEN, reported for 2024); "dormant" is inactive.
    assert figures["scope"] == {"region": "africa"}
    assert figures["totals"]["entries"] == 4
    assert figures["totals"]["new"] == 1
    assert figures["totals"]["continuing"] == 3
    assert figures["left_out"]["inactive"] == 1
    assert "region" not in {b["facet"] for b in figures["breakdowns"]}
    assert_every_figure_reproduced(
        figures, ["region=africa", "active=2025-01-01..2025-12-31"]
    )


def test_thematic_report_every_figure_equals_its_link(report_index, indexed, engine):
    report = scoped_report(report_index, "c2-2025", scope_action_line="C2", scope_sdg=9)
    figures = assembled_figures(report)
    # C2 and SDG 9: training and portal (multi_year's SDGs are the portal's).
    assert figures["scope"] == {"action_line": "C2", "sdg": "9"}
    assert figures["totals"]["entries"] == 3
    assert figures["left_out"]["inactive"] == 1  # dormant
    assert {b["facet"] for b in figures["breakdowns"]}.isdisjoint(
        {"action_line", "sdg"}
    )
    assert_every_figure_reproduced(figures, ["action_line=C2", "sdg=9"])


def test_global_report_counts_by_dates_not_only_by_reporting_year(
    report, indexed, multi_year, engine
):
    figures = assembled_figures(report)
    assert multi_year.pk in figures["entry_ids"]
    assert_every_figure_reproduced(figures, ["active=2025-01-01..2025-12-31"])


def test_new_and_continuing_links_split_the_period(report, indexed):
    figures = assemble(report)
    assert "started=2025-01-01..2025-12-31" in figures["links"]["new"]
    assert "started=..2024-12-31" in figures["links"]["continuing"]
    new, continuing = (
        api_count(figures["links"]["new"]),
        api_count(figures["links"]["continuing"]),
    )
    assert new + continuing == figures["totals"]["entries"]


def test_report_states_the_inactive_entries_it_left_out(client, report, indexed):
    inactive = indexed["dormant"]
    figures = assembled_figures(report)
    assert inactive.pk not in figures["entry_ids"]
    assert "freshness=inactive" in figures["left_out"]["link"]
    publish_report(report)
    page = BeautifulSoup(client.get(report.url).content, "html.parser")
    left_out = page.select_one(".left-out")
    assert "1 inactive entry" in left_out.get_text()
    assert left_out.a["href"] == figures["left_out"]["link"]
    assert api_count(left_out.a["href"]) == 1


def test_team_sections_show_each_contribution_narrative(
    client, report, indexed, contributions
):
    assembled_figures(report)
    publish_report(report)
    page = client.get(report.url).content.decode()
    assert "C5 trained 300 people." not in page
    draft = refreshed(report).get_latest_revision_as_object()
    draft.team_sections = True
    draft.save_revision().publish()
    for url in (report.url, report.url + "print/"):
        html = BeautifulSoup(client.get(url).content, "html.parser")
        sections = html.select(".team-contribution")
        assert [s.h3.get_text(strip=True) for s in sections] == ["C5 team"]
        assert "C5 trained 300 people." in sections[0].get_text()
        # A draft contribution (C2's) is never shown.
        assert "Not finished." not in html.get_text()


def test_scope_is_edited_in_the_admin(report, users, client_for):
    client = client_for(users["secretariat"])
    data = report_page_data(
        refreshed(report),
        scope_region="americas",
        scope_stakeholder="academia",
        team_sections=True,
    )
    assert client.post(edit_url(report), data).status_code == 302
    draft = refreshed(report).get_latest_revision_as_object()
    assert (draft.scope_region, draft.scope_stakeholder) == ("americas", "academia")
    assert draft.team_sections is True
    assert draft.scope == {"region": "americas", "stakeholder": "academia"}


@pytest.mark.parametrize(
    "field, value",
    [
        ("scope_region", "atlantis"),
        ("scope_action_line", "C99"),
        ("scope_sdg", "18"),
        ("scope_stakeholder", "aliens"),
    ],
)
def test_unknown_scope_values_are_refused(report, users, client_for, field, value):
    client = client_for(users["secretariat"])
    before = report.revisions.count()
    data = report_page_data(refreshed(report), **{field: value})
    response = client.post(edit_url(report), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert report.revisions.count() == before


def test_previous_report_is_one_of_the_same_scope(report_index, inventory):
    earlier = {
        scope: scoped_report(
            report_index,
            f"2024-{scope or 'global'}",
            period_start=datetime.date(YEAR - 1, 1, 1),
            period_end=datetime.date(YEAR - 1, 12, 31),
            **({"scope_region": scope} if scope else {}),
        )
        for scope in ("", "africa", "europe")
    }
    for scope, page in earlier.items():
        assemble_and_save(page)
        earlier[scope] = publish_report(page)
    report = scoped_report(report_index, "africa-2025", scope_region="africa")
    report.figures = assemble(report)
    assert report.figures["previous"]["url"] == refreshed(earlier["africa"]).url
    assert report.trend() == [
        ("2024", earlier["africa"].figures["totals"]["entries"]),
        ("2025", report.figures["totals"]["entries"]),
    ]


def test_report_index_groups_global_regional_and_thematic_reports(
    client, report_index, inventory
):
    reports = [
        scoped_report(report_index, "global-2025"),
        scoped_report(report_index, "africa-2025", scope_region="africa"),
        scoped_report(report_index, "c5-2025", scope_action_line="C5"),
        scoped_report(report_index, "gov-2025", scope_stakeholder="government"),
    ]
    for page in reports:
        assemble_and_save(page)
        publish_report(page)
    html = BeautifulSoup(client.get(report_index.url).content, "html.parser")
    groups = {
        group.h2.get_text(strip=True): [a["href"] for a in group.select("li > a")]
        for group in html.select(".report-group")
    }
    assert list(groups) == ["Global reports", "Regional reports", "Thematic reports"]
    assert groups["Global reports"] == [refreshed(reports[0]).url]
    assert groups["Regional reports"] == [refreshed(reports[1]).url]
    assert sorted(groups["Thematic reports"]) == sorted(
        refreshed(page).url for page in reports[2:]
    )
    assert "Africa" in html.select(".report-group")[1].get_text()


def test_a_report_on_an_action_line_has_only_its_team(
    report_index, inventory, contributions
):
    report = scoped_report(report_index, "c5-2025", scope_action_line="C5")
    teams = assemble(report)["teams"]
    assert [(team["code"], team["contributed"]) for team in teams] == [("C5", True)]
    assert teams[0]["narrative"] == "<p>C5 trained 300 people.</p>"


def test_generate_report_refreshes_the_global_report_not_a_scoped_one(
    report_index, inventory
):
    regional = scoped_report(report_index, "africa-2025", scope_region="africa")
    call_command("generate_report", year=YEAR, verbosity=0)
    assert refreshed(regional).get_latest_revision_as_object().figures == {}
    (created,) = ReportPage.objects.exclude(pk=regional.pk)
    assert created.scope == {}
    assert created.get_latest_revision_as_object().figures["scope"] == {}


def test_a_regional_report_page_says_its_scope_and_links_its_figures(
    client, report_index, inventory
):
    report = scoped_report(report_index, "africa-2025", scope_region="africa")
    assemble_and_save(report)
    report = publish_report(report)
    for url in (report.url, report.url + "print/"):
        response = client.get(url)
        assert response.status_code == 200
        html = BeautifulSoup(response.content, "html.parser")
        assert "Scope: Africa" in html.select_one(".report-header").get_text(" ")
        captions = [c.get_text() for c in html.select("figcaption")]
        assert "Activities by ITU region" not in captions
        assert "Activities by action line" in captions
        links = [a["href"] for a in html.select("table.figures a")]
        assert links and all("region=africa" in link for link in links)
    french = client.get("/fr" + report.url)
    assert "Portée : Afrique" in BeautifulSoup(french.content, "html.parser").get_text()
