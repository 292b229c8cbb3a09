"""Exporting a period to CSV, XLSX and JSON."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.config import Settings
from bot.services.export import export_period
from bot.services.plan_import import import_plan as import_plan_now
from storage.db import session_scope
from storage.models import Activity

PERIOD = "2024-T1"

# The imports below run as of early February 2024, while 2024-T1 is open: a period an import
# creates after its deadline is created closed (tested on its own).
EARLY_2024 = datetime(2024, 2, 1, 8, 0, tzinfo=UTC)


def import_plan(engine: Engine, **kwargs: Any) -> Any:
    """`import_plan` at EARLY_2024 unless told otherwise."""
    kwargs.setdefault("now", EARLY_2024)
    return import_plan_now(engine, **kwargs)


JSON_KEYS = [
    "goal_number",
    "goal",
    "goal_area",
    "council_finance_goal",
    "activity",
    "purpose",
    "start",
    "end",
    "units",
    "status",
    "status_label",
    "comment",
    "reported_by",
    "reported_at",
]


@pytest.fixture
def planned(engine: Engine, settings: Settings, plan_dir: Path, kit: Any) -> Engine:
    """A database holding the realistic plan with its statuses for 2024-T1."""
    rows = kit.activities()
    rows[3]["Kommentar"] = ""  # the NPF activity has no status
    rows[4]["Kommentar"] = "=1+1 is not a formula\nand a second line"
    # CSV in: a spreadsheet would have turned the `=` comment into a formula already.
    path = kit.write_csv(plan_dir / "plan.csv", rows)
    areas = kit.write_csv(plan_dir / "areas.csv", [{"Målområde": a} for a in kit.areas])
    import_plan(engine, path=path, areas_path=areas, period=PERIOD, settings=settings)
    return engine


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_has_the_plan_columns_bom_and_commas(planned: Engine, tmp_path: Path, kit: Any):
    path = tmp_path / "export.csv"

    assert export_period(planned, period=PERIOD, path=path, language="sv") == 7

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.splitlines()[0].decode("utf-8-sig") == ",".join(kit.activity_headers)
    rows = _read_csv(path)
    assert rows[0] == kit.activity_headers
    assert [r[0] for r in rows[1:]] == ["1.1", "1.1", "1.9", "1.10", "1.13", "1.13", "1.7"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Målområde"] == "" and first["God ekonomisk hushållning"] == "ja"
    assert first["Status"] == "Pågående enligt plan"
    assert first["Startdatum"] == "2024-01-01"
    webb = dict(zip(rows[0], rows[3], strict=True))
    assert webb["Ansvariga enheter"].count("; ") == 4
    assert webb["God ekonomisk hushållning"] == "nej"
    npf = dict(zip(rows[0], rows[4], strict=True))
    assert npf["Status"] == "" and npf["Kommentar"] == ""
    assert dict(zip(rows[0], rows[5], strict=True))["Kommentar"].endswith("\nand a second line")


def test_csv_in_english(planned: Engine, tmp_path: Path):
    path = tmp_path / "export.csv"
    export_period(planned, period=PERIOD, path=path, language="en")
    rows = _read_csv(path)
    assert rows[0][:4] == ["Goal no", "Goal", "Goal area", "Sound finances"]
    assert rows[0][-2:] == ["Status", "Comment"]
    assert rows[1][3] == "yes" and rows[1][9] == "In progress, on track"


def test_english_export_imports_again(
    planned: Engine, database: Any, settings: Settings, tmp_path: Path
):
    path = tmp_path / "export.csv"
    export_period(planned, period=PERIOD, path=path, language="en")
    fresh = database("fresh")
    result = import_plan(fresh, path=path, period=PERIOD, settings=settings)
    assert result.activities_created == 7 and result.status_reports_added == 6
    again = tmp_path / "again.csv"
    export_period(fresh, period=PERIOD, path=again, language="en")
    assert again.read_bytes() == path.read_bytes()


def test_xlsx_has_activities_and_goal_areas_only(planned: Engine, tmp_path: Path, kit: Any):
    path = tmp_path / "export.xlsx"

    assert export_period(planned, period=PERIOD, path=path, language="sv") == 7

    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Aktiviteter", "Målområden"]
    sheet = workbook["Aktiviteter"]
    assert [c.value for c in sheet[1]] == kit.activity_headers
    assert all(c.font.bold for c in sheet[1])
    assert sheet["G2"].value == datetime(2024, 1, 1)
    assert sheet["G2"].number_format == "yyyy-mm-dd"
    assert sheet["A2"].value == "1.1" and sheet["A2"].data_type == "s"
    comment = sheet["K6"]
    assert comment.data_type == "s" and comment.value.startswith("=1+1")
    assert [r[0].value for r in workbook["Målområden"].iter_rows()] == ["Målområde", *kit.areas]


def test_json_has_stable_keys(planned: Engine, tmp_path: Path, settings: Settings):
    path = tmp_path / "export.json"

    assert export_period(planned, period=PERIOD, path=path, zone=settings.timezone) == 7

    records = json.loads(path.read_text(encoding="utf-8"))
    assert [list(r) for r in records] == [JSON_KEYS] * 7
    first = records[0]
    assert first["goal_number"] == "1.1" and first["goal_area"] is None
    assert first["council_finance_goal"] is True
    assert first["status"] == "on_track" and first["status_label"] == "Pågående enligt plan"
    assert first["start"] == "2024-01-01"
    assert first["reported_by"] == "Import: plan.csv"
    reported = datetime.fromisoformat(first["reported_at"])
    assert reported.utcoffset() is not None
    npf = records[3]
    assert npf["units"] == [
        "Kommunstyrelsens förvaltning > Utbildning > Musikskola",
        "Kommunstyrelsens förvaltning > Utbildning > Förskoleområde Väst",
        "Kommunstyrelsens förvaltning > Utbildning > Vuxenutbildning",
    ]
    assert npf["status"] is None and npf["reported_at"] is None
    assert "Sjukfrånvaron ska minska" in path.read_text(encoding="utf-8")  # not \u-escaped


def test_the_latest_version_is_exported(
    planned: Engine, settings: Settings, plan_dir: Path, tmp_path: Path, kit: Any
):
    rows = kit.activities()
    rows[0]["Status"] = "Avslutad enligt plan"
    rows[0]["Kommentar"] = "Klart."
    import_plan(
        planned, path=kit.write_csv(plan_dir / "p.csv", rows), period=PERIOD, settings=settings
    )
    path = tmp_path / "export.json"
    export_period(planned, period=PERIOD, path=path)
    first = json.loads(path.read_text(encoding="utf-8"))[0]
    assert (first["status"], first["comment"]) == ("done", "Klart.")


def test_only_the_periods_year_is_exported(
    planned: Engine, settings: Settings, plan_dir: Path, tmp_path: Path, kit: Any
):
    rows = kit.activities()[:1]
    rows[0]["Startdatum"], rows[0]["Slutdatum"] = "2025-01-01", "2025-04-30"
    import_plan(
        planned, path=kit.write_csv(plan_dir / "p.csv", rows), period="2025-T1", settings=settings
    )
    assert export_period(planned, period=PERIOD, path=tmp_path / "a.csv") == 7
    assert export_period(planned, period="2025-T1", path=tmp_path / "b.csv") == 1


def test_unknown_extension_is_refused(planned: Engine, tmp_path: Path):
    with pytest.raises(ValueError) as caught:
        export_period(planned, period=PERIOD, path=tmp_path / "export.ods", language="en")
    assert ".csv .xlsx .json" in str(caught.value)
    assert not (tmp_path / "export.ods").exists()


def test_missing_period_is_a_clear_error(planned: Engine, tmp_path: Path):
    with pytest.raises(ValueError, match="perioden 2024-T3 finns inte"):
        export_period(planned, period="2024-T3", path=tmp_path / "export.csv")
    with pytest.raises(ValueError, match="not of the form"):
        export_period(planned, period="T3", path=tmp_path / "export.csv")
    assert list(tmp_path.glob("*export*")) == []


def test_activity_without_dates_exports_empty_cells(planned: Engine, tmp_path: Path):
    with session_scope(planned) as session:
        activity = session.exec(select(Activity)).first()
        assert activity is not None
        activity.start = None
        session.add(activity)
    path = tmp_path / "export.csv"
    export_period(planned, period=PERIOD, path=path)
    assert _read_csv(path)[1][6] == ""
    assert date(2024, 4, 30).isoformat() == _read_csv(path)[1][7]
