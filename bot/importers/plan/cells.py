"""Cells of a plan table: columns found by header, values read and checked one cell at a time."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.importers.issues import Issue, Msg, msg
from bot.importers.matching import clean_block, clean_line, match_key
from bot.importers.tables import Table, blank, cell_line, cell_text
from bot.planfile.format import (
    FALSE_WORDS,
    MAX_UNIT_NAME,
    MAX_UNIT_PATH,
    TRUE_WORDS,
    UNIT_LIST_SEPARATOR,
    Column,
    Localised,
    column,
    header_key,
)

UNIT_PATH_SEPARATOR = " > "
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def letter(position: int) -> str:
    """The spreadsheet letter of a 0-based column position (0 -> A, 26 -> AA)."""
    text = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


@dataclass(frozen=True)
class Columns:
    """Where each known column is in a table, and its header as the file spells it."""

    index: dict[str, int]
    header: dict[str, str]


def map_columns(
    table: Table, spec: Sequence[Column], required: Iterable[str], issues: list[Issue]
) -> Columns | None:
    """Find each column by its header; missing required ones are errors on row 1."""
    wanted = {name: c for c in spec for name in c.names()}
    index: dict[str, int] = {}
    header: dict[str, str] = {}
    ok = True
    if blank(table.header):
        issues.append(Issue(table.label, 1, None, msg("imp_empty_file")))
        return None
    for position, cell in enumerate(table.header):
        found = wanted.get(header_key(cell_text(cell)))
        if found is None:
            continue  # extra columns are the user's own notes
        if found.key in index:
            issues.append(
                Issue(
                    table.label,
                    1,
                    cell_line(cell),
                    msg("plan_duplicate_column", other=letter(index[found.key])),
                )
            )
            ok = False
            continue
        index[found.key] = position
        header[found.key] = cell_line(cell)
    for key in required:
        if key not in index:
            issues.append(
                Issue(
                    table.label, 1, _localised(column(tuple(spec), key)), msg("plan_missing_column")
                )
            )
            ok = False
    return Columns(index, header) if ok else None


def _localised(col: Column) -> Localised:
    return Localised(col.sv, col.en)


class Cells:
    """One data row, read by column key; issues name the file, the row and the column."""

    def __init__(
        self,
        table: Table,
        columns: Columns,
        number: int,
        cells: list[object],
        spec: Sequence[Column],
    ) -> None:
        self.table = table
        self.columns = columns
        self.number = number
        self.cells = cells
        self.spec = tuple(spec)
        self.issues: list[Issue] = []

    def raw(self, key: str) -> object:
        """The cell's value as the reader gave it (text, number, date, bool or None)."""
        position = self.columns.index.get(key)
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def has(self, key: str) -> bool:
        """Whether the table has this column."""
        return key in self.columns.index

    def text(self, key: str) -> str:
        """A multi-line cell, cleaned, trimmed."""
        return clean_block(cell_text(self.raw(key)))

    def line(self, key: str) -> str:
        """A one-line cell, cleaned, whitespace collapsed."""
        return clean_line(cell_text(self.raw(key)))

    def column_name(self, key: str) -> str | Localised:
        """The column's header as the file spells it, else the format's in both languages."""
        return self.columns.header.get(key) or _localised(column(self.spec, key))

    def issue(self, key: str, message: Msg) -> Issue:
        """An issue at this row and column."""
        return Issue(self.table.label, self.number, self.column_name(key), message)

    def fail(self, key: str, message: Msg) -> None:
        """Record an error at this row and column."""
        self.issues.append(self.issue(key, message))

    def limit(self, key: str, value: str, maximum: int) -> bool:
        """Whether `value` fits its database column; an error if not."""
        if len(value) <= maximum:
            return True
        self.fail(key, msg("plan_too_long", length=len(value), limit=maximum))
        return False

    def date(self, key: str) -> date | None:
        """A date cell (a date, or text `YYYY-MM-DD`); required."""
        raw = self.raw(key)
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = cell_line(raw)
        if not text:
            self.fail(key, msg("plan_required"))
            return None
        if isinstance(raw, str) and _ISO_DATE_RE.match(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass  # 2024-02-30 and the like: reported below
        self.fail(key, msg("plan_bad_date", value=text[:40]))
        return None

    def flag(self, key: str) -> bool:
        """ja/nej, yes/no, x, 1/0, a checkbox; empty is no; an error when unreadable."""
        raw = self.raw(key)
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int | float) and raw in (0, 1):
            return bool(raw)
        text = cell_line(raw).casefold()
        if text in TRUE_WORDS:
            return True
        if text not in FALSE_WORDS:
            self.fail(key, msg("plan_bad_bool", value=cell_line(raw)[:40]))
        return False

    def unit_path(self, key: str, text: str) -> str | None:
        """One `A > B > C` path, normalised; None (and an error) when it is malformed."""
        parts = [" ".join(p.split()) for p in clean_line(text).split(">")]
        if not parts or any(not p for p in parts):
            self.fail(key, msg("plan_empty_unit_part", value=clean_line(text)[:80]))
            return None
        for part in parts:
            if len(part) > MAX_UNIT_NAME:
                self.fail(key, msg("plan_unit_part_too_long", value=part[:40], limit=MAX_UNIT_NAME))
                return None
        path = UNIT_PATH_SEPARATOR.join(parts)
        return path if self.limit(key, path, MAX_UNIT_PATH) else None

    def unit_paths(self, key: str) -> tuple[str, ...]:
        """`;`-separated unit paths; a stray `;` at the end is fine, an empty part is not."""
        entries = [e for e in self.text(key).split(UNIT_LIST_SEPARATOR) if e.strip()]
        if not entries:
            self.fail(key, msg("plan_required"))
            return ()
        paths: list[str] = []
        seen: set[str] = set()
        for entry in entries:
            path = self.unit_path(key, entry)
            # The same unit twice would be one responsible unit twice: keep the first.
            if path is not None and match_key(path) not in seen:
                seen.add(match_key(path))
                paths.append(path)
        return tuple(paths)


def data_rows(table: Table, columns: Columns, spec: Sequence[Column]) -> list[Cells]:
    """The table's non-blank rows."""
    return [Cells(table, columns, n, cells, spec) for n, cells in table.rows if not blank(cells)]
