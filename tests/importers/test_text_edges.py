"""Characters no document or database can hold, and texts longer than their column.

Before: a NUL in a comment was a PostgreSQL traceback, a lone surrogate or U+FFFE crashed the
period's XLSX export, and a title over 1000 characters was a database error. Now imported text
is cleaned at the edge (the same on SQLite and PostgreSQL), an over-long text is a row error,
and the export cleans every cell on the way out.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.config import Settings
from bot.domain.periods import parse_period
from bot.importers.issues import PlanFileError, ReportFileError
from bot.services.export import export_period
from bot.services.plan_import import import_plan
from bot.services.report_import import import_report
from storage.db import session_scope
from storage.models import Activity, Goal, StatusReport, Unit
from tests.importers.support import MINI, snapshot

EARLY_2024 = datetime(2024, 2, 1, 8, 0, tzinfo=UTC)
HEADER = [
    "Mål nr",
    "Mål",
    "Målområde",
    "God ekonomisk hushållning",
    "Aktivitet",
    "Syfte",
    "Startdatum",
    "Slutdatum",
    "Ansvariga enheter",
    "Status",
    "Kommentar",
]
# NUL, BEL, ESC, DEL, a C1 control, the two noncharacters: all dropped. Tab and newline stay.
DIRT = "\x00\x07\x1b\x7f\x85\ufffe\uffff"


def _plan(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _row(title: str, comment: str = "Det går bra.", unit: str = "KSF > Stab") -> list[str]:
    return [
        "1.1",
        f"Sjukfrånvaron{DIRT} ska minska.",
        f"Vuxna{DIRT}",
        "nej",
        title,
        f"Syfte{DIRT}\nrad två\tmed tab",
        "2024-01-01",
        "2024-06-30",
        unit,
        "Pågående enligt plan",
        comment,
    ]


def test_control_characters_are_cleaned_on_import(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    path = _plan(
        tmp_path / "plan.csv",
        [_row(f"Titel{DIRT} ett", f"Kommentar{DIRT}\nandra raden", f"KSF{DIRT} > Stab{DIRT}")],
    )
    import_plan(engine, path=path, period="2024-T1", settings=settings, now=EARLY_2024)
    with session_scope(engine) as session:
        activity = session.exec(select(Activity)).one()
        report = session.exec(select(StatusReport)).one()
        goal = session.exec(select(Goal)).one()
        units = sorted(u.path for u in session.exec(select(Unit)).all())
    assert activity.title == "Titel ett"
    assert activity.purpose == "Syfte\nrad två\tmed tab"
    assert report.comment == "Kommentar\nandra raden"
    assert goal.text == "Sjukfrånvaron ska minska."
    assert units == ["KSF", "KSF > Stab"]


def test_a_lone_surrogate_in_a_json_report_is_cleaned(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    document = {
        "period": "2024-T1",
        "all_goals": [{"area": "Vuxna", "goals": ["Sjukfrånvaron ska minska."]}],
        "sections": [
            {
                "number": "1.1",
                "text": "Sjukfrånvaron ska minska.",
                "unplaced": [],
                "activities": [
                    {
                        "title": "Titel \ud800med surrogat\x00",
                        "units": ["KSF > Stab\udfff"],
                        "start": "2024-01-01",
                        "end": "2024-04-30",
                        "purpose": "Syfte\ufffe",
                        "status": "on_track",
                        "comment": "Kommentar \ud83d utan par",
                    }
                ],
            }
        ],
    }
    path = tmp_path / "rapport.json"
    # ensure_ascii keeps the lone surrogates as \u escapes, as a JSON file from elsewhere might.
    path.write_text(json.dumps(document, ensure_ascii=True), encoding="utf-8")
    import_report(engine, path=path, period=parse_period("2024-T1"), settings=settings)
    with session_scope(engine) as session:
        activity = session.exec(select(Activity)).one()
        report = session.exec(select(StatusReport)).one()
        paths = sorted(u.path for u in session.exec(select(Unit)).all())
    assert (activity.title, activity.purpose) == ("Titel med surrogat", "Syfte")
    assert report.comment == "Kommentar  utan par"
    assert paths == ["KSF", "KSF > Stab"]


def test_an_over_long_title_is_a_row_error(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    before = snapshot(engine)
    path = _plan(tmp_path / "plan.csv", [_row("Kort titel"), _row("å" * 1001)])
    with pytest.raises(PlanFileError) as caught:
        import_plan(engine, path=path, period="2024-T1", settings=settings, now=EARLY_2024)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "Aktivitet")]
    assert "plan.csv:3: kolumn 'Aktivitet': för långt (1001 tecken, högst 1000)" in str(
        caught.value
    )
    assert snapshot(engine) == before


def test_an_over_long_title_in_a_report_is_refused(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    long_title = " ".join(["Införa"] + ["hälsosamma"] * 100)
    path = tmp_path / "rapport.txt"
    path.write_text(MINI.replace("Införa hälsosamma scheman", long_title), encoding="utf-8")
    before = snapshot(engine)
    with pytest.raises(ReportFileError) as caught:
        import_report(engine, path=path, period=parse_period("2024-T1"), settings=settings)
    assert "rapport.txt:9: aktivitetens titel är 1106 tecken, högst 1000 får plats" in str(
        caught.value
    )
    assert snapshot(engine) == before


def test_stored_odd_characters_never_break_an_export(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    path = _plan(tmp_path / "plan.csv", [_row("Titel")])
    import_plan(engine, path=path, period="2024-T1", settings=settings, now=EARLY_2024)
    # As a Slack client could send them: every one of these but NUL fits both databases.
    odd = "Rad\x01ett\x1f\ufffe\uffff\x85 klar\x7f"
    with session_scope(engine) as session:
        report = session.exec(select(StatusReport)).one()
        report.comment = odd
        activity = session.exec(select(Activity).order_by(col(Activity.id))).one()
        activity.title = f"Titel\x0b{odd}"
        session.add(report)
        session.add(activity)
    for suffix in (".xlsx", ".csv", ".json"):
        target = tmp_path / f"export{suffix}"
        assert export_period(engine, period="2024-T1", path=target) == 1
    sheet = load_workbook(tmp_path / "export.xlsx")["Aktiviteter"]
    assert (sheet["E2"].value, sheet["K2"].value) == ("TitelRadett klar", "Radett klar")
    assert json.loads((tmp_path / "export.json").read_text("utf-8"))[0]["comment"] == "Radett klar"
    with (tmp_path / "export.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[1][10] == "Radett klar"
