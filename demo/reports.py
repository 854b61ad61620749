"""The demo's two published periodic reports: last cycle's and the one before.

Each is assembled from the inventory by the platform's own assembly, as the
"Assemble the figures now" button does; its summary and narrative are then
written from the assembled figures, as the secretariat would, and the revision
published.
"""

from html import escape

from django.utils import timezone

from inventory.cycles import cycle_containing
from inventory.models import InventoryEntry
from reporting.assembly import assemble_and_save
from reporting.models import (
    ReportHighlight,
    ReportIndexPage,
    ReportPage,
    default_period,
)

from .mechanism import in_words

REGIONS = {
    "africa": "Africa",
    "americas": "the Americas",
    "arab-states": "the Arab States",
    "asia-pacific": "Asia and the Pacific",
    "cis": "the CIS region",
    "europe": "Europe",
}
STAKEHOLDERS = {
    "government": "governments",
    "international-organization": "international organizations",
    "civil-society": "civil society organizations",
    "academia": "academia",
    "private-sector": "the private sector",
    "technical-community": "the technical community",
    "other": "other stakeholders",
}


def publish_reports(today=None):
    """Publish the reports of the last two cycles that are missing; return them."""
    today = today or timezone.localdate()
    latest = cycle_containing(today.year - 1)
    published = []
    for cycle in (latest.previous(), latest):
        report = publish_report(cycle)
        if report is not None:
            published.append(report)
    return published


def publish_report(cycle):
    index = ReportIndexPage.objects.first()
    if (
        index is None
        or ReportPage.objects.filter(period_start__year=cycle.first_year).exists()
    ):
        return None
    label = cycle.label
    start, end = default_period(cycle.first_year)
    report = ReportPage(
        title=f"Implementation of the WSIS outcomes: report for {label}",
        slug=f"report-{cycle.first_year}"
        + ("" if cycle.first_year == cycle.last_year else f"-{cycle.last_year}"),
        period_start=start,
        period_end=end,
        document_symbol=f"A/{cycle.last_year - 1945}/64–E/{cycle.last_year + 1}/12",
        highlights=highlights(cycle),
        live=False,
    )
    index.add_child(instance=report)
    assembled = assemble_and_save(report).as_object()
    write_narrative(assembled, label)
    assembled.save_revision(log_action=True).publish()
    return ReportPage.objects.get(pk=report.pk)


def highlights(cycle):
    """Return three completed activities of the period that teams reported.

    Three completed activities of the period that teams reported, on different
    action lines.
    """
    chosen, lines, organisations = [], set(), set()
    entries = InventoryEntry.objects.filter(
        live=True,
        reporting_year__in=cycle.years,
        status="completed",
        team__isnull=False,
    ).order_by("reference")
    for entry in entries.iterator():
        if entry.action_lines[0] in lines or entry.organisation_id in organisations:
            continue
        lines.add(entry.action_lines[0])
        organisations.add(entry.organisation_id)
        chosen.append(
            ReportHighlight(
                entry=entry,
                note=f"Reported by the {entry.action_lines[0]} team in its annual contribution.",
            )
        )
        if len(chosen) == 3:
            break
    return chosen


def percent(count, total):
    return round(100 * count / total) if total else 0


def rows(figures, facet):
    for breakdown in figures["breakdowns"]:
        if breakdown["facet"] == facet:
            return sorted(breakdown["rows"], key=lambda row: -row["count"])
    return []


def write_narrative(report, label):
    """Return the summary and the narrative sections, from the assembled figures."""
    figures = report.figures
    totals = figures["totals"]
    total = totals["entries"]
    teams = figures["teams"]
    contributed = [team for team in teams if team["contributed"]]
    missing = [team["code"] for team in teams if not team["contributed"]]
    if len(contributed) == len(teams):
        received = f"All {len(teams)} action line teams sent their annual contribution"
    else:
        received = (
            f"{len(contributed)} of the {len(teams)} action line teams sent their "
            "annual contribution"
        )
    summary = (
        f"<p>The stocktaking inventory of WSIS activities records {total} activities "
        f"for {label}, carried out by {totals['organisations']} organizations in "
        f"{totals['countries']} countries; {totals['new']} of them started during "
        f"the period. {received}.</p>"
    )
    sections = [
        (
            "Introduction",
            "<p>This report is submitted to the General Assembly, through the "
            "Economic and Social Council, on the implementation of the outcomes of "
            f"the World Summit on the Information Society in {label}. It draws on the "
            "stocktaking inventory of WSIS activities, on the annual contributions of "
            "the action line teams and on the work of the facilitators' meeting.</p>",
        )
    ]
    if total:
        lines = [
            f"{row['label']} ({row['count']})" for row in rows(figures, "action_line")
        ]
        stakeholders = [
            (STAKEHOLDERS.get(row["value"], row["label"]), percent(row["count"], total))
            for row in rows(figures, "stakeholder")
        ]
        regions = [
            (REGIONS.get(row["value"], row["label"]), percent(row["count"], total))
            for row in rows(figures, "region")
        ]
        by_whom = [
            f"{stakeholders[0][0]} carried out {stakeholders[0][1]} per cent of them"
        ]
        by_whom += [f"{who} {share} per cent" for who, share in stakeholders[1:3]]
        where = [
            f"{regions[0][0]} accounted for {regions[0][1]} per cent of the activities"
        ]
        where += [f"{name} for {share} per cent" for name, share in regions[1:3]]
        sections += [
            (
                "Implementation of the action lines",
                f"<p>The action lines with the most activities were "
                f"{escape(in_words(lines[:3]))}. {capitalised(in_words(by_whom))}.</p>",
            ),
            (
                "Regional distribution",
                f"<p>{capitalised(in_words(where))}. An activity with a regional or "
                "international scope counts in each region where it takes place.</p>",
            ),
        ]
    absent = (
        f"; none was received from the {in_words(missing)} teams" if missing else ""
    )
    sections += [
        (
            "The action line teams",
            f"<p>{received} for the period{absent}. The facilitators met during the "
            "WSIS Forum and agreed on the framework of the teams' work and of the "
            "follow-up of the inventory, summed up below.</p>",
        ),
        (
            "Recommendations",
            "<ul><li>Stakeholders are invited to report their activities to the "
            "inventory as they happen, and to keep their entries up to date.</li>"
            "<li>Teams are encouraged to hold joint sessions at the WSIS Forum on "
            "activities that serve several action lines.</li><li>The secretariat "
            "will continue to publish the inventory as open data.</li></ul>",
        ),
    ]
    report.summary = summary
    report.narrative = [
        ("section", {"heading": heading, "body": body}) for heading, body in sections
    ]


def capitalised(text):
    return text[:1].upper() + text[1:]
