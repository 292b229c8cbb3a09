"""The plan import refuses bad files: file, row and column named, every error at once, nothing
written; and the periods an import creates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.config import Settings
from bot.importers.issues import ImportOptionsError, PlanFileError
from bot.importers.plan import PlanContext, read_plan_file
from bot.services.plan_import import import_plan as import_plan_now
from storage.db import session_scope
from storage.models import (
    Period,
    StatusReport,
)
from storage.queries import get_or_create_period

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


# --- bad rows: refused with file, row and column, and nothing written ----------------------


def _drop_column(column: str) -> Callable[[list[dict[str, str]]], None]:
    def mutate(rows: list[dict[str, str]]) -> None:
        for row in rows:
            del row[column]

    return mutate


def _set(row: int, column: str, value: str) -> Callable[[list[dict[str, str]]], None]:
    def mutate(rows: list[dict[str, str]]) -> None:
        rows[row][column] = value

    return mutate


def _duplicate_last(rows: list[dict[str, str]]) -> None:
    rows.append(dict(rows[4]))


# (id, how to break the activities, expected "file:row: kolumn 'X': fragment")
BAD_ACTIVITY_ROWS = [
    (
        "missing column",
        _drop_column("Startdatum"),
        "plan.csv:1: kolumn 'Startdatum': kolumnen saknas",
    ),
    (
        "no goal column",
        lambda rows: [_drop_column(c)(rows) for c in ("Mål nr", "Mål")],
        "plan.csv:1: kolumn 'Mål nr / Mål': kolumnen saknas",
    ),
    (
        "bad date",
        _set(2, "Startdatum", "8/1/2024"),
        "plan.csv:4: kolumn 'Startdatum': ogiltigt datum",
    ),
    (
        "no such day",
        _set(6, "Slutdatum", "2024-02-30"),
        "plan.csv:8: kolumn 'Slutdatum': ogiltigt datum",
    ),
    ("empty date", _set(0, "Slutdatum", ""), "plan.csv:2: kolumn 'Slutdatum': värde saknas"),
    (
        "end before start",
        _set(6, "Slutdatum", "2023-12-31"),
        "plan.csv:8: kolumn 'Slutdatum': slutdatum 2023-12-31 är före startdatum 2024-01-01",
    ),
    (
        "unknown status",
        _set(6, "Status", "Klar"),
        "plan.csv:8: kolumn 'Status': okänd status 'Klar'",
    ),
    (
        "unknown goal area",
        _set(6, "Målområde", "Äldre 65+"),
        "plan.csv:8: kolumn 'Målområde': okänt målområde 'Äldre 65+'; menade du 'Äldre +65'?",
    ),
    (
        "missing goal area",
        _set(2, "Målområde", ""),
        "plan.csv:4: kolumn 'Målområde': målområde saknas",
    ),
    (
        "empty unit path part",
        _set(6, "Ansvariga enheter", "Kommunstyrelsens förvaltning >  > Musikskola"),
        "plan.csv:8: kolumn 'Ansvariga enheter': enhetssökvägen",
    ),
    (
        "empty unit list",
        _set(3, "Ansvariga enheter", " ; "),
        "plan.csv:5: kolumn 'Ansvariga enheter': värde saknas",
    ),
    (
        "comment over 3000",
        _set(6, "Kommentar", "å" * 3001),
        "plan.csv:8: kolumn 'Kommentar': kommentaren är 3001 tecken, högst 3000",
    ),
    (
        "comment without status",
        _set(3, "Kommentar", "En kommentar"),
        "plan.csv:5: kolumn 'Kommentar': kommentar utan status",
    ),
    (
        "bad sound-finances flag",
        _set(0, "God ekonomisk hushållning", "kanske"),
        "plan.csv:2: kolumn 'God ekonomisk hushållning': ogiltigt värde 'kanske'",
    ),
    (
        "duplicate activity",
        _duplicate_last,
        "plan.csv:9: kolumn 'Aktivitet': aktiviteten 'Öppna föreningsfritids i samarbete med "
        "föreningarna.' under mål 1.13 finns redan på rad 6",
    ),
    (
        "goal with two areas",
        _set(5, "Målområde", "Tillväxt"),
        "plan.csv:7: kolumn 'Målområde': målet 1.13 har målområdet 'Tillväxt' här men "
        "'Barn och Unga' på rad 6",
    ),
    ("missing title", _set(6, "Aktivitet", ""), "plan.csv:8: kolumn 'Aktivitet': värde saknas"),
]


@pytest.fixture
def seeded(engine: Engine, settings: Settings, plan_dir: Path, kit: Any) -> Engine:
    """A database that already holds the goal areas and the first two activities."""
    setup = kit.write_xlsx(
        plan_dir / "setup.xlsx",
        {
            "Aktiviteter": kit.activities()[:2],
            "Målområden": [["Målområde"], *[[a] for a in kit.areas]],
        },
    )
    import_plan(engine, path=setup, period=PERIOD, settings=settings)
    return engine


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [pytest.param(m, e, id=i) for i, m, e in BAD_ACTIVITY_ROWS],
)
def test_bad_activity_row_is_refused_and_nothing_written(
    seeded: Engine, settings: Settings, plan_dir: Path, kit: Any, mutate: Any, expected: str
):
    rows = kit.activities()
    mutate(rows)
    path = kit.write_csv(plan_dir / "plan.csv", rows)
    people = kit.write_csv(plan_dir / "people.csv", kit.people())
    before = kit.snapshot(seeded)

    with pytest.raises(PlanFileError) as caught:
        import_plan(seeded, path=path, people_path=people, period=PERIOD, settings=settings)

    assert expected in str(caught.value)
    assert str(caught.value).startswith("Planen importerades inte, ingenting sparades")
    after = kit.snapshot(seeded)
    assert after.counts == before.counts
    assert after.dump == before.dump


BAD_PEOPLE_ROWS = [
    (
        "bad e-mail",
        _set(5, "E-post", "erik.lund(at)kommun"),
        "people.csv:7: kolumn 'E-post': ogiltig",
    ),
    ("missing e-mail", _set(0, "E-post", ""), "people.csv:2: kolumn 'E-post': värde saknas"),
    ("unknown role", _set(5, "Roll", "kung"), "people.csv:7: kolumn 'Roll': okänd roll 'kung'"),
    (
        "unit role without unit",
        _set(2, "Enhet", ""),
        "people.csv:4: kolumn 'Enhet': rollen chef gäller en enhet",
    ),
    (
        "two names for one e-mail",
        _set(1, "Namn", "Anna Karlsson"),
        "people.csv:3: kolumn 'Namn': anna.andersson@kommun.example heter 'Anna Andersson' på rad 2",
    ),
    (
        "duplicate person row",
        lambda rows: rows.append(dict(rows[5])),
        "people.csv:8: kolumn 'Roll': samma person, roll och enhet finns redan på rad 7",
    ),
    ("missing role column", _drop_column("Roll"), "people.csv:1: kolumn 'Roll': kolumnen saknas"),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [pytest.param(m, e, id=i) for i, m, e in BAD_PEOPLE_ROWS],
)
def test_bad_person_row_is_refused_and_nothing_written(
    seeded: Engine, settings: Settings, plan_dir: Path, kit: Any, mutate: Any, expected: str
):
    people = kit.people()
    mutate(people)
    plan = kit.write_csv(plan_dir / "plan.csv", kit.activities())
    path = kit.write_csv(plan_dir / "people.csv", people)
    before = kit.snapshot(seeded)

    with pytest.raises(PlanFileError) as caught:
        import_plan(seeded, path=plan, people_path=path, period=PERIOD, settings=settings)

    assert expected in str(caught.value)
    after = kit.snapshot(seeded)
    assert after.counts == before.counts and after.dump == before.dump


def test_status_without_period_is_refused(
    seeded: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    path = kit.write_csv(plan_dir / "plan.csv", kit.activities())
    before = kit.snapshot(seeded)
    with pytest.raises(PlanFileError) as caught:
        import_plan(seeded, path=path, year=2024, settings=settings)
    assert "plan.csv:2: kolumn 'Status': 6 rad(er) har status; ange" in str(caught.value)
    assert "--period" in str(caught.value)
    assert kit.snapshot(seeded) == before


def test_changed_statuses_of_a_closed_period_are_refused_by_row(
    seeded: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    with session_scope(seeded) as session:
        period = session.exec(select(Period)).one()
        period.state = "closed"
        session.add(period)
    rows = kit.activities()
    rows[1]["Status"] = "Avslutad enligt plan"  # stored: Avslutad med avvikelse
    path = kit.write_csv(plan_dir / "plan.csv", rows)
    before = kit.snapshot(seeded)

    with pytest.raises(PlanFileError) as caught:
        import_plan(seeded, path=path, period=PERIOD, settings=settings)

    text = str(caught.value)
    assert "plan.csv:2" not in text  # unchanged: fine
    assert (
        "plan.csv:3: kolumn 'Status': perioden 2024-T1 är stängd; statusen kan inte ändras "
        "(nu: Avslutad med avvikelse)" in text
    )
    # Rows 4-8 are new activities with a status: each one named.
    assert [e.row for e in caught.value.errors] == [3, 4, 6, 7, 8]
    assert kit.snapshot(seeded) == before


def test_unchanged_statuses_of_a_closed_period_import(
    seeded: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    with session_scope(seeded) as session:
        period = session.exec(select(Period)).one()
        period.state = "closed"
        session.add(period)
    path = kit.write_csv(plan_dir / "plan.csv", kit.activities()[:2])
    before = kit.snapshot(seeded)
    result = import_plan(seeded, path=path, period=PERIOD, settings=settings)
    assert not result.changed and result.status_reports_unchanged == 2
    assert kit.snapshot(seeded) == before


def test_every_error_is_reported_together_in_english(seeded: Engine, plan_dir: Path, kit: Any):
    rows = kit.activities()
    rows[0]["Startdatum"] = "januari"
    rows[3]["Status"] = "Done-ish"
    rows[6]["Målområde"] = "Växt"
    path = kit.write_csv(plan_dir / "plan.csv", rows)
    before = kit.snapshot(seeded)

    with pytest.raises(PlanFileError) as caught:
        import_plan(seeded, path=path, period=PERIOD, settings=Settings(language="en"))

    lines = str(caught.value).splitlines()
    assert lines[0] == "The plan was not imported, nothing was saved (3 errors):"
    assert (
        lines[1].strip() == "plan.csv:2: column 'Startdatum': bad date 'januari'; write YYYY-MM-DD"
    )
    assert lines[2].strip().startswith("plan.csv:5: column 'Status': unknown status 'Done-ish'")
    assert lines[3].strip().startswith("plan.csv:8: column 'Målområde': unknown goal area 'Växt'")
    assert [(e.row, e.column) for e in caught.value.errors] == [
        (2, "Startdatum"),
        (5, "Status"),
        (8, "Målområde"),
    ]
    assert kit.snapshot(seeded) == before


def test_many_errors_are_capped_in_the_message(plan_dir: Path, kit: Any):
    rows = [dict(kit.activities()[0], Aktivitet=f"A{i}", Startdatum="x") for i in range(60)]
    with pytest.raises(PlanFileError) as caught:
        read_plan_file(
            path=kit.write_csv(plan_dir / "plan.csv", rows), context=PlanContext(period=PERIOD)
        )
    assert len(caught.value.errors) == 60
    assert str(caught.value).splitlines()[-1].strip() == "... och 10 fel till"


def test_unreadable_files_are_refused(engine: Engine, settings: Settings, plan_dir: Path):
    missing = plan_dir / "nope.csv"
    with pytest.raises(PlanFileError, match="nope.csv: filen finns inte"):
        import_plan(engine, path=missing, year=2024, settings=settings)
    latin = plan_dir / "latin.csv"
    latin.write_bytes("Mål;Målområde\nÅtgärd;Vuxna\n".encode("cp1252"))
    with pytest.raises(PlanFileError, match="CSV UTF-8"):
        import_plan(engine, path=latin, year=2024, settings=settings)
    broken = plan_dir / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(PlanFileError, match="broken.xlsx: filen kan inte läsas som XLSX"):
        import_plan(engine, path=broken, year=2024, settings=settings)


def test_unknown_area_against_the_database_when_no_areas_sheet(
    seeded: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    rows = kit.activities()
    rows[6]["Målområde"] = "Kultur"
    path = kit.write_csv(plan_dir / "plan.csv", rows)
    with pytest.raises(PlanFileError) as caught:
        import_plan(seeded, path=path, period=PERIOD, settings=settings)
    assert "okänt målområde 'Kultur'; kända målområden: Barn och Unga, Vuxna" in str(caught.value)


def test_goal_by_number_only_uses_the_stored_text(
    seeded: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    rows = kit.activities()[:2]
    for row in rows:
        del row["Mål"]
    rows[1]["Syfte"] = "Nytt syfte."
    path = kit.write_csv(plan_dir / "plan.csv", rows)
    result = import_plan(seeded, path=path, period=PERIOD, settings=settings)
    assert (result.goals_created, result.goals_updated, result.activities_updated) == (0, 0, 1)

    rows[0]["Mål nr"] = rows[1]["Mål nr"] = "9.9"
    with pytest.raises(PlanFileError, match="mål 9.9 har ingen text"):
        import_plan(
            seeded,
            path=kit.write_csv(plan_dir / "plan.csv", rows),
            period=PERIOD,
            settings=settings,
        )


def test_a_new_period_gets_the_default_deadline_and_opens(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    path = kit.write_csv(plan_dir / "plan.csv", kit.activities())
    result = import_plan(engine, path=path, period="2024-T2", settings=settings)
    with session_scope(engine) as session:
        period = session.exec(select(Period)).one()
        existing, created = get_or_create_period(
            session, year=2024, tertial=2, deadline=period.deadline
        )
    assert not created and existing.state == "open"
    local = period.deadline.astimezone(settings.timezone)
    assert (local.date(), local.hour) == (date(2024, 8, 31), 16)
    assert result.period_state == "open"
    assert (
        "Perioden 2024-T2 skapades och är öppen för rapportering till deadline "
        "2024-08-31 16:00 (Europe/Stockholm)." in result.summary()
    )


def test_a_new_period_whose_deadline_has_passed_is_created_closed(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    path = kit.write_csv(plan_dir / "plan.csv", kit.activities())
    late = datetime(2024, 9, 1, 12, 0, tzinfo=UTC)
    result = import_plan(engine, path=path, period="2024-T2", settings=settings, now=late)
    with session_scope(engine) as session:
        period = session.exec(select(Period)).one()
        reports = session.exec(select(StatusReport)).all()
    assert period.state == "closed" and period.closed_at is not None
    assert len(reports) == 6  # the file's statuses are the period's record
    assert result.period_state == "closed"
    assert "Perioden 2024-T2 skapades stängd, eftersom dess deadline 2024-08-31 16:00" in (
        result.summary()
    )
    english = result.summary("en")
    assert "The period 2024-T2 was created closed, as its deadline 2024-08-31 16:00" in english
    # The same file again changes nothing, closed or not.
    again = import_plan(engine, path=path, period="2024-T2", settings=settings, now=late)
    assert not again.changed and again.status_reports_unchanged == 6


def test_plan_row_dataclasses_are_plain(plan_dir: Path, kit: Any):
    plan = read_plan_file(
        path=kit.write_csv(plan_dir / "plan.csv", kit.activities()),
        context=PlanContext(period=PERIOD),
    )
    assert [g.number for g in plan.goals] == ["1.1", "1.9", "1.10", "1.13", "1.7"]
    assert [r.position for r in plan.rows] == [0, 1, 0, 0, 0, 1, 0]
    assert plan.rows[0].goal_area is None and plan.rows[0].council_finance_goal
    assert replace(plan.rows[0], title="x").title == "x"


def test_workbook_errors_name_the_sheet(
    seeded: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    activities = kit.activities()
    for row in activities:
        del row["Slutdatum"]
    people = kit.people()
    people[1]["Roll"] = "boss"
    path = _plan_xlsx(kit, plan_dir / "plan.xlsx", activities=activities, people=people)
    before = kit.snapshot(seeded)

    with pytest.raises(PlanFileError) as caught:
        import_plan(seeded, path=path, period=PERIOD, settings=settings)

    text = str(caught.value)
    assert "plan.xlsx[Aktiviteter]:1: kolumn 'Slutdatum': kolumnen saknas" in text
    assert "plan.xlsx[Personer]:3: kolumn 'Roll': okänd roll 'boss'" in text
    assert kit.snapshot(seeded) == before


def test_two_goals_cannot_share_a_text(
    seeded: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    rows = kit.activities()
    rows[6]["Mål"] = rows[2]["Mål"]
    rows[6]["Målområde"] = rows[2]["Målområde"]
    with pytest.raises(PlanFileError) as caught:
        import_plan(
            seeded, path=kit.write_csv(plan_dir / "p.csv", rows), period=PERIOD, settings=settings
        )
    assert "p.csv:8: kolumn 'Mål': måltexten används redan av mål 1.9 på rad 4" in str(caught.value)


def test_a_column_given_twice_is_an_error(plan_dir: Path, kit: Any):
    rows = [dict(r, Activity=r["Aktivitet"]) for r in kit.activities()]
    with pytest.raises(PlanFileError) as caught:
        read_plan_file(
            path=kit.write_csv(plan_dir / "p.csv", rows), context=PlanContext(period=PERIOD)
        )
    assert "p.csv:1: kolumn 'Activity': kolumnen finns två gånger (också i kolumn E)" in str(
        caught.value
    )


def test_people_sheet_and_people_file_together_are_refused(
    engine: Engine, settings: Settings, plan_dir: Path, kit: Any
):
    path = _plan_xlsx(kit, plan_dir / "plan.xlsx")
    people = kit.write_csv(plan_dir / "people.csv", kit.people())
    with pytest.raises(PlanFileError, match="people.csv: Personer finns både som blad"):
        import_plan(engine, path=path, people_path=people, period=PERIOD, settings=settings)
    assert kit.snapshot(engine).counts["person"] == 0


def test_year_and_period_must_agree(engine: Engine, settings: Settings, plan_dir: Path, kit: Any):
    path = kit.write_csv(plan_dir / "p.csv", kit.activities())
    with pytest.raises(ImportOptionsError, match="motsäger varandra"):
        import_plan(engine, path=path, year=2023, period=PERIOD, settings=settings)
