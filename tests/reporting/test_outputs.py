"""What readers get: the report page, its charts, PDF, print view, CSV and JSON.

And the admin's assembly button with its status page.
"""

import csv
import datetime
import io
import json
import re

from django.test import Client
from django.urls import reverse

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from inventory.choices import ActionLineCode
from reporting.assembly import assemble_and_save
from reporting.models import ReportAssembly, ReportPDF
from tests.factories import YEAR, InventoryEntryFactory, ReportPageFactory
from tests.helpers.admin import assert_refused
from tests.helpers.pages import refreshed
from tests.helpers.reporting import add_highlights, publish_report

NARRATIVE = [
    (
        "section",
        {
            "heading": "Implementation at the national level",
            "body": "<p>Member States reported national e-strategies.</p>",
        },
    ),
    (
        "quote",
        {
            "text": "Building an inclusive Information Society.",
            "attribution": "Geneva Declaration of Principles",
        },
    ),
    (
        "section",
        {
            "heading": "Regional cooperation",
            "body": "<p>Regional commissions met twice.</p>",
        },
    ),
]
SECTION_HEADINGS = [
    "Implementation at the national level",
    "Regional cooperation",
    "The stocktaking inventory in the period",
    "Distribution of activities",
    "Contributions of the action line teams",
    "Highlighted activities",
    "Meetings of facilitators",
]


@pytest.fixture
def published(report, inventory, contributions, facilitators_meetings, previous_report):
    """The 2025 report with narrative, highlights and figures, published."""
    draft = report.get_latest_revision_as_object()
    draft.narrative = NARRATIVE
    draft.document_symbol = "A/81/64–E/2026/12"
    draft.save_revision()
    report = add_highlights(report, (inventory["training"], "Trained 300 officials."))
    assemble_and_save(report)
    return publish_report(report)


def static_text(url):
    """The text of the static file at ``url``."""
    from django.contrib.staticfiles import finders

    path = finders.find(url.removeprefix("/static/"))
    assert path, url
    with open(path, encoding="utf-8") as file:
        return file.read()


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_report_page_reads_summary_first_numbered_sections_then_annexes(
    published, client
):
    soup = soup_of(client.get(published.url))
    main = soup.select_one("main") or soup
    assert main.select_one("h1").get_text(strip=True) == published.title
    blocks = main.select(".report-summary, .report-sections, .report-annexes")
    assert [b["class"][0] for b in blocks] == [
        "report-summary",
        "report-sections",
        "report-annexes",
    ]
    headings = [
        section.find("h2").get_text(strip=True)
        for section in main.select(".report-sections > .report-section")
    ]
    assert headings == SECTION_HEADINGS
    assert main.select_one("figure.quote blockquote").get_text(strip=True) == (
        "Building an inclusive Information Society."
    )
    captions = [c.get_text(strip=True) for c in main.select(".report-annexes caption")]
    assert captions[:6] == [
        "Annex 1. Activities by action line",
        "Annex 2. Activities by ITU region",
        "Annex 3. Activities by stakeholder type",
        "Annex 4. Activities by type",
        "Annex 5. Activities by Sustainable Development Goal",
        "Annex 6. Activities by status",
    ]
    assert "Countries with the most activities" in captions
    text = main.get_text(" ", strip=True)
    assert "A/81/64–E/2026/12" in text
    assert "Economic and Social Council" in text
    assert "Reporting period: 1 January 2025 to 31 December 2025" in text
    assert "from 6 published inventory entries" in text


def test_highlighted_activities_link_their_organisation(published, inventory, client):
    soup = soup_of(client.get(published.url))
    organisation = inventory["training"].organisation
    (link,) = [
        a
        for a in soup.select("#highlights-heading ~ table a")
        if a["href"].startswith("/organisations/")
    ]
    assert link.get_text(strip=True) == organisation.name
    assert link["href"] == f"/organisations/{organisation.slug}/"
    assert client.get(link["href"]).status_code == 200


def test_report_page_totals_and_change_link_to_the_inventory(published, client):
    soup = soup_of(client.get(published.url))
    table = soup.select_one("table.figures")
    rows = {
        row.find("th").get_text(strip=True): [
            td.get_text(strip=True) for td in row.find_all("td")
        ]
        for row in table.select("tbody tr")
    }
    # 2024's report counted 4 activities running then
    # (see tests/reporting/test_assembly.py).
    assert rows["Published activities"] == ["6", "4", "+2"]
    assert rows["New activities (started in the period)"][0] == "3"
    assert rows["Continuing activities"][0] == "3"
    assert rows["Countries"][0] == "7"
    assert rows["Implementing organisations"][0] == "3"
    links = [a["href"] for a in table.select("tbody tr td a")]
    assert links == [
        published.figures["links"][key] for key in ("entries", "new", "continuing")
    ]
    assert links[0] == (
        "/inventory/?freshness=current&freshness=stale&active=2025-01-01..2025-12-31"
    )
    assert "Trained 300 officials." in soup.get_text()
    assert "Facilitators' meeting, May 2025" in soup.get_text()
    teams = soup.select_one("#teams-heading").find_parent("section").get_text(" ")
    assert "Received (2026-02-01)" in teams
    assert "Not received" in teams


def test_charts_are_accessible_svg_beside_tables_with_the_same_numbers(
    published, client
):
    soup = soup_of(client.get(published.url))
    figures = published.figures
    expected = {
        b["title"]: [(r["label"], r["count"]) for r in b["rows"]]
        for b in figures["breakdowns"]
        if b["facet"] in ("action_line", "region", "stakeholder")
    }
    expected["Activities reported in successive reports"] = [("2024", 4), ("2025", 6)]
    charts = soup.select("figure.chart-figure")
    assert len(charts) == 4
    for chart in charts:
        caption = chart.find("figcaption").get_text(strip=True)
        svg = chart.find("svg")
        assert svg["role"] == "img"
        title, desc = svg.find("title"), svg.find("desc")
        assert title.get_text() == caption
        labelled_by = svg["aria-labelledby"].split()
        assert labelled_by == [title["id"], desc["id"]]
        table = [
            (row.find("th").get_text(strip=True), int(row.find("td").get_text()))
            for row in chart.select("table tbody tr")
        ]
        assert table == expected[caption], caption
        description = desc.get_text()
        for label, count in table:
            assert f"{label}: {count}" in description
        labels = {label for label, _count in table}
        bar_values = [
            int(text.get_text())
            for text in svg.find_all("text")
            if re.fullmatch(r"\d+", text.get_text()) and text.get_text() not in labels
        ]
        assert sorted(bar_values) == sorted(count for _label, count in table)


def test_charts_escape_labels():
    from reporting.charts import bar_chart

    svg = str(bar_chart("c", "<Title & co>", [("<script>", 2)]))
    assert "<script>" not in svg
    assert "&lt;Title &amp; co&gt;" in svg
    assert "&lt;script&gt;: 2" in svg


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def stored_pdf(report, client):
    """The PDF readers get, once the background task has rendered it."""
    from reporting.tasks import render_report_pdf

    pending = client.get(report.url + "pdf/")
    assert pending.status_code == 503  # the task runs once the publication commits
    render_report_pdf(ReportPDF.objects.get(revision=report.live_revision_id).pk)
    response = client.get(report.url + "pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_pdf_has_the_title_totals_and_numbered_sections(published, client):
    content = stored_pdf(published, client)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert published.title in text
    assert "The inventory records 6 published activities for the period, in 7 " in (
        text
    )
    assert "Published activities 6 4 +2" in text
    assert "Implementing organisations 3" in text
    # Sections are numbered by the print stylesheet's counters.
    assert "I. Implementation at the national level" in text
    assert "II. Regional cooperation" in text
    assert "III. The stocktaking inventory in the period" in text
    assert "Annex 1. Activities by action line" in text


def test_pdf_first_page_is_not_left_blank_before_a_tall_chart(report, client):
    """Only a chart or a table row is kept whole.

    The distribution section, with a chart of every action line, starts on the first
    page instead of moving whole to the next one and leaving most of the first page
    blank.
    """
    for code in ActionLineCode.values:
        InventoryEntryFactory(action_lines=[code], year=YEAR)
    assemble_and_save(report)
    reader = PdfReader(io.BytesIO(stored_pdf(publish_report(report), client)))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "I. The stocktaking inventory in the period" in first
    assert "II. Distribution of activities" in first
    assert "Activities by action line" in first
    assert "C11 International and regional cooperation" in first  # the whole chart


def test_print_view_is_standalone_with_the_print_stylesheet(published, client):
    response = client.get(published.url + "print/")
    soup = soup_of(response)
    assert soup.select_one("body.print")
    assert soup.select_one("title").get_text() == published.title
    # The stylesheet is a static file: the site's CSP allows no inline style.
    assert not soup.select("style, [style]")
    stylesheet = soup.select_one('link[rel="stylesheet"]')["href"]
    assert stylesheet == "/static/css/report_print.css"
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "counter-increment: section" in static_text(stylesheet)
    assert soup.select_one("h1").get_text(strip=True) == published.title
    assert len(soup.select("svg[role=img]")) == 4
    assert not soup.select("nav")


def test_csv_has_every_frozen_figure_with_its_search(published, client):
    response = client.get(published.url + "figures/csv/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="report-2025-figures.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["section", "figure", "value", "inventory search"]
    figures = published.figures
    totals = {r[1]: int(r[2]) for r in rows if r[0] == "totals"}
    assert totals == figures["totals"]
    for key in ("entries", "new", "continuing"):
        value, link = str(figures["totals"][key]), figures["links"][key]
        assert ["totals", key, value, link] in rows
    assert [
        "left out",
        "inactive",
        str(figures["left_out"]["inactive"]),
        figures["left_out"]["link"],
    ] in rows
    for breakdown in figures["breakdowns"]:
        csv_rows = [r for r in rows if r[0] == breakdown["facet"]]
        assert csv_rows == [
            [breakdown["facet"], row["label"], str(row["count"]), row["link"]]
            for row in breakdown["rows"]
        ]
    countries = [r for r in rows if r[0] == "country"]
    assert countries[0] == [
        "country",
        "Senegal",
        "3",
        "/inventory/?country=SEN&freshness=current&freshness=stale"
        "&active=2025-01-01..2025-12-31",
    ]
    assert len(countries) == len(figures["top_countries"])
    teams = {r[1]: r[2] for r in rows if r[0] == "team contribution"}
    assert teams == {"C5 team": "1", "C2 team": "0"}


def test_json_is_the_frozen_figures(published, client):
    response = client.get(published.url + "figures/json/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert 'filename="report-2025-figures.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["report"] == published.title
    assert data["period_label"] == str(YEAR)
    labels = {"report", "period_label"}
    assert {k: v for k, v in data.items() if k not in labels} == published.figures
    assert data["totals"]["entries"] == 6
    assert data["period"]["years"] == [YEAR]


def test_reports_index_lists_only_published_reports(published, report_index, client):
    draft = ReportPageFactory(
        parent=report_index,
        title="Report for 2026 (draft)",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    draft.save_revision()
    soup = soup_of(client.get("/reports/"))
    items = [li.find("a").get_text(strip=True) for li in soup.select(".report-list li")]
    assert items == [published.title, "Implementation of the WSIS outcomes in 2024"]
    assert soup.select_one(f'a[href="{published.url}pdf/"]')
    assert "draft" not in soup.select_one(".report-list").get_text()


def test_unpublished_reports_and_their_outputs_are_not_public(report, inventory):
    assemble_and_save(report)
    client = Client()
    for suffix in ["", "pdf/", "print/", "figures/csv/", "figures/json/"]:
        assert client.get(report.url + suffix).status_code == 404, suffix


def test_empty_index_says_so(report_index, client):
    soup = soup_of(client.get("/reports/"))
    assert "No report has been published yet." in soup.get_text()


def test_report_without_figures_says_they_are_not_assembled(report, client):
    page = publish_report(report)
    soup = soup_of(client.get(page.url))
    assert "have not been assembled yet" in soup.get_text()
    assert not soup.select(".report-annexes")
    assert stored_pdf(page, client).startswith(b"%PDF")
    assert client.get(page.url + "figures/csv/").status_code == 200


# --- The admin's assembly button -------------------------------------------------


@pytest.fixture
def assemble_as(client_for, django_capture_on_commit_callbacks):
    def run(report, user):
        client = client_for(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reporting_assemble", args=[report.pk]))
        return client, response

    return run


def test_assembly_button_runs_the_task_and_reports_done(
    report, inventory, users, assemble_as
):
    client, response = assemble_as(report, users["secretariat"])
    assembly = ReportAssembly.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting_assembly", args=[assembly.pk])
    assert assembly.status == "done"
    assert assembly.progress == 100
    assert assembly.requested_by == users["secretariat"]
    assert str(assembly) == f"{report.title} — Done"
    assert assembly.finished_at is not None
    page = refreshed(report)
    assert assembly.revision_id == page.latest_revision_id
    assert page.get_latest_revision_as_object().figures["totals"]["entries"] == 6
    assert page.live is False

    soup = soup_of(client.get(response["Location"]))
    text = soup.get_text(" ", strip=True)
    assert "Done: the figures are in a new draft revision of the report." in text
    compare = soup.find("a", string=re.compile("What changed"))
    previous = page.revisions.order_by("-pk")[1]
    assert compare["href"] == reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[report.pk, previous.pk, assembly.revision_id],
    )
    assert not soup.select('meta[http-equiv="refresh"]')
    compared = client.get(compare["href"]).content.decode()
    assert "Totals: entries" in compared


def test_assembly_button_is_in_the_editor(report, users, client_for):
    response = client_for(users["secretariat"]).get(
        reverse("wagtailadmin_pages:edit", args=[report.pk])
    )
    soup = soup_of(response)
    button = soup.find("button", string=re.compile("Assemble the figures now"))
    assert button["formaction"] == reverse("reporting_assemble", args=[report.pk])
    assert button["formmethod"] == "post"


def test_failed_assembly_says_why(
    report, users, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("the inventory database is unreachable")

    monkeypatch.setattr("reporting.tasks.assemble_and_save", broken)
    revisions = report.revisions.count()
    client = client_for(users["secretariat"])
    # django-q2 runs synchronously in tests: the task's error reaches the test
    # (a worker records it as a failed task).
    with (
        pytest.raises(RuntimeError, match="unreachable"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("reporting_assemble", args=[report.pk]))
    assembly = ReportAssembly.objects.get()
    assert response["Location"] == reverse("reporting_assembly", args=[assembly.pk])
    assert assembly.status == "failed"
    assert assembly.revision is None
    assert assembly.finished_at is not None
    assert refreshed(report).revisions.count() == revisions
    soup = soup_of(client.get(response["Location"]))
    text = soup.get_text(" ", strip=True)
    assert "The assembly failed:" in text
    assert "RuntimeError: the inventory database is unreachable" in text
    assert not soup.select('meta[http-equiv="refresh"]')


def test_status_page_refreshes_while_the_assembly_runs(report, users, client_for):
    assembly = ReportAssembly.objects.create(
        report=report, status=ReportAssembly.Status.RUNNING, progress=45
    )
    assembly.set_progress(45, "Listing the entries counted")
    client = client_for(users["secretariat"])
    soup = soup_of(client.get(reverse("reporting_assembly", args=[assembly.pk])))
    assert soup.select_one('meta[http-equiv="refresh"]')
    assert soup.select_one("progress")["value"] == "45"
    assert "Running — 45%: Listing the entries counted" in soup.get_text()


def test_second_request_joins_the_assembly_under_way(report, users, assemble_as):
    running = ReportAssembly.objects.create(
        report=report, status=ReportAssembly.Status.QUEUED
    )
    _client, response = assemble_as(report, users["secretariat"])
    assert response["Location"] == reverse("reporting_assembly", args=[running.pk])
    assert ReportAssembly.objects.count() == 1


def test_admin_assembly_views_refuse_users_who_cannot_edit_the_report(
    report, users, client_for, django_capture_on_commit_callbacks
):
    assembly = ReportAssembly.objects.create(report=report)
    start = reverse("reporting_assemble", args=[report.pk])
    status = reverse("reporting_assembly", args=[assembly.pk])
    for role in ["report_reviewer", "c5_facilitator", "inventory_editor"]:
        client = client_for(users[role])
        with django_capture_on_commit_callbacks(execute=True):
            assert_refused(client.post(start))
        assert_refused(client.get(status))
        # Asked from a script (XMLHttpRequest), the refusal is a plain 403.
        ajax = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
        assert client.post(start, **ajax).status_code == 403, role
        assert client.get(status, **ajax).status_code == 403, role
    assert ReportAssembly.objects.count() == 1
    assert refreshed(report).revisions.count() == 1


def test_admin_assembly_views_send_the_public_to_the_login(report, users, client_for):
    assembly = ReportAssembly.objects.create(report=report)
    for user in (None, users["public"]):
        client = client_for(user)
        response = client.post(reverse("reporting_assemble", args=[report.pk]))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
        response = client.get(reverse("reporting_assembly", args=[assembly.pk]))
        assert response.status_code == 302
    assert ReportAssembly.objects.count() == 1


def test_assembly_button_accepts_only_post(report, users, client_for):
    response = client_for(users["secretariat"]).get(
        reverse("reporting_assemble", args=[report.pk])
    )
    assert response.status_code == 405
