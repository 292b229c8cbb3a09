"""The report's data: the rows compile takes in, and the view model it gives out. Plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.domain.status import Status

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
class ActivityChange:
    """An activity as it is now, with its status in the previous tertial (None: no report)."""

    activity: ActivityView
    previous_status: str | None
    previous_label: str | None


@dataclass(frozen=True)
class Changes:
    """What changed since the previous tertial, over the activities of this report."""

    previous_period: str
    compared: int  # activities of this report that had a report in the previous tertial
    status_changed: tuple[ActivityChange, ...]
    new_deviations: tuple[ActivityChange, ...]
    completed: tuple[ActivityChange, ...]
    not_reported_now: tuple[ActivityChange, ...]
    # The previous tertial's status of every activity of this report that had one there.
    previous_status: dict[int, str] = field(default_factory=dict)

    @property
    def any_change(self) -> bool:
        return bool(
            self.status_changed or self.new_deviations or self.completed or self.not_reported_now
        )


@dataclass(frozen=True)
class UnitPlanning:
    """How many activities a unit is responsible for, toward the board's and the finance goals."""

    unit: str
    board_goal_activities: int
    finance_goal_activities: int


@dataclass(frozen=True)
class PlanningCheck:
    """Units that fall short of the planning rules in the seed's introduction."""

    minimum: int
    units_checked: int
    has_finance_goal: bool
    too_few: tuple[UnitPlanning, ...]
    no_finance_activity: tuple[UnitPlanning, ...]
    flagged: tuple[UnitPlanning, ...]  # units failing either rule, in unit order


@dataclass(frozen=True)
class ImportNote:
    """Text an importer could not place: a warning for admins, never part of the document."""

    goal_number: str | None
    goal_text: str | None
    text: str
    reason: str


@dataclass(frozen=True)
class AreaGoals:
    area: str
    goals: tuple[str, ...]
    is_council_finance: bool = False


@dataclass(frozen=True)
class DecisionRow:
    """A decision of the committee on a published version: input and view alike."""

    version: int
    kind: str  # approved, returned, referred
    reasons: str
    decided_at: datetime
    decided_by: str
    new_deadline: datetime | None = None
    board_meeting: date | None = None
    presenter: str = ""
    returned: tuple[tuple[str, str], ...] = ()  # (activity title, reason)


@dataclass(frozen=True)
class ReturnRow:
    """An activity the committee returned, and what it said in the returned version."""

    activity_id: int
    reason: str
    before_status: str | None
    before_comment: str


@dataclass(frozen=True)
class ReturnAnswer:
    """A returned activity's answer: its reason, what it said then, what it says now."""

    activity_id: int
    goal_number: str | None
    title: str
    reason: str
    before_status: str | None
    before_label: str | None
    before_comment: str
    status: str | None
    status_label: str | None
    comment: str
    status_changed: bool
    comment_changed: bool


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
    planning_check: PlanningCheck
    # For admins only (the import commands print them too); no rendering prints them.
    import_notes: tuple[ImportNote, ...] = field(default_factory=tuple)
    # Only when the previous tertial exists.
    changes: Changes | None = None
    # The committee's decisions on this period's versions, oldest first.
    decisions: tuple[DecisionRow, ...] = field(default_factory=tuple)
    # After a return for completion: the version returned, its reasons, and each answer.
    returned_version: int | None = None
    return_reasons: str = ""
    returns: tuple[ReturnAnswer, ...] = field(default_factory=tuple)
