"""Load a published report (the seed's text form, or its PDF) into the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config import Settings
from bot.domain.periods import PeriodKey, default_deadline
from bot.importers.report_text import ParsedReport, parse_report_text, read_report_file
from storage.db import session_scope
from storage.models import Activity, Goal, ImportNote, Unit, utcnow
from storage.queries import (
    add_status_report,
    current_reports,
    get_or_create_goal_area,
    get_or_create_period,
    get_or_create_unit_path,
    replace_import_notes,
    set_activity_units,
    upsert_goal,
)


class ReportImportError(ValueError):
    """The report cannot be imported as asked; nothing was written."""


@dataclass
class ReportImportResult:
    period: str
    period_created: bool = False
    goal_areas: int = 0
    goals: int = 0
    activities_created: int = 0
    activities_updated: int = 0
    activities_unchanged: int = 0
    reports_added: int = 0
    units_created: int = 0
    unplaced: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_report(
    engine: Engine, *, path: str | Path, period: PeriodKey, settings: Settings
) -> ReportImportResult:
    """Parse a published report and store its goals, activities and statuses for a period."""
    path = Path(path)
    try:
        text = read_report_file(path)
    except OSError as exc:
        raise ReportImportError(f"{path}: {exc.strerror or exc}") from exc
    parsed = parse_report_text(text)
    if not parsed.activities:
        raise ReportImportError(
            f"{path}: no activities found; is this an uppsiktsrapport in text or PDF form?"
        )
    with session_scope(engine) as session:
        return _store(session, parsed, path=path, period=period, settings=settings)


def _store(
    session: Session, parsed: ParsedReport, *, path: Path, period: PeriodKey, settings: Settings
) -> ReportImportResult:
    result = ReportImportResult(period=str(period), warnings=list(parsed.warnings))
    source = f"Import: {path.name}"
    # A published report describes a finished tertial: a period it creates is closed.
    period_row, result.period_created = get_or_create_period(
        session,
        year=period.year,
        tertial=period.tertial,
        deadline=default_deadline(period, settings.timezone),
        state="closed",
    )
    assert period_row.id is not None

    area_ids: dict[str, int] = {}
    for name in parsed.goal_areas:
        area = get_or_create_goal_area(session, name=name)
        assert area.id is not None
        area_ids[name] = area.id
    result.goal_areas = len(area_ids)

    goals_by_number: dict[str, Goal] = {}
    for position, parsed_goal in enumerate(parsed.goals):
        goal, _ = upsert_goal(
            session,
            year=period.year,
            number=parsed_goal.number,
            text=parsed_goal.text,
            area_id=area_ids.get(parsed_goal.area or ""),
            is_council_finance_goal=parsed_goal.is_council_finance_goal,
            position=position,
        )
        if parsed_goal.number:
            goals_by_number[parsed_goal.number] = goal
    result.goals = len(parsed.goals)

    unit_cache: dict[str, Unit] = {}
    units_before = _count_units(session)
    existing = {
        (a.goal_id, a.title): a
        for a in session.exec(select(Activity).join(Goal).where(Goal.year == period.year)).all()
    }
    current = current_reports(session, period_id=period_row.id)
    pending_reports: list[tuple[Activity, str, str]] = []
    for position, parsed_activity in enumerate(parsed.activities):
        goal = goals_by_number.get(parsed_activity.goal_number)
        if goal is None:
            # The last chapter lacked this goal: keep the activity under its number anyway.
            goal, _ = upsert_goal(
                session,
                year=period.year,
                number=parsed_activity.goal_number,
                text=f"Mål {parsed_activity.goal_number}",
                area_id=None,
                is_council_finance_goal=False,
            )
            goals_by_number[parsed_activity.goal_number] = goal
            result.warnings.append(
                f"goal {parsed_activity.goal_number} is not listed in the last chapter; "
                "created it without text and goal area"
            )
        assert goal.id is not None
        units = [
            get_or_create_unit_path(session, path=list(parts), cache=unit_cache)
            for parts in parsed_activity.units
        ]
        activity = existing.get((goal.id, parsed_activity.title))
        fields = {
            "purpose": parsed_activity.purpose,
            "start": parsed_activity.start,
            "end": parsed_activity.end,
            "position": position,
        }
        if activity is None:
            activity = Activity(goal_id=goal.id, title=parsed_activity.title, **fields)
            session.add(activity)
            session.flush()
            existing[(goal.id, activity.title)] = activity
            set_activity_units(session, activity=activity, units=units)
            result.activities_created += 1
        else:
            changed = False
            for key, value in fields.items():
                if getattr(activity, key) != value:
                    setattr(activity, key, value)
                    changed = True
            changed |= set_activity_units(session, activity=activity, units=units)
            if changed:
                activity.updated_at = utcnow()
                session.add(activity)
                result.activities_updated += 1
            else:
                result.activities_unchanged += 1
        if parsed_activity.status:
            pending_reports.append((activity, parsed_activity.status, parsed_activity.comment))
        elif parsed_activity.comment:
            result.warnings.append(
                f"line {parsed_activity.line}: '{parsed_activity.title}' has a comment but no "
                "status; the comment was not stored as a report"
            )
    result.units_created = _count_units(session) - units_before

    changed_reports = [
        (a, s, c)
        for a, s, c in pending_reports
        if not (
            (r := current.get(a.id)) is not None  # type: ignore[arg-type]
            and r.status == s
            and r.comment == c
        )
    ]
    if changed_reports and period_row.state == "closed" and not result.period_created:
        raise ReportImportError(
            f"period {period} is closed; its reports cannot change "
            f"({len(changed_reports)} would). Nothing was written."
        )
    for activity, status, comment in changed_reports:
        assert activity.id is not None
        add_status_report(
            session,
            activity_id=activity.id,
            period_id=period_row.id,
            status=status,
            comment=comment,
            author_person_id=None,
            author_name=source,
            source="import",
            current=current.get(activity.id),
        )
        result.reports_added += 1

    notes = []
    for unplaced in parsed.unplaced:
        goal = goals_by_number.get(unplaced.goal_number or "")
        notes.append(
            ImportNote(
                period_id=period_row.id,
                goal_id=goal.id if goal else None,
                text=unplaced.text,
                reason=unplaced.reason,
                source=source,
                line=unplaced.line,
            )
        )
        where = f"goal {unplaced.goal_number}, " if unplaced.goal_number else ""
        result.unplaced.append(f"{where}line {unplaced.line}: {unplaced.reason}: {unplaced.text}")
    replace_import_notes(session, period_id=period_row.id, source=source, notes=notes)
    return result


def _count_units(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Unit)).one())
