"""Charts of a report, drawn on the server as accessible SVG.

Each chart has a title and a description read by screen readers, and is shown
beside a data table with the same numbers; no JavaScript is involved.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 230
CHART_WIDTH = 640
# Printed, bars are thinner so that a chart fits beside the text on a page
# (a chart is never cut, so a tall one leaves the page before it blank), and
# the chart is printed smaller, so its labels get more of the width.
PRINT_BAR_HEIGHT = 12
PRINT_GAP = 4
PRINT_LABEL_WIDTH = 300
COLOURS = ["#00457c", "#2a6f97", "#8a3b00"]


def bar_chart(
    chart_id, title, rows, bar_height=BAR_HEIGHT, gap=GAP, label_width=LABEL_WIDTH
):
    """Return a horizontal bar chart of [(label, value)]."""
    rows = [(str(label), int(value)) for label, value in rows]
    largest = max((value for _label, value in rows), default=0) or 1
    height = len(rows) * (bar_height + gap) + gap
    baseline = bar_height // 2 + 5  # 13-unit text, centred on the bar
    plot = CHART_WIDTH - label_width - 60
    total = sum(value for _label, value in rows)
    description = "; ".join(f"{label}: {value}" for label, value in rows) or _(
        "No data"
    )
    total_text = _("Total: %(total)s.") % {"total": total}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}. '
        f"{escape(total_text)}</desc>",
    ]
    for number, (label, value) in enumerate(rows):
        y = gap + number * (bar_height + gap)
        width = max(round(plot * value / largest), 1 if value else 0)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + baseline}" text-anchor="end" '
            f'font-size="13" fill="#1b1b1b">{escape(label[:34])}</text>'
            f'<rect x="{label_width}" y="{y}" width="{width}" height="{bar_height}" '
            f'fill="{COLOURS[0]}"/>'
            f'<text x="{label_width + width + 6}" y="{y + baseline}" font-size="13" '
            f'fill="#1b1b1b">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped


def trend_chart(chart_id, title, points):
    """Totals of successive reports, as vertical bars: [(period, value)]."""
    points = [(str(label), int(value)) for label, value in points]
    largest = max((value for _label, value in points), default=0) or 1
    width = max(CHART_WIDTH, 90 * len(points))
    height = 220
    slot = width / max(len(points), 1)
    description = "; ".join(f"{label}: {value}" for label, value in points) or _(
        "No data"
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}.</desc>',
    ]
    for number, (label, value) in enumerate(points):
        bar = round((height - 60) * value / largest)
        x = number * slot + slot * 0.2
        middle = x + slot * 0.3
        parts.append(
            f'<rect x="{x:.0f}" y="{height - 30 - bar}" width="{slot * 0.6:.0f}" '
            f'height="{bar}" fill="{COLOURS[number == len(points) - 1 and 2 or 1]}"/>'
            f'<text x="{middle:.0f}" y="{height - 36 - bar}" text-anchor="middle" '
            f'font-size="13" fill="#1b1b1b">{value}</text>'
            f'<text x="{middle:.0f}" y="{height - 10}" text-anchor="middle" '
            f'font-size="13" fill="#1b1b1b">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped


def report_charts(figures, trend=None, printing=False):
    """Return the charts of a report.

    By action line, region, stakeholder type, and trend.
    """
    sizes = (
        {
            "bar_height": PRINT_BAR_HEIGHT,
            "gap": PRINT_GAP,
            "label_width": PRINT_LABEL_WIDTH,
        }
        if printing
        else {}
    )
    charts = []
    for breakdown in figures.get("breakdowns", []):
        if breakdown["facet"] not in ("action_line", "region", "stakeholder"):
            continue
        chart_id = f"chart-{breakdown['facet']}"
        # Titles and labels are stored in English (gettext_noop): shown translated.
        title = _(breakdown["title"])
        rows = [{**row, "label": _(row["label"])} for row in breakdown["rows"]]
        charts.append(
            {
                "id": chart_id,
                "title": title,
                "svg": bar_chart(
                    chart_id,
                    title,
                    [(row["label"], row["count"]) for row in rows],
                    **sizes,
                ),
                "rows": rows,
            }
        )
    if trend:
        title = _("Activities reported in successive reports")
        charts.append(
            {
                "id": "chart-trend",
                "title": title,
                "svg": trend_chart("chart-trend", title, trend),
                "rows": [{"label": label, "count": value} for label, value in trend],
            }
        )
    return charts
