"""A validated plan as plain data, and what validation must know of the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.domain.status import Status
from bot.importers.issues import Issue


@dataclass(frozen=True)
class PlanGoal:
    """A goal as the plan names it; `key` links its activities."""

    key: str
    number: str | None
    text: str
    area: str | None
    council_finance_goal: bool
    position: int
    row: int


@dataclass(frozen=True)
class PlanRow:
    """One activity row, validated."""

    row: int
    label: str  # the table it is in, for messages: `plan.csv`, `plan.xlsx[Aktiviteter]`
    goal_key: str
    goal_number: str | None
    goal_text: str
    goal_area: str | None
    council_finance_goal: bool
    title: str
    purpose: str
    start: date
    end: date
    unit_paths: tuple[str, ...]
    status: Status | None
    comment: str
    position: int
    status_column: str = "Status"


@dataclass(frozen=True)
class PersonRow:
    """One row of the people sheet: a person's role, in a unit for reporter and manager."""

    row: int
    name: str
    email: str
    unit_path: str | None
    role: str


@dataclass(frozen=True)
class PlanFile:
    """A validated plan: its year, goals, activity rows, people and goal areas, in file order."""

    path: Path
    year: int
    goals: tuple[PlanGoal, ...]
    rows: tuple[PlanRow, ...]
    people: tuple[PersonRow, ...] = ()
    areas: tuple[str, ...] = ()
    # No goal area was known (a fresh database, no areas sheet): the rows' own areas are used.
    areas_bootstrapped: bool = False
    warnings: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class StoredGoal:
    """A goal the database holds."""

    year: int
    number: str | None
    text: str


@dataclass(frozen=True)
class PlanContext:
    """What the database and the command line tell validation; empty for a fresh database."""

    goal_areas: tuple[str, ...] = ()
    goals: tuple[StoredGoal, ...] = ()
    unit_paths: tuple[str, ...] = ()
    # The year asked for (`--year`, or the year of `--period`), and which option gave it.
    year: int | None = None
    year_option: str = "--year"
    # The period statuses are stored for (`2024-T1`), None when no period was given.
    period: str | None = None
    # The year used when the file holds no date at all (nothing then depends on it).
    fallback_year: int = field(default_factory=lambda: date.today().year)

    def goals_of(self, year: int) -> tuple[tuple[str | None, str], ...]:
        """(number, text) of the stored goals of a year."""
        return tuple((g.number, g.text) for g in self.goals if g.year == year)
