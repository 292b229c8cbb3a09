"""The plan import: templates, realistic files, idempotence, updates, round trips.

Bad files: test_plan_import_errors.py; the year and people's units: test_plan_rules.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config import Settings
from bot.planfile.template import TemplateError, write_plan_template
from bot.services.export import export_period
from bot.services.plan_import import import_plan as import_plan_now
from storage.db import session_scope
from storage.models import (
    Activity,
    GlobalRole,
    Goal,
    GoalArea,
    Period,
    Person,
    StatusReport,
    Unit,
    UnitRole,
)
from storage.queries import activity_unit_paths, current_reports

PERIOD = "2024-T1"

# The imports below run as of early February 2024, while 2024-T1 is open: a period an import
# creates after its deadline is created closed (tested on its own).
EARLY_2024 = datetime(2024, 2, 1, 8, 0, tzinfo=UTC)


def import_plan(engine: Engine, **kwargs: Any) -> Any:
    """`import_plan` at EARLY_2024 unless told otherwise."""
    kwargs.setdefault("now", EARLY_2024)
    return import_plan_now(engine, **kwargs)


def _plan_xlsx(kit: Any, path: Path, activities=None, people=None, areas=None) -> Path:
    sheets: dict[str, Any] = {"Aktiviteter": activities or kit.activities()}
    sheets["Personer"] = people or kit.people()
    sheets["Målområden"] = [["Målområde"], *[[a] for a in (areas or kit.areas)]]
    return kit.write_xlsx(path, sheets)


def _activity_by_title(session: Session, title: str) -> Activity:
    activity = session.exec(select(Activity).where(Activity.title == title)).one()
    return activity


# --- the template ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_template_example_imports(engine: Engine, settings: Settings, plan_dir: Path, suffix: str):
    path = plan_dir / f"plan{suffix}"
    write_plan_template(path, year=2024)

    result = import_plan(engine, path=path, year=2024, settings=settings)

    assert result.goals_created == 1
    assert result.activities_created == 1
    assert result.units_created == 4  # KSF, Utbildning, Musikskola, Vuxenutbildning
    with session_scope(engine) as session:
        activity = session.exec(select(Activity)).one()
        assert activity.start == date(2024, 1, 8) and activity.end == date(2024, 6, 13)
        assert activity_unit_paths(session, activity_ids=[activity.id])[activity.id] == [
            "Kommunstyrelsens förvaltning > Utbildning > Musikskola",
            "Kommunstyrelsens förvaltning > Utbildning > Vuxenutbildning",
        ]
        assert [a.name for a in session.exec(select(GoalArea)).all()] == ["Barn och Unga"]
        people = session.exec(select(Person)).all()
    if suffix == ".xlsx":
        assert result.people_created == 1 and result.roles_added == 1
        assert [p.email for p in people] == ["anna.andersson@kommun.example"]
        assert not result.areas_bootstrapped
    else:
        assert people == []
        assert result.areas_bootstrapped


def test_template_has_sheets_bold_headers_and_drop_downs(plan_dir: Path):
    path = plan_dir / "mall.xlsx"
    write_plan_template(path, year=2024)
    workbook = load_workbook(path)

    assert workbook.sheetnames[:3] == ["Aktiviteter", "Personer", "Målområden"]
    activities = workbook["Aktiviteter"]
    assert [c.value for c in activities[1]][:3] == ["Mål nr", "Mål", "Målområde"]
    assert all(c.font.bold for c in activities[1])
    assert activities.column_dimensions["B"].width > 20
    validations = {
        str(v.sqref): v.formula1
        for sheet in ("Aktiviteter", "Personer")
        for v in workbook[sheet].data_validations.dataValidation
    }
    assert any(ref.startswith("J2") for ref in validations)  # Status
    assert any(ref.startswith("D2") for ref in validations)  # Roll, on Personer
    lists = workbook[workbook.sheetnames[3]]
    assert lists.sheet_state == "hidden"
    assert "Pågående med avvikelse" in [c.value for c in lists["A"]]
    assert "rapportör" in [c.value for c in lists["B"]]


def test_english_template_has_english_headers(plan_dir: Path, engine: Engine, settings: Settings):
    path = plan_dir / "template.xlsx"
    write_plan_template(path, language="en", year=2024)
    workbook = load_workbook(path)
    assert workbook.sheetnames[:3] == ["Activities", "People", "Goal areas"]
    assert workbook["Activities"]["A1"].value == "Goal no"

    result = import_plan(engine, path=path, year=2024, settings=settings)
    assert result.activities_created == 1 and result.roles_added == 1


def test_template_refuses_other_types(plan_dir: Path):
    with pytest.raises(TemplateError) as caught:
        write_plan_template(plan_dir / "plan.ods")
    assert caught.value.key == "template_unsupported"
    assert list(plan_dir.iterdir()) == []


# --- a realistic plan ----------------------------------------------------------------------


def test_realistic_plan(engine: Engine, settings: Settings, plan_dir: Path, kit: Any):
    path = _plan_xlsx(kit, plan_dir / "plan.xlsx")

    result = import_plan(engine, path=path, period=PERIOD, settings=settings)

    assert result.year == 2024
    assert (result.goals_created, result.goals_updated) == (5, 0)
    assert (result.activities_created, result.activities_updated) == (7, 0)
    assert result.areas_created == 4 and not result.areas_bootstrapped
    assert result.people_created == 4 and result.roles_added == 6
    assert result.status_reports_added == 6
    assert result.period_created
    # One of them is Vänteläge with a comment, Avslutad med avvikelse has one too: no warnings.
    assert result.warnings == []
    with session_scope(engine) as session:
        goals = session.exec(select(Goal).order_by(col(Goal.position))).all()
        assert [g.number for g in goals] == ["1.1", "1.9", "1.10", "1.13", "1.7"]
        finance = goals[0]
        assert finance.is_council_finance_goal and finance.area_id is None
        areas = session.exec(select(GoalArea).order_by(col(GoalArea.position))).all()
        assert [a.name for a in areas] == kit.areas
        assert goals[1].area_id == areas[0].id
        assert goals[4].area_id == areas[2].id  # Äldre +65

        webb = _activity_by_title(
            session,
            'Att genomföra Skolverkets webbutbildning "Likvärdighet i bedömning och betygsättning"',
        )
        paths = activity_unit_paths(session, activity_ids=[webb.id])[webb.id]
        assert len(paths) == 5 and paths[-1].endswith("> Ånge grundskola F-9")
        units = {u.path: u for u in session.exec(select(Unit)).all()}
        leaf = units["Kommunstyrelsens förvaltning > Utbildning > Fränstaskolan F-9"]
        assert units["Kommunstyrelsens förvaltning > Utbildning"].id == leaf.parent_id

        first = _activity_by_title(
            session,
            "Införa hälsosamma scheman på alla arbetsplatser inom äldreomsorg samt stöd och omsorg",
        )
        assert first.purpose.splitlines()[1] == "Steg 1 Äldreomsorgen jan - februari"
        period = session.exec(select(Period)).one()
        assert period.state == "open"
        report = current_reports(session, period_id=period.id)[first.id]
        assert report.status == "on_track"
        assert report.comment.endswith("Dialog pågår med medarbetare för finjustering.")
        assert report.source == "import" and report.author_name == "Import: plan.xlsx"

        people = {p.email: p for p in session.exec(select(Person)).all()}
        assert set(people) == {
            "anna.andersson@kommun.example",
            "bo.ek@kommun.example",
            "asa.oberg@kommun.example",
            "erik.lund@kommun.example",
        }
        assert people["asa.oberg@kommun.example"].name == "Åsa Öberg"
        anna_roles = session.exec(
            select(UnitRole).where(UnitRole.person_id == people["anna.andersson@kommun.example"].id)
        ).all()
        assert len(anna_roles) == 2 and {r.role for r in anna_roles} == {"reporter"}
        asa = people["asa.oberg@kommun.example"].id
        assert {r.role for r in session.exec(select(GlobalRole)).all() if r.person_id == asa} == {
            "admin",
            "secretary",
        }


def test_reimport_changes_nothing(engine: Engine, settings: Settings, plan_dir: Path, kit: Any):
    path = _plan_xlsx(kit, plan_dir / "plan.xlsx")
    import_plan(engine, path=path, period=PERIOD, settings=settings)
    before = kit.snapshot(engine)

    again = import_plan(engine, path=path, period=PERIOD, settings=settings)

    assert not again.changed
    assert again.activities_unchanged == 7
    assert again.status_reports_added == 0 and again.roles_added == 0
    assert "Ingenting ändrades" in again.summary()
    after = kit.snapshot(engine)
    assert after.counts == before.counts
    assert after.dump == before.dump


def test_changed_rows_update_their_activities(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    rows = kit.activities()
    import_plan(
        engine, path=kit.write_csv(plan_dir / "plan.csv", rows), period=PERIOD, settings=settings
    )
    with session_scope(engine) as session:
        before = {a.title: a for a in session.exec(select(Activity)).all()}
    rows[1]["Syfte"] = "Ett nytt syfte."
    rows[2]["Slutdatum"] = "2024-11-30"
    rows[3]["Ansvariga enheter"] = "Kommunstyrelsens förvaltning > Utbildning > Musikskola"
    rows[4]["Ansvariga enheter"] += "; Kommunstyrelsens förvaltning > Stab > Ny enhet"

    result = import_plan(
        engine, path=kit.write_csv(plan_dir / "plan.csv", rows), period=PERIOD, settings=settings
    )

    assert (result.activities_created, result.activities_updated) == (0, 4)
    assert result.activities_unchanged == 3
    assert result.units_created == 1
    with session_scope(engine) as session:
        after = {a.title: a for a in session.exec(select(Activity)).all()}
        assert after.keys() == before.keys()
        changed = after[rows[1]["Aktivitet"]]
        assert changed.purpose == "Ett nytt syfte."
        assert changed.updated_at > before[changed.title].updated_at
        assert after[rows[2]["Aktivitet"]].end == date(2024, 11, 30)
        npf = after[rows[3]["Aktivitet"]]
        assert activity_unit_paths(session, activity_ids=[npf.id])[npf.id] == [
            "Kommunstyrelsens förvaltning > Utbildning > Musikskola"
        ]
        unchanged = after[rows[0]["Aktivitet"]]
        assert unchanged.updated_at == before[unchanged.title].updated_at


def test_changed_goal_and_status_are_updated(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    rows = kit.activities()
    path = plan_dir / "plan.csv"
    import_plan(engine, path=kit.write_csv(path, rows), period=PERIOD, settings=settings)
    for row in rows:
        if row["Mål nr"] == "1.13":
            row["Mål"] = "Utveckla fritidsverksamheten för ungdomar från 10 år."
    rows[0]["Status"] = "Pågående med avvikelse"
    rows[0]["Kommentar"] = "Försenat."

    result = import_plan(engine, path=kit.write_csv(path, rows), period=PERIOD, settings=settings)

    assert result.goals_updated == 1 and result.goals_created == 0
    assert result.status_reports_added == 1
    with session_scope(engine) as session:
        versions = session.exec(select(StatusReport.version).order_by(col(StatusReport.id))).all()
        assert sorted(versions) == [1, 1, 1, 1, 1, 1, 2]
        goal = session.exec(select(Goal).where(Goal.number == "1.13")).one()
        assert goal.text.startswith("Utveckla fritidsverksamheten")


def test_activities_missing_from_the_file_are_left_alone(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    rows = kit.activities()
    import_plan(
        engine, path=kit.write_csv(plan_dir / "a.csv", rows), period=PERIOD, settings=settings
    )
    result = import_plan(
        engine, path=kit.write_csv(plan_dir / "b.csv", rows[:2]), period=PERIOD, settings=settings
    )
    assert result.activities_unchanged == 2
    assert "lämnades orörda" in result.summary()
    with session_scope(engine) as session:
        assert len(session.exec(select(Activity)).all()) == 7


def test_units_differing_only_in_case_are_one_unit(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    rows = kit.activities()
    import_plan(
        engine, path=kit.write_csv(plan_dir / "a.csv", rows), period=PERIOD, settings=settings
    )
    rows[3]["Ansvariga enheter"] = rows[3]["Ansvariga enheter"].upper()
    result = import_plan(
        engine, path=kit.write_csv(plan_dir / "a.csv", rows), period=PERIOD, settings=settings
    )
    assert result.units_created == 0 and not result.changed


# --- formats -------------------------------------------------------------------------------


def test_semicolon_csv_without_bom_is_accepted(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    path = kit.write_csv(plan_dir / "plan.csv", kit.activities(), delimiter=";", bom=False)
    result = import_plan(engine, path=path, period=PERIOD, settings=settings)
    assert result.activities_created == 7
    with session_scope(engine) as session:
        titles = [a.title for a in session.exec(select(Activity)).all()]
    assert "Öppna Ungdomsgårdar för 10-13 år" in titles


def test_tab_separated_file_with_people_and_areas_files(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    plan = kit.write_csv(plan_dir / "plan.csv", kit.activities(), delimiter="\t")
    people = kit.write_csv(plan_dir / "people.csv", kit.people(), delimiter=";")
    areas = kit.write_csv(plan_dir / "areas.csv", [{"Målområde": a} for a in kit.areas])

    result = import_plan(
        engine, path=plan, people_path=people, areas_path=areas, period=PERIOD, settings=settings
    )

    assert result.activities_created == 7 and result.people_created == 4
    assert result.areas_created == 4 and not result.areas_bootstrapped


def test_english_headers_any_order_and_extra_columns(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    english = {
        "Mål nr": "goal no",
        "Mål": "GOAL",
        "Målområde": "Goal  area",
        "God ekonomisk hushållning": "Sound finances",
        "Aktivitet": "Activity",
        "Syfte": "Purpose",
        "Startdatum": "Start",
        "Slutdatum": "End",
        "Ansvariga enheter": "Responsible units",
        "Status": "Status",
        "Kommentar": "Comment",
    }
    rows = []
    for row in kit.activities():
        renamed = {english[k]: v for k, v in reversed(list(row.items()))}
        renamed["Notes of our own"] = "ignored"
        rows.append(renamed)
    people = [
        dict(zip(["Role", "Unit", "E-mail", "Name"], reversed(list(p.values())), strict=True))
        for p in kit.people()
    ]
    path = kit.write_xlsx(plan_dir / "plan.xlsx", {"Activities": rows, "People": people})

    result = import_plan(engine, path=path, period=PERIOD, settings=settings)

    assert result.activities_created == 7 and result.people_created == 4
    assert result.status_reports_added == 6


def test_english_status_labels_and_machine_values(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    rows = kit.activities()
    rows[0]["Status"] = "In progress, on track"
    rows[1]["Status"] = "done_deviating"
    import_plan(
        engine, path=kit.write_csv(plan_dir / "p.csv", rows), period=PERIOD, settings=settings
    )
    with session_scope(engine) as session:
        statuses = sorted(session.exec(select(StatusReport.status)).all())
    assert statuses.count("on_track") == 2 and "done_deviating" in statuses


def test_xlsx_date_cells_and_first_sheet(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    rows: list[dict[str, object]] = []
    for row in kit.activities():
        converted: dict[str, object] = dict(row)
        converted["Startdatum"] = date.fromisoformat(row["Startdatum"])
        rows.append(converted)
    path = kit.write_xlsx(plan_dir / "plan.xlsx", {"Blad1": rows})
    result = import_plan(engine, path=path, period=PERIOD, settings=settings)
    assert result.activities_created == 7 and result.areas_bootstrapped


def test_bootstrap_creates_areas_in_first_seen_order(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    result = import_plan(
        engine,
        path=kit.write_csv(plan_dir / "p.csv", kit.activities()),
        period=PERIOD,
        settings=settings,
    )
    assert result.areas_bootstrapped and result.areas_created == 2
    assert "filens egna målområden" in result.summary()
    with session_scope(engine) as session:
        areas = session.exec(select(GoalArea).order_by(col(GoalArea.position))).all()
    assert [a.name for a in areas] == ["Barn och Unga", "Äldre +65"]


def test_attention_status_without_comment_is_a_warning(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    rows = kit.activities()
    rows[6]["Kommentar"] = ""
    result = import_plan(
        engine, path=kit.write_csv(plan_dir / "p.csv", rows), period=PERIOD, settings=settings
    )
    assert result.status_reports_added == 6
    assert [(w.row, w.column) for w in result.warnings] == [(8, "Kommentar")]
    assert "Vänteläge" in result.summary()


# --- round trips ---------------------------------------------------------------------------


def _round_trip(
    database: Callable[[str], Engine],
    settings: Settings,
    tmp_path: Path,
    kit: Any,
    suffix: str,
) -> tuple[Path, Path]:
    """Import a plan, export it, import the export into a fresh database, export again."""
    first_db, second_db = database("first"), database("second")
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "three").mkdir()
    # The same file name everywhere, so that `Import: <file>` is the same author in both.
    plan = _plan_xlsx(kit, tmp_path / "one" / f"plan{suffix}") if suffix == ".xlsx" else None
    if plan is None:
        plan = kit.write_csv(tmp_path / "one" / f"plan{suffix}", kit.activities())
    import_plan(first_db, path=plan, period=PERIOD, settings=settings)
    exported = tmp_path / "two" / f"plan{suffix}"
    assert export_period(first_db, period=PERIOD, path=exported, language="sv") == 7

    result = import_plan(second_db, path=exported, period=PERIOD, settings=settings)
    assert result.activities_created == 7 and result.status_reports_added == 6
    again = tmp_path / "three" / f"plan{suffix}"
    export_period(second_db, period=PERIOD, path=again, language="sv")
    return exported, again


def test_round_trip_csv(
    database: Callable[[str], Engine], settings: Settings, tmp_path: Path, kit: Any
):
    exported, again = _round_trip(database, settings, tmp_path, kit, ".csv")
    assert exported.read_bytes() == again.read_bytes()
    text = exported.read_text(encoding="utf-8-sig")
    assert "Ånge grundskola F-9" in text and "Vänteläge" in text


def test_round_trip_xlsx(
    database: Callable[[str], Engine], settings: Settings, tmp_path: Path, kit: Any
):
    exported, again = _round_trip(database, settings, tmp_path, kit, ".xlsx")
    assert kit.xlsx_values(exported) == kit.xlsx_values(again)
    assert list(kit.xlsx_values(exported)) == ["Aktiviteter", "Målområden"]
    assert [r[0] for r in kit.xlsx_values(exported)["Målområden"]] == ["Målområde", *kit.areas]


def test_round_trip_json(
    database: Callable[[str], Engine], settings: Settings, tmp_path: Path, kit: Any
):
    first_db, second_db = database("first"), database("second")
    for name in ("one", "two", "out"):
        (tmp_path / name).mkdir()
    plan = kit.write_csv(tmp_path / "one" / "plan.csv", kit.activities())
    import_plan(first_db, path=plan, period=PERIOD, settings=settings)
    exported = tmp_path / "two" / "plan.csv"
    export_period(first_db, period=PERIOD, path=exported, language="sv")
    import_plan(second_db, path=exported, period=PERIOD, settings=settings)

    export_period(first_db, period=PERIOD, path=tmp_path / "out" / "first.json", language="sv")
    export_period(second_db, period=PERIOD, path=tmp_path / "out" / "second.json", language="sv")

    def load(name: str) -> list[dict[str, Any]]:
        records = json.loads((tmp_path / "out" / name).read_text(encoding="utf-8"))
        for record in records:
            record.pop("reported_at")  # the time of each import
        return records

    first, second = load("first.json"), load("second.json")
    assert first == second
    assert first[0]["reported_by"] == "Import: plan.csv"
