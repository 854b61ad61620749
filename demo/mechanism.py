"""How the demo's mechanism has run.

Facilitator designations, team members, meetings with their minutes, and the teams'
annual contributions.

Each function looks up what it would create first, so running it again leaves
existing content (and editors' changes to it) alone. Dates follow the day the
demo is built: meetings are past or upcoming relative to it.
"""

import calendar
import datetime
import random
from html import escape
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from wagtail.models import Locale

from action_lines.choices import (
    AdviceOutcome,
    CandidateCondition,
    CandidateResponse,
    FacilitatorRole,
    RequestStatus,
    RoundStatus,
)
from action_lines.models import (
    CouncilAdvice,
    DesignationCandidate,
    DesignationRound,
    FacilitatorDesignation,
    MeetingPage,
    TeamMembership,
    TeamMembershipRequest,
)
from action_lines.rounds import TRANSITIONS, log_step
from home.models import StakeholderOrganisation
from inventory.cycles import current_cycle, cycle_containing
from inventory.models import AnnualContribution, InventoryEntry

from .activities import LINES
from .organisations import (
    FACILITATORS,
    PRIVATE,
    ROLES,
    facilitator,
    indicative_facilitators,
    national,
    team_members,
)
from .places import COUNTRIES
from .synthetic import NAMES, ascii_slug

GENEVA = "Europe/Zurich"
PRIVATE_ROLES = {
    name for name, role in ROLES.items() if role.stakeholder_type == PRIVATE
}
DESIGNATIONS = [
    # title year, opened, consultation, recommended, designated, term start, term end
    (2006, (2005, 12, 1), (2006, 2, 24), (2006, 2, 24), (2006, 5, 1), (2006, 5, 1), (2015, 12, 31)),
    (2016, (2015, 9, 1), (2015, 11, 18), (2015, 12, 16), (2016, 1, 15), (2016, 1, 1), None),
]  # fmt: skip


def long_date(day):
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def text(value):
    """Plain text inside the rich text the demo writes."""
    return escape(value, quote=False)


def capitalised(value):
    return value[:1].upper() + value[1:]


def in_words(items):
    items = list(items)
    if len(items) < 3:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def ensure_organisation(organisation, locale=None):
    """Return the StakeholderOrganisation row of a demo ``Organisation``."""
    row, _created = StakeholderOrganisation.objects.get_or_create(
        name=organisation.name,
        locale=locale or Locale.get_default(),
        defaults=organisation.fields,
    )
    return row


# --- Designations ---------------------------------------------------------------


def designate(
    action_line,
    title,
    *,
    opened_on,
    consulted_on,
    recommended_on,
    designated_on,
    term,
    candidates,
    recommendation,
    consultations=(),
):
    """Return a designation round that ended in designations.

    Each candidate agreed and is designated for ``term`` (start, end or None).
    ``candidates`` are (organisation, role, needs its council's advice): such a
    candidate accepts on that condition, and its council's favourable advice is
    recorded ten days before the designation. Built through the round's own model
    API, and its steps logged on their days as the secretariat would have moved it,
    so that the public history of the round reads as it happened. Returns the round
    and whether it was created.
    """
    existing = DesignationRound.objects.filter(
        action_line=action_line, title=title
    ).first()
    if existing is not None:
        return existing, False
    term_start, term_end = term
    designation_round = DesignationRound(
        action_line=action_line,
        title=title,
        opened_on=opened_on,
        status=RoundStatus.DESIGNATED,
        recommendation_date=recommended_on,
        recommendation_sent_on=recommended_on,
        recommendation_text=recommendation,
        candidates=[
            DesignationCandidate(
                organisation=organisation,
                role=role,
                response=CandidateResponse.ACCEPTS,
                conditions=[CandidateCondition.COUNCIL_ADVICE] if advice else [],
            )
            for organisation, role, advice in candidates
        ],
        council_advice=[
            CouncilAdvice(
                organisation=organisation,
                date=designated_on - datetime.timedelta(days=10),
                outcome=AdviceOutcome.FAVOURABLE,
                notes="Its Council advised acceptance, within existing resources.",
            )
            for organisation, _role, advice in candidates
            if advice
        ],
        designations=[
            FacilitatorDesignation(
                organisation=organisation,
                role=role,
                designated_on=designated_on,
                term_start=term_start,
                term_end=term_end,
            )
            for organisation, role, _advice in candidates
        ],
    )
    designation_round.consultations = list(consultations)
    designation_round.full_clean()
    designation_round.save()
    designation_round.save_revision(log_action=True)
    previous = RoundStatus.OPEN
    for name, day, hour in (
        ("consult", consulted_on, 10),
        ("agree", consulted_on, 16),
        ("recommend", recommended_on, 17),
        ("designate", designated_on, 12),
    ):
        transition = TRANSITIONS[name]
        log_step(
            designation_round,
            transition,
            previous,
            None,
            timestamp=at(day, hour, GENEVA),
        )
        previous = transition.target
    return designation_round, True


def designation_history(action_line, lead, consultations):
    """Return the action line's rounds.

    The first designations after the Tunis Agenda, and their renewal after the
    WSIS+10 review, with the organisations the annex names (the first as lead
    facilitator, the others as co-facilitators).
    """
    created = []
    if not lead:
        return created
    for year, opened, consulted, recommended, designated, start, end in DESIGNATIONS:
        organisations = [ensure_organisation(facilitator(name)) for name in lead]
        names = [FACILITATORS[name][0] for name in lead]
        if len(names) == 1:
            agreed = f"{names[0]} facilitate action line {action_line.code}"
        else:
            agreed = (
                f"{names[0]} lead the facilitation of action line {action_line.code}, "
                f"with {in_words(names[1:])} as co-facilitators"
            )
        when = "Following the WSIS+10 review, the" if year == 2016 else "The"
        _round, made = designate(
            action_line,
            f"{action_line.code} facilitation {year}",
            opened_on=datetime.date(*opened),
            consulted_on=datetime.date(*consulted),
            recommended_on=datetime.date(*recommended),
            designated_on=datetime.date(*designated),
            term=(datetime.date(*start), datetime.date(*end) if end else None),
            candidates=[
                (
                    organisation,
                    FacilitatorRole.LEAD
                    if index == 0
                    else FacilitatorRole.CO_FACILITATOR,
                    name == "ITU" and year == 2006,
                )
                for index, (organisation, name) in enumerate(
                    zip(organisations, lead, strict=True)
                )
            ],
            recommendation=(
                f"<p>{when} candidates agreed that {agreed}, and recommend these "
                "designations to the United Nations Secretary-General.</p>"
            ),
            consultations=[consultations[year]] if year in consultations else [],
        )
        if made:
            created.append(f"{action_line.code} designation {year}")
    return created


# --- Members ------------------------------------------------------------------------


def person(pick, organisation):
    region = (
        COUNTRIES[organisation.country].region
        if organisation.country
        else pick.choice(sorted(NAMES))
    )
    first_names, last_names = NAMES[region]
    first, last = pick.choice(first_names), pick.choice(last_names)
    return f"{first} {last}", f"{ascii_slug(first)}.{ascii_slug(last)}@example.org"


def team_membership(team, code, today, decided_by=None):
    """Return the team's members, each accepted on a join request.

    For the teams with a demo facilitator, two requests still waiting for a
    decision.
    """
    pick = random.Random(f"join requests of {code}")  # noqa: S311 - demo data
    if team.memberships.exists():
        return []
    for index, member in enumerate(team_members(code)):
        organisation = ensure_organisation(member, team.locale)
        name, email = person(pick, member)
        joined = timezone.make_aware(
            datetime.datetime(
                today.year - 1 - index % 9, pick.randint(1, 12), pick.randint(1, 28), 10
            )
        )
        country = member.country or FACILITATORS[organisation.acronym][2]
        request = TeamMembershipRequest.objects.create(
            team=team,
            organisation_name=organisation.name,
            person_name=name,
            email=email,
            stakeholder_type=member.stakeholder_type,
            country=country,
            message=f"{organisation.name} would like to take part in the team's work.",
            status=RequestStatus.ACCEPTED,
            decided_by=decided_by,
            decision_note="Welcome to the team.",
            organisation=organisation,
        )
        decided = joined + datetime.timedelta(days=pick.randint(1, 12))
        TeamMembershipRequest.objects.filter(pk=request.pk).update(
            created_at=joined, decided_at=decided
        )
        membership = TeamMembership.objects.create(team=team, organisation=organisation)
        TeamMembership.objects.filter(pk=membership.pk).update(since=decided.date())
    if decided_by is not None:
        for role, country in pick.sample(
            [
                ("university", "GHA"),
                ("isoc", "NPL"),
                ("telecom", "PER"),
                ("rights", "KEN"),
            ],
            2,
        ):
            candidate = national(role, country)
            name, email = person(pick, candidate)
            request = TeamMembershipRequest.objects.create(
                team=team,
                organisation_name=candidate.name,
                person_name=name,
                email=email,
                stakeholder_type=candidate.stakeholder_type,
                country=country,
                message=(
                    f"We work on {LINES[code].focus[0]} and would like to join the team."
                ),
            )
            sent = timezone.make_aware(
                datetime.datetime(today.year, today.month, today.day, 9)
                - datetime.timedelta(days=pick.randint(2, 20))
            )
            TeamMembershipRequest.objects.filter(pk=request.pk).update(created_at=sent)
    return [f"{code} members"]


# --- Meetings -----------------------------------------------------------------------


def wsis_forum(year):
    """Return the Tuesday of the last full week of May.

    When the demo's WSIS Forum opens.
    """
    day = datetime.date(year, 5, 31)
    day -= datetime.timedelta(days=(day.weekday() - 1) % 7)
    return day - datetime.timedelta(days=7) if day.day > 25 else day


def autumn_meeting(year):
    """Return the second Wednesday of November."""
    day = datetime.date(year, 11, 1)
    day += datetime.timedelta(days=(2 - day.weekday()) % 7)
    return day + datetime.timedelta(days=7)


def at(day, hour, zone):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(zone))


def team_meeting_days(today, team_index):
    """[(kind, day, is past)]: the team's two latest meetings, then its next one.

    Teams meet twice a year: during the WSIS Forum in May (not all on its first day)
    and online in November.
    """
    days = []
    for year in range(today.year - 2, today.year + 2):
        forum = wsis_forum(year) + datetime.timedelta(days=team_index % 3)
        days += [("forum", forum), ("online", autumn_meeting(year))]
    past = [(kind, day, True) for kind, day in days if day < today][-2:]
    upcoming = [(kind, day, False) for kind, day in days if day >= today][:1]
    return past + upcoming


def team_meetings(index, code, team_index, today, child):
    """Return the team's two latest meetings, with their minutes, and its next one."""
    line = LINES[code]
    zone = FACILITATORS[team_lead(code)][3] or GENEVA
    members = list(team_members(code))
    online_url = f"https://meet.example.org/wsis-{code.lower()}"
    created = []
    for kind, day, is_past in team_meeting_days(today, team_index):
        if kind == "forum":
            slug = f"wsis-forum-{day.year}"
            fields = {
                "title": f"{code} team meeting at the WSIS Forum {day.year}",
                "start": at(day, 9 + 2 * (team_index % 4), GENEVA),
                "time_zone": GENEVA,
                "venue": "ITU headquarters, Geneva",
                "capacity": 80,
                "summary": (
                    "The team's annual meeting during the WSIS Forum: what members did "
                    f"in {day.year - 1}, progress on the team's priorities, and the "
                    "report of the facilitators."
                ),
            }
        else:
            slug = f"online-{day.year}-11"
            fields = {
                "title": f"{code} team online meeting: work plan for {day.year + 1}",
                "start": at(day, 14 if zone.startswith("Europe") else 9, zone),
                "time_zone": zone,
                "summary": (
                    f"Open to all stakeholders: the team's priorities and work plan for "
                    f"{day.year + 1}, and the members' activities to report to the "
                    "stocktaking inventory."
                ),
            }
        _page, made = child(
            index,
            MeetingPage,
            slug,
            end=fields["start"] + datetime.timedelta(hours=2),
            online_url=online_url,
            agenda=[("item", item) for item in meeting_agenda(kind, day, line)],
            outcome=minutes(code, kind, day, members) if is_past else "",
            registration_open=not is_past,
            **fields,
        )
        if made:
            created.append(f"{code} meeting {slug}")
    return created


def team_lead(code):
    """Return the facilitator that chairs the team.

    The first of the annex's list that is an organisation of its own (not the UN
    Regional Commissions).
    """
    lead = indicative_facilitators()[code][0]
    return next((name for name in lead if FACILITATORS[name][1]), "ITU")


def meeting_agenda(kind, day, line):
    if kind == "forum":
        titles = [
            ("Opening and adoption of the agenda", "The facilitators"),
            (f"Members' activities in {day.year - 1}", "Members"),
            (f"Progress on {line.focus[0]}", ""),
            (f"Progress on {line.focus[1]}", ""),
            ("Report of the facilitators' meeting", "The facilitators"),
            ("Any other business", ""),
        ]
    else:
        titles = [
            ("Opening and adoption of the agenda", "The facilitators"),
            (
                f"Activities to report to the stocktaking inventory for {day.year}",
                "Members",
            ),
            (f"Work plan for {day.year + 1}", "The facilitators"),
            (f"Session proposals for the WSIS Forum {day.year + 1}", ""),
            ("Any other business", ""),
        ]
    return [
        {"title": title, "description": "", "speaker": speaker}
        for title, speaker in titles
    ]


def minutes(code, kind, day, members):
    """Minutes that read like a team's: attendance, decisions, action points."""
    pick = random.Random(f"minutes of {code} {kind} {day}")  # noqa: S311 - demo data
    line = LINES[code]
    lead = team_lead(code)
    present = pick.sample(members, min(len(members), pick.randint(5, 8)))
    names = sorted(text(member.name) for member in present)
    # A public body, a university or an association leads the working group.
    leaders = [member for member in present if member.role not in PRIVATE_ROLES]
    first = (leaders or present)[0]
    second = next((member for member in present if member != first), first)
    participants = pick.randint(18, 65) if kind == "forum" else pick.randint(12, 40)
    online = pick.randint(4, participants // 2)
    focus = list(line.focus)
    pick.shuffle(focus)
    deadline = cycle_containing(day.year).deadline
    related = LINES[code].related[0] if line.related else code
    if kind == "forum":
        summary = (
            f"The team met during the WSIS Forum {day.year}. Members presented the "
            f"activities they carried out in {day.year - 1}, and the facilitators "
            "reported on the meeting of action line facilitators of "
            f"{long_date(wsis_forum(day.year) - datetime.timedelta(days=1))}."
        )
        decisions = [
            f"The team confirmed its priorities for {day.year}: {in_words(focus[:3])}.",
            f"{capitalised(text(first.the_name))} will lead a working group on "
            f"{focus[0]}; members may join it by writing to the team's mailing list.",
            "The team's coordination modalities remain unchanged.",
        ]
        actions = [
            (
                "The facilitators",
                "circulate these minutes to the mailing list",
                day + datetime.timedelta(days=10),
            ),
            (
                text(first.name),
                f"send the working group's terms of reference on {focus[0]}",
                day + datetime.timedelta(days=45),
            ),
            (
                "All members",
                f"report their {day.year} activities to the stocktaking inventory",
                deadline,
            ),
        ]
    else:
        summary = (
            f"The team reviewed the activities that members will report for {day.year} "
            f"and discussed its work plan for {day.year + 1}."
        )
        decisions = [
            f"The team adopted its work plan for {day.year + 1}, built around "
            f"{in_words(focus[:2])}.",
            f"The team will propose a session on {focus[-1]} for the WSIS Forum "
            f"{day.year + 1}.",
            f"The facilitators will explore a joint activity with the {related} team.",
        ]
        actions = [
            (
                "The facilitators",
                f"publish the work plan for {day.year + 1}",
                day + datetime.timedelta(days=21),
            ),
            (
                text(second.name),
                f"draft the session proposal on {focus[-1]}",
                day + datetime.timedelta(days=60),
            ),
            (
                "All members",
                f"report their {day.year} activities to the stocktaking inventory",
                deadline,
            ),
        ]
    attendance = (
        f"<p><b>Attendance.</b> {participants} participants, {online} of them online, "
        f"from governments, the private sector, civil society, international "
        f"organizations, academia and the technical community. Organizations "
        f"present included {in_words(names)}. Chair: {lead}, lead facilitator of the "
        "team.</p>"
    )
    return (
        attendance
        + f"<p><b>Summary.</b> {summary}</p>"
        + "<p><b>Decisions</b></p><ol>"
        + "".join(f"<li>{decision}</li>" for decision in decisions)
        + "</ol><p><b>Action points</b></p><ul>"
        + "".join(
            f"<li>{who}: {what}, by {long_date(when)}.</li>"
            for who, what, when in actions
        )
        + "</ul>"
    )


def facilitators_meetings(index, today, child, codes):
    """Return the facilitators' meetings at the WSIS Forum.

    The three latest, with their outcome and the framework they agreed, and the next
    one.
    """
    created = []
    years = range(today.year - 3, today.year + 2)
    past = [
        year for year in years if wsis_forum(year) - datetime.timedelta(days=1) < today
    ][-3:]
    upcoming = [
        year for year in years if wsis_forum(year) - datetime.timedelta(days=1) >= today
    ][:1]
    for year in past + upcoming:
        day = wsis_forum(year) - datetime.timedelta(days=1)
        start = at(day, 14, GENEVA)
        is_past = year in past
        pick = random.Random(f"facilitators' meeting {year}")  # noqa: S311
        fields = {}
        if is_past:
            present = pick.randint(12, 17)
            fields = {
                "outcome": (
                    f"<p><b>Attendance.</b> Facilitators of {present} of the 18 teams, "
                    "the WSIS secretariat and observers from the UN Regional "
                    "Commissions. Chair: the ITU Secretary-General's representative.</p>"
                    "<p><b>Summary.</b> Each team reported on its implementation "
                    f"activities in {year - 1}; the meeting reviewed the contributions "
                    f"received for {year - 1} and the figures of the stocktaking "
                    "inventory.</p>"
                    "<p><b>Decisions</b></p><ol>"
                    f"<li>The teams send their annual contribution for {year} by "
                    f"{long_date(cycle_containing(year).deadline)}.</li>"
                    "<li>The secretariat prepares the report to the General Assembly "
                    "through ECOSOC from the published inventory.</li>"
                    "<li>Joint sessions of the {} and {} teams at the next WSIS "
                    "Forum are encouraged.</li></ol>".format(*pick.sample(codes, 2))
                ),
                "framework_for_teams": (
                    "<p>Each team meets at least twice a year, once during the WSIS "
                    "Forum, publishes its coordination modalities and keeps its "
                    "meetings open to all stakeholders, with remote participation.</p>"
                ),
                "framework_for_inventory": (
                    "<p>Teams report their members' activities to the stocktaking "
                    "inventory as they happen and send their annual contribution "
                    f"before the end of February; entries reported for {year} are "
                    "reviewed by the inventory editors within a month.</p>"
                ),
            }
        _page, made = child(
            index,
            MeetingPage,
            f"facilitators-meeting-{year}",
            title=f"Meeting of action line facilitators, WSIS Forum {year}",
            start=start,
            end=start + datetime.timedelta(hours=3),
            time_zone=GENEVA,
            venue="ITU headquarters, Geneva",
            online_url="https://meet.example.org/wsis-facilitators",
            summary=(
                "The facilitators of the action line teams give an overview of their "
                "implementation activities and agree on the framework of the teams' "
                "work and of the follow-up of the stocktaking inventory."
            ),
            agenda=[
                ("item", {"title": title, "description": "", "speaker": ""})
                for title in (
                    "Opening by the WSIS secretariat",
                    f"Implementation activities of the teams in {year - 1}",
                    "The stocktaking inventory: contributions and figures",
                    "Framework for the teams and for the inventory",
                    "Preparation of the report to the General Assembly",
                )
            ],
            **fields,
        )
        if made:
            created.append(f"facilitators' meeting {year}")
    return created


# --- Annual contributions -----------------------------------------------------------

MISSED = {("C7-ESCI", 3), ("C10", 2)}  # (team, cycles ago): contributions not sent
DIFFICULTIES = [
    "few members answered the call for activities",
    "members from developing countries lacked funding to attend the WSIS Forum",
    "entries reported in earlier years were not kept up to date",
    "the team's documents are available in English only",
]


def annual_contributions(teams, today=None, facilitators=None):
    """Create each team's contributions for the last three cycles.

    Each team's contribution for the last three cycles (two teams missed one), with
    the entries it reported and a narrative; drafts for the current cycle for the
    teams with a demo facilitator.
    """
    today = today or timezone.localdate()
    facilitators = facilitators or {}
    cycle = current_cycle(today)
    cycles = []
    for _ in range(3):
        cycle = cycle.previous()
        cycles.append(cycle)
    created = []
    for code, team in teams.items():
        for ago, cycle in enumerate(cycles, start=1):
            if (code, ago) in MISSED:
                continue
            contribution, made = contribution_for(
                team, code, cycle, facilitators.get(code), submitted=True
            )
            if made:
                created.append(f"{code} contribution {cycle.label}")
        if code in facilitators:
            _contribution, made = contribution_for(
                team, code, current_cycle(today), facilitators[code], submitted=False
            )
            if made:
                created.append(f"{code} draft contribution")
    return created


def contribution_for(team, code, cycle, user, submitted):
    existing = AnnualContribution.objects.filter(
        team=team, year=cycle.last_year
    ).first()
    if existing is not None:
        return existing, False
    pick = random.Random(f"contribution of {code} {cycle.label}")  # noqa: S311
    entries = list(
        InventoryEntry.objects.filter(
            team=team, live=True, reporting_year__in=cycle.years
        ).order_by("reference")
    )
    contribution = AnnualContribution.objects.create(
        team=team,
        year=cycle.last_year,
        narrative=narrative(code, cycle, entries, pick, submitted),
        submitted_at=(
            timezone.make_aware(
                datetime.datetime(
                    cycle.last_year + 1, pick.choice((1, 2)), pick.randint(5, 25), 11
                )
            )
            if submitted
            else None
        ),
        submitted_by=user if submitted else None,
    )
    contribution.entries.set(entries)
    return contribution, True


def narrative(code, cycle, entries, pick, submitted):
    line = LINES[code]
    members = len(team_members(code))
    focus = list(line.focus)
    html = (
        f"<p>In {cycle.label} the {code} team met twice, at the WSIS Forum in Geneva "
        f"and online in November, and {members} member organizations took part in "
        f"its work, which focused on {in_words(focus[:2])}.</p>"
    )
    if entries:
        count = len(entries)
        html += (
            f"<p>Members and facilitators reported {count} "
            f"{'activity' if count == 1 else 'activities'} to the stocktaking "
            "inventory, among them:</p><ul>"
            + "".join(
                f"<li>{text(entry.title)} ({entry.get_status_display().lower()})</li>"
                for entry in entries[:4]
            )
            + "</ul>"
        )
    else:
        html += (
            "<p>No new activity was reported to the inventory for the period; the "
            "facilitators will call on members to report theirs.</p>"
        )
    if submitted:
        html += (
            f"<p>Difficulties: {pick.choice(DIFFICULTIES)}.</p>"
            f"<p>Plans for {cycle.last_year + 1}: {in_words(focus[1:3])}, and a "
            "session at the WSIS Forum.</p>"
        )
    return html


def demo_facilitators():
    """Return {action line code: the demo user who facilitates its team}."""
    users = get_user_model().objects.filter(username__endswith="-facilitator")
    return {user.username.split("-")[0].upper(): user for user in users}
