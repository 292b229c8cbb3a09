"""The one rule for a period's deadline, whichever surface it is typed into.

A deadline is a local wall-clock time in the configured zone. A time that does not exist (the
hour skipped when clocks go forward) is refused; an ambiguous one (the hour repeated when they go
back) is taken as its first occurrence, and the caller is told so. A deadline already past, or
outside the period's reporting window, needs the person's confirmation (`--force` on the command
line, a confirmation in chat): it is almost always a typo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.periods import PeriodKey

DEFAULT_DEADLINE_TIME = time(16, 0)

_DATE_TIME_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2})[:.](\d{2}))?$")


class DeadlineError(ValueError):
    """A deadline that cannot be used. `key` names the message; `needs_confirmation` means the
    person may insist (a past deadline, one outside the reporting window)."""

    def __init__(self, key: str, *, needs_confirmation: bool = False, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        self.needs_confirmation = needs_confirmation


@dataclass(frozen=True)
class Deadline:
    """An accepted deadline: the instant (UTC), its local time, and what the person should know."""

    at: datetime
    local: datetime
    notes: tuple[tuple[str, dict[str, object]], ...] = field(default=())


def reporting_window(period: PeriodKey) -> tuple[date, date]:
    """The days a deadline of this period may fall on: from its first day to the end of the
    next tertial (reports are often due some weeks after the tertial ends)."""
    following = PeriodKey(period.year, period.tertial + 1) if period.tertial < 3 else None
    last = following.last_day if following else date(period.year + 1, 4, 30)
    return period.first_day, last


def parse_local(text: str) -> tuple[date, time]:
    """`2024-09-10 16:00`, `2024-09-10T16:00` or `2024-09-10` (16:00); raise DeadlineError."""
    cleaned = " ".join((text or "").split())
    match = _DATE_TIME_RE.match(cleaned)
    if not match:
        raise DeadlineError("deadline_format", text=cleaned)
    year, month, day, hour, minute = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
        clock = time(int(hour), int(minute)) if hour is not None else DEFAULT_DEADLINE_TIME
    except ValueError:
        raise DeadlineError("deadline_format", text=cleaned) from None
    return day_value, clock


def resolve_deadline(
    day: date,
    clock: time,
    *,
    zone: ZoneInfo,
    period: PeriodKey,
    now: datetime,
    confirmed: bool = False,
) -> Deadline:
    """Apply the rule to a local date and time; raise DeadlineError."""
    first = datetime.combine(day, clock, tzinfo=zone)
    second = first.replace(fold=1)
    shown = f"{day:%Y-%m-%d} {clock:%H:%M}"
    round_trip = first.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != first.replace(tzinfo=None):
        raise DeadlineError("deadline_nonexistent", deadline=shown, zone=zone.key)
    notes: list[tuple[str, dict[str, object]]] = []
    if first.utcoffset() != second.utcoffset():
        notes.append(("deadline_ambiguous", {"deadline": shown, "zone": zone.key}))
    at = first.astimezone(UTC)
    if not confirmed:
        start, end = reporting_window(period)
        if at <= now:
            raise DeadlineError("deadline_past", needs_confirmation=True, deadline=shown)
        if not start <= day <= end:
            raise DeadlineError(
                "deadline_outside",
                needs_confirmation=True,
                deadline=shown,
                period=str(period),
                start=f"{start:%Y-%m-%d}",
                end=f"{end:%Y-%m-%d}",
            )
    return Deadline(at=at, local=first, notes=tuple(notes))


def parse_deadline(
    text: str, *, zone: ZoneInfo, period: PeriodKey, now: datetime, confirmed: bool = False
) -> Deadline:
    """Parse typed text and apply the rule; raise DeadlineError."""
    day, clock = parse_local(text)
    return resolve_deadline(day, clock, zone=zone, period=period, now=now, confirmed=confirmed)
