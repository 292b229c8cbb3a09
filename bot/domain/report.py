"""Compile a period's stored data into the report's view model: a pure function, no I/O."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.domain.status import ATTENTION, STATUS_ORDER, Status, status_label

UNIT_SEPARATOR = " > "


# --- input: plain rows, as the storage layer hands them over -------------------------------


@dataclass(frozen=True)
class GoalRow:
    id: int
    number: str | None
    text: str
    area: str | None
    is_council_finance_goal: bool
    position: int = 0


@dataclass(frozen=True)
class ActivityRow:
    id: int
    goal_id: int
    title: str
    purpose: str
    start: date | None
    end: date | None
    unit_paths: tuple[str, ...]
    position: int = 0


@dataclass(frozen=True)
class ReportRow:
    """The current (latest) status report of an activity in a period."""

    activity_id: int
    status: Status
    comment: str
    author_name: str
    created_at: datetime
    version: int = 1


@dataclass(frozen=True)
class NoteRow:
    goal_id: int | None
    text: str
    reason: str


# --- output: the view model the templates render -------------------------------------------


@dataclass(frozen=True)
class UnitLine:
    """One line of a unit tree as printed: a name and its depth (0 = administration)."""

    name: str
    depth: int


@dataclass(frozen=True)
class ActivityView:
    id: int
    goal_number: str | None
    goal_text: str
    title: str
    purpose: str
    start: date | None
    end: date | None
    units: tuple[str, ...]
    unit_tree: tuple[UnitLine, ...]
    status: str | None
    status_label: str | None
    comment: str
    reported_by: str
    reported_at: datetime | None
    version: int


@dataclass(frozen=True)
class GoalSection:
    number: str | None
    text: str
    area: str | None
    is_council_finance_goal: bool
    activities: tuple[ActivityView, ...]
    unplaced: tuple[str, ...]


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class AreaSummary:
    area: str
    total: int
    missing: int
    counts: tuple[StatusCount, ...]


@dataclass(frozen=True)
class MissingUnit:
    unit: str
    activities: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    total: int
    reported: int
    missing: int
    counts: tuple[StatusCount, ...]
    per_area: tuple[AreaSummary, ...]
    attention: tuple[ActivityView, ...]
    missing_by_unit: tuple[MissingUnit, ...]


@dataclass(frozen=True)
class AreaGoals:
    area: str
    goals: tuple[str, ...]
    is_council_finance: bool = False


@dataclass(frozen=True)
class ReportView:
    period: str
    year: int
    tertial: int
    language: str
    generated_at: datetime
    summary: Summary
    sections: tuple[GoalSection, ...]
    all_goals: tuple[AreaGoals, ...]
    unplaced_without_goal: tuple[str, ...] = field(default_factory=tuple)


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
) -> ReportView:
    """Build the report's view model for one period from plain rows."""
    goals_by_id = {g.id: g for g in goals}
    by_goal: dict[int, list[ActivityRow]] = defaultdict(list)
    for activity in activities:
        by_goal[activity.goal_id].append(activity)
    notes_by_goal: dict[int | None, list[str]] = defaultdict(list)
    for note in notes:
        key = note.goal_id if note.goal_id in goals_by_id else None
        notes_by_goal[key].append(note.text)

    sections: list[GoalSection] = []
    all_views: list[tuple[GoalRow, ActivityView]] = []
    for goal in sorted(goals, key=_goal_sort_key):
        rows = sorted(by_goal.get(goal.id, []), key=lambda a: (a.position, a.id))
        if not rows and not notes_by_goal.get(goal.id):
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
                unplaced=tuple(notes_by_goal.get(goal.id, [])),
            )
        )

    return ReportView(
        period=period,
        year=year,
        tertial=tertial,
        language=language,
        generated_at=generated_at,
        summary=_summary(all_views, area_order, language),
        sections=tuple(sections),
        all_goals=_all_goals(goals, area_order, language),
        unplaced_without_goal=tuple(notes_by_goal.get(None, [])),
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
            (v for v in reported if Status(v.status) in ATTENTION),
            key=lambda v: rank[v.status],  # stable: goal order within each status
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
