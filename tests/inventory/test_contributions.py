"""Annual contributions: reporting cycles, the admin form, the dashboard, reminders."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import rich_text

import pytest
from bs4 import BeautifulSoup
from django_q.models import Schedule

from home.schedules import SCHEDULES
from inventory.contributions import contribution_status, send_reminders
from inventory.cycles import Cycle, current_cycle, cycle_containing
from inventory.models import AnnualContribution
from tests.factories import InventoryEntryFactory

D = datetime.date


@pytest.fixture
def annual(settings):
    settings.INVENTORY_CYCLE_YEARS = 1
    settings.INVENTORY_CYCLE_ANCHOR_YEAR = 2006
    settings.INVENTORY_CONTRIBUTION_DEADLINE = "02-28"
    settings.INVENTORY_REMINDER_DAYS = [30, 7, 1]
    return settings


@pytest.fixture
def biennial(settings):
    settings.INVENTORY_CYCLE_YEARS = 2
    settings.INVENTORY_CYCLE_ANCHOR_YEAR = 2024
    settings.INVENTORY_CONTRIBUTION_DEADLINE = "03-31"
    settings.INVENTORY_REMINDER_DAYS = [30, 7, 1]
    return settings


# --- Cycles ---------------------------------------------------------------------


def test_annual_cycle_is_one_calendar_year(annual):
    cycle = cycle_containing(2025)
    assert cycle == Cycle(2025, 2025, D(2026, 2, 28))
    assert cycle.years == [2025]
    assert cycle.label == "2025"
    assert cycle.previous() == Cycle(2024, 2024, D(2025, 2, 28))
    assert cycle.next() == Cycle(2026, 2026, D(2027, 2, 28))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 1, 15), 2025),
        (D(2026, 2, 27), 2025),
        (D(2026, 2, 28), 2025),  # the deadline day still belongs to 2025
        (D(2026, 3, 1), 2026),
        (D(2026, 12, 31), 2026),
        (D(2027, 1, 1), 2026),
    ],
)
def test_annual_current_cycle_around_the_deadline(annual, today, expected):
    cycle = current_cycle(today)
    assert (cycle.first_year, cycle.last_year) == (expected, expected)
    assert cycle.deadline == D(expected + 1, 2, 28)


def test_biennial_cycle_spans_two_years_from_the_anchor(biennial):
    assert cycle_containing(2024) == Cycle(2024, 2025, D(2026, 3, 31))
    assert cycle_containing(2025) == cycle_containing(2024)
    assert cycle_containing(2026) == Cycle(2026, 2027, D(2028, 3, 31))
    assert cycle_containing(2023) == Cycle(2022, 2023, D(2024, 3, 31))
    assert cycle_containing(2025).label == "2024–2025"
    assert cycle_containing(2025).years == [2024, 2025]
    assert cycle_containing(2026).previous() == cycle_containing(2024)


def test_anchor_decides_where_biennial_cycles_start(biennial):
    biennial.INVENTORY_CYCLE_ANCHOR_YEAR = 2025
    assert cycle_containing(2025) == Cycle(2025, 2026, D(2027, 3, 31))
    assert cycle_containing(2024) == Cycle(2023, 2024, D(2025, 3, 31))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 3, 30), (2024, 2025)),
        (D(2026, 3, 31), (2024, 2025)),
        (D(2026, 4, 1), (2026, 2027)),
        (D(2027, 6, 1), (2026, 2027)),
        (D(2028, 3, 31), (2026, 2027)),
        (D(2028, 4, 1), (2028, 2029)),
    ],
)
def test_biennial_current_cycle_around_the_deadline(biennial, today, expected):
    cycle = current_cycle(today)
    assert (cycle.first_year, cycle.last_year) == expected


def test_current_cycle_defaults_to_today(annual):
    assert current_cycle() == current_cycle(timezone.localdate())


# --- The admin form ----------------------------------------------------------------

ADD_URL = "annual_contributions:add"


def contribution_data(team, year, entries=(), narrative="<p>A busy year.</p>"):
    return {
        "team": team.pk,
        "year": year,
        "narrative": rich_text(narrative),
        "entries": [entry.pk for entry in entries],
    }


@pytest.fixture
def team_entries(tree):
    return {
        "c5": InventoryEntryFactory(title="C5 drills", team=tree.c5_team),
        "c2": InventoryEntryFactory(title="C2 fibre", team=tree.c2_team),
        "none": InventoryEntryFactory(title="Public submission"),
    }


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


def test_facilitator_form_offers_only_its_team_and_entries(users, tree, team_entries):
    response = as_user(users["c5_facilitator"]).get(reverse(ADD_URL))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["team"].queryset) == [tree.c5_team]
    assert list(form.fields["entries"].queryset) == [team_entries["c5"]]
    assert "C2 fibre" not in response.content.decode()


def test_facilitator_sends_the_c5_contribution(users, tree, team_entries):
    """Saved in the admin, the contribution counts as received for the cycle."""
    before = timezone.now()
    response = as_user(users["c5_facilitator"]).post(
        reverse(ADD_URL), contribution_data(tree.c5_team, 2025, [team_entries["c5"]])
    )
    assert response.status_code == 302
    contribution = AnnualContribution.objects.get()
    assert contribution.team == tree.c5_team
    assert contribution.year == 2025
    assert list(contribution.entries.all()) == [team_entries["c5"]]
    assert contribution.submitted_by == users["c5_facilitator"]
    assert contribution.submitted_at >= before
    assert contribution.is_submitted is True


@pytest.mark.parametrize("entry_key", [None, "c2", "none"])
def test_facilitator_cannot_send_for_another_team(users, tree, team_entries, entry_key):
    """C2's team, or entries outside C5, are refused; nothing is saved."""
    if entry_key is None:
        data = contribution_data(tree.c2_team, 2025)
        field = "team"
    else:
        data = contribution_data(tree.c5_team, 2025, [team_entries[entry_key]])
        field = "entries"
    response = as_user(users["c5_facilitator"]).post(reverse(ADD_URL), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not AnnualContribution.objects.exists()


def test_one_contribution_per_team_and_year(users, tree):
    client = as_user(users["c5_facilitator"])
    client.post(reverse(ADD_URL), contribution_data(tree.c5_team, 2025))
    response = client.post(reverse(ADD_URL), contribution_data(tree.c5_team, 2025))
    assert response.status_code == 200
    assert AnnualContribution.objects.count() == 1


def contribution(team, year, **fields):
    values = {"narrative": "<p>Done.</p>", "submitted_at": timezone.now(), **fields}
    return AnnualContribution.objects.create(team=team, year=year, **values)


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("c5_facilitator", {"C5"}),
        ("c2_facilitator", {"C2"}),
        ("secretariat", {"C5", "C2"}),
        ("inventory_editor", {"C5", "C2"}),
    ],
)
def test_contribution_listing_follows_team_scope(users, tree, role, sees):
    contribution(tree.c5_team, 2025, narrative="<p>C5 narrative</p>")
    contribution(tree.c2_team, 2025, narrative="<p>C2 narrative</p>")
    client = as_user(users[role])
    listing = client.get(reverse("annual_contributions:index_results"))
    assert listing.status_code == 200
    rows = BeautifulSoup(listing.content, "html.parser").select("table tbody tr")
    listed = {
        code for code in ("C5", "C2") for row in rows if f"{code} team" in row.text
    }
    assert listed == sees
    export = client.get(reverse("annual_contributions:index"), {"export": "csv"})
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode()
    assert {code for code in ("C5", "C2") if f"{code} narrative" in text} == sees


@pytest.mark.parametrize("role", ["c5_facilitator", "secretariat", "inventory_editor"])
def test_nobody_but_c2_changes_c2_contribution(users, tree, role):
    theirs = contribution(tree.c2_team, 2025, narrative="<p>C2 narrative</p>")
    client = as_user(users[role])
    edit = client.get(reverse("annual_contributions:edit", args=[theirs.pk]))
    assert edit.status_code in {302, 403}
    response = client.post(
        reverse("annual_contributions:edit", args=[theirs.pk]),
        contribution_data(tree.c2_team, 2025, narrative="<p>Overwritten</p>"),
    )
    assert response.status_code in {302, 403}
    delete = client.post(reverse("annual_contributions:delete", args=[theirs.pk]))
    assert delete.status_code in {302, 403}
    theirs.refresh_from_db()
    assert "C2 narrative" in theirs.narrative
    inspect = client.get(reverse("annual_contributions:inspect", args=[theirs.pk]))
    if role == "c5_facilitator":
        assert inspect.status_code in {302, 403}
        assert "C2 narrative" not in inspect.content.decode()
    else:
        assert inspect.status_code == 200


def test_c2_facilitator_updates_its_contribution(users, tree):
    mine = contribution(tree.c2_team, 2025, narrative="<p>First draft</p>")
    response = as_user(users["c2_facilitator"]).post(
        reverse("annual_contributions:edit", args=[mine.pk]),
        contribution_data(tree.c2_team, 2025, narrative="<p>Final text</p>"),
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert "Final text" in mine.narrative


# --- The Secretariat's dashboard ------------------------------------------------------


def dashboard_rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    heading = soup.find(id="contributions-heading")
    if heading is None:
        return None
    panel = heading.find_parent("section")
    return {
        cells[0].get_text(strip=True): cells[1].get_text(" ", strip=True)
        for cells in (row.find_all("td") for row in panel.select("tbody tr"))
    }


def test_dashboard_shows_which_teams_contributed(users, tree):
    cycle = current_cycle()
    contribution(tree.c5_team, cycle.last_year)
    response = as_user(users["secretariat"]).get("/admin/")
    assert response.status_code == 200
    rows = dashboard_rows(response)
    assert rows["C5 team"].startswith("Received")
    assert rows["C2 team"] == "Missing"
    assert "1 received, 1 missing" in response.content.decode()


def test_dashboard_ignores_other_cycles_and_unsent_contributions(users, tree):
    cycle = current_cycle()
    contribution(tree.c5_team, cycle.first_year - 1)
    contribution(tree.c2_team, cycle.first_year, submitted_at=None)
    rows = dashboard_rows(as_user(users["secretariat"]).get("/admin/"))
    assert rows == {"C5 team": "Missing", "C2 team": "Missing"}


@pytest.mark.parametrize("role", ["c5_facilitator", "report_reviewer"])
def test_dashboard_panel_is_for_the_secretariat(users, tree, role):
    response = as_user(users[role]).get("/admin/")
    assert response.status_code == 200
    assert dashboard_rows(response) is None


# --- Reminders ------------------------------------------------------------------------


def reminded(mailoutbox):
    return sorted(address for mail in mailoutbox for address in mail.to)


@pytest.mark.parametrize("days_before", [30, 7, 1])
def test_reminders_go_to_teams_without_a_contribution(
    annual, users, tree, mailoutbox, days_before
):
    contribution(tree.c5_team, 2025)
    today = D(2026, 2, 28) - datetime.timedelta(days=days_before)
    assert send_reminders(today=today) == 1
    assert reminded(mailoutbox) == [users["c2_facilitator"].email]
    mail = mailoutbox[0]
    assert "C2 team" in mail.subject
    assert "2025" in mail.subject
    assert "28 February 2026" in mail.body


@pytest.mark.parametrize("days_before", [31, 29, 8, 6, 2, 0, -1])
def test_no_reminders_on_other_days(annual, users, tree, mailoutbox, days_before):
    today = D(2026, 2, 28) - datetime.timedelta(days=days_before)
    assert send_reminders(today=today) == 0
    assert mailoutbox == []


def test_no_reminders_once_every_team_contributed(annual, users, tree, mailoutbox):
    contribution(tree.c5_team, 2025)
    contribution(tree.c2_team, 2025)
    assert send_reminders(today=D(2026, 2, 21)) == 0
    assert mailoutbox == []


def test_unsent_contribution_still_gets_reminded(annual, users, tree, mailoutbox):
    contribution(tree.c5_team, 2025, submitted_at=None)
    contribution(tree.c2_team, 2025)
    assert send_reminders(today=D(2026, 2, 27)) == 1
    assert reminded(mailoutbox) == [users["c5_facilitator"].email]


def test_biennial_reminders_count_either_year(biennial, users, tree, mailoutbox):
    contribution(tree.c5_team, 2024)
    assert send_reminders(today=D(2026, 3, 24)) == 1
    assert reminded(mailoutbox) == [users["c2_facilitator"].email]
    assert "2024–2025" in mailoutbox[0].subject
    cycle, status = contribution_status(current_cycle(D(2026, 3, 24)))
    assert {team.title: bool(sent) for team, sent in status} == {
        "C5 team": True,
        "C2 team": False,
    }


def test_reminders_skip_inactive_facilitators(annual, users, tree, mailoutbox):
    users["c2_facilitator"].is_active = False
    users["c2_facilitator"].save()
    contribution(tree.c5_team, 2025)
    assert send_reminders(today=D(2026, 2, 21)) == 0
    assert mailoutbox == []


def test_scheduled_task_sends_the_reminders(
    annual, users, tree, mailoutbox, monkeypatch
):
    from inventory import tasks

    monkeypatch.setattr(
        "inventory.contributions.timezone.localdate", lambda: D(2026, 2, 27)
    )
    assert tasks.send_contribution_reminders() == 2
    assert reminded(mailoutbox) == sorted(
        [users["c5_facilitator"].email, users["c2_facilitator"].email]
    )


# --- Schedules ----------------------------------------------------------------------


def test_schedules_exist_after_migrate(db):
    schedules = {schedule.name: schedule for schedule in Schedule.objects.all()}
    for name, func, schedule_type, minutes in SCHEDULES:
        assert name in schedules
        assert schedules[name].func == func
        assert schedules[name].schedule_type == schedule_type
        assert schedules[name].minutes == minutes
        assert schedules[name].repeats == -1
    reminders = schedules["Annual contribution reminders"]
    assert reminders.func == "inventory.tasks.send_contribution_reminders"
    assert reminders.schedule_type == Schedule.DAILY
