"""Fixtures for the service tests: SQLite file databases and plan files written on the fly."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from bot.config import Settings
from storage.db import ensure_schema, make_engine

ACTIVITY_HEADERS = [
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
PEOPLE_HEADERS = ["Namn", "E-post", "Enhet", "Roll"]
AREAS = ["Barn och Unga", "Vuxna", "Äldre +65", "Tillväxt"]

KSF = "Kommunstyrelsens förvaltning"
UTB = f"{KSF} > Utbildning"
FKT = f"{KSF} > Stab > Fritid Kultur Turism"


def _activity(
    number: str,
    goal: str,
    area: str,
    title: str,
    purpose: str,
    start: str,
    end: str,
    units: Sequence[str],
    status: str = "",
    comment: str = "",
    finance: str = "nej",
) -> dict[str, str]:
    return dict(
        zip(
            ACTIVITY_HEADERS,
            [
                number,
                goal,
                area,
                finance,
                title,
                purpose,
                start,
                end,
                "; ".join(units),
                status,
                comment,
            ],
            strict=True,
        )
    )


def realistic_activities() -> list[dict[str, str]]:
    """A plan in the shape of the seed report: several goals, multi-unit activities, statuses."""
    sick = "Sjukfrånvaron ska minska"
    ninth = "Andelen niondeklassare som klarar gymnasiebehörighet ska öka."
    safe = "Kommunens ungdomar ska känna ökad trygghet."
    leisure = "Utveckla fritidsverksamhet för att nå ungdomar från 10 år."
    elderly = "Skapa ett ökat utbud av aktiviteter för äldre i våra verksamheter."
    return [
        _activity(
            "1.1",
            sick,
            "",
            "Införa hälsosamma scheman på alla arbetsplatser inom äldreomsorg samt stöd och omsorg",
            "Genomförs utifrån resultat av projektet Bemanningsekonomi.\nSteg 1 Äldreomsorgen "
            "jan - februari\nSteg 2 Stöd och omsorg mars-april",
            "2024-01-01",
            "2024-04-30",
            [f"{KSF} > Social verksamhet"],
            "Pågående enligt plan",
            "Hälsosamma scheman är införda.\n\nDialog pågår med medarbetare för finjustering.",
            finance="ja",
        ),
        _activity(
            "1.1",
            sick,
            "",
            "Utbildning i ergonomi för lokalvård",
            "Utbildning som ett viktigt steg i att förbättra hälsan och arbetsmiljö.",
            "2024-02-01",
            "2024-03-31",
            [f"{KSF} > Samhällsbyggnad"],
            "Avslutad med avvikelse",
            "Aktiviteten genomförd 3 april.",
            finance="ja",
        ),
        _activity(
            "1.9",
            ninth,
            "Barn och Unga",
            'Att genomföra Skolverkets webbutbildning "Likvärdighet i bedömning och betygsättning"',
            "Utbildningen riktar sig till lärare som bedömer och betygsätter.",
            "2024-01-08",
            "2024-10-31",
            [
                f"{UTB} > Bobergsgymnasiet",
                f"{UTB} > Ljungaskolan F-6",
                f"{UTB} > Torpshammars skola F-6",
                f"{UTB} > Fränstaskolan F-9",
                f"{UTB} > Ånge grundskola F-9",
            ],
            "Ej påbörjad",
            "Ånge grundskola och Bobergsgymnasiet har genomfört kursen.",
        ),
        _activity(
            "1.10",
            safe,
            "Barn och Unga",
            "Minst en NPF-utbildning för nyanställd personal inom utbildningsavdelningens "
            "verksamhetsområde",
            "Fylla på kompetensen hos nya medarbetare.",
            "2024-01-08",
            "2024-06-13",
            [f"{UTB} > Musikskola", f"{UTB} > Förskoleområde Väst", f"{UTB} > Vuxenutbildning"],
        ),
        _activity(
            "1.13",
            leisure,
            "Barn och Unga",
            "Öppna föreningsfritids i samarbete med föreningarna.",
            "Få en förening att testa att ha verksamhet direkt efter skolan",
            "2024-01-01",
            "2024-12-31",
            [FKT],
            "Pågående enligt plan",
            "Vi har tillfrågat Ånge Ishockeyklubb, Ånge Ridklubb och Fränsta IK.",
        ),
        _activity(
            "1.13",
            leisure,
            "Barn och Unga",
            "Öppna Ungdomsgårdar för 10-13 år",
            "Öppna våra ungdomsgårdar på tisdagar och torsdagar",
            "2024-01-01",
            "2024-01-31",
            [FKT],
            "Avslutad enligt plan",
            "Cirka 60 ungdomar kom; vi bjuder på en macka och ett glas mjölk.",
        ),
        _activity(
            "1.7",
            elderly,
            "Äldre +65",
            "Livskraft - kultur för äldre",
            "Samarbete med länets övriga kommuner och Scenkonst Västernorrland.",
            "2024-01-01",
            "2024-12-31",
            [f"{KSF} > Social verksamhet > Särskilt boende", FKT],
            "Vänteläge",
            "Väntar på finansiering.",
        ),
    ]


def realistic_people() -> list[dict[str, str]]:
    """People with several roles and units, åäö in names, an upper-case e-mail."""
    rows = [
        ["Anna Andersson", "anna.andersson@kommun.example", f"{UTB} > Musikskola", "rapportör"],
        [
            "Anna Andersson",
            "anna.andersson@kommun.example",
            f"{UTB} > Vuxenutbildning",
            "rapportör",
        ],
        ["Bo Ek", "bo.ek@kommun.example", UTB, "chef"],
        ["Åsa Öberg", "asa.oberg@kommun.example", "", "sekreterare"],
        ["Åsa Öberg", "asa.oberg@kommun.example", "", "admin"],
        [
            "Erik Lund",
            "ERIK.LUND@kommun.example",
            # An ancestor of a planned unit is known too.
            f"{KSF} > Stab",
            "reporter",
        ],
    ]
    return [dict(zip(PEOPLE_HEADERS, r, strict=True)) for r in rows]


def write_csv(
    path: Path, rows: Sequence[dict[str, str]], *, delimiter: str = ",", bom: bool = True
) -> Path:
    """Write dict rows as CSV; the header is the first row's keys."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(list(rows[0]))
        for row in rows:
            writer.writerow(list(row.values()))
    return path


def write_xlsx(
    path: Path, sheets: dict[str, Sequence[dict[str, object]] | list[list[object]]]
) -> Path:
    """Write sheets of dict rows (header = first row's keys) or of plain rows."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        if rows and isinstance(rows[0], dict):
            sheet.append(list(rows[0]))
            for row in rows:
                sheet.append(list(row.values()))  # type: ignore[union-attr]
        else:
            for row in rows:
                sheet.append(list(row))  # type: ignore[arg-type]
    workbook.save(path)
    return path


def xlsx_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's cell values, for comparing two workbooks."""
    workbook = load_workbook(path, data_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


@dataclass(frozen=True)
class Snapshot:
    counts: dict[str, int]
    dump: list[str]


def snapshot(engine: Engine) -> Snapshot:
    """Row counts of every table and a full SQL dump of the database file."""
    database = engine.url.database
    assert database
    with sqlite3.connect(database) as connection:
        tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
        counts = {
            t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables
        }
        dump = list(connection.iterdump())
    return Snapshot(counts, dump)


@pytest.fixture
def database(tmp_path: Path) -> Callable[[str], Engine]:
    """Make an empty, migrated SQLite file database by name."""

    def make(name: str = "t") -> Engine:
        engine = make_engine(f"sqlite:///{tmp_path}/{name}.db")
        ensure_schema(engine)
        return engine

    return make


@pytest.fixture
def engine(database: Callable[[str], Engine]) -> Engine:
    """An empty, migrated SQLite file database."""
    return database("t")


@pytest.fixture
def settings() -> Settings:
    """Default settings: Swedish, Europe/Stockholm."""
    return Settings()


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    """A directory for plan files."""
    directory = tmp_path / "plans"
    directory.mkdir()
    return directory


@dataclass(frozen=True)
class Kit:
    """The helpers above, for tests (a conftest cannot be imported by name reliably)."""

    activity_headers: list[str]
    people_headers: list[str]
    areas: list[str]
    activities: Callable[[], list[dict[str, str]]]
    people: Callable[[], list[dict[str, str]]]
    write_csv: Callable[..., Path]
    write_xlsx: Callable[..., Path]
    xlsx_values: Callable[[Path], dict[str, list[tuple[object, ...]]]]
    snapshot: Callable[[Engine], Snapshot]


@pytest.fixture
def kit() -> Kit:
    """Plan data, file writers and database snapshots."""
    return Kit(
        activity_headers=list(ACTIVITY_HEADERS),
        people_headers=list(PEOPLE_HEADERS),
        areas=list(AREAS),
        activities=realistic_activities,
        people=realistic_people,
        write_csv=write_csv,
        write_xlsx=write_xlsx,
        xlsx_values=xlsx_values,
        snapshot=snapshot,
    )
