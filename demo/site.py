"""Demo content: the action-line tree of the Plan of Action, built from data.

Used by ``seed_demo``. Everything is looked up before it is created, so running it
again leaves existing content (and editors' changes to it) alone.
"""

import datetime
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from wagtail.models import Locale, Page, Site

from action_lines.choices import (
    CandidateResponse,
    DecisionRule,
    FacilitatorRole,
    MeetingCadence,
    MeetingKind,
    RoundStatus,
)
from action_lines.models import (
    ActionLineFacilitator,
    ActionLineIndexPage,
    ActionLinePage,
    DesignationCandidate,
    DesignationRound,
    FacilitatorDesignation,
    MeetingIndexPage,
    MeetingPage,
    ModalitiesPage,
    SecretariatPage,
    TeamPage,
)
from action_lines.teams import setup_team
from home.choices import StakeholderType
from home.models import HomePage, StakeholderOrganisation
from home.roles import (
    INVENTORY_EDITORS,
    REPORT_REVIEWERS,
    SECRETARIAT,
    setup_site_root,
)
from reporting.models import ReportIndexPage

DATA_FILE = (
    Path(__file__).resolve().parent.parent
    / "action_lines"
    / "data"
    / "action_lines.json"
)

# Full names of the organisations named in the Tunis Agenda's annex.
ORGANISATIONS = {
    "ECOSOC": "United Nations Economic and Social Council",
    "UN Regional Commissions": "United Nations Regional Commissions",
    "ITU": "International Telecommunication Union",
    "UN DESA": "United Nations Department of Economic and Social Affairs",
    "APC": "Association for Progressive Communications",
    "UNESCO": "United Nations Educational, Scientific and Cultural Organization",
    "UNDP": "United Nations Development Programme",
    "UNCTAD": "United Nations Conference on Trade and Development",
    "WTO": "World Trade Organization",
    "UPU": "Universal Postal Union",
    "UNIDO": "United Nations Industrial Development Organization",
    "WHO": "World Health Organization",
    "ILO": "International Labour Organization",
    "WMO": "World Meteorological Organization",
    "UNEP": "United Nations Environment Programme",
    "UN-Habitat": "United Nations Human Settlements Programme",
    "ICAO": "International Civil Aviation Organization",
    "FAO": "Food and Agriculture Organization of the United Nations",
    "ECLAC": "Economic Commission for Latin America and the Caribbean",
}
CIVIL_SOCIETY = {"APC"}

# Paragraphs of the Geneva Plan of Action that each action line implements.
PLAN_OF_ACTION_PARAGRAPHS = {
    "C1": 8, "C2": 9, "C3": 10, "C4": 11, "C5": 12, "C6": 13, "C7": 14,
    "C8": 23, "C9": 24, "C10": 25, "C11": 26,
}  # fmt: skip

RELATED_SDGS = {
    "C1": [16, 17], "C2": [9, 11], "C3": [4, 9, 16], "C4": [4, 8], "C5": [9, 16],
    "C6": [9, 16, 17], "C7": [8, 9], "C7-EGOV": [16], "C7-EBUS": [8, 9, 17],
    "C7-ELEARN": [4], "C7-EHEALTH": [3], "C7-EEMPLOY": [5, 8], "C7-EENV": [6, 13, 15],
    "C7-EAGRI": [2, 15], "C7-ESCI": [9, 17], "C8": [4, 11], "C9": [16],
    "C10": [5, 16], "C11": [17],
}  # fmt: skip

DEMO_USERS = [
    ("admin", "Platform", "Administrator", None, True),
    ("secretariat", "Sara", "Secretariat", SECRETARIAT, False),
    ("inventory-editor", "Ines", "Editor", INVENTORY_EDITORS, False),
    ("report-reviewer", "Rémi", "Reviewer", REPORT_REVIEWERS, False),
    ("c5-facilitator", "Cara", "Facilitator", "C5 facilitators", False),
    ("c2-facilitator", "Carl", "Facilitator", "C2 facilitators", False),
]


def load_data():
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def publish(page, user=None):
    page.save_revision(user=user, log_action=True).publish(user=user)
    return page


def child(parent, model, slug, **fields):
    """The live child of ``parent`` with ``slug``, created and published if missing."""
    existing = Page.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    publish(page)
    return page, True


def organisation(acronym, locale):
    name = ORGANISATIONS.get(acronym, acronym)
    stakeholder = (
        StakeholderType.CIVIL_SOCIETY
        if acronym in CIVIL_SOCIETY
        else StakeholderType.INTERNATIONAL_ORGANIZATION
    )
    org, _created = StakeholderOrganisation.objects.get_or_create(
        name=name,
        locale=locale,
        defaults={"acronym": acronym, "stakeholder_type": stakeholder},
    )
    return org


class DemoBuilder:
    """Builds the demo site; ``report`` collects what was created."""

    def __init__(self, today=None, stdout=None):
        self.today = today or timezone.localdate()
        self.created = []
        self.locale = Locale.get_default()

    def note(self, created, label):
        if created:
            self.created.append(label)

    @transaction.atomic
    def build(self):
        data = load_data()
        home = self.home_page()
        index, created = child(
            home,
            ActionLineIndexPage,
            "action-lines",
            title="Action lines",
            introduction=(
                "<p>The Geneva Plan of Action sets out eleven action lines. Each has a "
                "multistakeholder team, open to every stakeholder, organised by its "
                "facilitators.</p>"
            ),
        )
        self.note(created, "action line index")
        for line in data["action_lines"]:
            page = self.action_line(index, line)
            for sub in line.get("children", []):
                self.action_line(page, sub)
        self.secretariat(home)
        self.note(
            child(
                home,
                ReportIndexPage,
                "reports",
                title="Periodic reports",
                introduction=(
                    "<p>The ITU Secretary-General reports at regular intervals to the "
                    "United Nations General Assembly, through ECOSOC, on the "
                    "implementation of the WSIS outcomes, based on the stocktaking "
                    "inventory.</p>"
                ),
            )[1],
            "report index",
        )
        self.designation_history()
        self.users()
        return self.created

    def home_page(self):
        home = HomePage.objects.filter(depth=2).first()
        if home is None:
            root = Page.get_first_root_node()
            home = HomePage(title="WSIS implementation", slug="home")
            root.add_child(instance=home)
            publish(home)
            Site.objects.update_or_create(
                is_default_site=True,
                defaults={
                    "hostname": "localhost",
                    "root_page": home,
                    "site_name": "WSIS",
                },
            )
            self.note(True, "home page")
        if not home.introduction:
            home.introduction = (
                "<p>This platform runs the implementation mechanism of the World "
                "Summit on the Information Society (WSIS): a multistakeholder team "
                "for each action line of the Plan of Action, the global stocktaking "
                "inventory of WSIS activities, and the periodic reports to the UN "
                "General Assembly through ECOSOC.</p>"
            )
            publish(home)
        setup_site_root(home)
        return home

    def action_line(self, parent, line):
        code = line["code"]
        paragraph = PLAN_OF_ACTION_PARAGRAPHS.get(code.split("-")[0])
        page, created = child(
            parent,
            ActionLinePage,
            code.lower(),
            title=line["title_en"],
            code=code,
            summary=f"Action line {code} of the Geneva Plan of Action.",
            plan_of_action_reference=(
                f"Geneva Plan of Action, paragraph {paragraph}" if paragraph else ""
            ),
            sdgs=RELATED_SDGS.get(code, []),
            indicative_facilitators=[
                ActionLineFacilitator(
                    organisation=organisation(name, self.locale), role=role
                )
                for names, role in (
                    (line.get("lead", []), "lead"),
                    (line.get("interested", []), "interested"),
                )
                for name in names
            ],
        )
        self.note(created, f"action line {code}")
        if line.get("has_team", True):
            self.team(page, line)
        return page

    def team(self, line_page, line):
        code = line["code"]
        team, created = child(
            line_page,
            TeamPage,
            "team",
            title=f"{code} team",
            purpose=(
                f"<p>The multistakeholder team of action line {code} brings together "
                "governments, the private sector, civil society, international "
                "organisations, academia and the technical community to implement the "
                "action line.</p>"
            ),
            how_to_join=(
                "<p>The team is open to every stakeholder. Tell us who you are; the "
                "facilitators confirm membership by e-mail.</p>"
            ),
            contact_email=f"{code.lower()}-team@wsis.example.org",
        )
        self.note(created, f"team {code}")
        setup_team(team)
        modalities, created = child(
            team,
            ModalitiesPage,
            "modalities",
            title=f"{code} team coordination modalities",
            meeting_cadence=MeetingCadence.TWICE_YEARLY,
            decision_rule=DecisionRule.CONSENSUS,
            working_languages=["en", "fr"],
            meeting_notes=(
                "Meetings are announced at least four weeks ahead on this site and on "
                "the team's mailing list; remote participation is always offered."
            ),
            communication_channels=[
                (
                    "channel",
                    {
                        "kind": "mailing-list",
                        "label": "Team mailing list",
                        "address": f"{code.lower()}-team@wsis.example.org",
                    },
                )
            ],
            reporting_calendar=[
                (
                    "milestone",
                    {
                        "month": "2",
                        "milestone": "Annual contribution to the stocktaking inventory",
                        "description": "",
                    },
                ),
                (
                    "milestone",
                    {
                        "month": "5",
                        "milestone": "Facilitators' meeting",
                        "description": "",
                    },
                ),
            ],
        )
        self.note(created, f"modalities {code}")
        meetings, created = child(
            team, MeetingIndexPage, "meetings", title="Meetings", kind=MeetingKind.TEAM
        )
        self.note(created, f"meetings {code}")
        if code in ("C5", "C2", "C4", "C7-EHEALTH"):
            self.team_meetings(meetings, code)
        return team

    def at(self, days, hour, tz="Europe/Zurich"):
        day = self.today + datetime.timedelta(days=days)
        return datetime.datetime(
            day.year, day.month, day.day, hour, tzinfo=ZoneInfo(tz)
        )

    def team_meetings(self, index, code):
        _page, created = child(
            index,
            MeetingPage,
            "annual-meeting",
            title=f"{code} annual team meeting",
            start=self.at(-60, 10),
            end=self.at(-60, 13),
            venue="ITU headquarters, Geneva",
            online_url="https://meet.example.org/wsis",
            summary="The team's annual meeting: review of activities and work plan.",
            outcome=(
                "<p>The team reviewed the activities reported to the inventory and "
                "agreed its work plan for the coming year.</p>"
            ),
        )
        self.note(created, f"{code} past meeting")
        _page, created = child(
            index,
            MeetingPage,
            "work-plan-meeting",
            title=f"{code} work plan meeting",
            start=self.at(30, 14),
            end=self.at(30, 17),
            venue="ITU headquarters, Geneva",
            online_url="https://meet.example.org/wsis",
            summary="Open to all stakeholders: priorities for the next cycle.",
            registration_open=True,
            capacity=60,
            agenda=[
                ("item", {"title": title, "description": "", "speaker": ""})
                for title in (
                    "Opening by the facilitators",
                    "Activities reported to the inventory",
                    "Work plan for the next cycle",
                )
            ],
        )
        self.note(created, f"{code} upcoming meeting")

    def secretariat(self, home):
        section, created = child(
            home,
            SecretariatPage,
            "secretariat",
            title="WSIS secretariat",
            introduction=(
                "<p>The ITU Secretary-General convenes the facilitators' meetings and "
                "the stakeholder consultations on the designation of facilitators.</p>"
            ),
        )
        self.note(created, "secretariat section")
        facilitators, _created = child(
            section,
            MeetingIndexPage,
            "facilitators-meetings",
            title="Facilitators' meetings",
            kind=MeetingKind.FACILITATORS,
        )
        consultations, _created = child(
            section,
            MeetingIndexPage,
            "consultations",
            title="Designation consultations",
            kind=MeetingKind.CONSULTATION,
        )
        _page, created = child(
            facilitators,
            MeetingPage,
            "facilitators-meeting",
            title="Meeting of action line facilitators",
            start=self.at(-90, 9),
            end=self.at(-90, 17),
            venue="ITU headquarters, Geneva",
            summary="Overview of each team's implementation activities.",
            framework_for_teams=(
                "<p>Each team meets at least yearly, reports its activities by its "
                "annual contribution and publishes its coordination modalities.</p>"
            ),
            framework_for_inventory=(
                "<p>Teams send their annual contribution to the stocktaking inventory "
                "before the end of February.</p>"
            ),
        )
        self.note(created, "facilitators' meeting")
        _page, created = child(
            facilitators,
            MeetingPage,
            "next-facilitators-meeting",
            title="Next meeting of action line facilitators",
            start=self.at(120, 9),
            end=self.at(120, 17),
            venue="ITU headquarters, Geneva",
            online_url="https://meet.example.org/wsis",
            summary="Overview of the teams' activities and follow-up of the inventory.",
        )
        self.note(created, "next facilitators' meeting")
        c5 = ActionLinePage.objects.get(code="C5", locale=self.locale)
        consultation, created = child(
            consultations,
            MeetingPage,
            "c5-consultation",
            title="Consultation on the facilitation of action line C5",
            start=self.at(-200, 10),
            end=self.at(-200, 12),
            venue="ITU headquarters, Geneva",
            summary="Stakeholders agree a recommendation on the C5 facilitator.",
        )
        if created:
            consultation.action_lines.set([c5])
            publish(consultation)
        self.note(created, "C5 consultation")

    def designation_history(self):
        c5 = ActionLinePage.objects.get(code="C5", locale=self.locale)
        itu = organisation("ITU", self.locale)
        first, created = DesignationRound.objects.get_or_create(
            title="C5 facilitation 2006",
            defaults={
                "action_line": c5,
                "opened_on": datetime.date(2005, 12, 1),
                "status": RoundStatus.DESIGNATED,
                "recommendation_date": datetime.date(2006, 2, 24),
                "recommendation_text": "<p>The stakeholders recommend that ITU "
                "facilitate action line C5.</p>",
            },
        )
        if created:
            DesignationCandidate.objects.create(
                round=first,
                organisation=itu,
                role=FacilitatorRole.LEAD,
                response=CandidateResponse.ACCEPTS,
                needs_council_advice=True,
                needs_extra_resources=True,
                notes="ITU Council advised acceptance.",
            )
            FacilitatorDesignation.objects.create(
                round=first,
                organisation=itu,
                role=FacilitatorRole.LEAD,
                designated_on=datetime.date(2006, 5, 1),
                term_start=datetime.date(2006, 5, 1),
                term_end=datetime.date(2015, 12, 31),
            )
            first.save_revision(log_action=True)
        self.note(created, "C5 designation 2006")
        consultation = MeetingPage.objects.filter(slug="c5-consultation").first()
        second, created = DesignationRound.objects.get_or_create(
            title="C5 facilitation 2016",
            defaults={
                "action_line": c5,
                "opened_on": datetime.date(2015, 9, 1),
                "status": RoundStatus.DESIGNATED,
                "recommendation_date": datetime.date(2015, 12, 16),
                "recommendation_text": "<p>Following the WSIS+10 review, the "
                "stakeholders recommend that ITU continue to facilitate C5.</p>",
            },
        )
        if created:
            if consultation:
                second.consultations.set([consultation])
            DesignationCandidate.objects.create(
                round=second,
                organisation=itu,
                role=FacilitatorRole.LEAD,
                response=CandidateResponse.ACCEPTS,
            )
            FacilitatorDesignation.objects.create(
                round=second,
                organisation=itu,
                role=FacilitatorRole.LEAD,
                designated_on=datetime.date(2016, 1, 15),
                term_start=datetime.date(2016, 1, 1),
            )
            second.save()
            second.save_revision(log_action=True)
        self.note(created, "C5 designation 2016")

    def users(self):
        User = get_user_model()
        for username, first, last, group_name, is_superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@wsis.example.org",
                    "is_superuser": is_superuser,
                    "is_staff": is_superuser,
                },
            )
            if created:
                user.set_unusable_password()
                user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            self.note(created, f"user {username}")


def ensure_demo_report(year):
    """A published report for ``year``'s cycle, assembled from the inventory."""
    from reporting.assembly import assemble_and_save
    from reporting.models import ReportPage, default_period

    index = ReportIndexPage.objects.first()
    start, end = default_period(year)
    if index is None or ReportPage.objects.filter(period_start=start).exists():
        return None
    label = str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
    report = ReportPage(
        title=f"Implementation of the WSIS outcomes: report for {label}",
        slug=f"report-{label}",
        period_start=start,
        period_end=end,
        document_symbol=f"A/{start.year - 1945}/64-E/{start.year + 1}/12",
        summary=(
            "<p>This report describes the activities that the action line teams "
            "and stakeholders carried out in the period, as recorded in the "
            "stocktaking inventory of WSIS activities.</p>"
        ),
        live=False,
    )
    index.add_child(instance=report)
    assemble_and_save(report).publish()
    return report
