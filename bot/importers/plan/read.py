"""Validation: a plan file's tables into a validated `PlanFile`, or every problem at once.

Reading is pure: what the database holds comes in as a `PlanContext`, and every problem is
collected as an `Issue` (file, row, column, message) before `PlanFileError` is raised, so a
caller can refuse the whole file before it writes anything.
"""

from __future__ import annotations

from pathlib import Path

from bot.importers.issues import Issue, PlanFileError, msg
from bot.importers.plan.activities import ActivityReader
from bot.importers.plan.cells import Cells, Columns, data_rows, map_columns
from bot.importers.plan.model import PersonRow, PlanContext, PlanFile
from bot.importers.plan.people import known_areas, known_unit_paths, read_areas, read_people
from bot.importers.plan.years import plan_year
from bot.importers.tables import Table, file_issue, open_source
from bot.planfile.format import (
    ACTIVITY_COLUMNS,
    ACTIVITY_REQUIRED,
    AREA_COLUMNS,
    AREA_REQUIRED,
    PEOPLE_COLUMNS,
    PEOPLE_REQUIRED,
    SHEET_NAMES,
    Localised,
)


def read_plan_file(
    *,
    path: str | Path,
    people_path: str | Path | None = None,
    areas_path: str | Path | None = None,
    context: PlanContext | None = None,
    language: str = "sv",
) -> PlanFile:
    """Read and validate a plan; raise PlanFileError listing every problem found.

    `language` is only the language the refusal's text is rendered in.
    """
    path = Path(path)
    context = context or PlanContext()
    issues: list[Issue] = []
    warnings: list[Issue] = []
    main = open_source(path, issues)
    activities = people = areas = None
    if main is not None:
        activities = main.by_role.get("activities") or main.first
        people = main.by_role.get("people")
        areas = main.by_role.get("areas")
        if activities is None:
            issues.append(file_issue(path, "plan_no_activities"))
    people = _other_table(people, people_path, "people", path=path, issues=issues)
    areas = _other_table(areas, areas_path, "areas", path=path, issues=issues)

    area_issues: list[Issue] = []
    area_names: list[str] = []
    if areas is not None:
        area_columns = map_columns(areas, AREA_COLUMNS, AREA_REQUIRED, area_issues)
        if area_columns is not None:
            area_names, found = read_areas(data_rows(areas, area_columns, AREA_COLUMNS))
            area_issues += found
    known = known_areas(context.goal_areas, area_names)
    bootstrap = not known

    year = context.year if context.year is not None else context.fallback_year
    activity_issues: list[Issue] = []
    reader: ActivityReader | None = None
    columns = _activity_columns(activities, activity_issues) if activities else None
    if activities is not None and columns is not None:
        rows = data_rows(activities, columns, ACTIVITY_COLUMNS)
        year = plan_year(
            rows,
            given=context.year,
            option=context.year_option,
            fallback=context.fallback_year,
            issues=activity_issues,
        )
        reader = ActivityReader(
            rows,
            known_areas=known,
            bootstrap=bootstrap,
            stored_goals=context.goals_of(year),
        )
        goals, plan_rows, found = reader.read()
        activity_issues += found + reader.check_period(context.period)
        warnings += reader.warnings
    else:
        goals, plan_rows = [], []

    people_issues: list[Issue] = []
    people_rows: list[PersonRow] = []
    if people is not None:
        people_columns = map_columns(people, PEOPLE_COLUMNS, PEOPLE_REQUIRED, people_issues)
        if people_columns is not None:
            planned = [p for r in plan_rows for p in r.unit_paths]
            # Units of rows with errors count too: their errors are reported already.
            if reader is not None:
                planned += [p for c in reader.cells_rows for p in _quiet_units(c)]
            units = known_unit_paths([*context.unit_paths, *planned])
            people_rows, found, people_warnings = read_people(
                data_rows(people, people_columns, PEOPLE_COLUMNS), known_units=units
            )
            people_issues += found
            warnings += people_warnings
    issues += activity_issues + people_issues + area_issues
    if issues:
        raise PlanFileError(issues, language=language)
    return PlanFile(
        path=path,
        year=year,
        goals=tuple(goals),
        rows=tuple(plan_rows),
        people=tuple(people_rows),
        areas=tuple(area_names),
        areas_bootstrapped=bootstrap,
        warnings=tuple(warnings),
    )


def _activity_columns(table: Table, issues: list[Issue]) -> Columns | None:
    columns = map_columns(table, ACTIVITY_COLUMNS, ACTIVITY_REQUIRED, issues)
    if columns is not None and "goal_number" not in columns.index and "goal" not in columns.index:
        number, goal = ACTIVITY_COLUMNS[0], ACTIVITY_COLUMNS[1]
        both = Localised(f"{number.sv} / {goal.sv}", f"{number.en} / {goal.en}")
        issues.append(Issue(table.label, 1, both, msg("plan_missing_goal_column")))
        return None
    return columns


def _quiet_units(row: Cells) -> tuple[str, ...]:
    probe = Cells(row.table, row.columns, row.number, row.cells, row.spec)
    return probe.unit_paths("units")


def _other_table(
    in_workbook: Table | None,
    other_path: str | Path | None,
    role: str,
    *,
    path: Path,
    issues: list[Issue],
) -> Table | None:
    """The people or areas table: a sheet of the plan's workbook, or a file of its own."""
    if other_path is None:
        return in_workbook
    other_path = Path(other_path)
    if in_workbook is not None:
        issues.append(
            file_issue(other_path, "plan_both_sheets", what=SHEET_NAMES[role], file=path.name)
        )
        return None
    source = open_source(other_path, issues)
    if source is None:
        return None
    return source.by_role.get(role) or source.first
