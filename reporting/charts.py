"""Charts of a report, drawn on the server as accessible SVG.

Each chart has a title and a description read by screen readers, and is shown
beside a data table with the same numbers; no JavaScript is involved.
"""

import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

COLOURS = ["#00457c", "#2a6f97", "#8a3b00"]
INK = "#1b1b1b"
ELLIPSIS = "…"


@dataclass(frozen=True)
class BarSizes:
    """The geometry of a bar chart, in viewBox units.

    On screen each label sits on its own lines above its bar, across the whole
    width, so that a long label wraps instead of being cut and the chart can be
    narrow: its viewBox is about as wide as a phone's screen, so that at 390 px
    its text is shown at close to ``font_size`` pixels, and no larger on a
    desktop. With a ``label_width`` (print, where the page is wide and height
    is dear) labels wrap in a column beside their bars instead.
    """

    width: int = 400
    label_width: int = 0
    font_size: int = 15
    line_height: int = 18
    bar_height: int = 14
    label_gap: int = 4  # between a label's last line and its bar
    row_gap: int = 12
    max_lines: int = 2
    value_width: int = 48  # room after the longest bar for its value


SCREEN = BarSizes()
# Printed, everything is smaller so that a chart fits beside the text on a page
# (a chart is never cut, so a tall one leaves the page before it blank).
PRINT = BarSizes(
    width=640,
    label_width=300,
    font_size=11,
    line_height=12,
    bar_height=12,
    label_gap=0,
    row_gap=4,
)


def text_width(text, font_size):
    """Estimate ``text``'s width: wide (CJK) characters take a full em."""
    ems = sum(
        1.0 if unicodedata.east_asian_width(char) in "WF" else 0.56 for char in text
    )
    return ems * font_size


def _words(text):
    """Split ``text`` where a line may break: at spaces, between CJK characters."""
    words = []
    for word in text.split():
        if all(unicodedata.east_asian_width(char) in "WF" for char in word):
            words.extend(word)
        else:
            words.append(word)
    return words


def _join(left, right):
    wide = left and unicodedata.east_asian_width(left[-1]) in "WF"
    if not left:
        return right
    if wide and unicodedata.east_asian_width(right[0]) in "WF":
        return left + right
    return f"{left} {right}"


def wrap_label(label, width, font_size, max_lines):
    """Break ``label`` into at most ``max_lines`` lines of ``width``.

    Lines break between words; what does not fit ends the last line with an
    ellipsis, after a whole word. Return (lines, abbreviated).
    """
    lines = []
    current = ""
    for word in _words(label):
        candidate = _join(current, word)
        if not current or text_width(candidate, font_size) <= width:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines:
            break
    else:
        if current:
            lines.append(current)
        return lines, False
    # Too long: the last line keeps whole words and ends with an ellipsis.
    last = lines[-1]
    while last and text_width(last + ELLIPSIS, font_size) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    lines[-1] = last + ELLIPSIS
    return lines, True


def bar_chart(chart_id, title, rows, sizes=SCREEN, rtl=False):
    """Draw a horizontal bar chart of [(label, value)].

    ``rtl`` (labels above their bars only) mirrors it for a right-to-left
    language: labels start on the right, read in their own direction (so "C5"
    comes first, as in the table), and bars grow leftwards.
    """
    rows = [(str(label), int(value)) for label, value in rows]
    largest = max((value for _label, value in rows), default=0) or 1
    total = sum(value for _label, value in rows)
    description = "; ".join(f"{label}: {value}" for label, value in rows) or _(
        "No data"
    )
    total_text = _("Total: %(total)s.") % {"total": total}
    font = f'font-size="{sizes.font_size}" fill="{INK}"'
    # The text's baseline, from the top of its line or of the bar.
    ascent = round(sizes.font_size * 0.8)
    beside = sizes.label_width > 0
    rtl = rtl and not beside
    label_space = sizes.label_width - 8 if beside else sizes.width
    bar_x = sizes.label_width
    plot = sizes.width - bar_x - sizes.value_width
    body = []
    y = sizes.row_gap // 2
    for label, value in rows:
        lines, abbreviated = wrap_label(
            label, label_space, sizes.font_size, sizes.max_lines
        )
        text_height = len(lines) * sizes.line_height
        if beside:
            # Lines right-aligned against the bar, centred on it.
            row_height = max(text_height, sizes.bar_height)
            top = y + (row_height - text_height) // 2
            bar_y = y + (row_height - sizes.bar_height) // 2
            x, align = label_space, ' text-anchor="end"'
        else:
            row_height = text_height + sizes.label_gap + sizes.bar_height
            top = y
            bar_y = y + text_height + sizes.label_gap
            x, align = (
                (sizes.width, ' direction="rtl" text-anchor="start"')
                if rtl
                else (0, "")
            )
        tspans = "".join(
            f'<tspan x="{x}" y="{top + ascent + number * sizes.line_height}">'
            f"{escape(line)}</tspan>"
            for number, line in enumerate(lines)
        )
        text = f"<text{align} {font}>{tspans}</text>"
        if abbreviated:
            # The full label as a tooltip; the table beside the chart has it too.
            text = f"<g><title>{escape(label)}</title>{text}</g>"
        width = max(round(plot * value / largest), 1 if value else 0)
        middle = bar_y + sizes.bar_height // 2 + round(sizes.font_size * 0.35)
        body.append(
            f"{text}"
            f'<rect x="{sizes.width - width if rtl else bar_x}" y="{bar_y}" '
            f'width="{width}" height="{sizes.bar_height}" fill="{COLOURS[0]}"/>'
            + (
                f'<text x="{sizes.width - width - 6}" y="{middle}" '
                f'text-anchor="end" {font}>{value}</text>'
                if rtl
                else f'<text x="{bar_x + width + 6}" y="{middle}" {font}>{value}</text>'
            )
        )
        y += row_height + sizes.row_gap
    height = y - sizes.row_gap // 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {sizes.width} {height}" width="{sizes.width}" '
        f'height="{height}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}. '
        f"{escape(total_text)}</desc>",
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped


def trend_chart(chart_id, title, points):
    """Totals of successive reports, as vertical bars: [(period, value)]."""
    points = [(str(label), int(value)) for label, value in points]
    largest = max((value for _label, value in points), default=0) or 1
    width = max(SCREEN.width, 80 * len(points))
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
    size = SCREEN.font_size
    font = f'font-size="{size}" fill="{INK}" text-anchor="middle"'
    for number, (label, value) in enumerate(points):
        bar = round((height - 80) * value / largest)
        x = number * slot + slot * 0.2
        middle = x + slot * 0.3
        lines, abbreviated = wrap_label(label, slot * 0.95, size, max_lines=2)
        tspans = "".join(
            f'<tspan x="{middle:.0f}" y="{height - 30 + size + line * 18}">'
            f"{escape(text)}</tspan>"
            for line, text in enumerate(lines)
        )
        text = f"<text {font}>{tspans}</text>"
        if abbreviated:
            text = f"<g><title>{escape(label)}</title>{text}</g>"
        parts.append(
            f'<rect x="{x:.0f}" y="{height - 40 - bar}" width="{slot * 0.6:.0f}" '
            f'height="{bar}" fill="{COLOURS[number == len(points) - 1 and 2 or 1]}"/>'
            f'<text x="{middle:.0f}" y="{height - 46 - bar}" {font}>{value}</text>'
            f"{text}"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped


def report_charts(figures, trend=None, printing=False):
    """Return the charts of a report: by action line, region, stakeholder, trend."""
    sizes = PRINT if printing else SCREEN
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
                    sizes,
                    rtl=get_language_bidi(),
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
