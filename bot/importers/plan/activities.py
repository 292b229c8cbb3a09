"""Validate the activity rows: each row on its own, then what must agree across rows (goals)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.status import ATTENTION, COMMENT_MAX_LENGTH, LABELS, Status, parse_status
from bot.importers.issues import Issue, Msg, localised_choices, msg
from bot.importers.matching import match_key
from bot.importers.plan.cells import Cells
from bot.importers.plan.model import PlanGoal, PlanRow
from bot.planfile.format import (
    MAX_AREA_NAME,
    MAX_GOAL_NUMBER,
    MAX_GOAL_TEXT,
    MAX_TITLE,
    YES_NO,
    Localised,
)

STATUS_CHOICES = localised_choices({k: list(v.values()) for k, v in LABELS.items()})
_YES_NO = {
    True: Localised(YES_NO["sv"][0], YES_NO["en"][0]),
    False: Localised(YES_NO["sv"][1], YES_NO["en"][1]),
}


@dataclass
class _GoalDraft:
    key: str
    number: str | None
    text: str
    area: str | None
    finance: bool
    position: int
    row: int
    activities: int = 0


@dataclass(frozen=True)
class _GoalRef:
    """How a row names its goal: the key that links its rows, and the text it resolves to."""

    key: str | None
    number: str | None
    given_text: str
    text: str


class ActivityReader:
    """Validate activity rows one by one, and what must agree across rows (goals, duplicates)."""

    def __init__(
        self,
        rows: list[Cells],
        *,
        known_areas: Mapping[str, str],
        bootstrap: bool,
        stored_goals: tuple[tuple[str | None, str], ...],
    ) -> None:
        self.cells_rows = rows
        self.known_areas = dict(known_areas)
        self.area_spellings = dict(known_areas)
        self.bootstrap = bootstrap
        self.warnings: list[Issue] = []
        self.goals: dict[str, _GoalDraft] = {}
        self.goal_by_text: dict[str, _GoalDraft] = {}
        self.activities_seen: dict[tuple[str, str], int] = {}
        self.status_rows: list[Cells] = []
        self.rows: list[PlanRow] = []
        # Goal texts named with their number anywhere in the file, and those in the database,
        # so that a row may give its goal by number only (or by text only) and still find it.
        self.file_text_by_number: dict[str, str] = {}
        for row in rows:
            number, text = row.line("goal_number"), row.line("goal")
            if number and text:
                self.file_text_by_number.setdefault(number, text)
        self.file_number_by_text = {match_key(t): n for n, t in self.file_text_by_number.items()}
        self.db_text_by_number = {n: t for n, t in stored_goals if n}
        self.db_by_text = {match_key(t): (n, t) for n, t in stored_goals}

    def read(self) -> tuple[list[PlanGoal], list[PlanRow], list[Issue]]:
        """Goals and valid rows, and every row's errors in row order."""
        issues: list[Issue] = []
        for row in self.cells_rows:
            self.read_row(row)
            issues += row.issues
        goals = [
            PlanGoal(g.key, g.number, g.text, g.area, g.finance, g.position, g.row)
            for g in self.goals.values()
        ]
        return goals, self.rows, issues

    def read_row(self, row: Cells) -> None:
        before = len(row.issues)
        ref = self.goal_ref(row)
        finance = row.flag("council_finance_goal")
        area = self.area(row, finance)
        title = row.line("activity")
        if not title:
            row.fail("activity", msg("plan_required"))
        else:
            row.limit("activity", title, MAX_TITLE)
        start, end = row.date("start"), row.date("end")
        if start and end and end < start:
            row.fail("end", msg("plan_end_before_start", end=end, start=start))
        unit_paths = row.unit_paths("units")
        status, comment = self.status(row)
        goal = self.goal(row, ref, area, finance)
        if goal is not None and title:
            self.check_duplicate(row, goal, title)
        if len(row.issues) == before and goal is not None and start and end:
            self.rows.append(
                PlanRow(
                    row=row.number,
                    label=row.table.label,
                    goal_key=goal.key,
                    goal_number=goal.number,
                    goal_text=goal.text,
                    goal_area=goal.area,
                    council_finance_goal=goal.finance,
                    title=title,
                    purpose=row.text("purpose"),
                    start=start,
                    end=end,
                    unit_paths=unit_paths,
                    status=status,
                    comment=comment,
                    position=goal.activities,
                    status_column=str(row.column_name("status")),
                )
            )
        if goal is not None:
            goal.activities += 1

    def goal_column(self, row: Cells) -> str:
        return "goal" if row.has("goal") else "goal_number"

    def goal_ref(self, row: Cells) -> _GoalRef:
        """Resolve a row's goal number and text, from the row, the file or the database."""
        number: str | None = row.line("goal_number") or None
        text = row.line("goal")
        if number and not row.limit("goal_number", number, MAX_GOAL_NUMBER):
            number = None
        row.limit("goal", text, MAX_GOAL_TEXT)
        if number:
            resolved = (
                text
                or self.file_text_by_number.get(number)
                or self.db_text_by_number.get(number, "")
            )
            if not resolved:
                row.fail(self.goal_column(row), msg("plan_goal_text_missing", number=number))
            return _GoalRef(f"n:{number}", number, text, resolved)
        if text:
            file_number = self.file_number_by_text.get(match_key(text))
            if file_number:
                return _GoalRef(
                    f"n:{file_number}", file_number, text, self.file_text_by_number[file_number]
                )
            # Keep the database's spelling, so that the goal is found and not created again.
            resolved = self.db_by_text.get(match_key(text), (None, text))[1]
            return _GoalRef(f"t:{match_key(text)}", None, text, resolved)
        row.fail(self.goal_column(row), msg("plan_required"))
        return _GoalRef(None, None, "", "")

    def area(self, row: Cells, finance: bool) -> str | None:
        """The row's goal area in its known spelling; only the finance goal may have none."""
        area = row.line("goal_area") or None
        if area is None:
            if not finance:
                row.fail("goal_area", msg("plan_area_missing"))
        elif not row.limit("goal_area", area, MAX_AREA_NAME):
            pass
        elif match_key(area) in self.area_spellings:
            area = self.area_spellings[match_key(area)]
        elif self.bootstrap:
            self.area_spellings[match_key(area)] = area
        else:
            row.fail("goal_area", unknown_area(area, self.known_areas))
        return area

    def status(self, row: Cells) -> tuple[Status | None, str]:
        status: Status | None = None
        status_text = row.line("status")
        comment = row.text("comment")
        if status_text:
            self.status_rows.append(row)
            try:
                status = parse_status(status_text)
            except ValueError:
                row.fail(
                    "status",
                    msg("plan_unknown_status", value=status_text[:60], allowed=STATUS_CHOICES),
                )
        elif comment:
            row.fail("comment", msg("plan_comment_without_status"))
        if len(comment) > COMMENT_MAX_LENGTH:
            row.fail(
                "comment",
                msg("plan_comment_too_long", length=len(comment), limit=COMMENT_MAX_LENGTH),
            )
        if status in ATTENTION and not comment:
            assert status is not None
            label = Localised(LABELS["sv"][status], LABELS["en"][status])
            self.warnings.append(
                row.issue("comment", msg("plan_warn_attention_without_comment", status=label))
            )
        return status, comment

    def goal(self, row: Cells, ref: _GoalRef, area: str | None, finance: bool) -> _GoalDraft | None:
        """The row's goal; its first row defines it and later rows must agree."""
        if ref.key is None:
            return None
        goal = self.goals.get(ref.key)
        if goal is None:
            if not ref.text:
                return None
            goal = _GoalDraft(
                ref.key, ref.number, ref.text, area, finance, len(self.goals), row.number
            )
            self.check_goal_text(row, goal)
            self.goals[ref.key] = goal
            self.goal_by_text.setdefault(match_key(goal.text), goal)
            return goal
        label = goal.number or goal.text
        if ref.given_text and ref.number and match_key(ref.given_text) != match_key(goal.text):
            self.conflict(row, "goal", goal, label, "plan_what_text", ref.given_text, goal.text)
        if match_key(area or "") != match_key(goal.area or ""):
            self.conflict(
                row, "goal_area", goal, label, "plan_what_area", area or "", goal.area or ""
            )
        if finance != goal.finance:
            self.conflict(
                row,
                "council_finance_goal",
                goal,
                label,
                "plan_what_finance",
                _YES_NO[finance],
                _YES_NO[goal.finance],
            )
        return goal

    def conflict(
        self,
        row: Cells,
        key: str,
        goal: _GoalDraft,
        label: str,
        what: str,
        value: object,
        other: object,
    ) -> None:
        row.fail(
            key,
            msg(
                "plan_goal_conflict",
                goal=label[:80],
                what=Msg(what),
                value=value[:80] if isinstance(value, str) else value,
                other=other[:80] if isinstance(other, str) else other,
                row=goal.row,
            ),
        )

    def check_goal_text(self, row: Cells, goal: _GoalDraft) -> None:
        """Two goals of a year cannot share a text (the database's unique key)."""
        taken = self.goal_by_text.get(match_key(goal.text))
        if taken is not None:
            row.fail(
                self.goal_column(row),
                msg("plan_goal_text_taken", other=taken.number or taken.text, row=taken.row),
            )
        elif goal.number and goal.number in self.db_text_by_number:
            holder = self.db_by_text.get(match_key(goal.text))
            # Giving stored goal N the text of another stored goal would break uniqueness.
            if holder is not None and holder[0] not in (None, goal.number):
                row.fail(self.goal_column(row), msg("plan_goal_text_taken_db", other=holder[0]))

    def check_duplicate(self, row: Cells, goal: _GoalDraft, title: str) -> None:
        identity = (goal.key, match_key(title))
        first = self.activities_seen.setdefault(identity, row.number)
        if first != row.number:
            row.fail(
                "activity",
                msg(
                    "plan_duplicate_activity",
                    title=title[:80],
                    goal=goal.number or goal.text[:60],
                    row=first,
                ),
            )

    def check_period(self, period: str | None) -> list[Issue]:
        """Statuses need a period to be stored in."""
        if not self.status_rows or period is not None:
            return []
        first = self.status_rows[0]
        return [first.issue("status", msg("plan_status_needs_period", count=len(self.status_rows)))]


def unknown_area(area: str, known: Mapping[str, str]) -> Msg:
    """The unknown-area message, with the closest known name or the list of known ones."""
    close = difflib.get_close_matches(match_key(area), list(known), n=1, cutoff=0.6)
    if close:
        return msg("plan_unknown_area_suggest", value=area[:60], suggestion=known[close[0]])
    names = ", ".join(list(known.values())[:12])
    tail = msg("plan_known_areas", names=names) if names else msg("plan_no_areas")
    return msg("plan_unknown_area", value=area[:60], known=tail)
