"""Opening, changing and closing periods (one rule for every surface), and the reminder schedule."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.domain.actors import Actor, ChatUser
from bot.domain.deadlines import DeadlineError, parse_deadline, resolve_deadline
from bot.domain.periods import PeriodKey, default_deadline
from bot.domain.reminder_policy import ReminderSchedule, parse_reminder_days, parse_reminder_time
from bot.domain.reporting import AdminPeriodRow, PeriodInfo, UnitProgress
from bot.services import audit
from bot.services.core import Core
from bot.services.errors import Refused
from bot.services.identity import resolve_actor
from bot.services.progress import period_activity_count, period_info, unit_overview
from storage.db import session_scope
from storage.models import Period, ReminderSettings, utcnow
from storage.queries import get_period

logger = logging.getLogger(__name__)

SCHEDULE_ROW_ID = 1

OPEN = "open"  # create or reopen, with its deadline (given, or the default)
DEADLINE = "deadline"  # an existing period's deadline
CLOSE = "close"
EDIT = "edit"  # an existing period: deadline and state (the admin's form)
NEW = "new"  # a period that must not exist yet: deadline and state
ACTIONS = (OPEN, DEADLINE, CLOSE, EDIT, NEW)
STATES = ("open", "closed")


@dataclass(frozen=True)
class PeriodChange:
    """A change asked for on any surface. The deadline is typed text, or a local date and time."""

    period: PeriodKey
    action: str
    deadline_text: str | None = None
    deadline_day: date | None = None
    deadline_time: time | None = None
    state: str | None = None
    confirmed: bool = False


@dataclass(frozen=True)
class PeriodChanged:
    """What a change did. `notes` are (message key, params) the person should read."""

    period: PeriodInfo
    created: bool
    changed: bool
    notes: tuple[tuple[str, dict[str, object]], ...] = ()


@dataclass(frozen=True)
class PeriodStatus:
    """A period with its progress: activities counted once, and per unit."""

    key: str
    state: str
    deadline: datetime
    reported: int
    total: int
    units: tuple[UnitProgress, ...]


def _require_admin(core: Core, who: ChatUser | None) -> Actor | None:
    """The acting admin (None at the command line); Refused for anyone else."""
    if who is None:
        return None
    actor = resolve_actor(core, who)
    if not actor.is_admin:
        raise Refused("not_admin")
    return actor


def _deadline(core: Core, change: PeriodChange) -> tuple[datetime, tuple]:
    zone = core.settings.timezone
    try:
        if change.deadline_text is not None:
            deadline = parse_deadline(
                change.deadline_text,
                zone=zone,
                period=change.period,
                now=core.now(),
                confirmed=change.confirmed,
            )
        else:
            if change.deadline_day is None or change.deadline_time is None:
                local = default_deadline(change.period, zone)
                day, clock = local.date(), local.time()
            else:
                day, clock = change.deadline_day, change.deadline_time
            deadline = resolve_deadline(
                day,
                clock,
                zone=zone,
                period=change.period,
                now=core.now(),
                confirmed=change.confirmed,
            )
    except DeadlineError as error:
        refused = Refused(error.key, needs_confirmation=error.needs_confirmation)
        refused.params = dict(error.params)
        raise refused from None
    return deadline.at, deadline.notes


def _has_deadline(change: PeriodChange) -> bool:
    return change.deadline_text is not None or change.deadline_day is not None


def change_period(core: Core, *, who: ChatUser | None, change: PeriodChange) -> PeriodChanged:
    """Apply a period change by the one rule; `who` None is the command line's operator."""
    if change.action not in ACTIONS or (change.state is not None and change.state not in STATES):
        raise Refused("bad_request")
    actor = _require_admin(core, who)
    actor_name = actor.display_name if actor else ""
    try:
        with session_scope(core.engine, write=True) as session:
            row = get_period(session, year=change.period.year, tertial=change.period.tertial)
            if row is not None:
                session.refresh(row, with_for_update=True)
            changed = _apply(core, session, row, change)
            if changed.changed:
                stored = get_period(session, year=change.period.year, tertial=change.period.tertial)
                audit.record(
                    session,
                    action=f"period_{change.action}",
                    actor=actor,
                    period_id=stored.id if stored else None,
                    subject=str(change.period),
                    deadline=changed.period.deadline.isoformat(),
                    state=changed.period.state,
                )
            return changed
    except IntegrityError:  # someone created the same period a moment ago
        raise Refused("period_exists", period=str(change.period)) from None
    finally:
        logger.info("period %s: %s by %s", change.period, change.action, actor_name or "cli")


def _apply(core: Core, session, row: Period | None, change: PeriodChange) -> PeriodChanged:
    key = str(change.period)
    zone = core.settings.timezone
    if change.action == NEW and row is not None:
        raise Refused("period_exists", period=key)
    if change.action in (DEADLINE, CLOSE, EDIT) and row is None:
        raise Refused("unknown_period", period=key)
    notes: tuple = ()
    created = row is None
    changed = False
    if change.action == CLOSE:
        assert row is not None
        if row.state == "closed":
            return PeriodChanged(
                period_info(row, zone), False, False, (("period_already_closed", {"period": key}),)
            )
        row.state, row.closed_at = "closed", utcnow()
        session.add(row)
        return PeriodChanged(period_info(row, zone), False, True)
    wants_deadline = change.action in (OPEN, NEW) and row is None or _has_deadline(change)
    deadline = row.deadline if row is not None else None
    if wants_deadline:
        new_deadline, notes = _deadline(core, change)
        if row is None or new_deadline != row.deadline:
            deadline, changed = new_deadline, True
    assert deadline is not None
    state = change.state or ("open" if change.action in (OPEN, NEW) else None)
    reopening = state == "open" and (row is None or row.state != "open")
    if reopening and not wants_deadline and deadline <= core.now() and not change.confirmed:
        # Reopening with the old deadline long gone would remind nobody and look open forever.
        local = deadline.astimezone(zone)
        raise Refused("deadline_past", needs_confirmation=True, deadline=f"{local:%Y-%m-%d %H:%M}")
    if row is None:
        row = Period(year=change.period.year, tertial=change.period.tertial, deadline=deadline)
        row.state = state or "open"
        row.closed_at = utcnow() if row.state == "closed" else None
        session.add(row)
        session.flush()
        return PeriodChanged(period_info(row, zone), True, True, notes)
    row.deadline = deadline
    if state is not None and state != row.state:
        row.state = state
        row.closed_at = utcnow() if state == "closed" else None
        changed = True
    session.add(row)
    return PeriodChanged(period_info(row, zone), created, changed, notes)


def list_periods(core: Core, *, newest: int | None = None) -> list[PeriodStatus]:
    """Every period (or the `newest` few), oldest first, with its progress."""
    with session_scope(core.engine) as session:
        query = select(Period).order_by(col(Period.year).desc(), col(Period.tertial).desc())
        if newest is not None:
            query = query.limit(newest)
        result = []
        for row in reversed(session.exec(query).all()):
            units = tuple(progress for _u, progress, _i in unit_overview(session, period=row))
            reported, total = period_activity_count(session, period=row)
            result.append(PeriodStatus(row.key, row.state, row.deadline, reported, total, units))
        return result


def admin_periods(core: Core, *, newest: int) -> list[AdminPeriodRow]:
    """The newest periods with their local deadline and progress, newest first."""
    zone = core.settings.timezone
    with session_scope(core.engine) as session:
        rows = session.exec(
            select(Period)
            .order_by(col(Period.year).desc(), col(Period.tertial).desc())
            .limit(newest)
        ).all()
        result = []
        for row in reversed(rows):
            reported, total = period_activity_count(session, period=row)
            result.append(
                AdminPeriodRow(row.key, row.state, row.deadline.astimezone(zone), reported, total)
            )
        return result


def period_state(core: Core, *, period: PeriodKey) -> PeriodInfo:
    """A period as people see it; Refused("unknown_period") if it does not exist."""
    with session_scope(core.engine) as session:
        row = get_period(session, year=period.year, tertial=period.tertial)
        if row is None:
            raise Refused("unknown_period", period=str(period))
        return period_info(row, core.settings.timezone)


# --- the reminder schedule ----------------------------------------------------------------------


def schedule_from_settings(core: Core) -> ReminderSchedule:
    """The reminder schedule the settings ask for."""
    return ReminderSchedule(days_before=core.settings.reminder_days, at=core.settings.reminder_time)


def effective_schedule(core: Core) -> ReminderSchedule:
    """The schedule an admin saved, else the one the settings ask for."""
    with session_scope(core.engine) as session:
        row = session.get(ReminderSettings, SCHEDULE_ROW_ID)
        if row is None:
            return schedule_from_settings(core)
        days_text, at_text = row.days_before, row.at
    try:
        return ReminderSchedule(
            days_before=parse_reminder_days(days_text), at=parse_reminder_time(at_text)
        )
    except ValueError:
        # Only a hand-edited row gets here (saving validates): keep reminders going.
        logger.warning("the stored reminder schedule is not valid; using the settings instead")
        return schedule_from_settings(core)


def parse_schedule(days_text: str, time_text: str) -> ReminderSchedule:
    """Parse `28,14,7,2,0` and `09:00`; Refused naming the field that is wrong."""
    try:
        days = parse_reminder_days(days_text)
    except ValueError:
        raise Refused("schedule_days_invalid", field="days") from None
    try:
        at = parse_reminder_time(time_text)
    except ValueError:
        raise Refused("schedule_time_invalid", field="time") from None
    return ReminderSchedule(days_before=days, at=at)


def save_schedule(
    core: Core, *, who: ChatUser | None, days_text: str, time_text: str
) -> ReminderSchedule:
    """Validate and store the reminder schedule (admins only)."""
    actor = _require_admin(core, who)
    actor_name = actor.display_name if actor else ""
    schedule = parse_schedule(days_text, time_text)
    days = ",".join(str(day) for day in schedule.days_before)
    at = f"{schedule.at:%H:%M}"

    def store() -> None:
        with session_scope(core.engine, write=True) as session:
            row = session.get(ReminderSettings, SCHEDULE_ROW_ID, with_for_update=True)
            if row is None:
                row = ReminderSettings(id=SCHEDULE_ROW_ID, days_before=days, at=at)
            row.days_before, row.at = days, at
            row.updated_by = actor_name[:200]
            row.updated_at = utcnow()
            session.add(row)
            audit.record(session, action="reminder_schedule", actor=actor, subject=f"{days} {at}")

    try:
        store()
    except IntegrityError:  # another admin created the row at the same moment: update it
        store()
    return schedule


def current_period(core: Core) -> PeriodKey | None:
    """The open period (the latest, should there be several)."""
    from bot.services.progress import open_period

    with session_scope(core.engine) as session:
        row = open_period(session)
        return PeriodKey(row.year, row.tertial) if row is not None else None


def missing_reports(core: Core) -> dict[str, int]:
    """Activities without a status in each open period (for monitoring)."""
    with session_scope(core.engine) as session:
        rows = session.exec(select(Period).where(Period.state == "open")).all()
        result = {}
        for row in rows:
            reported, total = period_activity_count(session, period=row)
            result[row.key] = total - reported
        return result
