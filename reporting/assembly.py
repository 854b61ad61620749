"""Assembling a report's figures from the published inventory, for its period.

Every figure is counted from an inventory query (``InventoryQuery``, the one the
public search parses) and comes with that query's link, so the link reproduces
the figure by construction. A report counts the active entries (not those the
freshness cycle made inactive) whose activity runs during its period, within its
scope (region, action line, SDG, stakeholder type). The assembly keeps the list
of entries it counted: stored in the report's revision, the figures never change
when the inventory changes later.
"""

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from action_lines.choices import MeetingKind
from action_lines.models import MeetingPage
from action_lines.teams import team_codes
from home.choices import SDG, StakeholderType
from home.countries import country_name
from inventory.choices import (
    ActionLineCode,
    ActivityStatus,
    ActivityType,
    Freshness,
    Region,
)
from inventory.contributions import contribution_status
from inventory.cycles import cycle_containing
from inventory.models import EntryFacetValue
from inventory.search import DatabaseEngine, InventoryQuery

FORMAT_VERSION = 2
# What a report counts of the freshness cycle: entries flagged inactive are
# left out (and their number stated).
COUNTED_FRESHNESS = (Freshness.CURRENT, Freshness.STALE)
# Titles, and the progress messages below, are stored in English (frozen figures,
# assembly status) and translated where they are shown.
BREAKDOWNS = [
    (
        "action_line",
        gettext_noop("Activities by action line"),
        dict(ActionLineCode.choices),
    ),
    ("region", gettext_noop("Activities by ITU region"), dict(Region.choices)),
    (
        "stakeholder",
        gettext_noop("Activities by stakeholder type"),
        dict(StakeholderType.choices),
    ),
    ("type", gettext_noop("Activities by type"), dict(ActivityType.choices)),
    (
        "sdg",
        gettext_noop("Activities by Sustainable Development Goal"),
        {str(k): v for k, v in SDG.choices},
    ),
    ("status", gettext_noop("Activities by status"), dict(ActivityStatus.choices)),
]


def date_range(first, last):
    """Return the ``started``/``active`` value of a range of dates."""
    return f"{first.isoformat() if first else ''}..{last.isoformat() if last else ''}"


def report_query(report, freshness=COUNTED_FRESHNESS, **filters):
    """Return the inventory query of a figure of ``report``.

    The report's entries are the active ones running during its period, within
    its scope; ``filters`` narrow them to one figure.
    """
    period = date_range(report.period_start, report.period_end)
    values = {
        **{name: (value,) for name, value in report.scope.items()},
        "freshness": tuple(freshness),
        "active": (period,),
    }
    values.update({name: (str(value),) for name, value in filters.items()})
    return InventoryQuery(filters=values, sort="newest")


def inventory_link(query):
    """Return the public inventory search that reproduces a figure."""
    return reverse("inventory:search") + "?" + query.urlencode()


def matching(query):
    return DatabaseEngine().matching(query)[0]


def assemble(report, progress=None):
    """Return the report's figures, as a JSON-serialisable dict."""

    def step(percent, message):
        if progress is not None:
            progress(percent, message)

    years = report.years
    scope = report.scope
    base = report_query(report)
    entries = matching(base)
    step(5, gettext_noop("Counting entries"))
    new_query = report_query(
        report, started=date_range(report.period_start, report.period_end)
    )
    continuing_query = report_query(
        report,
        started=date_range(None, report.period_start - datetime.timedelta(days=1)),
    )
    inactive_query = report_query(report, freshness=(Freshness.INACTIVE,))
    counts = entries.aggregate(
        total=Count("pk"), organisations=Count("organisation", distinct=True)
    )
    new = matching(new_query).count()
    step(25, gettext_noop("Breaking figures down"))
    grouped = (
        EntryFacetValue.objects.filter(entry__in=entries.values("pk"))
        .values_list("facet", "value")
        .annotate(count=Count("id"))
        .order_by()
    )
    by_facet = {}
    for facet, value, count in grouped:
        by_facet.setdefault(facet, {})[value] = count
    breakdowns = []
    for facet, title, labels in BREAKDOWNS:
        if facet in scope:
            # One value, the scope itself: its count is the total.
            continue
        values = by_facet.get(facet, {})
        order = list(labels) if facet != "sdg" else [str(n) for n in range(1, 18)]
        rows = [
            {
                "value": value,
                "label": str(labels.get(value, value)),
                "count": values[value],
                "link": inventory_link(report_query(report, **{facet: value})),
            }
            for value in order
            if value in values
        ]
        breakdowns.append({"facet": facet, "title": title, "rows": rows})
    countries = {
        value: count
        for value, count in by_facet.get("country", {}).items()
        if value != "global"
    }
    totals = {
        "entries": counts["total"],
        "new": new,
        "continuing": counts["total"] - new,
        "countries": len(countries),
        "organisations": counts["organisations"],
    }
    step(45, gettext_noop("Listing the entries counted"))
    entry_ids = list(entries.order_by("pk").values_list("pk", flat=True))
    step(60, gettext_noop("Team contributions"))
    teams = team_contributions(report)
    step(75, gettext_noop("Highlighted activities and facilitators' meetings"))
    figures = {
        "version": FORMAT_VERSION,
        "assembled_at": timezone.now().isoformat(timespec="seconds"),
        "period": {
            "start": report.period_start.isoformat(),
            "end": report.period_end.isoformat(),
            "years": years,
        },
        "scope": scope,
        "totals": totals,
        "links": {
            "entries": inventory_link(base),
            "new": inventory_link(new_query),
            "continuing": inventory_link(continuing_query),
        },
        "left_out": {
            "inactive": matching(inactive_query).count(),
            "link": inventory_link(inactive_query),
        },
        "breakdowns": breakdowns,
        "top_countries": [
            {
                "value": code,
                "label": country_name(code, "en"),
                "count": count,
                "link": inventory_link(report_query(report, country=code)),
            }
            for code, count in sorted(countries.items(), key=lambda i: (-i[1], i[0]))[
                :15
            ]
        ],
        "previous": previous_report_figures(report, totals),
        "teams": teams,
        "highlights": highlights(report),
        "facilitators_meetings": facilitators_meetings(report),
        "entry_ids": entry_ids,
    }
    step(95, gettext_noop("Saving"))
    return figures


def previous_report_figures(report, totals):
    previous = report.previous_report()
    if previous is None or not previous.figures:
        return None
    before = previous.figures.get("totals", {})
    return {
        "title": previous.title,
        "url": previous.url,
        "period": previous.period_label,
        "totals": before,
        "change": {key: totals[key] - before.get(key, 0) for key in totals},
    }


def team_contributions(report):
    """Return each team's contribution for the period.

    A report scoped to an action line has only that action line's team.
    """
    cycle = cycle_containing(report.period_start.year)
    _cycle, status = contribution_status(cycle)
    codes = team_codes(team.pk for team, _contribution in status)
    scoped = report.scope.get("action_line")
    teams = []
    for team, contribution in status:
        if scoped and codes.get(team.pk) != scoped:
            continue
        row = {
            "team": team.title,
            "code": codes.get(team.pk, ""),
            "url": team.url,
            "contributed": False,
        }
        if contribution is not None:
            row.update(
                contributed=True,
                year=contribution.year,
                submitted_at=contribution.submitted_at.date().isoformat(),
                entries=contribution.entries.filter(live=True).count(),
                narrative=contribution.narrative,
            )
        teams.append(row)
    return teams


def highlights(report):
    rows = []
    for highlight in report.highlights.select_related("entry__organisation"):
        entry = highlight.entry
        if not entry.live:
            continue
        rows.append(
            {
                "id": entry.pk,
                "reference": entry.reference,
                "title": entry.title,
                "summary": entry.summary,
                "organisation": entry.organisation.name if entry.organisation else "",
                # Its public page (a published entry's organisation has one).
                "organisation_slug": entry.organisation.slug
                if entry.organisation
                else "",
                "countries": [
                    country_name(c, "en") if c != "global" else "Global"
                    for c in entry.countries
                ],
                "action_lines": entry.action_lines,
                "url": entry.get_absolute_url(),
                "note": highlight.note,
            }
        )
    return rows


def facilitators_meetings(report):
    meetings = (
        MeetingPage.objects.live()
        .filter(
            kind=MeetingKind.FACILITATORS,
            start__date__gte=report.period_start,
            start__date__lte=report.period_end,
        )
        .order_by("start")
    )
    return [
        {
            "title": meeting.title,
            "date": meeting.local_start.date().isoformat(),
            "url": meeting.url,
            "outcome": meeting.outcome,
            "framework_for_teams": meeting.framework_for_teams,
            "framework_for_inventory": meeting.framework_for_inventory,
        }
        for meeting in meetings
    ]


def assemble_and_save(report, user=None, progress=None):
    """Assembles the figures into a new revision of the report (never published)."""
    report = type(report).objects.get(pk=report.pk)
    latest = report.get_latest_revision_as_object()
    latest.figures = assemble(latest, progress)
    latest.assembled_at = timezone.now()
    revision = latest.save_revision(user=user, log_action="reporting.assemble")
    return revision
