"""Demo content.

The action-line tree of the Plan of Action, built from data, with the mechanism running
in it (designations, members, meetings).

Used by ``seed_demo``. Everything is looked up before it is created, so running it
again leaves existing content (and editors' changes to it) alone.
"""

import datetime
import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from action_lines.choices import (
    DecisionRule,
    FrameworkScope,
    MeetingCadence,
    MeetingKind,
)
from action_lines.models import (
    ActionLineFacilitator,
    ActionLineIndexPage,
    ActionLinePage,
    FrameworkPage,
    MeetingIndexPage,
    MeetingPage,
    ModalitiesPage,
    SecretariatPage,
    TeamPage,
)
from action_lines.teams import setup_team
from home.models import AboutPage, HomePage, HomePageFeaturedEntry
from home.roles import (
    INVENTORY_EDITORS,
    REPORT_REVIEWERS,
    SECRETARIAT,
    setup_site_root,
)
from inventory.models import InventoryEntry
from reporting.models import ReportIndexPage

from . import mechanism
from .activities import LINES
from .organisations import DATA_FILE, facilitator

# Paragraphs of the Geneva Plan of Action that each action line implements.
PLAN_OF_ACTION_PARAGRAPHS = {
    "C1": 8, "C2": 9, "C3": 10, "C4": 11, "C5": 12, "C6": 13, "C7": 14,
    "C8": 23, "C9": 24, "C10": 25, "C11": 26,
}  # fmt: skip
C7_SUMMARY = (
    "ICT applications that benefit every aspect of life: government, business, "
    "learning, health, employment, environment, agriculture and science."
)

ABOUT_SECTIONS = [
    ("heading", {"text": "Teams open to every stakeholder", "level": "h2"}),
    (
        "paragraph",
        "Each action line, C1 to C11 (C7 has eight sub-lines, from e-government to "
        "e-science), has a multistakeholder team. Governments, businesses, civil "
        "society, international organisations, academia and the technical "
        "community can all join it. Its facilitators, often United Nations "
        "agencies, organise the team's work: they call meetings open to all and "
        "publish how the team works, its coordination modalities.",
    ),
    ("heading", {"text": "Facilitators chosen by agreement", "level": "h2"}),
    (
        "paragraph",
        "The ITU Secretary-General convenes consultations in which stakeholders "
        "agree who should facilitate each team. Facilitating takes time and "
        "resources, so the candidates agree among themselves; nobody designates "
        "itself. The secretariat keeps the record of every designation and its "
        "term.",
    ),
    ("heading", {"text": "One inventory of what is done", "level": "h2"}),
    (
        "paragraph",
        "The stocktaking inventory lists what stakeholders and teams actually do: "
        "projects, programmes, trainings, guidelines and more. Anyone can submit "
        "an activity; editors check each one before it is published, and every "
        "team sends an annual contribution. The inventory is open data: search "
        "it here, or download it as CSV or JSON.",
    ),
    ("heading", {"text": "Reports to the General Assembly", "level": "h2"}),
    (
        "paragraph",
        "At regular intervals the ITU Secretary-General reports on the "
        "implementation to the UN General Assembly, through the Economic and "
        "Social Council. Each report's figures are assembled from the published "
        "inventory and frozen with the report, so that every number leads back "
        "to the activities behind it.",
    ),
    ("heading", {"text": "The secretariat", "level": "h2"}),
    (
        "paragraph",
        "ITU's WSIS secretariat runs this platform and the inventory's database. "
        "It convenes the facilitators' meetings, which set the common framework "
        "of the teams' work and of the follow-up of the inventory.",
    ),
]

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
    """Return the child of ``parent`` with ``slug``, created and published if missing."""
    existing = Page.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    publish(page)
    return page, True


def organisation(acronym, locale):
    return mechanism.ensure_organisation(facilitator(acronym), locale)


class DemoBuilder:
    """Builds the demo site; ``build`` returns what was created."""

    def __init__(self, today=None):
        self.today = today or timezone.localdate()
        self.created = []
        self.locale = Locale.get_default()
        self.teams = {}

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
        self.users()
        consultations = self.secretariat(home)
        for line in data["action_lines"]:
            page = self.action_line(index, line, consultations)
            for sub in line.get("children", []):
                self.action_line(page, sub, consultations)
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
        self.about(home)
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

    def action_line(self, parent, line, consultations):
        code = line["code"]
        paragraph = PLAN_OF_ACTION_PARAGRAPHS.get(code.split("-")[0])
        details = LINES.get(code)
        page, created = child(
            parent,
            ActionLinePage,
            code.lower(),
            title=line["title_en"],
            code=code,
            summary=details.summary if details else C7_SUMMARY,
            plan_of_action_reference=(
                f"Geneva Plan of Action, paragraph {paragraph}" if paragraph else ""
            ),
            sdgs=sorted(details.sdgs) if details else [8, 9],
            description=[("paragraph", self.description(code, details))],
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
        self.created += mechanism.designation_history(
            page, line.get("lead", []), consultations
        )
        if line.get("has_team", True):
            self.team(page, line)
        return page

    @staticmethod
    def description(code, details):
        search = f"/inventory/?action_line={code}"
        if details is None:
            return (
                "<p>Each of the eight sub-lines of C7 has its own team. Their "
                f'activities are listed in the <a href="{search}">stocktaking '
                "inventory</a>.</p>"
            )
        return (
            f"<p>{details.scope}</p><p>The team's current priorities are "
            f"{mechanism.in_words(details.focus)}. Its activities, and those of every "
            f'stakeholder under this action line, are listed in the <a href="{search}">'
            "stocktaking inventory</a>.</p>"
        )

    def team(self, line_page, line):
        code = line["code"]
        details = LINES[code]
        focus = mechanism.in_words(details.focus)
        team, created = child(
            line_page,
            TeamPage,
            "team",
            title=f"{code} team",
            purpose=(
                f"<p>The multistakeholder team of action line {code} brings together "
                "governments, the private sector, civil society, international "
                "organisations, academia and the technical community to implement the "
                f"action line. Its current priorities are {focus}.</p>"
            ),
            how_to_join=(
                "<p>The team is open to every stakeholder. Tell us who you are; the "
                "facilitators confirm membership by e-mail.</p>"
            ),
            contact_email=f"{code.lower()}-team@wsis.example.org",
        )
        self.note(created, f"team {code}")
        setup_team(team)
        self.teams[code] = team
        lead = mechanism.team_lead(code)
        modalities, created = child(
            team,
            ModalitiesPage,
            "modalities",
            title=f"{code} team coordination modalities",
            meeting_cadence=MeetingCadence.TWICE_YEARLY,
            decision_rule=DecisionRule.CONSENSUS,
            working_languages=["en", "fr"],
            meeting_notes=(
                "The team meets twice a year: in person during the WSIS Forum in "
                "Geneva, and online in November. Meetings are announced at least four "
                "weeks ahead on this site and on the team's mailing list; remote "
                "participation is always offered."
            ),
            decision_notes=(
                "Decisions are taken by consensus of the members present; the "
                "facilitators record them in the minutes of each meeting."
            ),
            focal_point_organisation=organisation(lead, self.locale),
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
                        "milestone": "Team meeting and facilitators' meeting at the WSIS Forum",
                        "description": "",
                    },
                ),
                (
                    "milestone",
                    {
                        "month": "11",
                        "milestone": "Online meeting: work plan for the next year",
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
        self.created += mechanism.team_meetings(
            meetings, code, len(self.teams) - 1, self.today, child
        )
        facilitators = mechanism.demo_facilitators()
        self.created += mechanism.team_membership(
            team, code, self.today, decided_by=facilitators.get(code)
        )
        return team

    def secretariat(self, home):
        """Build the secretariat section, its meetings and the consultations.

        The secretariat section, its meetings, and the consultations on the
        designation of facilitators ({year of the designations: meeting}).
        """
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
        index, _created = child(
            section,
            MeetingIndexPage,
            "consultations",
            title="Designation consultations",
            kind=MeetingKind.CONSULTATION,
        )
        self.created += mechanism.facilitators_meetings(
            facilitators, self.today, child, sorted(LINES)
        )
        self.frameworks(section, facilitators)
        consultations = {}
        for year, _opened, consulted, *_rest in mechanism.DESIGNATIONS:
            day = datetime.date(*consulted)
            start = mechanism.at(day, 10, mechanism.GENEVA)
            after = "the Tunis Agenda" if year == 2006 else "the WSIS+10 review"
            page, created = child(
                index,
                MeetingPage,
                f"facilitation-consultation-{day.year}",
                title=f"Consultation on the facilitation of the action lines, {day.year}",
                start=start,
                end=start + datetime.timedelta(hours=5),
                time_zone=mechanism.GENEVA,
                venue="ITU headquarters, Geneva",
                summary=(
                    f"Stakeholders and the candidate organisations consult, after "
                    f"{after}, on who should facilitate each action line team."
                ),
                outcome=(
                    "<p>The candidate organisations named in the annex of the Tunis "
                    "Agenda confirmed that they are willing to facilitate their action "
                    "lines. They agreed among themselves on a lead facilitator for each "
                    "line, and on a recommendation to the United Nations "
                    "Secretary-General.</p>"
                ),
            )
            consultations[year] = page
            self.note(created, f"consultation {day.year}")
        return consultations

    def frameworks(self, section, facilitators):
        """Build the two frameworks in force, as the latest meeting set them.

        The two frameworks in force, as the latest facilitators' meeting that
        agreed them set them.
        """
        meeting = (
            MeetingPage.objects.child_of(facilitators)
            .filter(start__date__lt=self.today)
            .exclude(framework_for_teams="")
            .order_by("-start")
            .first()
        )
        if meeting is None:
            return
        meeting = meeting.specific
        for slug, title, scope, text in (
            (
                "teams-framework",
                "General framework of the teams' activities",
                FrameworkScope.TEAMS,
                meeting.framework_for_teams,
            ),
            (
                "inventory-framework",
                "Framework for the follow-up of the inventory",
                FrameworkScope.INVENTORY,
                meeting.framework_for_inventory,
            ),
        ):
            _page, created = child(
                section,
                FrameworkPage,
                slug,
                title=title,
                scope=scope,
                adopted_at=meeting,
                text=text,
            )
            self.note(created, title)

    def about(self, home):
        _page, created = child(
            home,
            AboutPage,
            "about",
            title="About the mechanism",
            introduction=(
                "<p>The World Summit on the Information Society (Geneva 2003, Tunis "
                "2005) adopted a Plan of Action of eleven action lines. This site is "
                "where the people who carry them out work in the open: every action "
                "line has a team that any stakeholder can join, every activity is "
                "recorded in a public inventory, and progress is reported to the "
                "United Nations General Assembly.</p>"
            ),
            body=[
                (kind, RichText(f"<p>{value}</p>") if kind == "paragraph" else value)
                for kind, value in ABOUT_SECTIONS
            ],
        )
        self.note(created, "about page")

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
                group, _created = Group.objects.get_or_create(name=group_name)
                user.groups.add(group)
            self.note(created, f"user {username}")


def ensure_featured_entries(count=4):
    """Return the home page's featured activities, if the editors have chosen none.

    The first published entries of distinct action lines.
    """
    home = HomePage.objects.filter(depth=2).first()
    if home is None or home.featured_entries.exists():
        return []

    chosen, lines = [], set()
    for entry in InventoryEntry.objects.filter(live=True).order_by("pk")[:200]:
        if entry.action_lines and entry.action_lines[0] not in lines:
            lines.add(entry.action_lines[0])
            chosen.append(entry)
        if len(chosen) == count:
            break
    if chosen:
        home.featured_entries = [HomePageFeaturedEntry(entry=entry) for entry in chosen]
        publish(home)
    return chosen
