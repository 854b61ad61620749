"""The public site with content on every page type, as the browser tests see it.

The action-line tree with a facilitator, an organisation with its team and
designation, inventory entries with facets to apply, a meeting, two published
reports (the second with a trend chart), an About page, the editors' featured
activity on the home page, a designation round and a framework. The
accessibility and screenshot tests visit each page type of it.
"""

import datetime

from django.utils import timezone

from action_lines.models import TeamMembership
from home.models import AboutPage, HomePageFeaturedEntry
from reporting.assembly import assemble_and_save
from reporting.models import ReportIndexPage
from tests.factories import (
    YEAR,
    ActionLineFacilitatorFactory,
    DesignationRoundFactory,
    FacilitatorDesignationFactory,
    InventoryEntryFactory,
    MeetingPageFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    StakeholderOrganisationFactory,
)
from tests.helpers.pages import publish, refreshed

FACETED_SEARCH = "/inventory/?action_line=C5&status=ongoing"


def published_report(home, year):
    """Publish a report of the year, its figures assembled from the inventory."""
    index = ReportIndexPage.objects.child_of(home).first()
    if index is None:
        index = publish(ReportIndexPageFactory(parent=home))
    report = ReportPageFactory(
        parent=index,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        document_symbol=f"A/{year - 1944}/64",
    )
    report.save_revision()
    assemble_and_save(report)
    refreshed(report).get_latest_revision().publish()
    return refreshed(report)


def build_public_site(tree):
    """Give every public page type content; return what the tests visit.

    The action-line tree, an inventory with facets to apply, a meeting open for
    registration, and two published reports (the second with a trend chart).
    """
    c5 = tree.c5
    c5.summary = "Build confidence and security in the use of ICTs."
    c5.plan_of_action_text = "<p>Confidence and security are a main pillar.</p>"
    c5.plan_of_action_reference = "Geneva Plan of Action, paragraph 12"
    c5.sdgs = [9, 16]
    c5.save_revision().publish()
    ActionLineFacilitatorFactory(page=refreshed(c5))
    itu = StakeholderOrganisationFactory(
        name="International Telecommunication Union", acronym="ITU"
    )
    # The organisation's page lists its team and its designation too.
    TeamMembership.objects.create(team=tree.c5_team, organisation=itu)
    FacilitatorDesignationFactory(
        round=DesignationRoundFactory(action_line=refreshed(c5)), organisation=itu
    )
    entries = [
        InventoryEntryFactory(
            title=f"Cyber hygiene clinics, phase {number}",
            summary="Weekly clinics teaching pupils to stay safe online.",
            description="<p>Run with the ministry.</p><p>Free of charge.</p>",
            action_lines=lines,
            status=status,
            countries=countries,
            sdgs=[4, 9],
            keywords="security, schools",
            organisation=itu,
            website="https://example.org/clinics",
        )
        for number, (lines, status, countries) in enumerate(
            [
                (["C5"], "ongoing", ["SEN"]),
                (["C5", "C2"], "ongoing", ["FRA", "DEU"]),
                (["C5"], "completed", ["BRA"]),
                (["C2"], "ongoing", ["KEN"]),
                (["C5"], "planned", ["EGY"]),
            ],
            start=1,
        )
    ]
    publish(
        MeetingPageFactory(
            parent=tree.c5_meetings,
            title="C5 annual meeting 2025",
            start=timezone.now() - datetime.timedelta(days=40),
        )
    )
    published_report(tree.home, YEAR - 1)
    report = published_report(tree.home, YEAR)
    about = AboutPage(
        title="About the mechanism",
        slug="about",
        introduction="<p>Teams, an inventory and reports.</p>",
    )
    tree.home.add_child(instance=about)
    publish(about)
    # The editors' choice on the home page.
    home = refreshed(tree.home)
    home.featured_entries = [HomePageFeaturedEntry(entry=entries[2])]
    publish(home)
    designation_round, framework = designation_and_framework(tree, itu)
    return {
        "tree": tree,
        "entry": entries[0],
        "report": report,
        "round": designation_round,
        "framework": framework,
        "about": about,
        "organisation": itu,
    }


def designation_and_framework(tree, organisation):
    """Make a designated round with its consultation, and a framework.

    The framework has two versions, adopted at a facilitators' meeting.
    """
    from action_lines.choices import (
        CandidateResponse,
        FrameworkScope,
        MeetingKind,
        RoundStatus,
    )
    from action_lines.models import (
        DesignationCandidate,
        FacilitatorDesignation,
        FrameworkPage,
    )
    from tests.factories import DesignationRoundFactory, MeetingIndexPageFactory

    meetings = {}
    for kind, slug in (
        (MeetingKind.CONSULTATION, "consultations"),
        (MeetingKind.FACILITATORS, "facilitators-meetings"),
    ):
        index = publish(
            MeetingIndexPageFactory(
                parent=tree.secretariat, title=slug, slug=slug, kind=kind
            )
        )
        meetings[kind] = publish(
            MeetingPageFactory(
                parent=index,
                title=f"{slug} 2025",
                start=timezone.now() - datetime.timedelta(days=100),
                registration_open=False,
            )
        )
    designation_round = DesignationRoundFactory(
        action_line=tree.c5,
        title="C5 facilitation 2025",
        status=RoundStatus.DESIGNATED,
        recommendation_sent_on=datetime.date(2025, 3, 1),
        recommendation_text="<p>The candidates recommend ITU.</p>",
    )
    designation_round.consultations.set([meetings[MeetingKind.CONSULTATION]])
    designation_round.save()
    DesignationCandidate.objects.create(
        round=designation_round,
        organisation=organisation,
        role="lead",
        response=CandidateResponse.ACCEPTS,
    )
    FacilitatorDesignation.objects.create(
        round=designation_round,
        organisation=organisation,
        role="lead",
        designated_on=datetime.date(2025, 4, 1),
        term_start=datetime.date(2025, 4, 1),
    )
    framework = FrameworkPage(
        title="General framework of the teams' activities",
        slug="teams-framework",
        scope=FrameworkScope.TEAMS,
        adopted_at=meetings[MeetingKind.FACILITATORS],
        in_force_from=datetime.date(2025, 1, 1),
        text="<p>Each team meets once a year.</p><p>Each team reports.</p>",
    )
    tree.secretariat.add_child(instance=framework)
    publish(framework)
    framework = refreshed(framework)
    framework.text = "<p>Each team meets twice a year.</p><p>Each team reports.</p>"
    publish(framework)
    return designation_round, refreshed(framework)


def page_types(site):
    """(name, path) of every public page type."""
    tree = site["tree"]
    report = site["report"]
    return [
        ("home", tree.home.url),
        ("about", site["about"].url),
        ("meetings", "/meetings/"),
        ("action line index", tree.index.url),
        ("action line", tree.c5.url),
        ("team", tree.c5_team.url),
        ("modalities", tree.c5_modalities.url),
        ("meeting", tree.c5_meeting.url),
        ("inventory search with facets", FACETED_SEARCH),
        ("inventory entry", f"/inventory/entries/{site['entry'].pk}/"),
        ("organisation", site["organisation"].get_absolute_url()),
        ("country", "/inventory/countries/SEN/"),
        ("submission form", "/inventory/submit/"),
        ("site search", "/search/?q=clinics"),
        ("report index", report.get_parent().url),
        ("report", report.url),
        ("designation round", f"{tree.c5.url}designations/{site['round'].pk}/"),
        ("framework", site["framework"].url),
        ("framework versions", f"{site['framework'].url}versions/"),
        ("framework comparison", f"{site['framework'].url}compare/?from=1&to=2"),
    ]
