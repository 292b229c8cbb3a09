"""Readers: a CSV file or an XLSX workbook into plain tables of cells, or issues saying why not.

Nothing here knows what the columns mean. Every failure of a file (missing, unreadable, damaged,
not UTF-8, too large) becomes an `Issue` naming the file; third-party parsers see untrusted
bytes, so any exception they raise while reading is such a failure, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from bot.domain.text import clean_text
from bot.importers.issues import Issue, msg
from bot.planfile.format import CSV_SUFFIXES, SHEET_ROLES, XLSX_SUFFIXES, unguard_formula

# Beyond these a file is refused rather than read into memory (a plan has thousands of rows).
MAX_ROWS = 100_000
MAX_COLUMNS = 256
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass
class Table:
    """One sheet or CSV file: its label for messages, header row and numbered data rows."""

    label: str
    header: list[object]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


@dataclass
class Source:
    """The tables of one file: a workbook's sheets by role (activities, people, areas), and the
    first other sheet (or the CSV file's one table)."""

    by_role: dict[str, Table]
    first: Table | None


def file_issue(path: Path | str, key: str, **params: object) -> Issue:
    """A problem with a whole file."""
    return Issue(Path(path).name, None, None, msg(key, **params))


def os_error_issue(path: Path, error: OSError) -> Issue:
    """An OSError as a message of our own (the OS's text would mix languages)."""
    if isinstance(error, FileNotFoundError) or error.errno == errno.ENOENT:
        return file_issue(path, "imp_not_found")
    if isinstance(error, PermissionError):
        return file_issue(path, "imp_no_permission")
    if isinstance(error, IsADirectoryError):
        return file_issue(path, "imp_is_directory")
    return file_issue(path, "imp_os_error", code=error.errno or "?")


def read_bytes(path: Path, issues: list[Issue]) -> bytes | None:
    """The file's bytes, or None and an issue (missing, a directory, too large, unreadable)."""
    try:
        if path.is_dir():
            issues.append(file_issue(path, "imp_is_directory"))
            return None
        if path.stat().st_size > MAX_FILE_BYTES:
            issues.append(file_issue(path, "imp_too_large", limit=MAX_FILE_BYTES // 1024 // 1024))
            return None
        return path.read_bytes()
    except OSError as error:
        issues.append(os_error_issue(path, error))
        return None


def decode_text(path: Path, data: bytes, issues: list[Issue]) -> str | None:
    """Text from UTF-8 (with or without BOM) or BOM-marked UTF-16; else an issue."""
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark, other tools do not.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        issues.append(file_issue(path, "imp_not_utf8"))
        return None


def open_source(path: Path, issues: list[Issue]) -> Source | None:
    """Read a plan file (CSV or XLSX by its extension) into tables; None and issues if not."""
    suffix = path.suffix.lower()
    if suffix not in XLSX_SUFFIXES + CSV_SUFFIXES:
        issues.append(file_issue(path, "imp_plan_unsupported", suffix=suffix or path.name))
        return None
    data = read_bytes(path, issues)
    if data is None:
        return None
    if suffix in XLSX_SUFFIXES:
        return _open_xlsx(path, data, issues)
    table = _open_csv(path, data, issues)
    return Source({}, table) if table else None


def _open_csv(path: Path, data: bytes, issues: list[Issue]) -> Table | None:
    text = decode_text(path, data, issues)
    if text is None:
        return None
    nuls = text.count("\x00")
    if nuls > max(8, len(text) // 100):
        # Many NULs are no stray character: this is a binary file with a .csv name.
        issues.append(file_issue(path, "imp_unreadable_csv"))
        return None
    # A stray NUL is dropped like every character no database can hold (clean_text).
    text = text.replace("\x00", "") if nuls else text
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
        records: list[list[str]] = []
        for record in reader:
            if len(records) > MAX_ROWS:
                issues.append(file_issue(path, "imp_too_many_rows", limit=MAX_ROWS))
                return None
            records.append(record[:MAX_COLUMNS])
    except csv.Error:
        issues.append(file_issue(path, "imp_unreadable_csv"))
        return None
    if not records or blank(list[object](records[0])):
        issues.append(file_issue(path, "imp_empty_file"))
        return None
    # Row numbers count records, as a spreadsheet shows them, not physical lines. A cell the
    # export guarded against formulas (`'=...`) gets its text back.
    rows: list[tuple[int, list[object]]] = [
        (number, [unguard_formula(c) for c in cells])
        for number, cells in enumerate(records[1:], start=2)
    ]
    return Table(path.name, list(records[0]), rows)


def _sniff_delimiter(text: str) -> str:
    """Pick `,`, `;` or tab by the header line (Swedish Excel writes `;`)."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_xlsx(path: Path, data: bytes, issues: list[Issue]) -> Source | None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged or foreign file: openpyxl raises a dozen kinds
        issues.append(file_issue(path, "imp_unreadable_xlsx"))
        return None
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        by_role: dict[str, Table] = {}
        first: Table | None = None
        # Visible sheets first: a hidden sheet is only read when nothing visible is there.
        ordered = sorted(sheets, key=lambda ws: getattr(ws, "sheet_state", "visible") != "visible")
        for worksheet in ordered:
            role = SHEET_ROLES.get(clean_text(worksheet.title).strip().casefold())
            if role == "lists" or role in by_role or (role is None and first is not None):
                continue
            table = _read_sheet(worksheet, label=f"{path.name}[{clean_text(worksheet.title)}]")
            if table is None:
                issues.append(file_issue(path, "imp_too_many_rows", limit=MAX_ROWS))
                return None
            if role is not None:
                by_role[role] = table
            else:
                first = table
        return Source(by_role, first)
    except Exception:  # damage found while reading the sheets lazily
        issues.append(file_issue(path, "imp_unreadable_xlsx"))
        return None
    finally:
        try:
            workbook.close()
        except Exception:  # closing a damaged archive can fail too; nothing is left to do
            pass


def _read_sheet(worksheet: Any, *, label: str) -> Table | None:
    """A sheet's rows; None when it has more than MAX_ROWS."""
    rows: list[list[object]] = []
    # max_col bounds the padding of every row: a sheet may claim a dimension of 16,384 columns.
    for cells in worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
        if len(rows) > MAX_ROWS:
            return None
        rows.append(list(cells))
    while rows and blank(rows[-1]):
        rows.pop()
    header = rows[0] if rows else []
    return Table(label, header, [(n, cells) for n, cells in enumerate(rows[1:], start=2)])


def blank(cells: list[object] | tuple[object, ...]) -> bool:
    """Whether a row holds nothing but empty cells."""
    return all(cell_text(c) == "" for c in cells)


def cell_text(value: object) -> str:
    """A cell as clean text: numbers without a trailing `.0`, dates as ISO, `\\n` line ends."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(value)


def cell_line(value: object) -> str:
    """A cell as one line of text, whitespace collapsed."""
    return " ".join(cell_text(value).split())
