"""Reporting a status: what a unit and a person have to report, and saving a report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.domain.periods import PeriodKey
from bot.domain.reporting import ActivityItem, PeriodInfo, StatusInput, UnitProgress
from bot.domain.status import Status
from bot.services.access import Actor
from storage.db import session_scope
from storage.models import (
    UNIT_PATH_SEPARATOR,
    Activity,
    ActivityUnit,
    Goal,
    Period,
    StatusReport,
    Unit,
    UnitRole,
)
from storage.queries import add_status_report, current_reports, get_period


class Refused(Exception):
    """The request is not allowed or not valid; `key` names the message to show, nothing stored."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def period_info(period: Period, zone: ZoneInfo) -> PeriodInfo:
    """A period as people see it, with its deadline in local time."""
    return PeriodInfo(key=period.key, deadline=period.deadline.astimezone(zone), state=period.state)


def open_period(session: Session) -> Period | None:
    """The open period (the latest, should there be several)."""
    return session.exec(
        select(Period)
        .where(Period.state == "open")
        .order_by(col(Period.year).desc(), col(Period.tertial).desc())
    ).first()


def _previous_period(session: Session, period: Period) -> Period | None:
    key = PeriodKey(period.year, period.tertial).previous
    return get_period(session, year=key.year, tertial=key.tertial)


def unit_activity_ids(
    session: Session, *, period: Period, unit_ids: list[int] | None = None
) -> dict[int, list[int]]:
    """Activity ids of each unit (or of the given ones) for the period's year, in report order."""
    return _unit_activities(session, period=period, unit_ids=unit_ids)[0]


def _unit_activities(
    session: Session, *, period: Period, unit_ids: list[int] | None
) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Activity ids per unit, and each activity's rank in report order."""
    query = (
        select(ActivityUnit.unit_id, Activity.id)
        .join(Activity, col(Activity.id) == col(ActivityUnit.activity_id))
        .join(Goal, col(Goal.id) == col(Activity.goal_id))
        .where(Goal.year == period.year)
    )
    if unit_ids is not None:
        if not unit_ids:
            return {}, {}
        query = query.where(col(ActivityUnit.unit_id).in_(unit_ids))
    rows = session.exec(
        query.order_by(col(Goal.position), col(Goal.id), col(Activity.position), col(Activity.id))
    ).all()
    result: dict[int, list[int]] = defaultdict(list)
    rank: dict[int, int] = {}
    for unit_id, activity_id in rows:
        result[unit_id].append(activity_id)  # type: ignore[arg-type]
        rank.setdefault(activity_id, len(rank))  # type: ignore[arg-type]
    return result, rank


def activity_items(
    session: Session, *, period: Period, activity_ids: list[int]
) -> dict[int, ActivityItem]:
    """Activity items with the current status, or last tertial's when there is none."""
    if not activity_ids:
        return {}
    assert period.id is not None
    rows = session.exec(
        select(Activity, Goal)
        .join(Goal, col(Goal.id) == col(Activity.goal_id))
        .where(col(Activity.id).in_(activity_ids))
    ).all()
    current = current_reports(session, period_id=period.id, activity_ids=activity_ids)
    previous_period = _previous_period(session, period)
    previous = (
        current_reports(
            session,
            period_id=previous_period.id,  # type: ignore[arg-type]
            activity_ids=activity_ids,
        )
        if previous_period
        else {}
    )
    items = {}
    for activity, goal in rows:
        report: StatusReport | None = current.get(activity.id)  # type: ignore[arg-type]
        before: StatusReport | None = previous.get(activity.id)  # type: ignore[arg-type]
        items[activity.id] = ActivityItem(
            activity_id=activity.id,  # type: ignore[arg-type]
            goal_number=goal.number,
            goal_text=goal.text,
            title=activity.title,
            start=activity.start,
            end=activity.end,
            status=Status(report.status) if report else None,
            comment=report.comment if report else "",
            reported_by=report.author_name if report else "",
            reported_at=report.created_at if report else None,
            previous_status=Status(before.status) if before else None,
            previous_comment=before.comment if before else "",
        )
    return items


def covered_activity_ids(
    session: Session, *, period: Period, unit_ids: list[int] | None = None
) -> dict[int, list[int]]:
    """Activity ids each unit (or each given one) answers for: its own and its subunits'."""
    units = session.exec(select(Unit.id, Unit.parent_id, Unit.path)).all()
    parents = {unit_id: parent_id for unit_id, parent_id, _path in units}
    scope = None
    if unit_ids is not None:
        roots = [path for unit_id, _p, path in units if unit_id in set(unit_ids)]
        scope = [
            unit_id
            for unit_id, _p, path in units
            if any(path == r or path.startswith(r + UNIT_PATH_SEPARATOR) for r in roots)
        ]
    direct, rank = _unit_activities(session, period=period, unit_ids=scope)
    covered: dict[int, set[int]] = defaultdict(set)
    for unit_id, activity_ids in direct.items():
        node: int | None = unit_id
        seen: set[int] = set()
        while node is not None and node not in seen:  # guard against a cycle in bad data
            seen.add(node)
            covered[node].update(activity_ids)
            node = parents.get(node)
    # Report order: goal order, then the activity's position, as in the compiled report.
    wanted = covered if unit_ids is None else {u: covered[u] for u in unit_ids if u in covered}
    return {u: sorted(ids, key=lambda a: rank.get(a, 0)) for u, ids in wanted.items()}


def unit_overview(
    session: Session,
    *,
    period: Period,
    unit_ids: list[int] | None = None,
    include_subunits: bool = False,
) -> list[tuple[Unit, UnitProgress, list[ActivityItem]]]:
    """Each unit (or the given ones) with activities in the period, its progress and items.

    With `include_subunits`, a unit answers for its own activities and those of units below
    it (a department's reporter sees its units' activities too).
    """
    by_unit = (
        covered_activity_ids(session, period=period, unit_ids=unit_ids)
        if include_subunits
        else unit_activity_ids(session, period=period, unit_ids=unit_ids)
    )
    wanted = [u for u in (unit_ids if unit_ids is not None else list(by_unit)) if by_unit.get(u)]
    all_ids = sorted({a for u in wanted for a in by_unit[u]})
    items = activity_items(session, period=period, activity_ids=all_ids)
    units = (
        {u.id: u for u in session.exec(select(Unit).where(col(Unit.id).in_(wanted))).all()}
        if wanted
        else {}
    )
    result = []
    for unit_id in sorted(wanted, key=lambda u: units[u].path):
        unit_items = [items[a] for a in by_unit[unit_id]]
        progress = UnitProgress(
            unit_id=unit_id,
            unit_path=units[unit_id].path,
            total=len(unit_items),
            reported=sum(1 for i in unit_items if not i.is_missing),
        )
        result.append((units[unit_id], progress, unit_items))
    return result


def unit_reporters(session: Session) -> dict[int, list[int]]:
    """Person ids of each unit's reporters."""
    result: dict[int, list[int]] = defaultdict(list)
    for unit_id, person_id in session.exec(
        select(UnitRole.unit_id, UnitRole.person_id)
        .where(UnitRole.role == "reporter")
        .order_by(col(UnitRole.person_id))
    ).all():
        result[unit_id].append(person_id)
    return result


@dataclass(frozen=True)
class Saved:
    report: StatusReport
    changed: bool
    unit_ids: tuple[int, ...]


def check_can_report(
    session: Session, *, actor: Actor, activity_id: int, period: PeriodKey
) -> tuple[Period, Activity, list[int]]:
    """Raise Refused unless this person may report on this activity in this period now."""
    if not actor.is_known:
        raise Refused("not_registered")
    period_row = get_period(session, year=period.year, tertial=period.tertial)
    if period_row is None:
        raise Refused("unknown_period", period=str(period))
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise Refused("unknown_activity")
    goal = session.get(Goal, activity.goal_id)
    if goal is None or goal.year != period_row.year:
        raise Refused("wrong_period", period=str(period))
    unit_rows = session.exec(
        select(Unit.id, Unit.path)
        .join(ActivityUnit, col(ActivityUnit.unit_id) == col(Unit.id))
        .where(ActivityUnit.activity_id == activity_id)
    ).all()
    unit_ids = [unit_id for unit_id, _path in unit_rows]
    reporter_paths = (
        session.exec(select(Unit.path).where(col(Unit.id).in_(actor.reporter_unit_ids))).all()
        if actor.reporter_unit_ids
        else []
    )
    # A reporter of a unit also answers for the units below it.
    if not any(
        path == mine or path.startswith(mine + UNIT_PATH_SEPARATOR)
        for _unit_id, path in unit_rows
        for mine in reporter_paths
    ):
        raise Refused("not_reporter")
    if period_row.state != "open":
        raise Refused("period_closed", period=str(period))
    return period_row, activity, unit_ids


def record_status(
    engine: Engine,
    *,
    actor: Actor,
    activity_id: int,
    period: PeriodKey,
    status_input: StatusInput,
    source: str,
) -> Saved:
    """Check the actor's right and the period, then save a new version (unless unchanged)."""
    # The checks only read, so they run outside the (SQLite) writer queue.
    with session_scope(engine) as session:
        period_row, _activity, unit_ids = check_can_report(
            session, actor=actor, activity_id=activity_id, period=period
        )
    period_id = period_row.id
    assert period_id is not None
    for attempt in range(3):
        try:
            with session_scope(engine, write=True) as session:
                state = session.exec(select(Period.state).where(Period.id == period_id)).one()
                if state != "open":  # closed between the check and the save
                    raise Refused("period_closed", period=str(period))
                current = session.exec(
                    select(StatusReport)
                    .where(
                        StatusReport.activity_id == activity_id,
                        StatusReport.period_id == period_id,
                    )
                    .order_by(col(StatusReport.version).desc())
                ).first()
                comment = status_input.comment
                if comment is None:
                    comment = current.comment if current else ""
                report = add_status_report(
                    session,
                    activity_id=activity_id,
                    period_id=period_id,
                    status=status_input.status.value,
                    comment=comment,
                    author_person_id=actor.person_id,
                    author_name=actor.name,
                    source=source,
                    current=current,
                    skip_if_unchanged=True,
                )
                if report is None:
                    assert current is not None
                    return Saved(current, False, tuple(unit_ids))
                return Saved(report, True, tuple(unit_ids))
        except IntegrityError:
            # Two saves raced for the same version number: read again and retry.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
