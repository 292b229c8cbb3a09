"""Swedish working days: weekends, public holidays and the three eves are days off."""

from __future__ import annotations

from datetime import date

import holidays
import pytest
from holidays.constants import DE_FACTO, PUBLIC

from bot.domain.calendar import WorkingDays

CALENDAR = WorkingDays()


@pytest.mark.parametrize(
    ("day", "working", "why"),
    [
        (date(2024, 9, 6), True, "an ordinary Friday"),
        (date(2024, 9, 7), False, "Saturday"),
        (date(2024, 9, 8), False, "an ordinary Sunday"),
        (date(2024, 9, 9), True, "an ordinary Monday"),
        (date(2024, 1, 1), False, "Nyårsdagen"),
        (date(2024, 1, 5), True, "Trettondagsafton is a working day"),
        (date(2024, 3, 28), True, "Skärtorsdagen is a working day"),
        (date(2024, 3, 29), False, "Långfredagen"),
        (date(2024, 3, 30), False, "Påskafton, a Saturday"),
        (date(2024, 3, 31), False, "Påskdagen"),
        (date(2024, 4, 1), False, "Annandag påsk"),
        (date(2024, 4, 2), True, "the Tuesday after Easter"),
        (date(2024, 4, 30), True, "Valborgsmässoafton is a working day"),
        (date(2024, 5, 1), False, "Första maj"),
        (date(2024, 5, 9), False, "Kristi himmelsfärdsdag"),
        (date(2024, 5, 10), True, "the squeeze day after Ascension is a working day"),
        (date(2024, 5, 20), True, "Annandag pingst is no holiday since 2005"),
        (date(2024, 6, 6), False, "Nationaldagen on a Thursday"),
        (date(2024, 6, 20), True, "the day before midsommarafton"),
        (date(2024, 6, 21), False, "Midsommarafton"),
        (date(2024, 6, 22), False, "Midsommardagen"),
        (date(2024, 6, 24), True, "the Monday after midsommar"),
        (date(2024, 11, 1), True, "Allhelgonaafton is a working day"),
        (date(2024, 12, 23), True, "the day before julafton"),
        (date(2024, 12, 24), False, "Julafton"),
        (date(2024, 12, 25), False, "Juldagen"),
        (date(2024, 12, 26), False, "Annandag jul"),
        (date(2024, 12, 27), True, "the Friday after Christmas"),
        (date(2024, 12, 30), True, "the day before nyårsafton"),
        (date(2024, 12, 31), False, "Nyårsafton"),
        (date(2025, 1, 1), False, "Nyårsdagen"),
        (date(2025, 1, 2), True, "the first working day of 2025"),
        (date(2025, 1, 6), False, "Trettondedag jul on a Monday"),
        (date(2025, 1, 7), True, "the Tuesday after Trettondedag jul"),
        (date(2025, 4, 18), False, "Långfredagen 2025"),
        (date(2025, 4, 21), False, "Annandag påsk 2025"),
        (date(2025, 6, 19), True, "the day before midsommarafton 2025"),
        (date(2025, 6, 20), False, "Midsommarafton 2025"),
    ],
)
def test_is_working_day(day: date, working: bool, why: str) -> None:
    assert CALENDAR.is_working_day(day) is working, why


@pytest.mark.parametrize(
    ("day", "previous", "following"),
    [
        (date(2024, 9, 10), date(2024, 9, 10), date(2024, 9, 10)),
        (date(2024, 9, 8), date(2024, 9, 6), date(2024, 9, 9)),
        (date(2024, 4, 1), date(2024, 3, 28), date(2024, 4, 2)),
        (date(2024, 3, 29), date(2024, 3, 28), date(2024, 4, 2)),
        (date(2024, 6, 22), date(2024, 6, 20), date(2024, 6, 24)),
        (date(2024, 12, 25), date(2024, 12, 23), date(2024, 12, 27)),
        (date(2024, 12, 31), date(2024, 12, 30), date(2025, 1, 2)),
        (date(2025, 1, 1), date(2024, 12, 30), date(2025, 1, 2)),
        (date(2025, 1, 5), date(2025, 1, 3), date(2025, 1, 7)),
    ],
)
def test_previous_and_next_working_day(day: date, previous: date, following: date) -> None:
    assert CALENDAR.previous_working_day(day) == previous
    assert CALENDAR.next_working_day(day) == following


@pytest.mark.parametrize(
    "holiday_calendar",
    [
        pytest.param(holidays.Sweden(), id="public-only-no-sundays-no-eves"),
        pytest.param(
            holidays.Sweden(include_sundays=True, categories=(PUBLIC, DE_FACTO)),
            id="sundays-and-eves",
        ),
    ],
)
def test_same_days_off_whatever_the_calendar_includes(
    holiday_calendar: holidays.HolidayBase,
) -> None:
    for year in (2024, 2025):
        assert WorkingDays(holiday_calendar).days_off(year) == CALENDAR.days_off(year)


def test_package_facts_this_module_relies_on() -> None:
    # If a new `holidays` release changes these, the guards in calendar.py still hold; this test
    # only says which of them is doing the work.
    default = holidays.Sweden(years=2024)
    assert date(2024, 9, 8) not in default  # an ordinary Sunday is not a holiday by default
    assert date(2024, 12, 24) not in default  # julafton is not PUBLIC
    assert date(2024, 12, 24) in holidays.Sweden(years=2024, categories=(PUBLIC, DE_FACTO))


def test_days_off_are_computed_once_per_year() -> None:
    calendar = WorkingDays()
    assert calendar.days_off(2024) is calendar.days_off(2024)
    # 2024: 104 weekend days, 8 weekday holidays (1/1, 29/3, 1/4, 1/5, 9/5, 6/6, 25/12, 26/12),
    # and 3 weekday eves (21/6, 24/12, 31/12).
    assert len(calendar.days_off(2024)) == 104 + 8 + 3
