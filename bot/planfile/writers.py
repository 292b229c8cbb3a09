"""Writers of the plan format: CSV and XLSX, written atomically, safe for any stored text.

Every text cell passes `clean_text` (a control character or a lone surrogate in one comment
must not make the whole file impossible to write), and a CSV text cell that a spreadsheet would
run as a formula gets the leading apostrophe of `guard_formula`.
"""

from __future__ import annotations

import csv
import os
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.status import LABELS
from bot.domain.text import clean_text
from bot.planfile.format import (
    ACTIVITY_COLUMNS,
    AREA_COLUMNS,
    PEOPLE_COLUMNS,
    ROLE_LABELS,
    YES_NO,
    Column,
    column,
    guard_formula,
    lang,
    sheet_name,
)

TEMPLATE_ROWS_END = 1000
_DATE_FORMAT = "yyyy-mm-dd"


@contextmanager
def replace_atomically(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; move it into place only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not mkstemp: its 0600 mode would stick to the file; this one gets the usual umask.
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(6)}{path.suffix}")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return guard_formula(clean_text(value))


def write_csv(
    path: str | Path, *, spec: Sequence[Column], rows: Iterable[Sequence[object]], language: str
) -> None:
    """Write rows under a sheet's headers as CSV: UTF-8 with a BOM (so Excel shows åäö), `,`."""
    with replace_atomically(path) as temporary:
        with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([c.header(language) for c in spec])
            for row in rows:
                writer.writerow([_csv_cell(v) for v in row])


def write_plan_csv(
    path: str | Path, *, activity_rows: Iterable[Sequence[object]], language: str
) -> None:
    """Write activity rows as CSV under the plan's activity headers."""
    write_csv(path, spec=ACTIVITY_COLUMNS, rows=activity_rows, language=language)


def _set_cell(worksheet: Worksheet, row: int, position: int, value: object) -> None:
    if isinstance(value, str):
        value = clean_text(value)
    cell = worksheet.cell(row=row, column=position, value=value)
    if isinstance(value, str) and value.startswith("="):
        # User text that starts with `=` is text, not a formula to evaluate.
        cell.data_type = "s"
    if isinstance(value, date):
        cell.number_format = _DATE_FORMAT


def _fill_sheet(
    worksheet: Worksheet, spec: Sequence[Column], rows: Iterable[Sequence[object]], language: str
) -> None:
    """Bold headers, column widths, a frozen header row, then the rows."""
    for position, col in enumerate(spec, start=1):
        cell = worksheet.cell(row=1, column=position, value=col.header(language))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
        worksheet.column_dimensions[get_column_letter(position)].width = col.width
    worksheet.freeze_panes = "A2"
    keys = [c.key for c in spec]
    for number, row in enumerate(rows, start=2):
        for position, value in enumerate(row, start=1):
            _set_cell(worksheet, number, position, value)
            if keys[position - 1] == "goal_number":
                # Text, so that 1.10 stays 1.10 instead of becoming the number 1.1.
                worksheet.cell(row=number, column=position).number_format = "@"


def _add_drop_downs(
    workbook: Workbook, activities: Worksheet, people: Worksheet | None, language: str
) -> None:
    """Drop-down lists for Status, God ekonomisk hushållning and Roll, from a hidden sheet."""
    lists = workbook.create_sheet(sheet_name("lists", language))
    lists.sheet_state = "hidden"
    code = lang(language)
    columns = {
        "A": [column(ACTIVITY_COLUMNS, "status").header(language), *LABELS[code].values()],
        "B": [column(PEOPLE_COLUMNS, "role").header(language), *ROLE_LABELS[code].values()],
        "C": [
            column(ACTIVITY_COLUMNS, "council_finance_goal").header(language),
            *YES_NO[code],
        ],
    }
    for letter, values in columns.items():
        for number, value in enumerate(values, start=1):
            lists[f"{letter}{number}"] = value
    title = lists.title.replace("'", "''")

    def validation(letter: str, count: int) -> DataValidation:
        return DataValidation(
            type="list",
            formula1=f"'{title}'!${letter}$2:${letter}${count + 1}",
            allow_blank=True,
            showErrorMessage=True,
        )

    keys = [c.key for c in ACTIVITY_COLUMNS]
    for key, letter, count in (
        ("status", "A", len(LABELS[code])),
        ("council_finance_goal", "C", 2),
    ):
        target = get_column_letter(keys.index(key) + 1)
        rule = validation(letter, count)
        activities.add_data_validation(rule)
        rule.add(f"{target}2:{target}{TEMPLATE_ROWS_END}")
    if people is not None:
        target = get_column_letter([c.key for c in PEOPLE_COLUMNS].index("role") + 1)
        rule = validation("B", len(ROLE_LABELS[code]))
        people.add_data_validation(rule)
        rule.add(f"{target}2:{target}{TEMPLATE_ROWS_END}")


def write_plan_xlsx(
    path: str | Path,
    *,
    activity_rows: Iterable[Sequence[object]],
    areas: Iterable[str],
    people_rows: Iterable[Sequence[object]] | None = None,
    language: str = "sv",
    drop_downs: bool = False,
) -> None:
    """Write a plan workbook: activities, then people (if given), then goal areas."""
    workbook = Workbook()
    activities = workbook.active
    assert activities is not None
    activities.title = sheet_name("activities", language)
    _fill_sheet(activities, ACTIVITY_COLUMNS, activity_rows, language)
    for key in ("purpose", "comment"):
        letter = get_column_letter([c.key for c in ACTIVITY_COLUMNS].index(key) + 1)
        for cell in activities[letter][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    people: Worksheet | None = None
    if people_rows is not None:
        people = workbook.create_sheet(sheet_name("people", language))
        _fill_sheet(people, PEOPLE_COLUMNS, people_rows, language)
    area_sheet = workbook.create_sheet(sheet_name("areas", language))
    _fill_sheet(area_sheet, AREA_COLUMNS, ([name] for name in areas), language)
    if drop_downs:
        _add_drop_downs(workbook, activities, people, language)
    with replace_atomically(path) as temporary:
        workbook.save(temporary)
