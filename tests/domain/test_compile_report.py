"""Compiling stored rows into the report view model."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.report import (
    ActivityRow,
    GoalRow,
    NoteRow,
    ReportRow,
    UnitLine,
    compile_report,
    unit_tree,
)
from bot.domain.status import Status

NOW = datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
ADM = "Kommunstyrelsens förvaltning"


def _view(language: str = "sv"):
    goals = [
        GoalRow(1, "1.2", "Andelen ska öka.", "Vuxna", False, 1),
        GoalRow(2, "1.1", "Sjukfrånvaron ska minska", None, True, 19),
        GoalRow(3, "1.10", "Ungdomar ska känna ökad trygghet.", "Barn och Unga", False, 0),
        GoalRow(4, None, "Ett mål utan aktiviteter.", "Tillväxt", False, 5),
    ]
    units_a = (
        f"{ADM} > Utbildning > Fränstaskolan F-9",
        f"{ADM} > Utbildning > Ånge grundskola F-9",
    )
    activities = [
        ActivityRow(
            10, 1, "A1", "syfte", date(2024, 1, 1), date(2024, 4, 30), (f"{ADM} > Stab",), 0
        ),
        ActivityRow(11, 2, "B1", "", date(2024, 1, 1), date(2024, 12, 31), units_a, 0),
        ActivityRow(12, 3, "C1", "", None, None, (f"{ADM} > Stab",), 1),
        ActivityRow(13, 3, "C0", "", None, None, (f"{ADM} > Social verksamhet",), 0),
        ActivityRow(14, 1, "A2", "", None, None, (f"{ADM} > Stab",), 1),
    ]
    reports = {
        10: ReportRow(10, Status.ON_HOLD, "väntar", "Anna", NOW, 2),
        11: ReportRow(11, Status.DEVIATING, "sen", "Bo", NOW),
        13: ReportRow(13, Status.DONE, "klart", "Cia", NOW),
        14: ReportRow(14, Status.DONE_DEVIATING, "nästan", "Cia", NOW),
    }
    notes = [NoteRow(3, "Lös text", "orphan"), NoteRow(None, "Ingenstans", "no goal")]
    return compile_report(
        period="2024-T1",
        year=2024,
        tertial=1,
        goals=goals,
        area_order=["Barn och Unga", "Vuxna", "Tillväxt"],
        activities=activities,
        reports=reports,
        notes=notes,
        language=language,
        generated_at=NOW,
    )


def test_sections_in_goal_number_order_only_goals_with_activities() -> None:
    view = _view()
    assert [s.number for s in view.sections] == ["1.1", "1.2", "1.10"]
    assert [a.title for a in view.sections[2].activities] == ["C0", "C1"]


def test_import_notes_are_kept_for_admins_outside_the_sections() -> None:
    view = _view()
    assert [(n.goal_number, n.text, n.reason) for n in view.import_notes] == [
        ("1.10", "Lös text", "orphan"),
        (None, "Ingenstans", "no goal"),
    ]
    # A goal with only a note has no section: the report shows goals that have activities.
    assert not any(hasattr(section, "unplaced") for section in view.sections)


def test_activity_view_has_status_label_and_tree() -> None:
    b1 = _view().sections[0].activities[0]
    assert b1.status == "deviating" and b1.status_label == "Pågående med avvikelse"
    assert b1.unit_tree == (
        UnitLine(ADM, 0),
        UnitLine("Utbildning", 1),
        UnitLine("Fränstaskolan F-9", 2),
        UnitLine("Ånge grundskola F-9", 2),
    )
    assert _view("en").sections[0].activities[0].status_label == "In progress, deviating"


def test_summary_counts_attention_and_missing() -> None:
    summary = _view().summary
    assert (summary.total, summary.reported, summary.missing) == (5, 4, 1)
    counts = {c.status: c.count for c in summary.counts}
    assert counts == {
        "not_started": 0,
        "on_track": 0,
        "deviating": 1,
        "done": 1,
        "done_deviating": 1,
        "on_hold": 1,
    }
    assert [a.title for a in summary.attention] == ["B1", "A2", "A1"]
    assert [(m.unit, m.activities) for m in summary.missing_by_unit] == [(f"{ADM} > Stab", ("C1",))]
    areas = [(a.area, a.total, a.missing) for a in summary.per_area]
    assert areas == [
        ("Barn och Unga", 2, 1),
        ("Vuxna", 2, 0),
        ("Verksamhetsmål för god ekonomisk hushållning", 1, 0),
    ]


def test_last_chapter_lists_every_goal_by_area_finance_last() -> None:
    chapter = _view().all_goals
    assert [(c.area, c.goals) for c in chapter] == [
        ("Barn och Unga", ("Ungdomar ska känna ökad trygghet.",)),
        ("Vuxna", ("Andelen ska öka.",)),
        ("Tillväxt", ("Ett mål utan aktiviteter.",)),
        ("Verksamhetsmål för god ekonomisk hushållning", ("Sjukfrånvaron ska minska",)),
    ]
    assert chapter[-1].is_council_finance


def test_unit_tree_merges_shared_ancestors() -> None:
    assert unit_tree(["A > B", "A > C > D"]) == (
        UnitLine("A", 0),
        UnitLine("B", 1),
        UnitLine("C", 1),
        UnitLine("D", 2),
    )
