"""Damaged and odd files through the real import code path: imported, or refused clearly.

Before: of 260 mutated XLSX plans 13 crashed with a traceback and 32 were refused with a message
naming no row or column; of 250 mutated report files 11 (damaged PDFs) crashed. Here a few
hundred deterministic mutations (fixed random seeds) go through `import_plan` and
`import_report`: each one imports, or is refused with issues naming the file (and for a row,
the row and column), and a refusal leaves the database exactly as it was.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain.periods import parse_period
from bot.importers.issues import ImportRefused, Issue
from bot.planfile.template import template_rows
from bot.planfile.writers import write_plan_xlsx
from bot.services.plan_import import import_plan
from bot.services.report_import import import_report
from tests.importers.support import MINI, SEED, snapshot, write_pdf

EARLY_2024 = datetime(2024, 2, 1, 8, 0, tzinfo=UTC)
PERIOD = parse_period("2024-T1")
# Issues about a whole sheet or file: they need no row and column.
FILE_LEVEL = {"imp_empty_file"}


def _plan_rows() -> list[list[object]]:
    activity, _, _ = template_rows(year=2024)
    rows = []
    for n, (number, area) in enumerate(
        [("1.1", "Barn och Unga"), ("1.1", "Barn och Unga"), ("1.2", "Vuxna"), ("1.3", "Vuxna")]
    ):
        row = list(activity)
        row[0], row[2] = number, area
        row[1] = f"Mål nummer {number}."
        row[4] = f"Aktivitet {n} med ett namn"
        row[9], row[10] = "Pågående enligt plan", f"Kommentar {n}."
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def base_plan(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A valid plan workbook: activities with statuses, people, goal areas."""
    _, person, _ = template_rows(year=2024)
    path = tmp_path_factory.mktemp("base") / "plan.xlsx"
    write_plan_xlsx(
        path,
        activity_rows=_plan_rows(),
        areas=["Barn och Unga", "Vuxna"],
        people_rows=[person],
        drop_downs=True,
    )
    return path.read_bytes()


# --- mutations of a workbook --------------------------------------------------------------


def _truncated(data: bytes, rnd: random.Random) -> bytes:
    return data[: rnd.randrange(0, len(data))]


def _bit_flips(data: bytes, rnd: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randrange(1, 12)):
        out[rnd.randrange(len(out))] ^= 1 << rnd.randrange(8)
    return bytes(out)


def _damaged_member(data: bytes, rnd: random.Random) -> bytes:
    """The zip intact, one member's XML truncated, garbled or left out."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    victim = rnd.choice(names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            content = source.read(name)
            if name == victim:
                kind = rnd.randrange(3)
                if kind == 0:
                    continue
                content = content[: rnd.randrange(len(content) + 1)] if kind == 1 else b"<x\x00"
            target.writestr(name, content)
    return out.getvalue()


CELL_VALUES: list[object] = [
    0,
    -1,
    1.5,
    1e308,
    True,
    False,
    datetime(2024, 3, 1, 12, 30),
    date(1899, 12, 31),
    time(8, 0),
    "=1/0",
    "=A1&B1",
    "#REF!",
    "",
    "   ",
    "å" * 40_000,
    "tab\tand\u2028line separator",
    "'=1+1",
    "2024-02-30",
    "31/12/2024",
    "Kommunstyrelsens förvaltning >  > X",
]


def _edit(data: bytes, change: Callable[[object], None]) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(rnd: random.Random) -> Callable[[object], None]:
    value = rnd.choice(CELL_VALUES)
    row, column = rnd.randrange(1, 7), rnd.randrange(1, 13)
    sheet = rnd.choice(["Aktiviteter", "Aktiviteter", "Personer", "Målområden"])
    return lambda wb: wb[sheet].cell(row=row, column=column, value=value)  # type: ignore[index]


def _structure(rnd: random.Random) -> Callable[[object], None]:
    def merge(wb):  # type: ignore[no-untyped-def]
        top, left = rnd.randrange(1, 5), rnd.randrange(1, 10)
        wb["Aktiviteter"].merge_cells(
            start_row=top, start_column=left, end_row=top + rnd.randrange(0, 3), end_column=left + 2
        )

    def hide(wb):  # type: ignore[no-untyped-def]
        for sheet in wb.worksheets[: rnd.randrange(1, 3)]:
            sheet.sheet_state = "hidden"
        if all(s.sheet_state == "hidden" for s in wb.worksheets):
            wb.worksheets[-1].sheet_state = "visible"

    def drop_header(wb):  # type: ignore[no-untyped-def]
        wb["Aktiviteter"].cell(row=1, column=rnd.randrange(1, 12), value=None)

    def extra_header(wb):  # type: ignore[no-untyped-def]
        wb["Aktiviteter"].cell(row=1, column=rnd.randrange(12, 40), value=rnd.choice(["Mål", "x"]))

    def shift(wb):  # type: ignore[no-untyped-def]
        wb["Aktiviteter"].insert_rows(1, amount=rnd.randrange(1, 3))

    def rename(wb):  # type: ignore[no-untyped-def]
        rnd.choice(wb.worksheets).title = rnd.choice(["Blad1", "Activities", "People", "Listor"])

    def delete_rows(wb):  # type: ignore[no-untyped-def]
        wb["Aktiviteter"].delete_rows(rnd.randrange(1, 5), rnd.randrange(1, 3))

    def far_cell(wb):  # type: ignore[no-untyped-def]
        wb["Aktiviteter"].cell(row=rnd.randrange(5, 3000), column=rnd.randrange(1, 300), value="x")

    return rnd.choice(
        [merge, hide, drop_header, extra_header, shift, rename, delete_rows, far_cell]
    )


def plan_mutations(base: bytes) -> Iterator[tuple[str, bytes]]:
    """(label, bytes) of every plan mutation, the same ones on every run."""
    for seed in range(30):
        rnd = random.Random(seed)
        yield f"truncated-{seed}", _truncated(base, rnd)
        yield f"bits-{seed}", _bit_flips(base, rnd)
    for seed in range(30):
        yield f"member-{seed}", _damaged_member(base, random.Random(1000 + seed))
    for seed in range(80):
        rnd = random.Random(2000 + seed)
        yield f"cells-{seed}", _edit(base, lambda wb, r=rnd: [_cell(r)(wb) for _ in range(3)])
    for seed in range(50):
        yield f"structure-{seed}", _edit(base, _structure(random.Random(3000 + seed)))
    yield "empty", b""
    yield "garbage", bytes(random.Random(9).randrange(256) for _ in range(5000))
    yield "csv-named-xlsx", b"M\xc3\xa5l;Aktivitet\n1.1;x\n"


def _check_refusal(refusal: ImportRefused, name: str, *, columns: bool) -> None:
    assert refusal.errors, name
    text = str(refusal)
    assert "Traceback" not in text
    for issue in refusal.errors:
        assert isinstance(issue, Issue)
        assert issue.file.startswith(name), (name, issue.format())
        if columns and issue.row is not None and issue.key not in FILE_LEVEL:
            assert issue.column is not None, (name, issue.format())
        assert issue.format("sv") in text
        issue.format("en")  # every message exists in English too


def test_mutated_plans_import_or_are_refused_clearly(
    sqlite_engine: Engine, settings: Settings, base_plan: bytes, tmp_path: Path
) -> None:
    outcomes = {"imported": 0, "refused": 0}
    for label, data in plan_mutations(base_plan):
        path = tmp_path / "plan.xlsx"
        path.write_bytes(data)
        before = snapshot(sqlite_engine)
        try:
            import_plan(sqlite_engine, path=path, period=PERIOD, settings=settings, now=EARLY_2024)
        except ImportRefused as refusal:
            _check_refusal(refusal, "plan.xlsx", columns=True)
            assert snapshot(sqlite_engine) == before, label
            outcomes["refused"] += 1
        else:
            outcomes["imported"] += 1
    # Both outcomes happen: the mutations are neither all harmless nor all fatal.
    assert outcomes["imported"] > 20 and outcomes["refused"] > 100, outcomes


# --- mutations of a report ----------------------------------------------------------------


@pytest.fixture(scope="module")
def base_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The mini report as a small PDF."""
    path = tmp_path_factory.mktemp("pdf") / "rapport.pdf"
    write_pdf([[line for line in MINI.split("\n") if line.strip()]], path)
    return path.read_bytes()


def report_mutations(pdf: bytes) -> Iterator[tuple[str, bytes, str]]:
    """(file name, bytes, period) of every report mutation, the same ones on every run.

    The PDFs, the seed's text and the JSON form each go to a period of their own: a published
    report may not change another's statuses once its period is closed.
    """
    seed_bytes = SEED.read_bytes()
    seed_text = seed_bytes.decode("utf-8")
    for seed in range(40):
        rnd = random.Random(4000 + seed)
        yield "rapport.pdf", _truncated(pdf, rnd), "2024-T1"
        yield "rapport.pdf", _bit_flips(pdf, rnd), "2024-T1"
    for seed in range(10):
        rnd = random.Random(5000 + seed)
        garbage = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 4000)))
        yield "rapport.txt", garbage, "2024-T1"
        yield "rapport.pdf", b"%PDF-1.4\n" + garbage, "2024-T1"
    for name in ("rapport.txt", "rapport.pdf", "rapport.json"):
        yield name, b"", "2024-T1"
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        yield "rapport.txt", seed_text.encode(encoding), "2024-T2"
    lines = seed_text.split("\n")
    for seed in range(40):
        rnd = random.Random(6000 + seed)
        cut = lines[:]
        start = rnd.randrange(len(cut))
        kind = rnd.randrange(3)
        if kind == 0:
            del cut[start : start + rnd.randrange(1, 40)]
        elif kind == 1:
            cut[start:start] = lines[rnd.randrange(len(lines))][: rnd.randrange(80)].split()
        else:
            block = cut[start : start + 20]
            rnd.shuffle(block)
            cut[start : start + 20] = block
        yield "rapport.txt", "\n".join(cut).encode("utf-8"), "2024-T2"
    document = {
        "period": "2024-T3",
        "sections": [{"number": "1.1", "text": "Mål.", "activities": [{"title": "A"}]}],
    }
    for seed in range(20):
        rnd = random.Random(7000 + seed)
        broken = json.loads(json.dumps(document))
        target = rnd.choice([broken, broken["sections"][0], broken["sections"][0]["activities"][0]])
        key = rnd.choice(list(target))
        target[key] = rnd.choice([None, 1, "x", [], {}, [1], True])
        yield "rapport.json", json.dumps(broken).encode("utf-8"), "2024-T3"
    yield "rapport.json", b"{not json", "2024-T3"
    yield "rapport.json", b"[" * 100_000, "2024-T3"


def test_mutated_reports_import_or_are_refused_clearly(
    sqlite_engine: Engine, settings: Settings, base_pdf: bytes, tmp_path: Path
) -> None:
    outcomes = {"imported": 0, "refused": 0}
    for number, (name, data, period) in enumerate(report_mutations(base_pdf)):
        path = tmp_path / name
        path.write_bytes(data)
        before = snapshot(sqlite_engine)
        try:
            import_report(sqlite_engine, path=path, period=parse_period(period), settings=settings)
        except ImportRefused as refusal:
            # A report has lines, not columns: a line-level issue names its line.
            _check_refusal(refusal, name, columns=False)
            assert snapshot(sqlite_engine) == before, (number, name)
            outcomes["refused"] += 1
        else:
            outcomes["imported"] += 1
    assert outcomes["imported"] > 5 and outcomes["refused"] > 100, outcomes
