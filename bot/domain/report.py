"""Compile a period's stored data into the report's view model: a pure function, no I/O.

The rows and the view model live in bot.domain.report_model; they are importable from here too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime

from bot.domain.report_model import (
    ActivityChange,
    ActivityRow,
    ActivityView,
    AreaGoals,
    AreaSummary,
    Changes,
    DecisionRow,
    GoalRow,
    GoalSection,
    ImportNote,
    MissingUnit,
    NoteRow,
    PlanningCheck,
    ReportRow,
    ReportView,
    ReturnAnswer,
    ReturnRow,
    StatusCount,
    Summary,
    UnitLine,
    UnitPlanning,
)
from bot.domain.status import ATTENTION, STATUS_ORDER, Status, status_label

_STATUS_VALUES = frozenset(s.value for s in Status)

UNIT_SEPARATOR = " > "
# The seed's rule: every unit plans at least two activities toward the board's goals.
MIN_BOARD_GOAL_ACTIVITIES = 2
# "New deviations" and "completed" in the changes since the previous tertial.
DEVIATIONS: frozenset[Status] = frozenset({Status.DEVIATING, Status.DONE_DEVIATING})
COMPLETED: frozenset[Status] = frozenset({Status.DONE, Status.DONE_DEVIATING})


FINANCE_AREA = {
    "sv": "Verksamhetsmål för god ekonomisk hushållning",
    "en": "Council goals for sound finances",
}
NO_AREA = {"sv": "Utan målområde", "en": "No goal area"}


def unit_tree(paths: tuple[str, ...] | list[str]) -> tuple[UnitLine, ...]:
    """Merge unit paths into the indented tree the seed prints (shared ancestors once)."""
    lines: list[UnitLine] = []
    printed: set[tuple[str, ...]] = set()
    for path in paths:
        parts = tuple(p.strip() for p in path.split(UNIT_SEPARATOR) if p.strip())
        for depth in range(len(parts)):
            prefix = parts[: depth + 1]
            if prefix not in printed:
                printed.add(prefix)
                lines.append(UnitLine(parts[depth], depth))
    return tuple(lines)


def _goal_sort_key(goal: GoalRow) -> tuple:
    """Goals in printed number order (1.2 before 1.10), unnumbered ones after, by position."""
    if goal.number:
        try:
            return (0, tuple(int(p) for p in goal.number.split(".")), goal.position)
        except ValueError:
            return (1, (), goal.position)
    return (2, (), goal.position)


def compile_report(
    *,
    period: str,
    year: int,
    tertial: int,
    goals: list[GoalRow],
    area_order: list[str],
    activities: list[ActivityRow],
    reports: dict[int, ReportRow],
    notes: list[NoteRow],
    language: str,
    generated_at: datetime,
    previous_period: str | None = None,
    previous_reports: dict[int, ReportRow] | None = None,
    decisions: list[DecisionRow] | None = None,
    returns: list[ReturnRow] | None = None,
) -> ReportView:
    """Build the report's view model for one period from plain rows.

    `previous_period` names the previous tertial when it exists, and `previous_reports` holds
    its current reports; without it the view has no `changes`.
    """
    goals_by_id = {g.id: g for g in goals}
    by_goal: dict[int, list[ActivityRow]] = defaultdict(list)
    for activity in activities:
        by_goal[activity.goal_id].append(activity)

    sections: list[GoalSection] = []
    all_views: list[tuple[GoalRow, ActivityView]] = []
    for goal in sorted(goals, key=_goal_sort_key):
        rows = sorted(by_goal.get(goal.id, []), key=lambda a: (a.position, a.id))
        if not rows:
            continue  # the report shows only goals that have activities
        views = []
        for row in rows:
            view = _activity_view(row, goal, reports.get(row.id), language)
            views.append(view)
            all_views.append((goal, view))
        sections.append(
            GoalSection(
                number=goal.number,
                text=goal.text,
                area=goal.area,
                is_council_finance_goal=goal.is_council_finance_goal,
                activities=tuple(views),
            )
        )
    import_notes = []
    for note in notes:
        goal_row = goals_by_id.get(note.goal_id) if note.goal_id is not None else None
        import_notes.append(
            ImportNote(
                goal_number=goal_row.number if goal_row else None,
                goal_text=goal_row.text if goal_row else None,
                text=note.text,
                reason=note.reason,
            )
        )

    report_view = ReportView(
        period=period,
        year=year,
        tertial=tertial,
        language=language,
        generated_at=generated_at,
        summary=_summary(all_views, area_order, language),
        sections=tuple(sections),
        all_goals=_all_goals(goals, area_order, language),
        planning_check=_planning_check(goals, activities),
        import_notes=tuple(import_notes),
        changes=(
            _changes([v for _, v in all_views], previous_period, previous_reports or {}, language)
            if previous_period is not None
            else None
        ),
    )
    return _with_returns(report_view, decisions or [], returns or [], language)


def _with_returns(
    view: ReportView, decisions: list[DecisionRow], returns: list[ReturnRow], language: str
) -> ReportView:
    """Add the committee's decisions and, after a return, each returned activity's answer."""
    returned = [d for d in decisions if d.kind == "returned"]
    if not decisions:
        return view
    answers = []
    by_id = {a.id: (section, a) for section in view.sections for a in section.activities}
    for row in returns:
        found = by_id.get(row.activity_id)
        if found is None:
            continue
        section, activity = found
        before = Status(row.before_status) if row.before_status in _STATUS_VALUES else None
        answers.append(
            ReturnAnswer(
                activity_id=activity.id,
                goal_number=section.number,
                title=activity.title,
                reason=row.reason,
                before_status=before.value if before else None,
                before_label=status_label(before, language) if before else None,
                before_comment=row.before_comment,
                status=activity.status,
                status_label=activity.status_label,
                comment=activity.comment,
                status_changed=(before.value if before else None) != activity.status,
                comment_changed=row.before_comment.strip() != activity.comment.strip(),
            )
        )
    last = returned[-1] if returned else None
    return replace(
        view,
        decisions=tuple(decisions),
        returned_version=last.version if last and returns else None,
        return_reasons=last.reasons if last and returns else "",
        returns=tuple(answers),
    )


def _activity_view(
    row: ActivityRow, goal: GoalRow, report: ReportRow | None, language: str
) -> ActivityView:
    return ActivityView(
        id=row.id,
        goal_number=goal.number,
        goal_text=goal.text,
        title=row.title,
        purpose=row.purpose,
        start=row.start,
        end=row.end,
        units=row.unit_paths,
        unit_tree=unit_tree(row.unit_paths),
        status=report.status.value if report else None,
        status_label=status_label(report.status, language) if report else None,
        comment=report.comment if report else "",
        reported_by=report.author_name if report else "",
        reported_at=report.created_at if report else None,
        version=report.version if report else 0,
    )


def _area_name(goal: GoalRow, language: str) -> str:
    if goal.is_council_finance_goal:
        return FINANCE_AREA[language]
    return goal.area or NO_AREA[language]


def _counts(views: list[ActivityView], language: str) -> tuple[StatusCount, ...]:
    tally = {status: 0 for status in STATUS_ORDER}
    for view in views:
        if view.status:
            tally[Status(view.status)] += 1
    return tuple(StatusCount(s.value, status_label(s, language), n) for s, n in tally.items())


def _summary(
    all_views: list[tuple[GoalRow, ActivityView]], area_order: list[str], language: str
) -> Summary:
    views = [v for _, v in all_views]
    reported = [v for v in views if v.status]

    by_area: dict[str, list[ActivityView]] = defaultdict(list)
    for goal, view in all_views:
        by_area[_area_name(goal, language)].append(view)
    ordered_areas = [a for a in area_order if a in by_area] + sorted(
        a for a in by_area if a not in area_order
    )
    per_area = tuple(
        AreaSummary(
            area=area,
            total=len(by_area[area]),
            missing=sum(1 for v in by_area[area] if not v.status),
            counts=_counts(by_area[area], language),
        )
        for area in ordered_areas
    )

    rank = {s.value: i for i, s in enumerate(STATUS_ORDER)}
    attention = tuple(
        sorted(
            (v for v in reported if v.status and Status(v.status) in ATTENTION),
            key=lambda v: rank[v.status or ""],  # stable: goal order within each status
        )
    )

    missing: dict[str, list[str]] = defaultdict(list)
    for view in views:
        if not view.status:
            for unit in view.units or ("",):
                missing[unit].append(view.title)
    missing_by_unit = tuple(MissingUnit(u, tuple(t)) for u, t in sorted(missing.items()))

    return Summary(
        total=len(views),
        reported=len(reported),
        missing=len(views) - len(reported),
        counts=_counts(views, language),
        per_area=per_area,
        attention=attention,
        missing_by_unit=missing_by_unit,
    )


def _all_goals(goals: list[GoalRow], area_order: list[str], language: str) -> tuple[AreaGoals, ...]:
    """The last chapter: every goal of the year by goal area, the finance goals last."""
    grouped: dict[str, list[GoalRow]] = defaultdict(list)
    finance: list[GoalRow] = []
    for goal in goals:
        if goal.is_council_finance_goal:
            finance.append(goal)
        else:
            grouped[goal.area or NO_AREA[language]].append(goal)
    areas = [a for a in area_order if a in grouped] + sorted(
        a for a in grouped if a not in area_order
    )
    chapter = [
        AreaGoals(area, tuple(g.text for g in sorted(grouped[area], key=lambda g: g.position)))
        for area in areas
    ]
    if finance:
        chapter.append(
            AreaGoals(
                FINANCE_AREA[language],
                tuple(g.text for g in sorted(finance, key=lambda g: g.position)),
                is_council_finance=True,
            )
        )
    return tuple(chapter)


def _changes(
    views: list[ActivityView],
    previous_period: str,
    previous_reports: dict[int, ReportRow],
    language: str,
) -> Changes:
    """Compare each activity of this report with its report in the previous tertial."""
    status_changed: list[ActivityChange] = []
    new_deviations: list[ActivityChange] = []
    completed: list[ActivityChange] = []
    not_reported_now: list[ActivityChange] = []
    previous_status: dict[int, str] = {}
    compared = 0
    for view in views:
        before = previous_reports.get(view.id)
        before_status = before.status if before else None
        change = ActivityChange(
            activity=view,
            previous_status=before_status.value if before_status else None,
            previous_label=status_label(before_status, language) if before_status else None,
        )
        if before_status is not None:
            compared += 1
            previous_status[view.id] = before_status.value
        now = Status(view.status) if view.status else None
        if now is None:
            if before_status is not None:
                not_reported_now.append(change)
            continue
        if before_status is not None and before_status != now:
            status_changed.append(change)
        if now in DEVIATIONS and before_status not in DEVIATIONS:
            new_deviations.append(change)
        if now in COMPLETED and before_status not in COMPLETED:
            completed.append(change)
    return Changes(
        previous_period=previous_period,
        compared=compared,
        status_changed=tuple(status_changed),
        new_deviations=tuple(new_deviations),
        completed=tuple(completed),
        not_reported_now=tuple(not_reported_now),
        previous_status=previous_status,
    )


def _planning_check(goals: list[GoalRow], activities: list[ActivityRow]) -> PlanningCheck:
    """Count each responsible unit's activities toward the board's goals and the finance goal.

    A unit is a responsible unit path as it appears on activities (the leaves of the printed
    trees): an activity of a department does not count for the units below it, nor the reverse.
    """
    finance_goal_ids = {g.id for g in goals if g.is_council_finance_goal}
    known_goal_ids = {g.id for g in goals}
    board: dict[str, int] = defaultdict(int)
    finance: dict[str, int] = defaultdict(int)
    for activity in activities:
        if activity.goal_id not in known_goal_ids:
            continue
        for path in dict.fromkeys(activity.unit_paths):  # a unit named twice counts once
            if activity.goal_id in finance_goal_ids:
                finance[path] += 1
            else:
                board[path] += 1
    units = sorted(set(board) | set(finance))
    planning = [UnitPlanning(u, board.get(u, 0), finance.get(u, 0)) for u in units]
    has_finance_goal = bool(finance_goal_ids)
    too_few = [p for p in planning if p.board_goal_activities < MIN_BOARD_GOAL_ACTIVITIES]
    no_finance = [p for p in planning if has_finance_goal and p.finance_goal_activities == 0]
    short = {p.unit for p in too_few + no_finance}
    return PlanningCheck(
        minimum=MIN_BOARD_GOAL_ACTIVITIES,
        units_checked=len(units),
        has_finance_goal=has_finance_goal,
        too_few=tuple(too_few),
        no_finance_activity=tuple(no_finance),
        flagged=tuple(p for p in planning if p.unit in short),
    )


__all__ = [
    "GoalRow",
    "ActivityRow",
    "ReportRow",
    "NoteRow",
    "UnitLine",
    "ActivityView",
    "GoalSection",
    "StatusCount",
    "AreaSummary",
    "MissingUnit",
    "Summary",
    "ActivityChange",
    "Changes",
    "UnitPlanning",
    "PlanningCheck",
    "ImportNote",
    "AreaGoals",
    "ReportView",
    "compile_report",
    "unit_tree",
]
