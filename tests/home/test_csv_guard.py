"""The guard every CSV of the platform goes through (home.csv_guard).

It must leave no cell a spreadsheet would run as a formula, however the file is
read (tests.spreadsheets reads it with ",", ";" and tabs, quoted or not), and
``unguard`` must give back exactly what was written, for any text.
"""

import io
import re
from pathlib import Path

from django.conf import settings as django_settings

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from home import csv_guard
from home.csv_guard import guard, unguard
from tests.helpers.spreadsheets import (
    FORMULA_PIECES,
    assert_no_formula,
    rows,
    runs_as_formula,
)

texts = st.one_of(
    st.lists(st.sampled_from(FORMULA_PIECES), max_size=12).map("".join),
    st.lists(
        st.one_of(st.sampled_from(FORMULA_PIECES), st.text(max_size=3)), max_size=8
    ).map("".join),
    st.text(),
)
PROPERTY = settings(max_examples=500, deadline=None, derandomize=True, database=None)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Plain text, with a comma; and a semicolon.", None),
        ("Line one.\nLine two.", None),
        ("2 + 2 = 4", None),
        ("user@example.org", None),
        ("", None),
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("-2+3", "'-2+3"),
        ("+33 1 23", "'+33 1 23"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t'=1"),
        ("\r=1", "'\r'=1"),
        # Behind the separators other readers split on.
        ("x;=HYPERLINK(1)", "x;'=HYPERLINK(1)"),
        ("x,-1+1", "x,'-1+1"),
        ("x\t@A1", "x\t'@A1"),
        ("x\n+1", "x\n'+1"),
        ("x\r\n=1", "x\r\n'=1"),
        # Behind blanks and the double quote that opens a quoted cell.
        ("  =1", "'  =1"),
        ("x; =1", "x;' =1"),
        ('x;"=1"', 'x;\'"=1"'),
        ("\u00a0=1", "'\u00a0=1"),
        ("\u200b=1", "'\u200b=1"),
        ("\uff1d1", "'\uff1d1"),
        # Apostrophes already there get one more, so unguard knows which to take.
        ("'=1", "''=1"),
        ("''-1", "'''-1"),
        ("x;'@A1", "x;''@A1"),
        # An apostrophe that leads to no formula is text like any other.
        ("'quoted'", None),
        ("' =", "'' ="),
        ("'x=1", None),
    ],
)
def test_guard_examples(text, written):
    written = text if written is None else written
    assert guard(text) == written
    assert unguard(written) == text


def test_values_are_written_as_text_and_none_as_an_empty_cell():
    assert guard(2025) == "2025"
    assert guard(-5) == "'-5"
    assert guard(None) is None
    buffer = io.StringIO()
    csv_guard.writer(buffer).writerow([None, 3, -1.5, "x"])
    assert buffer.getvalue() == ",3,'-1.5,x\r\n"


@PROPERTY
@given(text=texts)
@example(text="'" * 5 + "=")
@example(text=";\t;\r;\n")
def test_unguard_gives_back_any_text(text):
    assert unguard(guard(text)) == text


@PROPERTY
@given(text=texts)
def test_guarded_text_exposes_no_trigger_at_any_cell_start(text):
    """Checked on the text alone.

    Every place after a separator, read as the start of a cell, with what a
    spreadsheet passes over skipped.
    """
    guarded = guard(text)
    starts = [0] + [n + 1 for n, char in enumerate(guarded) if char in ",;\t\r\n"]
    for start in starts:
        assert not runs_as_formula(guarded[start:]), (guarded, start)


@PROPERTY
@given(table=st.lists(st.lists(texts, min_size=1, max_size=4), min_size=1, max_size=4))
@example(table=[["x;", "-"], ["1+HYPERLINK(1)", "="]])
@example(table=[['a,b;"', "=1"], ["", "\t"]])
def test_written_files_have_no_formula_and_read_back_exactly(table):
    width = max(len(row) for row in table)
    table = [row + [""] * (width - len(row)) for row in table]
    buffer = io.StringIO(newline="")
    csv_guard.writer(buffer).writerows(table)
    text = buffer.getvalue()
    assert_no_formula(text)
    assert [[unguard(cell) for cell in row] for row in rows(text)] == table

    buffer = io.StringIO(newline="")
    fieldnames = [f"column {n}" for n in range(width)]
    writer = csv_guard.DictWriter(buffer, fieldnames=fieldnames)
    writer.writeheader()
    for row in table:
        writer.writerow(dict(zip(fieldnames, row, strict=True)))
    assert buffer.getvalue() == ",".join(fieldnames) + "\r\n" + text


def test_wagtail_exports_write_through_the_guard():
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    assert SpreadsheetExportMixin.stream_csv.__module__ == "home.csv_guard"


def test_no_other_module_writes_csv():
    """One guard: a new CSV writer must use home.csv_guard, not the csv module."""
    root = Path(django_settings.BASE_DIR)
    writers = re.compile(r"\bcsv\s*\.\s*(writer|DictWriter)\b|from\s+csv\s+import")
    found = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in {".venv", ".cache", "tests", "node_modules"}:
            continue
        if relative == Path("home/csv_guard.py"):
            continue
        if writers.search(path.read_text(encoding="utf-8")):
            found.append(str(relative))
    assert found == []
