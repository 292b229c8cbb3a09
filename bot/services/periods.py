"""Opening, changing and closing periods, and the reminder schedule admins may change."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.config import Settings
from bot.domain.periods import PeriodKey
from bot.domain.reminder_policy import ReminderSchedule, parse_reminder_days, parse_reminder_time
from bot.domain.reporting import UnitProgress
from bot.services.status import Refused, unit_overview
from storage.db import session_scope
from storage.models import Period, ReminderSettings, utcnow
from storage.queries import get_period

logger = logging.getLogger(__name__)

SCHEDULE_ROW_ID = 1


def parse_local_deadline(text: str, zone: ZoneInfo) -> datetime:
    """`2024-09-10 16:00` (or `2024-09-10`, meaning 16:00) in the configured zone, aware."""
    cleaned = " ".join(text.replace("T", " ").split())
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            naive = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        if fmt == "%Y-%m-%d":
            naive = naive.replace(hour=16)
        return naive.replace(tzinfo=zone)
    raise ValueError(f"deadline {text!r} is not of the form YYYY-MM-DD HH:MM")


@dataclass(frozen=True)
class PeriodStatus:
    key: str
    state: str
    deadline: datetime
    units: tuple[UnitProgress, ...]

    @property
    def reported(self) -> int:
        return sum(u.reported for u in self.units)

    @property
    def total(self) -> int:
        return sum(u.total for u in self.units)


def open_period(engine: Engine, *, period: PeriodKey, deadline: datetime) -> tuple[Period, bool]:
    """Open a period (creating it), with its deadline; return (period, created)."""
    with session_scope(engine) as session:
        row = get_period(session, year=period.year, tertial=period.tertial)
        created = row is None
        if row is None:
            row = Period(year=period.year, tertial=period.tertial, deadline=deadline)
        row.deadline = deadline
        row.state = "open"
        row.closed_at = None
        session.add(row)
        session.flush()
        return row, created


def set_deadline(engine: Engine, *, period: PeriodKey, deadline: datetime) -> Period:
    """Change a period's deadline."""
    with session_scope(engine) as session:
        row = get_period(session, year=period.year, tertial=period.tertial)
        if row is None:
            raise Refused("unknown_period", period=str(period))
        row.deadline = deadline
        session.add(row)
        return row


def close_period(engine: Engine, *, period: PeriodKey) -> Period:
    """Close a period: it takes no more reports."""
    with session_scope(engine) as session:
        row = get_period(session, year=period.year, tertial=period.tertial)
        if row is None:
            raise Refused("unknown_period", period=str(period))
        if row.state != "closed":
            row.state = "closed"
            row.closed_at = utcnow()
            session.add(row)
        return row


def list_periods(engine: Engine, *, newest: int | None = None) -> list[PeriodStatus]:
    """Every period (or only the `newest` few), oldest first, with its progress per unit."""
    with session_scope(engine) as session:
        query = select(Period).order_by(col(Period.year).desc(), col(Period.tertial).desc())
        if newest is not None:
            query = query.limit(newest)
        result = []
        for row in reversed(session.exec(query).all()):
            units = tuple(progress for _u, progress, _i in unit_overview(session, period=row))
            result.append(PeriodStatus(row.key, row.state, row.deadline, units))
        return result


# --- the reminder schedule ----------------------------------------------------------------------


class ScheduleInputError(ValueError):
    """A reminder schedule that does not parse; `field` is "days" or "time"."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def schedule_from(settings: Settings) -> ReminderSchedule:
    """The reminder schedule the settings ask for."""
    return ReminderSchedule(days_before=settings.reminder_days, at=settings.reminder_time)


def effective_schedule(engine: Engine, settings: Settings) -> ReminderSchedule:
    """The schedule an admin saved in the database, else the one the settings ask for."""
    with session_scope(engine) as session:
        row = session.get(ReminderSettings, SCHEDULE_ROW_ID)
        if row is None:
            return schedule_from(settings)
        days_text, at_text = row.days_before, row.at
    try:
        return ReminderSchedule(
            days_before=parse_reminder_days(days_text), at=parse_reminder_time(at_text)
        )
    except ValueError:
        # Only a hand-edited row gets here (saving validates): keep reminders going.
        logger.warning("the stored reminder schedule is not valid; using the settings instead")
        return schedule_from(settings)


def parse_schedule(days_text: str, time_text: str) -> ReminderSchedule:
    """Parse `28,14,7,2,0` and `09:00` into a schedule; raise ScheduleInputError."""
    try:
        days = parse_reminder_days(days_text)
    except ValueError as error:
        raise ScheduleInputError("days", str(error)) from None
    try:
        at = parse_reminder_time(time_text)
    except ValueError as error:
        raise ScheduleInputError("time", str(error)) from None
    return ReminderSchedule(days_before=days, at=at)


def save_schedule(
    engine: Engine, *, days_text: str, time_text: str, actor_name: str
) -> ReminderSchedule:
    """Validate and store the reminder schedule; raise ScheduleInputError (a ValueError)."""
    schedule = parse_schedule(days_text, time_text)
    days = ",".join(str(day) for day in schedule.days_before)
    at = f"{schedule.at:%H:%M}"

    def store() -> None:
        with session_scope(engine, write=True) as session:
            row = session.get(ReminderSettings, SCHEDULE_ROW_ID, with_for_update=True)
            if row is None:
                row = ReminderSettings(id=SCHEDULE_ROW_ID, days_before=days, at=at)
            row.days_before = days
            row.at = at
            row.updated_by = actor_name[:200]
            row.updated_at = utcnow()
            session.add(row)

    try:
        store()
    except IntegrityError:  # another admin created the row at the same moment: update it
        store()
    return schedule
