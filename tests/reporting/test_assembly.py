"""Assembly: a report's figures are the published inventory of its period, frozen."""

import datetime
import json
from collections import Counter
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import inline_formset

import pytest
from bs4 import BeautifulSoup

from inventory.models import InventoryEntry
from reporting.assembly import assemble, assemble_and_save
from reporting.models import ReportPage
from tests.factories import (
    PERIOD_END,
    PERIOD_START,
    YEAR,
    InventoryEntryFactory,
    ReportPageFactory,
)
from tests.helpers.admin import edit_url, report_page_data
from tests.helpers.dates import aware
from tests.helpers.pages import refreshed
from tests.helpers.reporting import (
    ENTRIES,
    IN_PERIOD,
    REGION,
    active_in,
    add_highlights,
    api_count,
    publish_report,
)

# Facet of the inventory query string → the Spec attribute holding its values.
FACET_ATTRIBUTES = {
    "action_line": "action_lines",
    "stakeholder": "stakeholder",
    "type": "type",
    "sdg": "sdgs",
    "status": "status",
}


def counted_specs(names=IN_PERIOD):
    return [ENTRIES[name] for name in names]


def expected_breakdown(facet, specs):
    """{value: number of entries} of one facet, counted from the specs."""
    counter = Counter()
    for spec in specs:
        if facet == "region":
            values = {REGION[c] for c in spec.countries if c != "global"}
        else:
            value = getattr(spec, FACET_ATTRIBUTES[facet])
            values = {str(v) for v in value} if isinstance(value, list) else {value}
        counter.update(values)
    return dict(counter)


def expected_totals(specs, period_start=PERIOD_START, period_end=PERIOD_END):
    """New: started in the period, or (no start date) first published in it."""
    new = sum(
        1
        for spec in specs
        if period_start <= (spec.start or spec.published.date()) <= period_end
    )
    countries = {c for spec in specs for c in spec.countries if c != "global"}
    organisations = {spec.organisation for spec in specs if spec.organisation}
    return {
        "entries": len(specs),
        "new": new,
        "continuing": len(specs) - new,
        "countries": len(countries),
        "organisations": len(organisations),
    }


def breakdowns_of(figures):
    return {
        breakdown["facet"]: {row["value"]: row["count"] for row in breakdown["rows"]}
        for breakdown in figures["breakdowns"]
    }


def figure_links(figures):
    """(link, count) of every figure that links to the inventory."""
    pairs = [(figures["links"]["entries"], figures["totals"]["entries"])]
    for breakdown in figures["breakdowns"]:
        pairs += [(row["link"], row["count"]) for row in breakdown["rows"]]
    pairs += [(row["link"], row["count"]) for row in figures["top_countries"]]
    return pairs


@pytest.fixture
def assembled(report, inventory, contributions, facilitators_meetings):
    """The 2025 report assembled into a new draft revision, with highlights."""
    report = add_highlights(
        report,
        (inventory["training"], "Trained 300 officials."),
        (inventory["draft"], "Not public yet."),
        (inventory.rejected, "Rejected."),
    )
    revision = assemble_and_save(report)
    return revision.as_object().figures


def test_totals_equal_independent_counts(assembled):
    """Entries, new, continuing, countries and organisations of the period."""
    assert assembled["totals"] == expected_totals(counted_specs())
    # "dormant" (inactive) and "last_year" (ended in 2024) are not counted.
    assert assembled["totals"] == {
        "entries": 6,
        "new": 3,
        "continuing": 3,
        "countries": 7,
        "organisations": 3,
    }
    assert assembled["period"] == {
        "start": "2025-01-01",
        "end": "2025-12-31",
        "years": [YEAR],
    }


def test_every_breakdown_equals_independent_counts(assembled):
    """Each breakdown counts every published entry of the period once per value."""
    breakdowns = breakdowns_of(assembled)
    for facet in ["action_line", "region", "stakeholder", "type", "sdg", "status"]:
        expected = expected_breakdown(facet, counted_specs())
        assert breakdowns[facet] == expected, facet


def test_breakdown_labels_and_order_follow_the_vocabularies(assembled):
    breakdowns = {b["facet"]: b for b in assembled["breakdowns"]}
    assert list(breakdowns) == [
        "action_line",
        "region",
        "stakeholder",
        "type",
        "sdg",
        "status",
    ]
    assert [row["value"] for row in breakdowns["sdg"]["rows"]] == [
        "3",
        "4",
        "9",
        "16",
        "17",
    ]
    assert [row["value"] for row in breakdowns["status"]["rows"]] == [
        "planned",
        "ongoing",
        "completed",
    ]
    labels = {row["value"]: row["label"] for row in breakdowns["region"]["rows"]}
    assert labels["asia-pacific"] == "Asia & Pacific"


def test_pending_draft_of_published_entry_is_not_counted(inventory, assembled):
    """The C9 draft of a published C5 entry waits for moderation: C5 counts."""
    assert inventory["clinics"].has_unpublished_changes is True
    by_action_line = breakdowns_of(assembled)["action_line"]
    assert "C9" not in by_action_line
    assert by_action_line["C5"] == 2


def test_drafts_rejected_unpublished_and_other_years_are_never_counted(
    inventory, assembled
):
    counted = {entry.pk for entry in inventory.counted}
    assert set(assembled["entry_ids"]) == counted
    assert assembled["entry_ids"] == sorted(counted)
    for entry in inventory.never_counted:
        assert entry.pk not in assembled["entry_ids"], entry.title
    assert inventory.rejected.current_workflow_state.status == "needs_changes"
    assert inventory.unpublished.live is False


def test_top_countries_by_count_then_code(assembled):
    counts = Counter(
        c for spec in counted_specs() for c in set(spec.countries) if c != "global"
    )
    expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    assert [(r["value"], r["count"]) for r in assembled["top_countries"]] == expected
    assert assembled["top_countries"][0]["label"] == "Senegal"
    assert "global" not in {row["value"] for row in assembled["top_countries"]}


def test_team_contributions_say_what_arrived(tree, assembled):
    """C5's 2025 contribution arrived with 2 public entries; C2 only has a draft."""
    teams = {row["code"]: row for row in assembled["teams"]}
    assert set(teams) == {"C5", "C2"}
    assert teams["C5"]["contributed"] is True
    assert teams["C5"]["year"] == YEAR
    assert teams["C5"]["submitted_at"] == "2026-02-01"
    assert teams["C5"]["entries"] == 2  # the draft entry it names is not public
    assert teams["C5"]["narrative"] == "<p>C5 trained 300 people.</p>"
    assert teams["C5"]["url"] == tree.c5_team.url
    assert teams["C2"]["contributed"] is False
    assert "entries" not in teams["C2"]


def test_only_public_highlighted_entries_are_listed(inventory, assembled):
    training = inventory["training"]
    assert assembled["highlights"] == [
        {
            "id": training.pk,
            "reference": training.reference,
            "title": "Activity training",
            "summary": training.summary,
            "organisation": "Organisation org_b",
            "organisation_slug": "organisation-org_b",
            "countries": ["France", "Germany"],
            "action_lines": ["C5", "C2"],
            "url": f"/inventory/entries/{training.pk}/",
            "note": "Trained 300 officials.",
        }
    ]


def test_facilitators_meetings_of_the_period_with_outcomes(
    facilitators_meetings, assembled
):
    """Published facilitators' meetings of 2025 only, in date order."""
    meetings = assembled["facilitators_meetings"]
    assert [m["title"] for m in meetings] == [
        "Facilitators' meeting, May 2025",
        "Facilitators' meeting, October 2025",
    ]
    assert meetings[0]["date"] == "2025-05-20"
    assert meetings[0]["outcome"] == "<p>Agreed the inventory follow-up.</p>"
    assert meetings[0]["url"] == facilitators_meetings["may"].url


def test_every_figure_links_to_a_search_that_reproduces_it(assembled):
    links = figure_links(assembled)
    assert len(links) == 1 + sum(len(b["rows"]) for b in assembled["breakdowns"]) + len(
        assembled["top_countries"]
    )
    for link, count in links:
        assert link.startswith("/inventory/?")
        assert "active=2025-01-01..2025-12-31" in link
        assert "freshness=current&freshness=stale" in link
        assert api_count(link) == count, link


def test_inventory_search_page_shows_the_linked_figure(client, assembled):
    """The link itself opens the public search, with the same number of results."""
    link = assembled["links"]["entries"]
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["result"].total == 6


def test_change_against_the_previous_published_report(previous_report, assembled):
    assert previous_report.live is True
    # 2024's activities: "last_year", and those of 2025 already running then.
    in_2024 = [
        name
        for name, spec in ENTRIES.items()
        if spec.live
        and spec.freshness != "inactive"
        and active_in(
            spec, datetime.date(YEAR - 1, 1, 1), datetime.date(YEAR - 1, 12, 31)
        )
    ]
    assert sorted(in_2024) == ["backbone", "cairo", "clinics", "last_year"]
    assert previous_report.figures["totals"] == expected_totals(
        counted_specs(in_2024),
        datetime.date(YEAR - 1, 1, 1),
        datetime.date(YEAR - 1, 12, 31),
    )
    previous = assembled["previous"]
    assert previous["title"] == previous_report.title
    assert previous["period"] == str(YEAR - 1)
    assert previous["url"] == previous_report.url
    assert previous["totals"] == previous_report.figures["totals"]
    now = assembled["totals"]
    assert previous["change"] == {
        key: now[key] - previous_report.figures["totals"][key] for key in now
    }
    assert previous["change"]["entries"] == 2


def test_no_previous_report_when_none_is_published(report_index, inventory, report):
    draft_2024 = ReportPageFactory(
        parent=report_index,
        period_start=datetime.date(YEAR - 1, 1, 1),
        period_end=datetime.date(YEAR - 1, 12, 31),
    )
    draft_2024.save_revision()
    assemble_and_save(draft_2024)
    assert assemble(report)["previous"] is None


def test_assembly_saves_a_new_draft_revision_of_a_draft(report, inventory, users):
    before = report.revisions.count()
    steps = []
    revision = assemble_and_save(
        report, users["secretariat"], lambda percent, msg: steps.append(percent)
    )
    page = refreshed(report)
    assert page.revisions.count() == before + 1
    assert page.latest_revision_id == revision.pk
    assert revision.user == users["secretariat"]
    assert page.live is False
    assert revision.as_object().figures["totals"]["entries"] == 6
    assert revision.as_object().assembled_at is not None
    assert steps == sorted(steps)
    assert steps[-1] == 95
    assert PageLogEntry.objects.filter(
        page=page, action="reporting.assemble", revision=revision
    ).exists()


def test_assembly_of_a_published_report_leaves_the_live_page_untouched(
    report, inventory
):
    assemble_and_save(report)
    live = publish_report(report)
    live_revision = live.live_revision_id
    InventoryEntryFactory(title="Added later", year=YEAR, action_lines=["C5"])
    revision = assemble_and_save(live)
    page = refreshed(report)
    assert page.live is True
    assert page.live_revision_id == live_revision
    assert page.has_unpublished_changes is True
    assert page.figures["totals"]["entries"] == 6
    assert revision.as_object().figures["totals"]["entries"] == 7


def test_assembly_keeps_the_editors_latest_draft(report, inventory):
    """Assembly starts from the latest revision, not from the published row."""
    draft = report.get_latest_revision_as_object()
    draft.summary = "<p>Edited after the last save.</p>"
    draft.save_revision()
    revision = assemble_and_save(report)
    assert revision.as_object().summary == "<p>Edited after the last save.</p>"


def public_outputs(report):
    client = Client()
    outputs = {}
    for name, url in [
        ("page", report.url),
        ("csv", report.url + "figures/csv/"),
        ("json", report.url + "figures/json/"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        outputs[name] = response.content
    return outputs


def test_published_report_is_frozen_when_the_inventory_changes(
    report, inventory, contributions, facilitators_meetings
):
    """Later inventory changes change nothing of the public report.

    Adding, unpublishing and editing entries changes nothing of the public report,
    even after its draft is assembled again.
    """
    assemble_and_save(report)
    report = publish_report(report)
    before = public_outputs(report)
    figures = json.loads(before["json"])
    assert figures["totals"]["entries"] == 6

    InventoryEntryFactory(
        title="New activity", countries=["IND"], year=YEAR, action_lines=["C5"]
    )
    InventoryEntryFactory(title="Another one", action_lines=["C11"], year=YEAR)
    training = inventory["training"]
    training.unpublish()
    portal = InventoryEntry.objects.get(pk=inventory["portal"].pk)
    portal.status = "completed"
    portal.save()
    assert public_outputs(report) == before

    revision = assemble_and_save(report)
    assert revision.as_object().figures["totals"]["entries"] == 7
    assert public_outputs(report) == before
    stored = refreshed(report).figures
    labels = {"report", "period_label"}
    assert {key: value for key, value in figures.items() if key not in labels} == stored


def compared_figures(client, report, revision_a, revision_b):
    """{figure: (before, after)} from the figures table of the compare view."""
    url = reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[report.pk, revision_a.pk, revision_b.pk],
    )
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = {}
    for row in soup.select("table.listing tbody tr"):
        header, before, after = row.find("th"), row.find("del"), row.find("ins")
        if header and before and after:
            rows[header.get_text(strip=True)] = (
                before.get_text(strip=True),
                after.get_text(strip=True),
            )
    return response.content.decode(), rows


def test_revision_comparison_shows_changed_figures(
    report, inventory, users, client_for
):
    first = assemble_and_save(report)
    InventoryEntryFactory(
        title="Added", action_lines=["C11"], countries=["IND"], year=YEAR
    )
    InventoryEntryFactory(
        title="Added too", action_lines=["C11"], countries=["SEN"], year=YEAR
    )
    inventory["portal"].unpublish()
    second = assemble_and_save(report)
    html, rows = compared_figures(
        client_for(users["secretariat"]), report, first, second
    )
    assert "Assembled figures" in html
    assert rows["Totals: entries"] == ("6", "7")
    assert rows["Totals: new"] == ("3", "4")  # +2 new, the portal was new
    assert rows["Activities by type: Website"] == ("1", "—")
    label = "Activities by action line: C11 International and regional cooperation"
    assert rows[label] == ("—", "2")
    assert rows["Totals: organisations"] == ("3", "2")  # the portal's org_c
    assert rows["Totals: countries"] == ("7", "6")  # Kenya only had the portal
    assert "Activities by status: Planned" not in rows


def test_reassembly_of_an_unchanged_inventory_compares_as_the_same_figures(
    report, inventory, users, client_for
):
    first = assemble_and_save(report)
    first.content["figures"]["assembled_at"] = "2026-01-05T09:00:00+00:00"
    first.save()  # as if assembled earlier: only the date differs
    second = assemble_and_save(report)
    html, rows = compared_figures(
        client_for(users["secretariat"]), report, first, second
    )
    assert "The figures are the same." in html
    assert rows == {}


def test_revision_comparison_without_figure_changes_leaves_them_out(
    report, inventory, users, client_for
):
    first = assemble_and_save(report)
    draft = refreshed(report).get_latest_revision_as_object()
    draft.summary = "<p>Only the words changed.</p>"
    second = draft.save_revision()
    response = client_for(users["secretariat"]).get(
        reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[report.pk, first.pk, second.pk],
        )
    )
    assert response.status_code == 200
    assert "Totals: entries" not in response.content.decode()


# --- generate_report --------------------------------------------------------------


def run_generate(year, **options):
    call_command("generate_report", "--year", str(year), verbosity=0, **options)


def test_generate_report_creates_the_draft_of_the_cycle(report_index, inventory):
    run_generate(YEAR)
    report = ReportPage.objects.get()
    assert report.get_parent().pk == report_index.pk
    assert (report.period_start, report.period_end) == (
        datetime.date(YEAR, 1, 1),
        datetime.date(YEAR, 12, 31),
    )
    assert report.slug == "report-2025"
    assert report.live is False
    figures = report.get_latest_revision_as_object().figures
    assert figures["totals"] == expected_totals(counted_specs())


def test_generate_report_refreshes_the_same_draft(report_index, inventory):
    run_generate(YEAR)
    report = ReportPage.objects.get()
    revisions = report.revisions.count()
    InventoryEntryFactory(title="Reported late", year=YEAR, action_lines=["C5"])
    run_generate(YEAR)
    assert ReportPage.objects.count() == 1
    report = refreshed(report)
    assert report.revisions.count() == revisions + 1
    assert (
        PageLogEntry.objects.filter(page=report, action="reporting.assemble").count()
        == 2
    )
    assert report.live is False
    figures = report.get_latest_revision_as_object().figures
    assert figures["totals"]["entries"] == 7


def test_generate_report_refreshes_an_existing_report(report, inventory):
    """The report created in the admin for the cycle is the one refreshed."""
    run_generate(YEAR)
    assert ReportPage.objects.get().pk == report.pk
    assert refreshed(report).get_latest_revision_as_object().figures["totals"][
        "entries"
    ] == len(IN_PERIOD)


def test_generate_report_biennial_cycle(settings, report_index, inventory):
    settings.INVENTORY_CYCLE_YEARS = 2
    run_generate(YEAR)
    report = ReportPage.objects.get()
    assert (report.period_start, report.period_end) == (
        datetime.date(2024, 1, 1),
        datetime.date(2025, 12, 31),
    )
    assert report.slug == "report-2024-2025"
    assert report.period_label == "2024–2025"
    assert "2024–2025" in report.title
    figures = report.get_latest_revision_as_object().figures
    names = [
        n
        for n, s in ENTRIES.items()
        if s.live
        and s.freshness != "inactive"
        and active_in(s, datetime.date(2024, 1, 1), datetime.date(2025, 12, 31))
    ]
    assert figures["totals"] == expected_totals(
        counted_specs(names), datetime.date(2024, 1, 1)
    )
    assert figures["period"]["years"] == [2024, 2025]
    for link, count in figure_links(figures):
        assert "active=2024-01-01..2025-12-31" in link
        assert api_count(link) == count, link
    run_generate(2024)  # the same cycle
    assert ReportPage.objects.count() == 1


def test_generate_report_prints_what_it_did(report_index, inventory):
    out = StringIO()
    call_command("generate_report", "--year", str(YEAR), verbosity=0, stdout=out)
    text = out.getvalue()
    assert "Created the draft report" in text
    assert "Assembled 6 entries" in text
    assert "(a draft)" in text


@pytest.mark.parametrize("year", [2002, 2101, -1])
def test_generate_report_refuses_years_out_of_range(report_index, year):
    with pytest.raises(CommandError, match="Not a reporting year"):
        run_generate(year)
    assert not ReportPage.objects.exists()


def test_generate_report_needs_a_report_index(home_page):
    with pytest.raises(CommandError, match="no report index"):
        run_generate(YEAR)


def test_assembly_of_meetings_uses_the_period_bounds(report, tree, inventory):
    """A facilitators' meeting on the last evening of the period is in it."""
    from action_lines.choices import MeetingKind
    from tests.factories import MeetingIndexPageFactory, MeetingPageFactory
    from tests.helpers.pages import publish

    index = publish(
        MeetingIndexPageFactory(
            parent=tree.secretariat, slug="fm", kind=MeetingKind.FACILITATORS
        )
    )
    start = aware(YEAR, 12, 31, 22)
    publish(
        MeetingPageFactory(
            parent=index,
            title="Year-end meeting",
            start=start,
            end=start + datetime.timedelta(hours=1),
        )
    )
    assert [m["title"] for m in assemble(report)["facilitators_meetings"]] == [
        "Year-end meeting"
    ]


def test_highlights_chosen_in_the_editor_are_frozen_at_the_next_assembly(
    report, inventory, users, client_for
):
    portal = inventory["portal"]
    chosen = inline_formset([{"entry": portal.pk, "note": "A national portal."}])
    data = report_page_data(refreshed(report), highlights=chosen)
    response = client_for(users["secretariat"]).post(edit_url(report), data)
    assert response.status_code == 302
    figures = assemble_and_save(report).as_object().figures
    assert [(h["id"], h["note"]) for h in figures["highlights"]] == [
        (portal.pk, "A national portal.")
    ]
