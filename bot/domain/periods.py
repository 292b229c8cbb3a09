"""Tertials and periods: `2024-T1` is January to April 2024."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*-?\s*T([123])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class PeriodKey:
    """A tertial of a year."""

    year: int
    tertial: int

    def __str__(self) -> str:
        return f"{self.year}-T{self.tertial}"

    @property
    def first_day(self) -> date:
        return date(self.year, 4 * (self.tertial - 1) + 1, 1)

    @property
    def last_day(self) -> date:
        if self.tertial == 3:
            return date(self.year, 12, 31)
        return date(self.year, 4 * self.tertial + 1, 1) - timedelta(days=1)

    @property
    def previous(self) -> PeriodKey:
        if self.tertial == 1:
            return PeriodKey(self.year - 1, 3)
        return PeriodKey(self.year, self.tertial - 1)


def parse_period(text: str) -> PeriodKey:
    """Parse `2024-T1` (also `2024T1`, `2024-t1`); raise ValueError with the expected form."""
    match = _PERIOD_RE.match(text or "")
    if not match:
        raise ValueError(f"period {text!r} is not of the form YYYY-T1, YYYY-T2 or YYYY-T3")
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise ValueError(f"period {text!r}: year {year} is out of range")
    return PeriodKey(year, int(match.group(2)))


def default_deadline(key: PeriodKey, zone: ZoneInfo) -> datetime:
    """The default deadline: 16:00 local time on the tertial's last day."""
    return datetime.combine(key.last_day, time(16, 0), tzinfo=zone)
