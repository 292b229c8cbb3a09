"""The summary's changes since the previous tertial and the planning check, on hand-made rows."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.report import (
    ActivityRow,
    GoalRow,
    ReportRow,
    ReportView,
    UnitPlanning,
    compile_report,
)
from bot.domain.status import Status

NOW = datetime(2024, 9, 2, 8, 0, tzinfo=UTC)
A = "Förvaltning > Avdelning A"
B = "Förvaltning > Avdelning B"
B1 = "Förvaltning > Avdelning B > Enhet 1"


def _compile(
    now: dict[int, Status],
    before: dict[int, Status] | None,
    *,
    goals: list[GoalRow] | None = None,
    activities: list[ActivityRow] | None = None,
) -> ReportView:
    goals = goals or [
        GoalRow(1, "1.1", "Sjukfrånvaron ska minska", None, True, 0),
        GoalRow(2, "1.2", "Fler bostäder", "Tillväxt", False, 1),
    ]
    activities = activities or [
        ActivityRow(i, 2 if i > 1 else 1, f"Aktivitet {i}", "", None, None, (A,), i)
        for i in range(1, 9)
    ]
    return compile_report(
        period="2024-T2",
        year=2024,
        tertial=2,
        goals=goals,
        area_order=["Tillväxt"],
        activities=activities,
        reports={i: ReportRow(i, s, f"kommentar {i}", "Anna", NOW) for i, s in now.items()},
        notes=[],
        language="sv",
        generated_at=NOW,
        previous_period="2024-T1" if before is not None else None,
        previous_reports=(
            {i: ReportRow(i, s, "", "Bo", NOW) for i, s in before.items()}
            if before is not None
            else None
        ),
    )


def test_no_previous_tertial_no_changes() -> None:
    assert _compile({1: Status.ON_TRACK}, None).changes is None


def test_changes_since_the_previous_tertial() -> None:
    view = _compile(
        now={
            1: Status.ON_TRACK,  # unchanged
            2: Status.DEVIATING,  # was on track: changed, new deviation
            3: Status.DONE,  # was on track: changed, completed
            4: Status.DONE_DEVIATING,  # was deviating: changed, completed, not a new deviation
            5: Status.ON_HOLD,  # was not reported: new, but nothing to compare
            6: Status.DEVIATING,  # not reported before: a new deviation
            # 7 was reported then, not now; 8 neither then nor now.
        },
        before={
            1: Status.ON_TRACK,
            2: Status.ON_TRACK,
            3: Status.ON_TRACK,
            4: Status.DEVIATING,
            7: Status.ON_TRACK,
            99: Status.DONE,  # an activity that is not in this report: ignored
        },
    )
    changes = view.changes
    assert changes is not None
    assert changes.previous_period == "2024-T1"
    assert changes.compared == 5  # 1, 2, 3, 4 and 7 had a report in 2024-T1

    def ids(items):  # type: ignore[no-untyped-def]
        return [c.activity.id for c in items]

    assert ids(changes.status_changed) == [2, 3, 4]
    assert ids(changes.new_deviations) == [2, 6]
    assert ids(changes.completed) == [3, 4]
    assert ids(changes.not_reported_now) == [7]
    assert changes.any_change
    two = changes.status_changed[0]
    assert (two.previous_status, two.previous_label) == ("on_track", "Pågående enligt plan")
    assert (two.activity.status, two.activity.status_label) == (
        "deviating",
        "Pågående med avvikelse",
    )
    six = changes.new_deviations[1]
    assert (six.previous_status, six.previous_label) == (None, None)
    seven = changes.not_reported_now[0]
    assert seven.activity.status is None and seven.previous_status == "on_track"


def test_nothing_changed() -> None:
    view = _compile({1: Status.ON_TRACK}, {1: Status.ON_TRACK})
    assert view.changes is not None and not view.changes.any_change
    assert view.changes.compared == 1


def test_planning_check_counts_each_responsible_unit_path() -> None:
    goals = [
        GoalRow(1, "1.1", "Sjukfrånvaron ska minska", None, True, 0),
        GoalRow(2, "1.2", "Fler bostäder", "Tillväxt", False, 1),
        GoalRow(3, "1.3", "Fler jobb", "Tillväxt", False, 2),
    ]
    activities = [
        ActivityRow(1, 2, "a", "", None, None, (A,), 0),
        ActivityRow(2, 3, "b", "", None, None, (A, B1), 1),
        ActivityRow(3, 1, "c", "", None, None, (A,), 2),
        # B only appears on a finance goal activity: no activity toward the board's goals.
        ActivityRow(4, 1, "d", "", None, None, (B,), 3),
        # A unit named twice on one activity counts once.
        ActivityRow(5, 2, "e", "", None, None, (B1, B1), 4),
        # An activity of a goal not in this year's list is not counted.
        ActivityRow(6, 99, "f", "", None, None, (B1,), 5),
    ]
    check = _compile({}, None, goals=goals, activities=activities).planning_check
    assert check.minimum == 2 and check.has_finance_goal
    assert check.units_checked == 3
    assert check.too_few == (UnitPlanning(B, 0, 1),)
    assert check.no_finance_activity == (UnitPlanning(B1, 2, 0),)
    # A (2 board + 1 finance) passes; an activity of department B does not count for B's unit.
    assert check.flagged == (UnitPlanning(B, 0, 1), UnitPlanning(B1, 2, 0))


def test_planning_check_without_a_finance_goal_checks_only_the_minimum() -> None:
    goals = [GoalRow(2, "1.2", "Fler bostäder", "Tillväxt", False, 1)]
    activities = [ActivityRow(1, 2, "a", "", None, None, (A,), 0)]
    check = _compile({}, None, goals=goals, activities=activities).planning_check
    assert not check.has_finance_goal
    assert check.too_few == (UnitPlanning(A, 1, 0),)
    assert check.no_finance_activity == ()
