"""The demo reads like a real stocktaking platform.

Each entry's title, countries, organisation, status and dates agree; every action line
has its designations, members, meetings and contributions; two reports are published
from the inventory; and what it writes as rich text is what the editor would store.

The demo is built once for the module, in a transaction rolled back after it.
"""

import re

from django.db import transaction
from django.utils import timezone

from wagtail.fields import RichTextField

import pytest

from action_lines.choices import FrameworkScope, RequestStatus, RoundStatus
from action_lines.models import (
    ActionLinePage,
    DesignationRound,
    FrameworkVersion,
    MeetingPage,
    TeamPage,
)
from action_lines.rounds import RoundFacts, problems, steps
from demo.organisations import FACILITATORS, indicative_facilitators
from demo.places import SUB_REGIONS, own_country_names
from home.countries import country_name
from home.models import HomePage
from home.rich_text import clean_rich_text
from inventory.cycles import cycle_containing
from inventory.models import AnnualContribution, InventoryEntry
from inventory.regions import region_of_country, regions_for
from reporting.models import ReportPage
from tests.helpers.commands import seed

ENTRIES = 400


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Build the demo with ENTRIES entries once for this module's tests.

    The demo with ENTRIES entries, built once for this module's tests and rolled
    back after them.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed("--entries", str(ENTRIES))
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- Activities that read like real ones ------------------------------------------


def country_pattern(code):
    names = sorted(
        {country_name(code, "en"), country_name(code, "fr")} | own_country_names(code),
        key=len,
        reverse=True,
    )
    return re.compile(r"\b(?:" + "|".join(re.escape(name) for name in names) + r")\b")


def other_countries_named(text, own):
    """The countries other than ``own`` that ``text`` names, in English or French."""
    for code in own:
        if code != "global":
            text = country_pattern(code).sub("", text)
    return sorted(
        code
        for code in region_of_country()
        if code not in own and country_pattern(code).search(text)
    )


def test_the_title_check_finds_another_country():
    assert other_countries_named("Rural broadband rollout in Kenya", ["KEN"]) == []
    assert other_countries_named("Forum in Niger and Nigeria", ["NER"]) == ["NGA"]
    assert other_countries_named("Internet exchange in Port of Spain", ["TTO"]) == [
        "ESP"
    ]
    assert other_countries_named("Télécentres au Sénégal", ["MLI"]) == ["SEN"]


@pytest.mark.django_db
def test_every_title_names_no_country_but_its_own(demo):
    entries = list(InventoryEntry.objects.all())
    assert len(entries) == ENTRIES
    wrong = [
        (entry.title, entry.title_fr, entry.countries)
        for entry in entries
        if other_countries_named(f"{entry.title}\n{entry.title_fr}", entry.countries)
    ]
    assert wrong == []
    national = [entry for entry in entries if entry.coverage == "national"]
    assert national
    for entry in national:
        assert country_pattern(entry.countries[0]).search(entry.title), entry.title


@pytest.mark.django_db
def test_regional_entries_are_in_the_sub_region_their_title_names(demo):
    names = {sub.name: sub for sub in SUB_REGIONS}
    regional = InventoryEntry.objects.filter(coverage="regional")
    assert regional.exists()
    for entry in regional:
        sub = next(name for name in names if entry.title.endswith(f"in {name}"))
        assert set(entry.countries) <= set(names[sub].codes), entry.title
        assert entry.regions == [names[sub].region] == regions_for(entry.countries)


@pytest.mark.django_db
def test_status_agrees_with_the_dates(demo):
    today = timezone.localdate()
    statuses = set()
    for entry in InventoryEntry.objects.all():
        statuses.add(entry.status)
        assert entry.start_date is not None, entry.title
        assert entry.end_date is None or entry.end_date >= entry.start_date
        if entry.status == "planned":
            assert entry.start_date > today, entry.title
            assert entry.reporting_year in (today.year, today.year - 1)
        else:
            assert entry.start_date <= today, entry.title
            # Reported in a year when it ran.
            assert entry.start_date.year <= entry.reporting_year <= today.year
            if entry.end_date:
                assert entry.reporting_year <= entry.end_date.year
        if entry.status == "completed":
            assert entry.end_date is not None and entry.end_date < today
        if entry.status == "ongoing":
            assert entry.end_date is None or entry.end_date >= today
        published = timezone.localtime(entry.first_published_at).date()
        assert published.year == entry.reporting_year and published < today
    assert statuses == {"planned", "ongoing", "completed"}


@pytest.mark.django_db
def test_organisations_are_of_the_entrys_stakeholder_type_and_country(demo):
    for entry in InventoryEntry.objects.select_related("organisation"):
        organisation = entry.organisation
        assert organisation.stakeholder_type == entry.stakeholder_type
        if organisation.stakeholder_type == "international-organization":
            assert organisation.country == ""
        if organisation.country == "":
            assert organisation.acronym in FACILITATORS, organisation
        elif entry.countries != ["global"]:
            assert organisation.country in entry.countries, entry.title
    kinds = set(InventoryEntry.objects.values_list("stakeholder_type", flat=True))
    assert kinds >= {
        "government",
        "private-sector",
        "civil-society",
        "international-organization",
        "academia",
        "technical-community",
    }


@pytest.mark.django_db
def test_entries_reported_by_a_team_are_its_facilitators_or_members(demo):
    reported = InventoryEntry.objects.filter(team__isnull=False).select_related(
        "team", "organisation"
    )
    assert reported.exists()
    for entry in reported:
        assert entry.team.code == entry.action_lines[0]
        lead = indicative_facilitators()[entry.team.code][0]
        member = entry.team.memberships.filter(organisation=entry.organisation)
        assert entry.organisation.acronym in lead or member.exists(), entry.title


@pytest.mark.django_db
def test_some_entries_have_a_french_translation(demo):
    translated = InventoryEntry.objects.exclude(title_fr="")
    assert 0.1 < translated.count() / ENTRIES < 0.6
    assert not translated.filter(summary_fr="").exists()
    assert not InventoryEntry.objects.filter(title_fr="").exclude(summary_fr="")


@pytest.mark.django_db
def test_entry_pages_read_in_english_and_in_french(demo, client):
    entry = (
        InventoryEntry.objects.exclude(title_fr="")
        .filter(coverage="national", status="completed")
        .first()
    )
    page = client.get(entry.get_absolute_url()).content.decode()
    assert entry.title in page.replace("&#x27;", "'")
    assert country_name(entry.countries[0], "en") in page
    assert "Carried out from" in page
    french = client.get(f"/fr{entry.get_absolute_url()}").content.decode()
    assert entry.title_fr in french.replace("&#x27;", "'")


@pytest.mark.django_db
def test_an_activity_within_one_year_shows_that_year_once(demo, client):
    entry = next(
        entry
        for entry in InventoryEntry.objects.filter(status="completed")
        if entry.start_date.year == entry.end_date.year
    )
    page = client.get(entry.get_absolute_url()).content.decode()
    year = entry.start_date.year
    assert f"Completed ({year})" in page
    assert f"{year}–{year}" not in page


# --- The mechanism at work -----------------------------------------------------------


@pytest.mark.django_db
def test_each_action_line_has_its_designations_members_and_contributions(demo):
    today = timezone.localdate()
    last_cycle = cycle_containing(today.year - 1)
    for line in ActionLinePage.objects.exclude(code="C7"):
        lead = indicative_facilitators()[line.code][0]
        rounds = DesignationRound.objects.filter(action_line=line)
        assert set(rounds.values_list("status", flat=True)) == {RoundStatus.DESIGNATED}
        current = list(line.current_designations())
        assert [d.organisation.acronym for d in current] == list(lead)
        assert current[0].role == "lead"
        for designation_round in rounds:
            assert designation_round.recommendation_date
            assert designation_round.consultations.exists()
            assert set(
                designation_round.candidates.values_list("response", flat=True)
            ) == {"accepts"}
        team = line.get_team()
        assert team.memberships.count() >= 9
        accepted = team.membership_requests.filter(status=RequestStatus.ACCEPTED)
        assert accepted.count() == team.memberships.count()
        assert (
            AnnualContribution.objects.filter(
                team=team, submitted_at__isnull=False
            ).count()
            >= 2
        )
    assert (
        AnnualContribution.objects.filter(
            year=last_cycle.last_year, submitted_at__isnull=False
        ).count()
        == 18
    )


@pytest.mark.django_db
def test_contributions_hold_the_teams_entries_of_their_cycle(demo):
    contributions = AnnualContribution.objects.filter(submitted_at__isnull=False)
    assert contributions.filter(entries__isnull=False).exists()
    for contribution in contributions:
        cycle = cycle_containing(contribution.year)
        expected = set(
            InventoryEntry.objects.filter(
                team=contribution.team, reporting_year__in=cycle.years
            ).values_list("pk", flat=True)
        )
        assert set(contribution.entries.values_list("pk", flat=True)) == expected
        assert contribution.submitted_at.date() <= cycle.deadline


@pytest.mark.django_db
def test_two_reports_are_published_with_figures_from_the_inventory(demo, client):
    reports = list(ReportPage.objects.live().order_by("period_start"))
    assert len(reports) == 2
    older, newer = reports
    assert older.period_end < newer.period_start
    for report in reports:
        # Active entries whose activity runs during the period, whatever the
        # year they were reported for.
        counted = sum(
            1
            for entry in InventoryEntry.objects.filter(live=True).exclude(
                freshness="inactive"
            )
            if entry.activity_start() is not None
            and entry.activity_start() <= report.period_end
            and (entry.end_date is None or entry.end_date >= report.period_start)
        )
        assert report.figures["totals"]["entries"] == counted > 0
        assert report.has_unpublished_changes is False
        assert f"{counted} activities" in report.summary
        page = client.get(report.url)
        assert page.status_code == 200
        assert "Regional distribution" in page.content.decode()
    assert newer.figures["previous"]["title"] == older.title
    assert newer.figures["highlights"]


@pytest.mark.django_db
def test_past_meetings_have_minutes_and_the_next_ones_registration(demo, client):
    now = timezone.now()
    past = MeetingPage.objects.filter(end__lt=now, kind__in=["team", "facilitators"])
    upcoming = MeetingPage.objects.filter(end__gte=now)
    assert past.filter(kind="team").count() == 18 * 2
    assert past.filter(kind="facilitators").count() == 3
    assert upcoming.filter(kind="team").count() == 18
    assert upcoming.filter(kind="facilitators").count() == 1
    for meeting in past:
        assert "<b>Attendance.</b>" in meeting.outcome
        assert "<b>Decisions</b>" in meeting.outcome
        assert not meeting.registration_open
    for meeting in upcoming:
        assert meeting.outcome == ""
    for meeting in upcoming.filter(kind="team"):
        assert meeting.accepts_registrations
    for meeting in MeetingPage.objects.filter(kind="team"):
        # A team meets at the WSIS Forum in May, and online in November about
        # the next year's work plan.
        start = meeting.local_start
        if start.month == 5:
            assert meeting.title.endswith(f"at the WSIS Forum {start.year}")
        else:
            assert start.month == 11
            assert meeting.title.endswith(f"work plan for {start.year + 1}")
    page = client.get(past.filter(kind="team").first().url).content.decode()
    assert "Action points" in page


@pytest.mark.django_db
def test_what_the_demo_writes_as_rich_text_is_what_the_editor_stores(demo):
    checked = 0
    for model in (
        InventoryEntry,
        MeetingPage,
        TeamPage,
        AnnualContribution,
        DesignationRound,
        ReportPage,
    ):
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, RichTextField)
        ]
        for instance in model.objects.all():
            for field in fields:
                value = getattr(instance, field.attname)
                assert clean_rich_text(value, field.features) == value, value
                checked += bool(value)
    streams = [(page.narrative, "body") for page in ReportPage.objects.all()] + [
        (page.description, None) for page in ActionLinePage.objects.all()
    ]
    for stream, part in streams:
        for block in stream:
            value = block.value[part] if part else block.value
            child = block.block.child_blocks[part] if part else block.block
            features = child.features
            assert clean_rich_text(value.source, features) == value.source
            checked += 1
    assert checked > ENTRIES


# --- The mechanism's rules and the public site ------------------------------------


@pytest.mark.django_db
def test_every_round_keeps_the_designation_rules_and_has_its_steps(demo, client):
    """Each demo round stands in its step and its page tells its history.

    Each demo round stands in its step without a problem the secretariat's checks
    would raise, and its page tells its history step by step.
    """
    rounds = DesignationRound.objects.select_related("action_line")
    assert rounds.exists()
    for designation_round in rounds:
        facts = RoundFacts.of(designation_round)
        assert problems(facts, designation_round.status) == [], designation_round
        history = steps(designation_round)
        assert [label for _day, label, _note in history] == [
            label for _value, label in RoundStatus.choices[: len(history)]
        ]
        assert [day for day, _label, _note in history] == sorted(
            day for day, _label, _note in history
        )
    advised = DesignationRound.objects.filter(council_advice__isnull=False).first()
    assert advised is not None
    url = f"{advised.action_line.url}designations/{advised.pk}/"
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_both_frameworks_are_in_force_from_a_facilitators_meeting(demo, client):
    for scope in FrameworkScope.values:
        version = FrameworkVersion.in_force(scope)
        assert version is not None, scope
        assert version.adopted_at.slug.startswith("facilitators-meeting-")
        assert version.adopted_at.start.date() < timezone.localdate()
        page = client.get(version.framework.url)
        assert page.status_code == 200


@pytest.mark.django_db
def test_the_home_page_features_activities_and_the_about_page_reads(demo, client):
    home = HomePage.objects.get(depth=2)
    featured = [item.entry for item in home.featured_entries.all()]
    assert len(featured) == 4
    assert all(entry.live for entry in featured)
    assert len({entry.action_lines[0] for entry in featured}) == 4
    body = client.get("/").content.decode()
    for entry in featured:
        assert entry.title in body
    about = client.get("/about/")
    assert about.status_code == 200
    assert "Facilitators chosen by agreement" in about.content.decode()
