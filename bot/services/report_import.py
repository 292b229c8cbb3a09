"""Load a published report (its text form, its PDF, or its JSON form) into the database.

The report is read completely first; text the importer is not sure of (a repeated page, a
section twice, one activity twice, a text longer than its column) refuses the whole report,
naming the lines, and nothing is written. Goals, activities and units are matched by the same
rule as the plan import (bot.importers.matching), so the two imports never duplicate each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot import i18n
from bot.config import Settings
from bot.domain.periods import PeriodKey, default_deadline
from bot.importers.issues import Issue, ReportFileError, msg
from bot.importers.matching import clean_block, match_key
from bot.importers.report import ParsedActivity, ParsedReport, read_report
from bot.importers.report.paragraphs import normalise_goal, short
from bot.importers.tables import file_issue
from bot.services.import_matching import (
    Activities,
    GoalAreas,
    Goals,
    GoalTextTaken,
    Units,
    dedupe_units,
    keep_order,
)
from bot.services.plan_import import update_activity
from storage.db import session_scope
from storage.models import Activity, Goal, ImportNote
from storage.queries import (
    add_status_report,
    current_reports,
    get_or_create_period,
    replace_import_notes,
    set_activity_units,
)

IMPORT_SOURCE = "import"
# ImportNote's column sizes.
_MAX_SOURCE = 300
_MAX_REASON = 500

# The old name of the refusal, for callers that catch it.
ReportImportError = ReportFileError


@dataclass
class ReportImportResult:
    """What a report import did, in counts, and what it said (warnings, kept notes)."""

    period: str
    path: Path
    period_created: bool = False
    goal_areas: int = 0
    goals: int = 0
    activities_created: int = 0
    activities_updated: int = 0
    activities_unchanged: int = 0
    reports_added: int = 0
    units_created: int = 0
    # The texts kept as import notes (each is said in `warnings` too).
    unplaced: list[str] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def summary(self, language: str = "sv") -> str:
        """The result in one line (two when the period was created)."""
        lines = []
        if self.period_created:
            lines.append(i18n.t(language, "report_period_created", period=self.period))
        lines.append(
            i18n.t(
                language,
                "report_imported",
                file=self.path.name,
                period=self.period,
                goals=self.goals,
                areas=self.goal_areas,
                created=self.activities_created,
                updated=self.activities_updated,
                unchanged=self.activities_unchanged,
                reports=self.reports_added,
                units=self.units_created,
            )
        )
        return "\n".join(lines)

    def warning_lines(self, language: str = "sv") -> list[str]:
        """Each warning as a line, `Varning: file:line: ...`."""
        return [i18n.t(language, "imp_warning", text=w.format(language)) for w in self.warnings]


def import_report(
    engine: Engine, *, path: str | Path, period: PeriodKey, settings: Settings
) -> ReportImportResult:
    """Read a published report and store its goals, activities and statuses for a period.

    Raises ReportFileError (every problem found, nothing written).
    """
    path = Path(path)
    language = settings.language
    parsed = read_report(path, language=language)
    problems = list(parsed.doubts)
    if not parsed.activities:
        problems.append(file_issue(path, "report_no_activities"))
    if parsed.period and parsed.period != str(period):
        problems.append(
            file_issue(path, "report_period_mismatch", found=parsed.period, period=str(period))
        )
    if problems:
        raise ReportFileError(problems, language=language)
    try:
        with session_scope(engine) as session:
            return _store(session, parsed, path=path, period=period, settings=settings)
    except GoalTextTaken as taken:  # rolled back: nothing was written
        issue = file_issue(
            path,
            "report_goal_text_taken",
            number=taken.number,
            text=short(taken.text),
            other=taken.other,
        )
        raise ReportFileError([issue], language=language) from taken


def _store(
    session: Session, parsed: ParsedReport, *, path: Path, period: PeriodKey, settings: Settings
) -> ReportImportResult:
    language = settings.language
    result = ReportImportResult(period=str(period), path=path, warnings=list(parsed.warnings))
    source = f"Import: {path.name}"[:_MAX_SOURCE]
    # A published report describes a finished tertial: a period it creates is closed.
    period_row, result.period_created = get_or_create_period(
        session,
        year=period.year,
        tertial=period.tertial,
        deadline=default_deadline(period, settings.timezone).astimezone(UTC),
        state="closed",
    )
    assert period_row.id is not None

    areas = GoalAreas(session)
    area_ids: dict[str, int] = {}
    for name in parsed.goal_areas:
        area, _ = areas.get(name)
        assert area.id is not None
        area_ids[match_key(name)] = area.id
    result.goal_areas = len(area_ids)

    goals = Goals(session, year=period.year)
    stored = [goals.find(number=g.number, text=g.text) for g in parsed.goals]
    positions = keep_order([g.position if g else None for g in stored])
    by_number: dict[str, Goal] = {}
    by_text: dict[str, Goal] = {}
    for parsed_goal, position in zip(parsed.goals, positions, strict=True):
        goal, _, _ = goals.upsert(
            number=parsed_goal.number,
            text=parsed_goal.text,
            area_id=area_ids.get(match_key(parsed_goal.area or "")),
            finance=parsed_goal.is_council_finance_goal,
            position=position,
        )
        if parsed_goal.number:
            by_number[parsed_goal.number] = goal
        by_text.setdefault(normalise_goal(parsed_goal.text), goal)
    result.goals = len(parsed.goals)

    def goal_of(activity: ParsedActivity) -> Goal:
        goal = by_number.get(activity.goal_number) if activity.goal_number else None
        goal = goal or by_text.get(normalise_goal(activity.goal_text))
        if goal is None:
            # The last chapter lacked this goal: keep the activity under its number anyway.
            goal, _, _ = goals.upsert(
                number=activity.goal_number or None,
                text=activity.goal_text
                or i18n.t(language, "report_goal_placeholder", number=activity.goal_number),
                area_id=None,
                finance=False,
                position=None,
            )
            by_number[activity.goal_number] = goal
            result.warnings.append(
                Issue(
                    path.name, None, None, msg("report_goal_not_listed", goal=activity.goal_number)
                )
            )
        return goal

    units = Units(session)
    goal_rows = [goal_of(a) for a in parsed.activities]
    existing = Activities(session, goal_ids=[g.id for g in goals.all if g.id is not None])
    activity_positions = _positions(parsed.activities, goal_rows, existing)
    current = current_reports(session, period_id=period_row.id)
    pending: list[tuple[ParsedActivity, Activity]] = []
    for parsed_activity, goal, position in zip(
        parsed.activities, goal_rows, activity_positions, strict=True
    ):
        assert goal.id is not None
        unit_rows = dedupe_units([units.get(parts) for parts in parsed_activity.units if parts])
        fields: dict[str, object] = {
            "title": parsed_activity.title,
            "purpose": parsed_activity.purpose,
            "start": parsed_activity.start,
            "end": parsed_activity.end,
            "position": position,
        }
        activity = existing.find(goal_id=goal.id, title=parsed_activity.title)
        if activity is None:
            activity = Activity(goal_id=goal.id, **fields)  # type: ignore[arg-type]
            session.add(activity)
            session.flush()
            existing.add(activity)
            set_activity_units(session, activity=activity, units=unit_rows)
            result.activities_created += 1
        elif update_activity(session, activity=activity, fields=fields, units=unit_rows):
            result.activities_updated += 1
        else:
            result.activities_unchanged += 1
        if parsed_activity.status:
            pending.append((parsed_activity, activity))
        elif parsed_activity.comment:
            result.warnings.append(
                Issue(
                    path.name,
                    parsed_activity.line or None,
                    None,
                    msg("report_comment_without_status", title=short(parsed_activity.title)),
                )
            )
    result.units_created = units.created

    changed = [
        (p, a)
        for p, a in pending
        if not (
            (r := current.get(a.id or 0)) is not None
            and r.status == p.status
            and clean_block(r.comment) == p.comment
        )
    ]
    if changed and period_row.state == "closed" and not result.period_created:
        titles = "; ".join(short(p.title, 50) for p, _ in changed[:5])
        raise ReportFileError(
            [
                file_issue(
                    path,
                    "report_period_closed",
                    period=str(period),
                    count=len(changed),
                    titles=titles + ("; ..." if len(changed) > 5 else ""),
                )
            ],
            language=language,
        )
    for parsed_activity, activity in changed:
        assert activity.id is not None and parsed_activity.status is not None
        add_status_report(
            session,
            activity_id=activity.id,
            period_id=period_row.id,
            status=parsed_activity.status,
            comment=parsed_activity.comment,
            author_person_id=None,
            author_name=source[:200],
            source=IMPORT_SOURCE,
            current=current.get(activity.id),
        )
        result.reports_added += 1

    notes = []
    for unplaced in parsed.unplaced:
        note_goal = by_number.get(unplaced.goal_number or "")
        notes.append(
            ImportNote(
                period_id=period_row.id,
                goal_id=note_goal.id if note_goal else None,
                text=unplaced.text,
                reason=unplaced.reason.format(language)[:_MAX_REASON],
                source=source,
                line=unplaced.line,
            )
        )
        result.unplaced.append(unplaced.text)
    replace_import_notes(session, period_id=period_row.id, source=source, notes=notes)
    return result


def _positions(
    activities: list[ParsedActivity], goal_rows: list[Goal], existing: Activities
) -> list[int]:
    """Each activity's position within its goal, the stored ones kept while the order agrees."""
    positions = [0] * len(activities)
    by_goal: dict[int, list[int]] = {}
    for index, goal in enumerate(goal_rows):
        assert goal.id is not None
        by_goal.setdefault(goal.id, []).append(index)
    for goal_id, indices in by_goal.items():
        stored = [existing.find(goal_id=goal_id, title=activities[i].title) for i in indices]
        for index, position in zip(
            indices, keep_order([a.position if a else None for a in stored]), strict=True
        ):
            positions[index] = position
    return positions
