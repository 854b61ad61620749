"""Report charts as people read them.

Labels wrap or abbreviate between words (never cut mid-word), the chart is
narrow enough to read on a phone, and the "assembled on" time is a date in the
reader's language.
"""

import re

from django.utils import translation

import pytest
from bs4 import BeautifulSoup

from inventory.choices import ActionLineCode
from reporting.assembly import assemble_and_save
from reporting.charts import PRINT, SCREEN, bar_chart, text_width, wrap_label
from tests.factories import YEAR, InventoryEntryFactory
from tests.helpers.reporting import publish_report

LONG = "C5 Building confidence and security in the use of ICTs"


def test_a_long_label_wraps_between_words():
    lines, abbreviated = wrap_label(LONG, 200, 15, max_lines=3)
    assert not abbreviated
    assert len(lines) > 1
    assert " ".join(lines) == LONG
    assert all(text_width(line, 15) <= 200 for line in lines)


def test_a_label_too_long_for_its_lines_is_abbreviated_after_a_whole_word():
    label = "Information and communication infrastructure " * 4
    lines, abbreviated = wrap_label(label, 200, 15, max_lines=2)
    assert abbreviated and len(lines) == 2
    assert lines[-1].endswith("…")
    words = set(label.split())
    for line in lines:
        assert set(line.removesuffix("…").split()) <= words
    assert text_width(lines[-1], 15) <= 200


def test_chinese_wraps_between_characters():
    label = "建立使用信息通信技术的信心和安全" * 2
    lines, abbreviated = wrap_label(label, 200, 15, max_lines=3)
    assert not abbreviated and "".join(lines) == label
    assert all(text_width(line, 15) <= 200 for line in lines)


def test_an_abbreviated_label_keeps_its_full_text_in_a_title():
    label = ("A very long label " * 10).strip()
    svg = BeautifulSoup(str(bar_chart("c", "Title", [(label, 3)])), "html.parser")
    titles = [title.get_text() for title in svg.find_all("title")]
    assert titles == ["Title", label]


def test_charts_are_narrow_with_readable_text():
    """Keep a chart about as wide as a phone, its text close to its font size.

    The old 640-unit charts showed their 13-unit text at 7 px on a phone.
    """
    svg = BeautifulSoup(str(bar_chart("c", "T", [(LONG, 3)])), "html.parser").svg
    assert svg["viewbox"] == f"0 0 {SCREEN.width} {svg['height']}"
    assert SCREEN.width <= 400
    assert SCREEN.font_size >= 14
    assert PRINT.font_size >= 10


def chart_labels(svg):
    """Each label as shown: its lines joined, without the tooltip."""
    labels = []
    for text in svg.find_all("text"):
        lines = [tspan.get_text() for tspan in text.find_all("tspan")]
        if lines:
            labels.append(" ".join(lines))
    return labels


@pytest.fixture
def every_line(report):
    for code in ActionLineCode.values:
        InventoryEntryFactory(action_lines=[code], year=YEAR)
    assemble_and_save(report)
    return publish_report(report)


def test_report_page_shows_every_action_line_label_whole(every_line, client):
    soup = BeautifulSoup(client.get(every_line.url).content, "html.parser")
    svg = soup.find("svg", attrs={"aria-labelledby": re.compile("chart-action_line")})
    table = [
        row.find("th").get_text(strip=True)
        for row in svg.find_parent("figure").select("table tbody tr")
    ]
    shown = chart_labels(svg)
    for label in table:
        assert label in shown or any(
            full.removesuffix("…") and label.startswith(full.removesuffix("…"))
            for full in shown
        ), label
    assert "C11 International and regional cooperation" in shown
    # Nothing cut mid-word: each shown label's words are the table's words.
    words = {word for label in table for word in label.split()}
    for label in shown:
        assert set(label.removesuffix("…").split()) <= words, label


def test_assembled_on_is_a_date_in_the_readers_language(every_line, client):
    html = client.get(every_line.url).content.decode()
    assembled = every_line.figures["assembled_at"]
    assert assembled not in html
    date = re.search(r"Figures assembled on ([^<]+?) from", html).group(1)
    assert re.fullmatch(r"[A-Z][a-z]+\.? \d{1,2}, \d{4}", date), date
    french = client.get("/fr" + every_line.url).content.decode()
    translation.activate("en")
    date = re.search(r"Chiffres compilés le ([^<]+?) à partir", french).group(1)
    assert re.fullmatch(
        r"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre"
        r"|octobre|novembre|décembre) \d{4}",
        date,
    ), date


def test_a_right_to_left_chart_is_mirrored():
    svg = BeautifulSoup(
        str(bar_chart("c", "T", [("C5 الثقة والأمن", 4), ("C2", 2)], rtl=True)),
        "html.parser",
    ).svg
    label = svg.find("text")
    assert label["direction"] == "rtl"
    assert label["text-anchor"] == "start"
    assert label.tspan["x"] == str(SCREEN.width)
    for bar in svg.find_all("rect"):
        assert int(bar["x"]) + int(bar["width"]) == SCREEN.width
    # Printed charts keep their label column: not mirrored.
    printed = BeautifulSoup(
        str(bar_chart("c", "T", [("C2", 2)], PRINT, rtl=True)), "html.parser"
    )
    assert not printed.find("text").has_attr("direction")


def test_arabic_report_mirrors_its_charts_and_keeps_signs(
    report, previous_report, client
):
    """Under /ar/ the charts start on the right and "+5" reads as "+5".

    The change since the previous report is isolated from the right-to-left
    text around it, which showed it as "5+".
    """
    assemble_and_save(report)
    report = publish_report(report)
    soup = BeautifulSoup(client.get("/ar" + report.url).content, "html.parser")
    translation.activate("en")
    labels = [svg.find("text") for svg in soup.select("figure.chart-figure svg")]
    assert labels and all(label.get("direction") == "rtl" for label in labels[:3])
    changes = soup.select("table.figures tbody td bdi")
    assert len(changes) == 5
    assert all(cell.get_text()[0] in "+-" for cell in changes)
