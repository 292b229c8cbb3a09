"""Export a period: one row per activity of the period's year, with its current status.

CSV and XLSX use exactly the plan's activity columns, so an export can be imported again and
changes nothing; JSON is for other programs, with stable English keys and the status's machine
value. Every stored text passes `clean_text` on the way out, so one odd character in one comment
never makes the period impossible to export.
"""

from __future__ import annotations

import errno
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.domain.periods import PeriodKey, parse_period
from bot.domain.status import Status, status_label
from bot.domain.text import clean_text
from bot.importers.issues import ImportOptionsError, Msg, msg
from bot.planfile.format import UNIT_JOINER, YES_NO, lang
from bot.planfile.writers import replace_atomically, write_plan_csv, write_plan_xlsx
from storage.db import session_scope
from storage.models import Activity, Goal, GoalArea, Person
from storage.queries import activity_unit_paths, current_reports, get_period

EXPORT_SUFFIXES = (".csv", ".xlsx", ".json")


class ExportError(ValueError):
    """The export could not be written; nothing was (an existing file is left as it was)."""

    def __init__(self, message: Msg, *, language: str = "sv") -> None:
        self.message = message
        super().__init__(message.format(language))


def _line(text: str | None) -> str:
    return clean_text(text or "", one_line=True)


def _block(text: str | None) -> str:
    return clean_text(text or "")


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
        yes, no = YES_NO[lang(language)]
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


def export_period(
    engine: Engine,
    *,
    period: str | PeriodKey,
    path: str | Path,
    language: str = "sv",
    zone: ZoneInfo | None = None,
) -> int:
    """Write the period's activities to CSV, XLSX or JSON (by extension); return rows written.

    Raises ImportOptionsError for another extension (a usage error), ExportError when the
    period does not exist or the file cannot be written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise ImportOptionsError(
            msg(
                "export_unsupported", suffix=suffix or path.name, allowed=" ".join(EXPORT_SUFFIXES)
            ),
            language=language,
        )
    key = parse_period(period) if isinstance(period, str) else period
    with session_scope(engine) as session:
        rows = period_rows(session, period=key, language=language)
        areas = [
            _line(a.name)
            for a in session.exec(
                select(GoalArea).order_by(col(GoalArea.position), col(GoalArea.id))
            ).all()
        ]
    try:
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
    except OSError as error:
        raise ExportError(
            msg("export_unwritable", path=str(path), reason=_reason(error)), language=language
        ) from error
    return len(rows)


def _reason(error: OSError) -> Msg:
    if isinstance(error, PermissionError):
        return msg("export_reason_permission")
    if isinstance(error, IsADirectoryError) or error.errno == errno.EISDIR:
        return msg("export_reason_directory")
    return msg("export_reason_other", code=error.errno or "?")


def period_rows(session: Session, *, period: PeriodKey, language: str = "sv") -> list[ExportRow]:
    """The period's rows: every activity of its year, in goal order then activity order."""
    period_row = get_period(session, year=period.year, tertial=period.tertial)
    if period_row is None or period_row.id is None:
        raise ExportError(msg("export_no_period", period=str(period)), language=language)
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
        status = _status(report.status) if report else None
        author = (report.author_name or authors.get(report.author_person_id)) if report else None
        rows.append(
            ExportRow(
                goal_number=_line(goal.number) or None,
                goal=_line(goal.text),
                goal_area=_line(areas.get(goal.area_id)) or None if goal.area_id else None,
                council_finance_goal=goal.is_council_finance_goal,
                activity=_line(activity.title),
                purpose=_block(activity.purpose),
                start=activity.start,
                end=activity.end,
                units=[_line(u) for u in units.get(activity.id, [])] if activity.id else [],
                status=status.value if status else None,
                status_label=status_label(status, language) if status else None,
                comment=_block(report.comment) if report else "",
                reported_by=_line(author) or None if report else None,
                reported_at=report.created_at if report else None,
            )
        )
    return rows


def _status(value: str) -> Status | None:
    """A stored status; an unknown one (a newer version's) is exported as no status."""
    try:
        return Status(value)
    except ValueError:
        return None
