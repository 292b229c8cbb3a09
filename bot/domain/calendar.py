"""Swedish working days: which days reminders may go out on.

Days off are Saturdays, Sundays, every public holiday (allmän helgdag) and the three eves that
Swedish labour law treats as Sundays (semesterlagen 1977:480, 7 §): midsommarafton, julafton and
nyårsafton.

Facts about the `holidays` package (checked with holidays 0.109) that this module guards against:

- `holidays.Sweden()` does not count ordinary Sundays as holidays unless built with
  `include_sundays=True` (older releases did the opposite). Weekends are therefore decided here
  by weekday, whatever the calendar says.
- Midsommarafton, julafton and nyårsafton are not in the default PUBLIC category; they are in the
  DE_FACTO category. The default calendar asks for PUBLIC and DE_FACTO, and the three eves are
  added here by date as well, so an injected calendar with or without them gives the same answer.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

import holidays
from holidays.constants import DE_FACTO, PUBLIC

# Sweden never has more than a handful of days off in a row; a longer walk means a broken calendar.
_MAX_DAYS_OFF_IN_A_ROW = 31


def sweden_holidays() -> holidays.HolidayBase:
    """Build the `holidays` calendar for Sweden with public holidays and the de-facto eves."""
    return holidays.Sweden(categories=(PUBLIC, DE_FACTO))


def _eves(year: int) -> set[date]:
    """Return midsommarafton (the Friday from 19 to 25 June), julafton and nyårsafton."""
    june_19 = date(year, 6, 19)
    midsommarafton = june_19 + timedelta(days=(4 - june_19.weekday()) % 7)
    return {midsommarafton, date(year, 12, 24), date(year, 12, 31)}


class WorkingDays:
    """Swedish working days, computed once per year from a `holidays` calendar."""

    def __init__(self, holiday_calendar: holidays.HolidayBase | None = None) -> None:
        self._holidays = holiday_calendar if holiday_calendar is not None else sweden_holidays()
        self._days_off: dict[int, frozenset[date]] = {}
        self._lock = threading.Lock()

    def days_off(self, year: int) -> frozenset[date]:
        """Return every day off of `year` (weekends, public holidays, the three eves)."""
        cached = self._days_off.get(year)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._days_off.get(year)
            if cached is None:
                day = date(year, 1, 1)
                off = _eves(year)
                while day.year == year:
                    if day.weekday() >= 5 or day in self._holidays:
                        off.add(day)
                    day += timedelta(days=1)
                cached = frozenset(off)
                self._days_off[year] = cached
            return cached

    def is_working_day(self, d: date) -> bool:
        """Tell whether `d` is a Swedish working day."""
        return d not in self.days_off(d.year)

    def previous_working_day(self, d: date) -> date:
        """Return `d` if it is a working day, else the closest working day before it."""
        return self._walk(d, -1)

    def next_working_day(self, d: date) -> date:
        """Return `d` if it is a working day, else the closest working day after it."""
        return self._walk(d, 1)

    def _walk(self, d: date, step: int) -> date:
        day = d
        for _ in range(_MAX_DAYS_OFF_IN_A_ROW):
            if self.is_working_day(day):
                return day
            day += timedelta(days=step)
        raise ValueError(f"no working day within {_MAX_DAYS_OFF_IN_A_ROW} days of {d.isoformat()}")
