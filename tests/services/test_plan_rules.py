"""Plan rules found by testing as a municipality would: the plan's year comes from its dates,
and people may only name units the plan or the database has.

Before: a plan imported without --year was filed under the current calendar year whatever its
dates said, and a people row with an unknown unit path wrote a phantom top-level unit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.config import Settings
from bot.importers.issues import PlanFileError
from bot.services.plan_import import import_plan
from storage.db import session_scope
from storage.models import Goal, Unit, UnitRole

EARLY_2024 = datetime(2024, 2, 1, 8, 0, tzinfo=UTC)
KSF = "Kommunstyrelsens förvaltning"


def _dated(kit: Any, dates: list[tuple[str, str]]) -> list[dict[str, str]]:
    rows = kit.activities()[: len(dates)]
    for row, (start, end) in zip(rows, dates, strict=True):
        row["Startdatum"], row["Slutdatum"] = start, end
        row["Status"] = row["Kommentar"] = ""
    return rows


# --- the year ----------------------------------------------------------------------------


def test_the_year_comes_from_the_dates_not_the_calendar(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
) -> None:
    # One activity started in 2023 and one ends in 2025: every activity touches 2024 only.
    rows = _dated(
        kit,
        [("2024-01-01", "2024-04-30"), ("2023-10-02", "2024-12-16"), ("2024-03-01", "2025-02-28")],
    )
    result = import_plan(engine, path=kit.write_csv(plan_dir / "p.csv", rows), settings=settings)
    assert result.year == 2024
    assert result.summary().startswith("Planen för 2024 importerades från p.csv.")
    with session_scope(engine) as session:
        assert {g.year for g in session.exec(select(Goal)).all()} == {2024}


def test_dates_of_two_years_are_refused_naming_the_rows(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
) -> None:
    rows = _dated(
        kit,
        [
            ("2024-01-01", "2024-04-30"),
            ("2024-02-01", "2024-03-31"),
            ("2025-01-08", "2025-10-31"),
            ("2024-01-08", "2024-06-13"),
            ("2025-01-01", "2025-12-31"),
        ],
    )
    before = kit.snapshot(engine)
    with pytest.raises(PlanFileError) as caught:
        import_plan(engine, path=kit.write_csv(plan_dir / "p.csv", rows), settings=settings)
    assert str(caught.value).splitlines()[1].strip() == (
        "p.csv: datumen spänner över flera år (2024: rad 2-3, 5; 2025: rad 4, 6, efter "
        "startdatum); importera ett års plan i taget, eller ange året med --year"
    )
    assert kit.snapshot(engine) == before


def test_every_activity_spanning_two_years_needs_the_year(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
) -> None:
    rows = _dated(kit, [("2023-09-01", "2024-06-30"), ("2023-01-01", "2024-12-31")])
    path = kit.write_csv(plan_dir / "p.csv", rows)
    with pytest.raises(PlanFileError) as caught:
        import_plan(engine, path=path, settings=Settings(language="en"))
    assert (
        "p.csv: every activity runs through all the years 2023-2024 (rows 2-3); say which "
        "year's plan it is with --year" in str(caught.value)
    )
    assert import_plan(engine, path=path, year=2023, settings=settings).year == 2023


def test_a_year_the_dates_contradict_is_refused_row_by_row(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
) -> None:
    rows = _dated(kit, [("2024-01-01", "2024-04-30"), ("2024-11-01", "2025-03-31")])
    path = kit.write_csv(plan_dir / "p.csv", rows)
    before = kit.snapshot(engine)
    with pytest.raises(PlanFileError) as caught:
        import_plan(engine, path=path, year=2025, settings=settings)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "Slutdatum")]
    assert (
        "p.csv:2: kolumn 'Slutdatum': aktiviteten pågår 2024-01-01 till 2024-04-30, alltså "
        "inte under 2025 som --year anger" in str(caught.value)
    )
    with pytest.raises(PlanFileError) as caught:
        import_plan(engine, path=path, period="2023-T3", settings=settings, now=EARLY_2024)
    assert [(e.row, e.column) for e in caught.value.errors] == [
        (2, "Startdatum"),
        (3, "Startdatum"),
    ]
    assert "som --period 2023-T3 anger" in str(caught.value)
    assert kit.snapshot(engine) == before


# --- people and their units --------------------------------------------------------------


def test_a_person_in_an_unknown_unit_is_a_row_error(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
) -> None:
    people = kit.people()
    people[0]["Enhet"] = "Musikskola"  # not a path: would have become a top-level unit
    people[2]["Enhet"] = f"{KSF} > Utbildning > Musikskolan"
    plan = kit.write_csv(plan_dir / "plan.csv", kit.activities())
    path = kit.write_csv(plan_dir / "people.csv", people)
    before = kit.snapshot(engine)

    with pytest.raises(PlanFileError) as caught:
        import_plan(
            engine, path=plan, people_path=path, period="2024-T1", settings=settings, now=EARLY_2024
        )

    assert [(e.file, e.row, e.column) for e in caught.value.errors] == [
        ("people.csv", 2, "Enhet"),
        ("people.csv", 4, "Enhet"),
    ]
    text = str(caught.value)
    assert "people.csv:2: kolumn 'Enhet': okänd enhet 'Musikskola'" in text
    assert (
        "people.csv:4: kolumn 'Enhet': okänd enhet 'Kommunstyrelsens förvaltning > Utbildning > "
        "Musikskolan'; menade du 'Kommunstyrelsens förvaltning > Utbildning > Musikskola'?"
    ) in text
    assert kit.snapshot(engine) == before


def test_an_unknown_role_is_a_row_error_and_writes_no_unit(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
) -> None:
    people = kit.people()
    people[0]["Roll"] = "kung"
    plan = kit.write_csv(plan_dir / "plan.csv", kit.activities())
    with pytest.raises(PlanFileError) as caught:
        import_plan(
            engine,
            path=plan,
            people_path=kit.write_csv(plan_dir / "people.csv", people),
            period="2024-T1",
            settings=settings,
            now=EARLY_2024,
        )
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "Roll")]
    assert kit.snapshot(engine).counts["unit"] == 0


def test_a_unit_of_the_database_or_an_ancestor_is_known(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
) -> None:
    import_plan(
        engine,
        path=kit.write_csv(plan_dir / "plan.csv", kit.activities()),
        period="2024-T1",
        settings=settings,
        now=EARLY_2024,
    )
    with session_scope(engine) as session:
        units_before = len(session.exec(select(Unit)).all())
    people = [
        # Only in the database (the plan above), spelled in other case and spacing:
        dict(kit.people()[0], Enhet=f"{KSF.upper()} >  utbildning >  musikskola"),
        # An ancestor of a planned unit:
        dict(kit.people()[2], Enhet=KSF),
    ]
    one_activity = kit.write_csv(plan_dir / "one.csv", kit.activities()[:1])
    result = import_plan(
        engine,
        path=one_activity,
        people_path=kit.write_csv(plan_dir / "people.csv", people),
        period="2024-T1",
        settings=settings,
        now=EARLY_2024,
    )
    assert result.roles_added == 2 and result.units_created == 0
    with session_scope(engine) as session:
        assert len(session.exec(select(Unit)).all()) == units_before
        paths = {session.get(Unit, r.unit_id).path for r in session.exec(select(UnitRole)).all()}
    assert paths == {f"{KSF} > Utbildning > Musikskola", KSF}
