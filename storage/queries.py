"""Keyword-only data functions shared by the services. Callers own the session and transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import (
    UNIT_PATH_SEPARATOR,
    Activity,
    ActivityUnit,
    Goal,
    GoalArea,
    ImportNote,
    Period,
    Person,
    StatusReport,
    Unit,
    utcnow,
)


def normalise_unit_path(path: str | Iterable[str]) -> str:
    """`A >B>  C` or ["A", "B", "C"] -> `A > B > C`; raise ValueError on an empty part."""
    parts = path.split(">") if isinstance(path, str) else list(path)
    cleaned = [" ".join(p.split()) for p in parts]
    if not cleaned or any(not p for p in cleaned):
        raise ValueError(f"unit path {path!r} has an empty part")
    return UNIT_PATH_SEPARATOR.join(cleaned)


def get_or_create_unit_path(
    session: Session, *, path: str, cache: dict[str, Unit] | None = None
) -> Unit:
    """Return the unit at a path, creating it and any missing ancestors."""
    path = normalise_unit_path(path)
    if cache is not None and path in cache:
        return cache[path]
    unit = session.exec(select(Unit).where(Unit.path == path)).first()
    if unit is None:
        parts = path.split(UNIT_PATH_SEPARATOR)
        parent = (
            get_or_create_unit_path(session, path=UNIT_PATH_SEPARATOR.join(parts[:-1]), cache=cache)
            if len(parts) > 1
            else None
        )
        position = session.exec(select(func.count()).select_from(Unit)).one()
        unit = Unit(
            name=parts[-1],
            parent_id=parent.id if parent else None,
            path=path,
            position=int(position),
        )
        session.add(unit)
        session.flush()
    if cache is not None:
        cache[path] = unit
    return unit


def get_or_create_goal_area(session: Session, *, name: str) -> GoalArea:
    """Return the goal area of this name, creating it last in order."""
    name = " ".join(name.split())
    area = session.exec(select(GoalArea).where(GoalArea.name == name)).first()
    if area is None:
        count = session.exec(select(func.count()).select_from(GoalArea)).one()
        area = GoalArea(name=name, position=int(count))
        session.add(area)
        session.flush()
    return area


def find_goal_area(session: Session, *, name: str) -> GoalArea | None:
    """The goal area of this name (case-insensitive, whitespace-normalised), if any."""
    wanted = " ".join(name.split()).casefold()
    for area in session.exec(select(GoalArea)).all():
        if area.name.casefold() == wanted:
            return area
    return None


def upsert_goal(
    session: Session,
    *,
    year: int,
    number: str | None,
    text: str,
    area_id: int | None,
    is_council_finance_goal: bool,
    position: int | None = None,
) -> tuple[Goal, bool]:
    """Find a goal of the year by number (else by text) and update it; return (goal, changed)."""
    text = " ".join(text.split())
    goal = None
    if number:
        goal = session.exec(select(Goal).where(Goal.year == year, Goal.number == number)).first()
    if goal is None:
        goal = session.exec(select(Goal).where(Goal.year == year, Goal.text == text)).first()
    changed = False
    if goal is None:
        count = session.exec(select(func.count()).select_from(Goal).where(Goal.year == year)).one()
        goal = Goal(
            year=year,
            number=number,
            text=text,
            area_id=area_id,
            is_council_finance_goal=is_council_finance_goal,
            position=int(count) if position is None else position,
        )
        session.add(goal)
        session.flush()
        return goal, True
    updates = {
        "number": number or goal.number,
        "text": text,
        "area_id": area_id,
        "is_council_finance_goal": is_council_finance_goal,
    }
    if position is not None:
        updates["position"] = position
    for key, value in updates.items():
        if getattr(goal, key) != value:
            setattr(goal, key, value)
            changed = True
    if changed:
        session.add(goal)
        session.flush()
    return goal, changed


def activity_unit_paths(session: Session, *, activity_ids: Iterable[int]) -> dict[int, list[str]]:
    """Unit paths of each activity, in their printed order."""
    ids = list(activity_ids)
    result: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return result
    rows = session.exec(
        select(ActivityUnit.activity_id, Unit.path)
        .join(Unit, col(Unit.id) == col(ActivityUnit.unit_id))
        .where(col(ActivityUnit.activity_id).in_(ids))
        .order_by(col(ActivityUnit.activity_id), col(ActivityUnit.position))
    ).all()
    for activity_id, path in rows:
        result[activity_id].append(path)
    return result


def set_activity_units(session: Session, *, activity: Activity, units: list[Unit]) -> bool:
    """Make these the activity's responsible units, in this order; return whether anything changed."""
    assert activity.id is not None
    current = session.exec(
        select(ActivityUnit)
        .where(ActivityUnit.activity_id == activity.id)
        .order_by(col(ActivityUnit.position))
    ).all()
    wanted = [u.id for u in units]
    if [link.unit_id for link in current] == wanted:
        return False
    for link in current:
        session.delete(link)
    session.flush()
    for position, unit in enumerate(units):
        assert unit.id is not None
        session.add(ActivityUnit(activity_id=activity.id, unit_id=unit.id, position=position))
    session.flush()
    return True


def get_period(session: Session, *, year: int, tertial: int) -> Period | None:
    """The period of a year's tertial, if it exists."""
    return session.exec(
        select(Period).where(Period.year == year, Period.tertial == tertial)
    ).first()


def get_or_create_period(
    session: Session, *, year: int, tertial: int, deadline: datetime, state: str = "open"
) -> tuple[Period, bool]:
    """Return the period, creating it with this deadline and state if missing."""
    period = get_period(session, year=year, tertial=tertial)
    if period is not None:
        return period, False
    period = Period(
        year=year,
        tertial=tertial,
        deadline=deadline,
        state=state,
        closed_at=utcnow() if state == "closed" else None,
    )
    session.add(period)
    session.flush()
    return period, True


def current_reports(
    session: Session, *, period_id: int, activity_ids: Iterable[int] | None = None
) -> dict[int, StatusReport]:
    """The latest status report version of each activity (or of the given ones) in a period."""
    ids = None if activity_ids is None else list(activity_ids)
    if ids is not None and not ids:
        return {}
    latest_query = select(
        StatusReport.activity_id.label("activity_id"),  # type: ignore[attr-defined]
        func.max(StatusReport.version).label("version"),
    ).where(StatusReport.period_id == period_id)
    query = select(StatusReport).where(StatusReport.period_id == period_id)
    if ids is not None and len(ids) <= 500:
        latest_query = latest_query.where(col(StatusReport.activity_id).in_(ids))
        query = query.where(col(StatusReport.activity_id).in_(ids))
    latest = latest_query.group_by(col(StatusReport.activity_id)).subquery()
    rows = session.exec(
        query.join(
            latest,
            (col(StatusReport.activity_id) == latest.c.activity_id)
            & (col(StatusReport.version) == latest.c.version),
        )
    ).all()
    wanted = None if ids is None else set(ids)
    return {r.activity_id: r for r in rows if wanted is None or r.activity_id in wanted}


def add_status_report(
    session: Session,
    *,
    activity_id: int,
    period_id: int,
    status: str,
    comment: str,
    author_person_id: int | None,
    author_name: str,
    source: str,
    current: StatusReport | None = None,
    skip_if_unchanged: bool = False,
) -> StatusReport | None:
    """Save a new version of an activity's report; with skip_if_unchanged, None when identical."""
    if current is None:
        current = session.exec(
            select(StatusReport)
            .where(StatusReport.activity_id == activity_id, StatusReport.period_id == period_id)
            .order_by(col(StatusReport.version).desc())
        ).first()
    if skip_if_unchanged and current and current.status == status and current.comment == comment:
        return None
    report = StatusReport(
        activity_id=activity_id,
        period_id=period_id,
        version=(current.version + 1) if current else 1,
        status=status,
        comment=comment,
        author_person_id=author_person_id,
        author_name=author_name,
        source=source,
    )
    session.add(report)
    session.flush()
    return report


def find_person_by_email(session: Session, *, email: str) -> Person | None:
    """The person with this e-mail (case-insensitive)."""
    return session.exec(select(Person).where(Person.email == email.strip().lower())).first()


def replace_import_notes(
    session: Session, *, period_id: int | None, source: str, notes: list[ImportNote]
) -> None:
    """Replace the notes an earlier import of the same source left for the period."""
    for old in session.exec(
        select(ImportNote).where(ImportNote.period_id == period_id, ImportNote.source == source)
    ).all():
        session.delete(old)
    session.flush()
    for note in notes:
        session.add(note)
    session.flush()
