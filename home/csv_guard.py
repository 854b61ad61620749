"""One guard against spreadsheet formulas for every CSV the platform writes.

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula: a
``=HYPERLINK(…)`` typed into a join request becomes, in the facilitator's
spreadsheet, a link that sends the neighbouring cells to a stranger's server.
Where a cell starts depends on the reader, not on the file: Excel in a locale
whose list separator is ";" (French, Spanish, Russian) splits each line on ";"
and ignores the commas, other tools split on tabs or on line breaks. So a
formula can hide after any of those characters inside a value
(``x;=HYPERLINK(…)``), behind spaces or the double quote that opens a quoted
cell, and OWASP adds the tab and the carriage return to the characters that
start one.

``guard`` puts an apostrophe — a spreadsheet's mark for "this is text" — at
every place where such a cell could start; ``unguard`` removes exactly those
apostrophes. An apostrophe that was already there gets one more, so the two are
exact inverses for any text: the import gives back what the export was given,
a title that starts with "'=" included.

Every CSV goes through ``writer`` or ``DictWriter``: the public inventory
export, the report figures, and every admin listing export. Wagtail guards its
XLSX exports but writes CSV cells as they are, so ``guard_wagtail_exports``
routes the CSV of every view built on Wagtail's ``SpreadsheetExportMixin``
(snippet and model viewsets, Wagtail's own reports, wagtail-modeladmin) through
``DictWriter``.
"""

import csv
import re

from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin

# Where a reader may start a new cell, whatever its list separator.
SEPARATORS = ",;\t\r\n"
# What starts a formula; and the full-width forms, which a spreadsheet may
# normalise to the same characters.
TRIGGERS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
# What a reader may pass over before the trigger: white space (other than the
# separators), invisible format characters and the double quote of a quoted cell.
SKIPPED = '"\u200b\u200c\u200d\u200e\u200f\u2060\ufeff'

_CELL_START = rf"(?:^|(?<=[{re.escape(SEPARATORS)}]))"
_SKIPPED = rf"(?:[^\S\t\r\n]|[{re.escape(SKIPPED)}])"
# A trigger reachable from the cell start, behind apostrophes already there
# (which the guard counts, so that unguard knows which one it added).
_EXPOSED = rf"(?='*{_SKIPPED}*[{re.escape(TRIGGERS)}])"
_GUARD = re.compile(_CELL_START + _EXPOSED)
_UNGUARD = re.compile(_CELL_START + "'" + _EXPOSED)


def guard(value):
    """Return the cell to write for ``value`` (None: an empty cell).

    Its text, with an apostrophe at every cell start that leads to a formula.

    Numbers too: "-5" alone is a number, but a reader splitting on ";" sees
    "-5,1+HYPERLINK(…)" when the next cell starts with a digit, and Excel in
    French reads "5,1" as a number.
    """
    if value is None:
        return None
    return _GUARD.sub("'", str(value))


def unguard(text):
    """Return the text ``guard`` was given (``unguard(guard(text)) == text``)."""
    return _UNGUARD.sub("", text)


class GuardedWriter:
    """A ``csv.writer`` whose every cell goes through ``guard``."""

    def __init__(self, writer):
        self._writer = writer

    @property
    def dialect(self):
        return self._writer.dialect

    def writerow(self, row):
        return self._writer.writerow([guard(value) for value in row])

    def writerows(self, rows):
        return self._writer.writerows([guard(value) for value in row] for row in rows)


def writer(file, *args, **kwargs):
    """``csv.writer``, guarded."""
    return GuardedWriter(csv.writer(file, *args, **kwargs))


class DictWriter(csv.DictWriter):
    """``csv.DictWriter``, guarded (the header row too)."""

    def __init__(self, f, fieldnames, *args, **kwargs):
        super().__init__(f, fieldnames, *args, **kwargs)
        self.writer = GuardedWriter(self.writer)


def guard_wagtail_exports():
    """Make every ``SpreadsheetExportMixin`` view write its CSV guarded.

    Makes every ``SpreadsheetExportMixin`` view write its CSV through ``DictWriter``
    (the same rows as Wagtail's, guarded).
    """

    def stream_csv(self, queryset):
        writer = DictWriter(Echo(), fieldnames=self.list_export)
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    SpreadsheetExportMixin.stream_csv = stream_csv
