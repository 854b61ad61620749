"""Reporting cycles: annual or biennial (UNGA resolution A/RES/80/173).

A cycle covers ``INVENTORY_CYCLE_YEARS`` calendar years counted from
``INVENTORY_CYCLE_ANCHOR_YEAR``. Teams send their contribution for a cycle by the
deadline (``INVENTORY_CONTRIBUTION_DEADLINE``, month and day) of the year after it.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Cycle:
    first_year: int
    last_year: int
    deadline: datetime.date

    @property
    def years(self):
        return list(range(self.first_year, self.last_year + 1))

    @property
    def label(self):
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    def previous(self):
        return cycle_containing(self.first_year - 1)

    def next(self):
        return cycle_containing(self.last_year + 1)


def cycle_containing(year):
    length = max(1, int(settings.INVENTORY_CYCLE_YEARS))
    anchor = int(settings.INVENTORY_CYCLE_ANCHOR_YEAR)
    first = anchor + ((year - anchor) // length) * length
    last = first + length - 1
    month, day = (
        int(part) for part in settings.INVENTORY_CONTRIBUTION_DEADLINE.split("-")
    )
    return Cycle(first, last, datetime.date(last + 1, month, day))


def current_cycle(today=None):
    """Return the cycle whose contributions are being collected now.

    Until a cycle's deadline has passed, contributions are for that cycle; the
    cycle of the current year is collected from then on.
    """
    today = today or timezone.localdate()
    previous = cycle_containing(today.year).previous()
    if today <= previous.deadline:
        return previous
    return cycle_containing(today.year)
