"""Round trips a municipality makes: export, edit nothing, import again; report then plan.

Before: an exported file re-imported unchanged reported "76 ändrade", a closed period's export
could not be re-imported even unchanged, CSV cells starting with `=` ran as formulas, and a
report and a plan naming the same goals in other case or spacing made duplicates.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.config import Settings
from bot.domain.periods import parse_period
from bot.importers.issues import PlanFileError
from bot.services.export import export_period
from bot.services.plan_import import import_plan
from bot.services.report_import import import_report
from storage.db import session_scope
from storage.models import Activity, Goal, StatusReport, Unit
from tests.conftest import SEED_PATH as SEED

PERIOD = "2024-T1"
EARLY_2024 = datetime(2024, 2, 1, 8, 0, tzinfo=UTC)
FORMULAS = ['=HYPERLINK("http://x","klicka")', "+1+1", "-2", "@SUM(A1)", "@here", "'=redan"]


@pytest.fixture
def seeded(engine: Engine, settings: Settings) -> Engine:
    """The seed report imported: 79 activities in a closed 2024-T1."""
    import_report(engine, path=SEED, period=parse_period(PERIOD), settings=settings)
    return engine


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_unchanged_export_of_a_closed_period_imports_as_unchanged(
    seeded: Engine, settings: Settings, tmp_path: Path, kit: Any, suffix: str
) -> None:
    path = tmp_path / f"export{suffix}"
    assert export_period(seeded, period=PERIOD, path=path) == 79
    before = kit.snapshot(seeded)

    result = import_plan(seeded, path=path, period=PERIOD, settings=settings)

    assert not result.changed
    assert (result.goals_updated, result.activities_updated, result.activities_unchanged) == (
        0,
        0,
        79,
    )
    assert (result.status_reports_added, result.status_reports_unchanged) == (0, 79)
    assert "Ingenting ändrades" in result.summary()
    assert kit.snapshot(seeded) == before


def test_older_global_positions_are_kept_when_the_order_agrees(
    seeded: Engine, settings: Settings, tmp_path: Path, kit: Any
) -> None:
    # Databases imported before positions were counted per goal number them across the report.
    with session_scope(seeded) as session:
        activities = session.exec(select(Activity).order_by(col(Activity.id))).all()
        for index, activity in enumerate(activities):
            activity.position = 100 + 3 * index
            session.add(activity)
    path = tmp_path / "export.csv"
    export_period(seeded, period=PERIOD, path=path)
    before = kit.snapshot(seeded)
    result = import_plan(seeded, path=path, period=PERIOD, settings=settings)
    assert not result.changed and kit.snapshot(seeded) == before


def test_a_changed_status_of_the_closed_period_is_refused_naming_the_row(
    seeded: Engine, settings: Settings, tmp_path: Path, kit: Any
) -> None:
    path = tmp_path / "export.csv"
    export_period(seeded, period=PERIOD, path=path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[5][9] = "Vänteläge"  # row 6 of the file
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    before = kit.snapshot(seeded)

    with pytest.raises(PlanFileError) as caught:
        import_plan(seeded, path=path, period=PERIOD, settings=settings)

    assert [(e.row, e.column) for e in caught.value.errors] == [(6, "Status")]
    assert "export.csv:6: kolumn 'Status': perioden 2024-T1 är stängd" in str(caught.value)
    assert kit.snapshot(seeded) == before


def test_csv_export_guards_formulas_and_the_round_trip_is_lossless(
    engine: Engine, database: Any, settings: Settings, plan_dir: Path, tmp_path: Path, kit: Any
) -> None:
    rows = kit.activities()[: len(FORMULAS)]
    for row, formula in zip(rows, FORMULAS, strict=True):
        row["Status"], row["Kommentar"] = "Pågående enligt plan", formula
    rows[0]["Syfte"] = "=1+1"
    source = tmp_path / "source.xlsx"
    kit.write_xlsx(source, {"Aktiviteter": rows})
    # The XLSX writer of the test kit would store `=1+1` as a formula: make every cell text.
    workbook = load_workbook(source)
    for cells in workbook.active.iter_rows():
        for cell in cells:
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
    workbook.save(source)
    import_plan(engine, path=source, period=PERIOD, settings=settings, now=EARLY_2024)
    exported = tmp_path / "export.csv"
    export_period(engine, period=PERIOD, path=exported)

    with exported.open(encoding="utf-8-sig", newline="") as handle:
        cells = list(csv.reader(handle))
    comments = [r[10] for r in cells[1:]]
    assert comments == ["'" + f for f in FORMULAS]
    assert cells[1][5] == "'=1+1"
    assert not any(c[:1] in "=+-@\t\r" for r in cells for c in r if c)

    fresh = database("fresh")
    import_plan(fresh, path=exported, period=PERIOD, settings=settings, now=EARLY_2024)
    with session_scope(fresh) as session:
        stored = [
            r.comment for r in session.exec(select(StatusReport).order_by(col(StatusReport.id)))
        ]
        purposes = [a.purpose for a in session.exec(select(Activity).order_by(col(Activity.id)))]
    assert sorted(stored) == sorted(FORMULAS)
    assert "=1+1" in purposes
    again = tmp_path / "again.csv"
    export_period(fresh, period=PERIOD, path=again)
    assert again.read_bytes() == exported.read_bytes()


def test_a_stored_comment_starting_with_a_tab_is_guarded_and_reimports_unchanged(
    seeded: Engine, settings: Settings, tmp_path: Path, kit: Any
) -> None:
    # Typed in Slack, not imported (an import trims a comment's outer white space).
    with session_scope(seeded) as session:
        report = session.exec(select(StatusReport).order_by(col(StatusReport.id))).first()
        assert report is not None
        report.comment = "\tIndrag i början"
        session.add(report)
    path = tmp_path / "export.csv"
    export_period(seeded, period=PERIOD, path=path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert "'\tIndrag i början" in [row[10] for row in csv.reader(handle)]
    before = kit.snapshot(seeded)
    assert not import_plan(seeded, path=path, period=PERIOD, settings=settings).changed
    assert kit.snapshot(seeded) == before


def test_xlsx_export_keeps_formula_like_text_as_text(
    engine: Engine, settings: Settings, plan_dir: Path, tmp_path: Path, kit: Any
) -> None:
    rows = kit.activities()[:1]
    rows[0]["Kommentar"] = "+46 70 123 45 67"
    import_plan(
        engine,
        path=kit.write_csv(plan_dir / "p.csv", rows),
        period=PERIOD,
        settings=settings,
        now=EARLY_2024,
    )
    path = tmp_path / "export.xlsx"
    export_period(engine, period=PERIOD, path=path)
    cell = load_workbook(path)["Aktiviteter"]["K2"]
    assert (cell.value, cell.data_type) == ("+46 70 123 45 67", "s")


def test_a_report_then_a_plan_in_other_case_and_spacing_makes_no_duplicates(
    seeded: Engine, settings: Settings, tmp_path: Path, kit: Any
) -> None:
    exported = tmp_path / "export.csv"
    export_period(seeded, period=PERIOD, path=exported)
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for row in rows[1:]:
        row[0] = ""  # no goal numbers: goals are found by their text
        row[1] = "  " + row[1].upper().replace(" ", "   ")
        row[4] = row[4].lower().replace(" ", "  ") + " "
        row[8] = "; ".join(p.swapcase() for p in row[8].split("; "))
        row[9] = row[10] = ""
    plan = tmp_path / "plan.csv"
    with plan.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows[1:]])
    with session_scope(seeded) as session:
        counts = (
            len(session.exec(select(Goal)).all()),
            len(session.exec(select(Activity)).all()),
            len(session.exec(select(Unit)).all()),
        )

    result = import_plan(seeded, path=plan, year=2024, settings=settings)

    assert (result.goals_created, result.activities_created, result.units_created) == (0, 0, 0)
    with session_scope(seeded) as session:
        assert counts == (
            len(session.exec(select(Goal)).all()),
            len(session.exec(select(Activity)).all()),
            len(session.exec(select(Unit)).all()),
        )
    # And the report again after the plan: still one of each.
    again = import_report(seeded, path=SEED, period=parse_period(PERIOD), settings=settings)
    assert again.activities_created == 0 and again.units_created == 0
