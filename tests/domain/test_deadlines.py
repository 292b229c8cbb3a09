"""The one deadline rule: DST gaps refused, overlaps taken as the first, past and far ones confirmed."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.deadlines import DeadlineError, parse_deadline, reporting_window
from bot.domain.periods import PeriodKey

ZONE = ZoneInfo("Europe/Stockholm")
NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
T1 = PeriodKey(2024, 1)


def test_a_normal_deadline_is_the_local_time_in_utc() -> None:
    deadline = parse_deadline("2024-04-30 16:00", zone=ZONE, period=T1, now=NOW)
    assert deadline.at == datetime(2024, 4, 30, 14, 0, tzinfo=UTC)
    assert deadline.notes == ()


def test_a_date_alone_means_16_00() -> None:
    deadline = parse_deadline("2024-04-30", zone=ZONE, period=T1, now=NOW)
    assert deadline.local.hour == 16


def test_the_hour_skipped_in_spring_is_refused() -> None:
    with pytest.raises(DeadlineError) as error:
        parse_deadline("2024-03-31 02:30", zone=ZONE, period=T1, now=NOW)
    assert error.value.key == "deadline_nonexistent"
    assert not error.value.needs_confirmation


def test_the_hour_repeated_in_autumn_is_the_first_and_said_so() -> None:
    t3 = PeriodKey(2024, 3)
    deadline = parse_deadline("2024-10-27 02:30", zone=ZONE, period=t3, now=NOW)
    assert deadline.at == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)  # still summer time (+02)
    assert [key for key, _params in deadline.notes] == ["deadline_ambiguous"]


def test_a_past_deadline_needs_confirmation() -> None:
    with pytest.raises(DeadlineError) as error:
        parse_deadline("2024-02-01 16:00", zone=ZONE, period=T1, now=NOW)
    assert error.value.key == "deadline_past" and error.value.needs_confirmation
    confirmed = parse_deadline("2024-02-01 16:00", zone=ZONE, period=T1, now=NOW, confirmed=True)
    assert confirmed.at < NOW


def test_a_deadline_outside_the_reporting_window_needs_confirmation() -> None:
    assert reporting_window(PeriodKey(2024, 2)) == (
        datetime(2024, 5, 1).date(),
        datetime(2024, 12, 31).date(),
    )
    assert reporting_window(PeriodKey(2024, 3))[1] == datetime(2025, 4, 30).date()
    parse_deadline("2024-09-10 16:00", zone=ZONE, period=PeriodKey(2024, 2), now=NOW)
    with pytest.raises(DeadlineError) as error:
        parse_deadline("2025-09-10 16:00", zone=ZONE, period=PeriodKey(2024, 2), now=NOW)
    assert error.value.key == "deadline_outside" and error.value.needs_confirmation


@pytest.mark.parametrize(
    "text", ["", "tisdag", "2024-13-01", "2024-02-30 10:00", "2024-04-30 25:00"]
)
def test_text_that_is_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(DeadlineError) as error:
        parse_deadline(text, zone=ZONE, period=T1, now=NOW)
    assert error.value.key == "deadline_format"
