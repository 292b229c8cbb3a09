"""Export a period: one row per activity of the period's year, with its current status.

CSV and XLSX use exactly the plan's activity columns, so an export can be imported again;
JSON is for other programs, with stable English keys and the status's machine value.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.domain.periods import PeriodKey, parse_period
from bot.domain.status import Status, status_label
from bot.importers.plan_file import (
    YES_NO,
    replace_atomically,
    write_plan_csv,
    write_plan_xlsx,
)
from storage.db import session_scope
from storage.models import Activity, Goal, GoalArea, Person
from storage.queries import activity_unit_paths, current_reports, get_period

EXPORT_SUFFIXES = (".csv", ".xlsx", ".json")
UNIT_JOINER = "; "

_MESSAGES = {
    "sv": {
        "suffix": "okänd filtyp {suffix!r} för export; använd {allowed}",
        "no_period": "perioden {period} finns inte; skapa den eller importera planen med --period",
    },
    "en": {
        "suffix": "unknown export file type {suffix!r}; use {allowed}",
        "no_period": "the period {period} does not exist; create it or import the plan with --period",
    },
}


@dataclass(frozen=True)
class ExportRow:
    """One activity with its goal, units and current status; the JSON object's keys."""

    goal_number: str | None
    goal: str
    goal_area: str | None
    council_finance_goal: bool
    activity: str
    purpose: str
    start: date | None
    end: date | None
    units: list[str]
    status: str | None
    status_label: str | None
    comment: str
    reported_by: str | None
    reported_at: datetime | None

    def cells(self, language: str) -> list[object]:
        """The row in the plan's activity column order."""
        yes, no = YES_NO["en" if language == "en" else "sv"]
        return [
            self.goal_number or "",
            self.goal,
            self.goal_area or "",
            yes if self.council_finance_goal else no,
            self.activity,
            self.purpose,
            self.start,
            self.end,
            UNIT_JOINER.join(self.units),
            self.status_label or "",
            self.comment,
        ]

    def as_json(self, zone: ZoneInfo | None) -> dict[str, object]:
        """The row as a JSON object: ISO dates, the report time in `zone` (UTC by default)."""
        record = asdict(self)
        record["start"] = self.start.isoformat() if self.start else None
        record["end"] = self.end.isoformat() if self.end else None
        at = self.reported_at
        record["reported_at"] = (at.astimezone(zone) if zone else at).isoformat() if at else None
        return record


def _message(language: str, key: str, **values: object) -> str:
    return _MESSAGES["en" if language == "en" else "sv"][key].format(**values)


def export_period(
    engine: Engine,
    *,
    period: str | PeriodKey,
    path: str | Path,
    language: str = "sv",
    zone: ZoneInfo | None = None,
) -> int:
    """Write the period's activities to CSV, XLSX or JSON (by extension); return rows written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise ValueError(
            _message(
                language, "suffix", suffix=suffix or path.name, allowed=" ".join(EXPORT_SUFFIXES)
            )
        )
    key = parse_period(period) if isinstance(period, str) else period
    with session_scope(engine) as session:
        rows = period_rows(session, period=key, language=language)
        areas = [
            a.name
            for a in session.exec(
                select(GoalArea).order_by(col(GoalArea.position), col(GoalArea.id))
            ).all()
        ]
    if suffix == ".csv":
        write_plan_csv(path, activity_rows=(r.cells(language) for r in rows), language=language)
    elif suffix == ".xlsx":
        write_plan_xlsx(
            path,
            activity_rows=(r.cells(language) for r in rows),
            areas=areas,
            language=language,
        )
    else:
        with replace_atomically(path) as temporary:
            text = json.dumps([r.as_json(zone) for r in rows], ensure_ascii=False, indent=2)
            temporary.write_text(text + "\n", encoding="utf-8")
    return len(rows)


def period_rows(session: Session, *, period: PeriodKey, language: str = "sv") -> list[ExportRow]:
    """The period's rows: every activity of its year, in goal order then activity order."""
    period_row = get_period(session, year=period.year, tertial=period.tertial)
    if period_row is None or period_row.id is None:
        raise ValueError(_message(language, "no_period", period=period))
    areas = {a.id: a.name for a in session.exec(select(GoalArea)).all()}
    goals = session.exec(
        select(Goal).where(Goal.year == period.year).order_by(col(Goal.position), col(Goal.id))
    ).all()
    order = {g.id: index for index, g in enumerate(goals)}
    activities = sorted(
        session.exec(select(Activity).where(col(Activity.goal_id).in_(list(order)))).all(),
        key=lambda a: (order[a.goal_id], a.position, a.id or 0),
    )
    units = activity_unit_paths(session, activity_ids=[a.id for a in activities if a.id])
    reports = current_reports(session, period_id=period_row.id)
    author_ids = [r.author_person_id for r in reports.values() if r.author_person_id]
    authors = {
        p.id: p.name
        for p in session.exec(select(Person).where(col(Person.id).in_(author_ids))).all()
    }
    goals_by_id = {g.id: g for g in goals}
    rows: list[ExportRow] = []
    for activity in activities:
        goal = goals_by_id[activity.goal_id]
        report = reports.get(activity.id) if activity.id else None
        status = Status(report.status) if report else None
        rows.append(
            ExportRow(
                goal_number=goal.number,
                goal=goal.text,
                goal_area=areas.get(goal.area_id) if goal.area_id else None,
                council_finance_goal=goal.is_council_finance_goal,
                activity=activity.title,
                purpose=activity.purpose,
                start=activity.start,
                end=activity.end,
                units=units.get(activity.id, []) if activity.id else [],
                status=status.value if status else None,
                status_label=status_label(status, language) if status else None,
                comment=report.comment if report else "",
                reported_by=(
                    (report.author_name or authors.get(report.author_person_id)) if report else None
                ),
                reported_at=report.created_at if report else None,
            )
        )
    return rows
