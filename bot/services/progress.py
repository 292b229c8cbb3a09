"""Read models shared by the use cases: periods, each unit's activities and progress.

These run inside a caller's session; the public use cases in the other modules open it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.domain.periods import PeriodKey
from bot.domain.reporting import ActivityItem, PeriodInfo, UnitProgress
from bot.domain.status import Status
from storage.models import (
    UNIT_PATH_SEPARATOR,
    Activity,
    ActivityUnit,
    Decision,
    Goal,
    Period,
    ReturnedActivity,
    StatusReport,
    Substitute,
    Unit,
    UnitRole,
)
from storage.queries import current_reports, get_period


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
    session: Session,
    *,
    period: Period,
    activity_ids: list[int],
    reasons: dict[int, str] | None = None,
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
    items: dict[int, ActivityItem] = {}
    for activity, goal in rows:
        report: StatusReport | None = current.get(activity.id)  # type: ignore[arg-type]
        before: StatusReport | None = previous.get(activity.id)  # type: ignore[arg-type]
        assert activity.id is not None
        items[activity.id] = ActivityItem(
            activity_id=activity.id,
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
            return_reason=(reasons or {}).get(activity.id, ""),
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
            if unit_id is not None
            and any(path == r or path.startswith(r + UNIT_PATH_SEPARATOR) for r in roots)
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
    returned = open_return(session, period=period)
    if returned is not None:  # only what the committee returned is asked for again
        by_unit = {u: [a for a in ids if a in returned.reasons] for u, ids in by_unit.items()}
    wanted = [u for u in (unit_ids if unit_ids is not None else list(by_unit)) if by_unit.get(u)]
    all_ids = sorted({a for u in wanted for a in by_unit[u]})
    items = activity_items(
        session,
        period=period,
        activity_ids=all_ids,
        reasons=returned.reasons if returned else None,
    )
    if returned is not None:
        # A returned activity needs a new answer: until then it shows what it said before.
        answered = answered_since(session, period=period, since=returned.decided_at)
        for activity_id, item in list(items.items()):
            if activity_id not in answered:
                items[activity_id] = replace(
                    item,
                    status=None,
                    comment="",
                    previous_status=item.status,
                    previous_comment=item.comment,
                )
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


def answers_for(session: Session, *, reporter_unit_ids: frozenset[int], unit_id: int) -> bool:
    """Whether a reporter of these units answers for this unit (their own, or one below them)."""
    if not reporter_unit_ids:
        return False
    unit = session.get(Unit, unit_id)
    if unit is None:
        return False
    mine = session.exec(select(Unit.path).where(col(Unit.id).in_(reporter_unit_ids))).all()
    return any(unit.path == p or unit.path.startswith(p + UNIT_PATH_SEPARATOR) for p in mine)


def period_activity_count(session: Session, *, period: Period) -> tuple[int, int]:
    """(reported, total) activities of the period's year: each activity counted once."""
    activity_ids = session.exec(
        select(Activity.id)
        .join(Goal, col(Goal.id) == col(Activity.goal_id))
        .where(Goal.year == period.year)
    ).all()
    assert period.id is not None
    ids = [a for a in activity_ids if a is not None]
    reported = current_reports(session, period_id=period.id, activity_ids=ids)
    return len(reported), len(ids)


def active_substitutions(session: Session, *, on: date) -> dict[int, int]:
    """person id -> substitute person id, for the substitutions in force on a local date."""
    rows = session.exec(
        select(Substitute)
        .where(
            col(Substitute.revoked_at).is_(None),
            Substitute.starts_on <= on,
            Substitute.ends_on >= on,
        )
        .order_by(col(Substitute.id))
    ).all()
    return {row.person_id: row.substitute_person_id for row in rows}


def reporter_rights(
    session: Session, *, person_id: int, on: date
) -> tuple[frozenset[int], frozenset[tuple[int, int]]]:
    """The units a person reports for on a date: their own, and (unit, person) pairs of the
    units they answer for as a substitute."""
    own = frozenset(
        session.exec(
            select(UnitRole.unit_id).where(
                UnitRole.person_id == person_id, UnitRole.role == "reporter"
            )
        ).all()
    )
    away = [p for p, s in active_substitutions(session, on=on).items() if s == person_id]
    acting: set[tuple[int, int]] = set()
    if away:
        for unit_id, absent in session.exec(
            select(UnitRole.unit_id, UnitRole.person_id).where(
                col(UnitRole.person_id).in_(away), UnitRole.role == "reporter"
            )
        ).all():
            acting.add((unit_id, absent))
    return own, frozenset(acting)


@dataclass(frozen=True)
class ReturnState:
    """A period the committee returned for completion: which decision, since when, until when,
    and each returned activity's reason."""

    decision_id: int
    decided_at: datetime
    deadline: datetime | None
    reasons: dict[int, str]


def open_return(session: Session, *, period: Period) -> ReturnState | None:
    """The return in force for a period, or None when it is not returned."""
    if period.state != "returned":
        return None
    decision = session.exec(
        select(Decision)
        .where(Decision.period_id == period.id, Decision.kind == "returned")
        .order_by(col(Decision.id).desc())
    ).first()
    if decision is None or decision.id is None:
        return None
    reasons = {
        row.activity_id: row.reason
        for row in session.exec(
            select(ReturnedActivity).where(ReturnedActivity.decision_id == decision.id)
        ).all()
    }
    return ReturnState(decision.id, decision.created_at, decision.new_deadline, reasons)


def answered_since(session: Session, *, period: Period, since: datetime) -> set[int]:
    """Activities with a status saved after a moment (an answer to a return)."""
    return set(
        session.exec(
            select(StatusReport.activity_id).where(
                StatusReport.period_id == period.id, StatusReport.created_at > since
            )
        ).all()
    )
