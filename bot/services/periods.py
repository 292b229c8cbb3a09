"""Opening, changing and closing periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.domain.periods import PeriodKey
from bot.domain.reporting import UnitProgress
from bot.services.status import Refused, unit_overview
from storage.db import session_scope
from storage.models import Period, utcnow
from storage.queries import get_period


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


def list_periods(engine: Engine) -> list[PeriodStatus]:
    """Every period with its progress per unit."""
    with session_scope(engine) as session:
        result = []
        for row in session.exec(
            select(Period).order_by(col(Period.year), col(Period.tertial))
        ).all():
            units = tuple(progress for _u, progress, _i in unit_overview(session, period=row))
            result.append(PeriodStatus(row.key, row.state, row.deadline, units))
        return result
