"""The reminder policy: which messages of a period are due when. Pure: `now` is always passed in.

An occasion is one message kind for one day (the caller fans it out to units or people, sends
only what its log does not hold yet, and only to units that still have activities without a
status for the period). The sweep asks `due_now` what to send; `occasions` lists a period's
plan, for display and tests.

Rules, with the decisions taken where the issue is silent:

- Local times. Every reminder time is a local wall-clock time on a local day, built with
  `datetime.combine(day, time, tzinfo=zone)` and only then converted to UTC, so 09:00 stays
  09:00 local on both sides of a daylight-saving change (07:00 UTC in summer, 08:00 UTC in winter).
- Quiet hours are `[quiet_start, quiet_end)` across midnight (default 20:00 to 07:00). Nothing is
  due inside them, nor on a day off (`WorkingDays`): a time that lands there moves to the next
  working morning, that is `quiet_end` of the same day when it is before `quiet_end` on a working
  day, else `quiet_end` of the next working day. `ReminderSchedule` insists that quiet hours span
  midnight and end at 03:00 or later, so 02:00 to 03:00 (the hour that vanishes in March and
  repeats in October in Europe/Stockholm) is always quiet and nothing is ever due in it.
- "before" (to the reporters of units still missing a status): for each `d` in `days_before`, the
  local day `d` days before the deadline's local date, moved back to the previous working day,
  at `at` (moved out of quiet hours as above). Skipped when that is at or after the deadline.
  Several `d` on one day make one occasion, keyed `before:<local date>`. Valid until the first
  quiet start after it or the deadline, whichever is first: a reminder missed while the bot was
  down still goes out later the same day, never that evening or the next day (the next
  occasion takes over).
- "draft" (to the secretaries, privately, with a publish button): due at the deadline itself, or
  at the next working morning when the deadline is in quiet hours or on a day off (a deadline
  at 17:00 on a Friday gives the draft at 17:00 that Friday; one at 22:00 on a Friday gives it
  at 07:00 on Monday). Keyed `draft`: one draft per period, so a deadline moved after the
  draft went out does not send a second one (the secretary can compile on demand). Valid while
  the period is open (`UNTIL_CLOSED`).
- "overdue" (to the reporters of units still missing) and "missing_digest" (one message to the
  secretaries listing those units): every working day whose reminder time (`at`, out of quiet
  hours) is after the deadline, keyed `overdue:<local date>` and `missing:<local date>`. This
  includes the deadline's own day when the deadline is before `at` (a deadline at 08:00 gives
  the first overdue reminder at 09:00 that day); a deadline at or after `at` starts them the next
  working day. Valid until that day's quiet start.
- Sending window: `due_now` returns nothing while `now` is in quiet hours or on a day off, so an
  occasion that stays valid over a night or a weekend (the draft) waits for the next working
  morning instead of going out at night after a restart.
- A closed period has no occasions at all.
- A moved deadline simply gives other occasions; keys are date-based, so a reminder already sent
  under the old deadline keeps its key and the caller's log still says it was sent. Occasions
  are not limited to the period's months: a "before" day may fall before the tertial starts.
- Times are compared as instants: `deadline`, `until` and `now` must be timezone-aware (any zone);
  `due_at` and `valid_until` come back in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingDays

KIND_BEFORE = "before"
KIND_OVERDUE = "overdue"
KIND_MISSING_DIGEST = "missing_digest"
KIND_DRAFT = "draft"
AUDIENCE_REPORTERS = "reporters"
AUDIENCE_SECRETARIES = "secretaries"

# Far enough to mean "while the period is open", near enough to convert to any zone safely.
UNTIL_CLOSED = datetime(9999, 1, 1, tzinfo=UTC)

MAX_DAYS_BEFORE = 365
DST_HOUR_START = time(2, 0)
DST_HOUR_END = time(3, 0)

# How far back `due_now` looks for daily occasions: longer than any Swedish run of days off, so an
# occasion moved forward over a long weekend is still found.
_DAILY_LOOKBACK = timedelta(days=14)
_TIME_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


@dataclass(frozen=True)
class ReminderSchedule:
    """When reminders go out: days before the deadline, the local time, and the quiet hours."""

    days_before: tuple[int, ...] = (28, 14, 7, 2, 0)
    at: time = time(9, 0)
    quiet_start: time = time(20, 0)
    quiet_end: time = time(7, 0)

    def __post_init__(self) -> None:
        for days in self.days_before:
            if isinstance(days, bool) or not isinstance(days, int):
                raise ValueError(f"reminder day {days!r} is not a whole number of days")
            if not 0 <= days <= MAX_DAYS_BEFORE:
                raise ValueError(f"reminder day {days} is outside 0..{MAX_DAYS_BEFORE}")
        if not self.quiet_end < self.quiet_start:
            raise ValueError(
                f"quiet hours {self.quiet_start:%H:%M}-{self.quiet_end:%H:%M} must span midnight"
            )
        if self.quiet_end < DST_HOUR_END:
            raise ValueError(
                f"quiet hours must last until 03:00 or later (not {self.quiet_end:%H:%M}), "
                "so that nothing is ever due in the hour that daylight saving repeats or skips"
            )

    def is_quiet(self, t: time) -> bool:
        """Tell whether local time `t` is inside the quiet hours."""
        return t >= self.quiet_start or t < self.quiet_end


@dataclass(frozen=True)
class Occasion:
    """One message kind due at one time for a period; `key` is stable and unique in the period."""

    kind: str  # "before" | "overdue" | "missing_digest" | "draft"
    key: str  # "before:2024-08-30", "overdue:2024-09-11", "missing:2024-09-11", "draft"
    due_at: datetime  # aware, UTC
    valid_until: datetime  # aware, UTC: after this the occasion is missed, not sent
    audience: str  # "reporters" (missing units' reporters) | "secretaries"


def occasions(
    *,
    deadline: datetime,
    period_open: bool,
    schedule: ReminderSchedule,
    zone: ZoneInfo,
    calendar: WorkingDays,
    until: datetime,
) -> list[Occasion]:
    """List every occasion of the period due at or before `until`, sorted by due time."""
    _require_aware(until=until)
    return _plan(deadline, period_open, schedule, zone, calendar, until=until, daily_from=None)


def due_now(
    *,
    now: datetime,
    deadline: datetime,
    period_open: bool,
    schedule: ReminderSchedule,
    zone: ZoneInfo,
    calendar: WorkingDays,
) -> list[Occasion]:
    """List the occasions to send at `now`; the caller sends those it has not logged yet."""
    _require_aware(now=now)
    local_now = now.astimezone(zone)
    if schedule.is_quiet(local_now.time()) or not calendar.is_working_day(local_now.date()):
        return []
    planned = _plan(
        deadline=deadline,
        period_open=period_open,
        schedule=schedule,
        zone=zone,
        calendar=calendar,
        until=now,
        daily_from=local_now.date() - _DAILY_LOOKBACK,
    )
    return [occasion for occasion in planned if occasion.due_at <= now < occasion.valid_until]


def parse_reminder_days(text: str) -> tuple[int, ...]:
    """Parse `28,14,7,2,0` into distinct whole days in 0..365, largest first."""
    parts = [part.strip() for part in (text or "").split(",")]
    if parts == [""]:
        raise ValueError("reminder days are empty: give days before the deadline, e.g. 28,14,7,2,0")
    days: list[int] = []
    for part in parts:
        if not part:
            raise ValueError(f"reminder days {text!r} have an empty item: write e.g. 28,14,7,2,0")
        if not re.fullmatch(r"[+-]?\d+", part):
            raise ValueError(f"reminder day {part!r} in {text!r} is not a whole number of days")
        value = int(part)
        if not 0 <= value <= MAX_DAYS_BEFORE:
            raise ValueError(
                f"reminder day {value} in {text!r} is outside 0..{MAX_DAYS_BEFORE} days before"
            )
        if value in days:
            raise ValueError(f"reminder day {value} appears twice in {text!r}")
        days.append(value)
    return tuple(sorted(days, reverse=True))


def parse_reminder_time(text: str) -> time:
    """Parse `09:00` (or `9.00`) into a local time outside the quiet hours and the DST hour."""
    match = _TIME_RE.match(text or "")
    if not match:
        raise ValueError(f"reminder time {text!r} is not of the form HH:MM, e.g. 09:00")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(f"reminder time {text!r} is not a time of day")
    parsed = time(hour, minute)
    if DST_HOUR_START <= parsed < DST_HOUR_END:
        raise ValueError(
            f"reminder time {parsed:%H:%M} is in 02:00-03:00, the hour that daylight saving "
            "skips or repeats: choose a daytime hour such as 09:00"
        )
    default = ReminderSchedule()
    if default.is_quiet(parsed):
        raise ValueError(
            f"reminder time {parsed:%H:%M} is in the quiet hours "
            f"{default.quiet_start:%H:%M}-{default.quiet_end:%H:%M}: "
            f"choose a time from {default.quiet_end:%H:%M} to before {default.quiet_start:%H:%M}"
        )
    return parsed


def _require_aware(**instants: datetime) -> None:
    for name, instant in instants.items():
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware, got {instant.isoformat()}")


def _plan(
    deadline: datetime,
    period_open: bool,
    schedule: ReminderSchedule,
    zone: ZoneInfo,
    calendar: WorkingDays,
    *,
    until: datetime,
    daily_from: date | None,
) -> list[Occasion]:
    _require_aware(deadline=deadline)
    if not period_open:
        return []
    # Compare instants in UTC: aware datetimes sharing one tzinfo compare by wall clock.
    deadline_utc = deadline.astimezone(UTC)
    until_utc = until.astimezone(UTC)
    local_deadline = deadline.astimezone(zone)
    found: dict[str, Occasion] = {}

    def add(kind: str, key: str, due: datetime, valid_until: datetime, audience: str) -> None:
        found.setdefault(key, Occasion(kind, key, due, valid_until, audience))

    for days in schedule.days_before:
        day = calendar.previous_working_day(local_deadline.date() - timedelta(days=days))
        due = _send_window_start(day, schedule.at, schedule, zone, calendar)
        if due >= deadline_utc:
            continue
        valid_until = min(_quiet_start_after(due, schedule, zone), deadline_utc)
        key = f"before:{due.astimezone(zone).date().isoformat()}"
        add(KIND_BEFORE, key, due, valid_until, AUDIENCE_REPORTERS)

    draft_due = _send_window_start(
        local_deadline.date(), local_deadline.time(), schedule, zone, calendar
    )
    add(KIND_DRAFT, KIND_DRAFT, draft_due, UNTIL_CLOSED, AUDIENCE_SECRETARIES)

    day = local_deadline.date() if daily_from is None else max(local_deadline.date(), daily_from)
    while True:
        day = calendar.next_working_day(day)
        due = _send_window_start(day, schedule.at, schedule, zone, calendar)
        if due > until_utc:
            break
        if due > deadline_utc:
            valid_until = _quiet_start_after(due, schedule, zone)
            stamp = due.astimezone(zone).date().isoformat()
            add(KIND_OVERDUE, f"overdue:{stamp}", due, valid_until, AUDIENCE_REPORTERS)
            add(KIND_MISSING_DIGEST, f"missing:{stamp}", due, valid_until, AUDIENCE_SECRETARIES)
        day += timedelta(days=1)

    planned = [occasion for occasion in found.values() if occasion.due_at <= until_utc]
    return sorted(planned, key=lambda occasion: (occasion.due_at, occasion.key))


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """Return local `clock` on `day` as a UTC instant."""
    # Combine on the wall clock first, so 09:00 stays 09:00 local across a DST change.
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def _send_window_start(
    day: date, clock: time, schedule: ReminderSchedule, zone: ZoneInfo, calendar: WorkingDays
) -> datetime:
    """Return local `clock` on `day` in UTC, or the next working morning if that is not allowed."""
    if not schedule.is_quiet(clock) and calendar.is_working_day(day):
        return _at(day, clock, zone)
    morning = day if clock < schedule.quiet_end else day + timedelta(days=1)
    return _at(calendar.next_working_day(morning), schedule.quiet_end, zone)


def _quiet_start_after(due: datetime, schedule: ReminderSchedule, zone: ZoneInfo) -> datetime:
    """Return the start of the first quiet hours after `due` (outside quiet hours), in UTC."""
    # Quiet hours span midnight and `due` is outside them, so they start later the same day.
    return _at(due.astimezone(zone).date(), schedule.quiet_start, zone)
