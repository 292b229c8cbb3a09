"""What people see of their reporting: App Home (or the Teams admin card) and the status overview."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.actors import Actor, ChatUser
from bot.domain.reminder_policy import ReminderSchedule
from bot.domain.reporting import ActivityItem, AdminPeriodRow, PeriodInfo, UnitProgress
from bot.services.core import Core
from bot.services.errors import Refused
from bot.services.identity import resolve_actor
from bot.services.periods import admin_periods, effective_schedule
from bot.services.progress import open_period, period_info, unit_overview
from storage.db import session_scope

# The admin sees the newest periods; one more is read so the view can say there are older ones.
ADMIN_PERIODS_SHOWN = 10

UnitItems = tuple[UnitProgress, tuple[ActivityItem, ...]]


@dataclass(frozen=True)
class HomeData:
    """Everything a person's home shows, by role."""

    actor: Actor
    period: PeriodInfo | None
    units: tuple[UnitItems, ...]
    all_units: tuple[UnitProgress, ...] | None
    admin_periods: tuple[AdminPeriodRow, ...] | None
    schedule: ReminderSchedule | None


@dataclass(frozen=True)
class StatusOverview:
    """A reporter's open items in the open period."""

    period: PeriodInfo
    units: tuple[UnitItems, ...]


def _mine(session, actor: Actor, period) -> tuple[UnitItems, ...]:
    if not actor.reporter_unit_ids:
        return ()
    return tuple(
        (progress, tuple(items))
        for _unit, progress, items in unit_overview(
            session,
            period=period,
            unit_ids=sorted(actor.reporter_unit_ids),
            include_subunits=True,
        )
    )


def home(core: Core, *, user: ChatUser) -> HomeData:
    """The person's home: their units' activities; every unit for a secretary; periods and the
    reminder schedule for an admin."""
    actor = resolve_actor(core, user)
    with session_scope(core.engine) as session:
        period = open_period(session)
        info = period_info(period, core.settings.timezone) if period else None
        units: tuple[UnitItems, ...] = ()
        all_units = None
        if period is not None:
            units = _mine(session, actor, period)
            if actor.is_secretary or actor.is_admin:
                all_units = tuple(p for _u, p, _i in unit_overview(session, period=period))
    periods = schedule = None
    if actor.is_admin:
        periods = tuple(admin_periods(core, newest=ADMIN_PERIODS_SHOWN + 1))
        schedule = effective_schedule(core)
    return HomeData(actor, info, units, all_units, periods, schedule)


def status_overview(core: Core, *, user: ChatUser) -> StatusOverview:
    """The reporter's activities in the open period; Refused if not a reporter or none is open."""
    actor = resolve_actor(core, user)
    if not actor.is_known:
        raise Refused("not_registered")
    with session_scope(core.engine) as session:
        period = open_period(session)
        if period is None:
            raise Refused("no_open_period")
        return StatusOverview(
            period=period_info(period, core.settings.timezone),
            units=_mine(session, actor, period),
        )


def who_is(core: Core, *, user: ChatUser) -> Actor:
    """The person behind a chat user and their roles (for help texts and menus)."""
    return resolve_actor(core, user)
