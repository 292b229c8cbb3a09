"""Read and validate a plan file (CSV or XLSX) into plain rows, and write the plan's file format.

A plan has one row per activity (goal, goal area, title, purpose, dates, responsible units and,
optionally, a status and comment), a people sheet (name, e-mail, unit, role) and a goal-area
sheet. Reading is pure: what the database already holds comes in as a `PlanContext`, and every
problem is collected as a `PlanIssue` (file, row, column, message) before `PlanFileError` is
raised, so a caller can refuse the whole file before it writes anything.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import secrets
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.status import ATTENTION, COMMENT_MAX_LENGTH, LABELS, Status, parse_status
from storage.models import GLOBAL_ROLES, UNIT_PATH_SEPARATOR, UNIT_ROLES
from storage.queries import normalise_unit_path

MAX_REPORTED_ISSUES = 50
UNIT_LIST_SEPARATOR = ";"
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")

# The column sizes of storage.models: checked here so a long cell is a row error, not a
# database error halfway through the write.
MAX_GOAL_NUMBER = 20
MAX_GOAL_TEXT = 1000
MAX_AREA_NAME = 200
MAX_TITLE = 1000
MAX_UNIT_NAME = 200
MAX_UNIT_PATH = 1000
MAX_PERSON_NAME = 200
MAX_EMAIL = 320

ROLE_LABELS: dict[str, dict[str, str]] = {
    "sv": {
        "reporter": "rapportör",
        "manager": "chef",
        "admin": "admin",
        "secretary": "sekreterare",
    },
    "en": {
        "reporter": "reporter",
        "manager": "manager",
        "admin": "admin",
        "secretary": "secretary",
    },
}
_ROLE_LOOKUP: dict[str, str] = {
    "rapportör": "reporter",
    "rapportor": "reporter",
    "reporter": "reporter",
    "aktivitetsansvarig": "reporter",
    "chef": "manager",
    "manager": "manager",
    "admin": "admin",
    "administratör": "admin",
    "administrator": "admin",
    "sekreterare": "secretary",
    "utskottssekreterare": "secretary",
    "secretary": "secretary",
}

YES_NO: dict[str, tuple[str, str]] = {"sv": ("ja", "nej"), "en": ("yes", "no")}
_TRUE = frozenset({"ja", "j", "yes", "y", "x", "1", "sant", "true"})
_FALSE = frozenset({"", "nej", "n", "no", "0", "falskt", "false"})

_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A sanity check only: one @, something on both sides, a dot in the domain, no spaces.
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


# --- the file format: columns and sheets ---------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the plan format: its key, its headers in both languages and other names."""

    key: str
    sv: str
    en: str
    aliases: tuple[str, ...] = ()
    width: int = 20

    def header(self, language: str) -> str:
        """The header written in this language."""
        return self.en if language == "en" else self.sv

    def names(self) -> tuple[str, ...]:
        """Every header accepted for this column, normalised."""
        return tuple(_header_key(n) for n in (self.sv, self.en, *self.aliases))


ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column(
        "goal_number",
        "Mål nr",
        "Goal no",
        ("mål nr.", "målnr", "målnummer", "mål nummer", "goal no.", "goal number", "goal nr"),
        9,
    ),
    Column("goal", "Mål", "Goal", ("mål text", "goal text"), 45),
    Column("goal_area", "Målområde", "Goal area", ("målområden",), 18),
    Column(
        "council_finance_goal",
        "God ekonomisk hushållning",
        "Sound finances",
        ("god ekonomisk hushållning (ja/nej)", "sound finance", "sound finances goal"),
        16,
    ),
    Column(
        "activity",
        "Aktivitet",
        "Activity",
        ("verksamhetens aktivitet", "verksamhetens aktiviteter", "activity title"),
        45,
    ),
    Column("purpose", "Syfte", "Purpose", (), 60),
    Column("start", "Startdatum", "Start", ("start date", "startdate", "start datum"), 12),
    Column("end", "Slutdatum", "End", ("end date", "enddate", "slut", "slut datum"), 12),
    Column(
        "units",
        "Ansvariga enheter",
        "Responsible units",
        ("ansvarig enhet", "ansvariga", "enheter", "responsible unit", "units"),
        55,
    ),
    Column("status", "Status", "Status", (), 24),
    Column("comment", "Kommentar", "Comment", ("kommentarer", "comments"), 60),
)
ACTIVITY_REQUIRED = ("goal_area", "activity", "start", "end", "units")

PEOPLE_COLUMNS: tuple[Column, ...] = (
    Column("name", "Namn", "Name", ("för- och efternamn", "full name"), 28),
    Column(
        "email",
        "E-post",
        "E-mail",
        ("epost", "e-postadress", "mejl", "mail", "email", "e-mail address", "email address"),
        34,
    ),
    Column("unit", "Enhet", "Unit", ("enhetssökväg", "unit path"), 55),
    Column("role", "Roll", "Role", ("roller", "roles"), 16),
)
PEOPLE_REQUIRED = ("name", "email", "role")

AREA_COLUMNS: tuple[Column, ...] = (Column("name", "Målområde", "Goal area", ("namn", "name"), 30),)
AREA_REQUIRED = ("name",)

SHEET_NAMES: dict[str, dict[str, str]] = {
    "activities": {"sv": "Aktiviteter", "en": "Activities"},
    "people": {"sv": "Personer", "en": "People"},
    "areas": {"sv": "Målområden", "en": "Goal areas"},
    # Holds the drop-down lists: an inline list cannot carry labels with commas in them.
    "lists": {"sv": "Listor", "en": "Lists"},
}
_SHEET_ROLES: dict[str, str] = {
    _header_name.casefold(): role
    for role, names in SHEET_NAMES.items()
    for _header_name in names.values()
}


def activity_headers(language: str) -> list[str]:
    """The activity columns' headers in this language, in the order they are written."""
    return [c.header(language) for c in ACTIVITY_COLUMNS]


def sheet_name(role: str, language: str) -> str:
    """The name of a sheet (activities, people, areas, lists) in this language."""
    return SHEET_NAMES[role]["en" if language == "en" else "sv"]


# --- messages ------------------------------------------------------------------------------

MESSAGES: dict[str, dict[str, str]] = {
    "sv": {
        "header": "Planen importerades inte, ingenting sparades ({count} fel):",
        "more": "... och {count} fel till",
        "column": "kolumn",
        "not_found": "filen finns inte",
        "unreadable": "filen kan inte läsas som {kind}: {reason}",
        "not_utf8": "filen är inte UTF-8; spara den som 'CSV UTF-8' och försök igen",
        "unsupported": "okänd filtyp {suffix!r}; använd .csv eller .xlsx",
        "empty_file": "rubrikraden saknas; filen eller bladet är tomt",
        "no_activities": "arbetsboken har inget blad med aktiviteter (Aktiviteter)",
        "missing_column": "kolumnen saknas",
        "missing_goal_column": "kolumnen saknas; planen behöver 'Mål nr' eller 'Mål' (eller båda)",
        "duplicate_column": "kolumnen finns två gånger (också i kolumn {other})",
        "both_sheets": "{what} finns både som blad i {file} och som egen fil; ta bort det ena",
        "required": "värde saknas",
        "too_long": "för långt ({length} tecken, högst {limit})",
        "bad_date": "ogiltigt datum {value!r}; skriv ÅÅÅÅ-MM-DD",
        "end_before_start": "slutdatum {end} är före startdatum {start}",
        "bad_bool": "ogiltigt värde {value!r}; skriv ja eller nej",
        "unknown_status": "okänd status {value!r}; välj en av: {allowed}",
        "status_needs_period": (
            "{count} rad(er) har status; ange vilken period den gäller med --period "
            "(t.ex. --period 2024-T1)"
        ),
        "period_closed": "perioden {period} är stängd; dess status kan inte ändras",
        "comment_without_status": "kommentar utan status; fyll i status eller ta bort kommentaren",
        "comment_too_long": "kommentaren är {length} tecken, högst {limit} är tillåtet",
        "area_missing": (
            "målområde saknas (får bara vara tomt för målet för god ekonomisk hushållning)"
        ),
        "unknown_area": "okänt målområde {value!r}",
        "unknown_area_suggest": "okänt målområde {value!r}; menade du {suggestion!r}?",
        "known_areas": "kända målområden: {names}",
        "no_areas": "inga målområden är kända",
        "empty_unit_part": "enhetssökvägen {value!r} har en tom del",
        "unit_part_too_long": "enhetsnamnet {value!r} är för långt (högst {limit} tecken)",
        "goal_text_missing": (
            "mål {number} har ingen text och finns inte sedan tidigare; fyll i kolumnen Mål"
        ),
        "goal_conflict": "målet {goal} har {what} {value!r} här men {other!r} på rad {row}",
        "goal_text_taken": (
            "måltexten används redan av mål {other} på rad {row}; två mål kan inte ha samma text"
        ),
        "goal_text_taken_db": (
            "måltexten används redan av mål {other} i databasen; byt text eller nummer"
        ),
        "what_text": "texten",
        "what_area": "målområdet",
        "what_finance": "god ekonomisk hushållning",
        "duplicate_activity": "aktiviteten {title!r} under mål {goal} finns redan på rad {row}",
        "bad_email": "ogiltig e-postadress {value!r}",
        "unknown_role": "okänd roll {value!r}; välj en av: {allowed}",
        "role_needs_unit": "rollen {role} gäller en enhet; fyll i kolumnen Enhet",
        "name_conflict": "{email} heter {other!r} på rad {row}; samma person ska ha samma namn",
        "duplicate_person": "samma person, roll och enhet finns redan på rad {row}",
        "warn_attention_without_comment": (
            "status {status!r} utan kommentar; kommentaren ska förklara avvikelsen"
        ),
        "warn_global_role_unit": "rollen {role} gäller hela kommunen; enheten {unit!r} används inte",
    },
    "en": {
        "header": "The plan was not imported, nothing was saved ({count} errors):",
        "more": "... and {count} more errors",
        "column": "column",
        "not_found": "the file does not exist",
        "unreadable": "the file cannot be read as {kind}: {reason}",
        "not_utf8": "the file is not UTF-8; save it as 'CSV UTF-8' and try again",
        "unsupported": "unknown file type {suffix!r}; use .csv or .xlsx",
        "empty_file": "no header row; the file or sheet is empty",
        "no_activities": "the workbook has no sheet of activities (Activities)",
        "missing_column": "the column is missing",
        "missing_goal_column": (
            "the column is missing; the plan needs 'Goal no' or 'Goal' (or both)"
        ),
        "duplicate_column": "the column appears twice (also in column {other})",
        "both_sheets": "{what} is both a sheet in {file} and a file of its own; remove one",
        "required": "a value is required",
        "too_long": "too long ({length} characters, at most {limit})",
        "bad_date": "bad date {value!r}; write YYYY-MM-DD",
        "end_before_start": "end date {end} is before start date {start}",
        "bad_bool": "bad value {value!r}; write yes or no",
        "unknown_status": "unknown status {value!r}; choose one of: {allowed}",
        "status_needs_period": (
            "{count} row(s) have a status; name the period it is for with --period "
            "(e.g. --period 2024-T1)"
        ),
        "period_closed": "period {period} is closed; its statuses cannot change",
        "comment_without_status": "a comment without a status; add the status or remove the comment",
        "comment_too_long": "the comment is {length} characters, at most {limit} are allowed",
        "area_missing": (
            "the goal area is missing (only the sound-finances goal may leave it empty)"
        ),
        "unknown_area": "unknown goal area {value!r}",
        "unknown_area_suggest": "unknown goal area {value!r}; did you mean {suggestion!r}?",
        "known_areas": "known goal areas: {names}",
        "no_areas": "no goal areas are known",
        "empty_unit_part": "the unit path {value!r} has an empty part",
        "unit_part_too_long": "the unit name {value!r} is too long (at most {limit} characters)",
        "goal_text_missing": (
            "goal {number} has no text and does not exist yet; fill in the Goal column"
        ),
        "goal_conflict": "goal {goal} has {what} {value!r} here but {other!r} on row {row}",
        "goal_text_taken": (
            "the goal text is already used by goal {other} on row {row}; "
            "two goals cannot share a text"
        ),
        "goal_text_taken_db": (
            "the goal text is already used by goal {other} in the database; "
            "change the text or the number"
        ),
        "what_text": "the text",
        "what_area": "the goal area",
        "what_finance": "sound finances",
        "duplicate_activity": "the activity {title!r} under goal {goal} is already on row {row}",
        "bad_email": "bad e-mail address {value!r}",
        "unknown_role": "unknown role {value!r}; choose one of: {allowed}",
        "role_needs_unit": "the role {role} belongs to a unit; fill in the Unit column",
        "name_conflict": "{email} is called {other!r} on row {row}; one person has one name",
        "duplicate_person": "the same person, role and unit are already on row {row}",
        "warn_attention_without_comment": (
            "status {status!r} without a comment; the comment should explain the deviation"
        ),
        "warn_global_role_unit": (
            "the role {role} covers the whole municipality; the unit {unit!r} is not used"
        ),
    },
}


def message(language: str, key: str, **values: object) -> str:
    """A message of this module in a language (Swedish unless `en`)."""
    return MESSAGES["en" if language == "en" else "sv"][key].format(**values)


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanIssue:
    """A problem in a plan file, where it is: file, row (1 = header) and column."""

    file: str
    row: int | None
    column: str | None
    message: str

    def format(self, language: str = "sv") -> str:
        """`file:row: column 'X': message`, with the word `column` in the language."""
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        if self.column is None:
            return f"{where}: {self.message}"
        return f"{where}: {message(language, 'column')} '{self.column}': {self.message}"

    def __str__(self) -> str:
        return self.format()


class PlanFileError(ValueError):
    """The plan file has errors; nothing may be written. `errors` holds every one of them."""

    def __init__(self, errors: list[PlanIssue], *, language: str = "sv") -> None:
        self.errors = list(errors)
        self.language = language
        super().__init__(self.render())

    def render(self, limit: int = MAX_REPORTED_ISSUES) -> str:
        """All errors as text, one a line, the first `limit` of them."""
        lines = [message(self.language, "header", count=len(self.errors))]
        lines += [f"  {issue.format(self.language)}" for issue in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append("  " + message(self.language, "more", count=len(self.errors) - limit))
        return "\n".join(lines)


@dataclass(frozen=True)
class PlanGoal:
    """A goal as the plan names it; `key` links its activities."""

    key: str
    number: str | None
    text: str
    area: str | None
    council_finance_goal: bool
    position: int
    row: int


@dataclass(frozen=True)
class PlanRow:
    """One activity row, validated."""

    row: int
    goal_key: str
    goal_number: str | None
    goal_text: str
    goal_area: str | None
    council_finance_goal: bool
    title: str
    purpose: str
    start: date
    end: date
    unit_paths: tuple[str, ...]
    status: Status | None
    comment: str
    position: int


@dataclass(frozen=True)
class PersonRow:
    """One row of the people sheet: a person's role, in a unit for reporter and manager."""

    row: int
    name: str
    email: str
    unit_path: str | None
    role: str


@dataclass(frozen=True)
class PlanFile:
    """A validated plan: goals, activity rows, people and goal areas, in file order."""

    path: Path
    goals: tuple[PlanGoal, ...]
    rows: tuple[PlanRow, ...]
    people: tuple[PersonRow, ...] = ()
    areas: tuple[str, ...] = ()
    # No goal area was known (a fresh database, no areas sheet): the rows' own areas are used.
    areas_bootstrapped: bool = False
    warnings: tuple[PlanIssue, ...] = ()


@dataclass(frozen=True)
class PlanContext:
    """What the database already holds that validation must know; empty for a fresh one."""

    goal_areas: tuple[str, ...] = ()
    # (number, text) of the goals of the year the plan is imported for.
    goals: tuple[tuple[str | None, str], ...] = ()
    # The period statuses are stored for (`2024-T1`), None when no period was given.
    period: str | None = None
    period_closed: bool = False


# --- reading tables ------------------------------------------------------------------------


@dataclass
class _Table:
    label: str
    header: list[object]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


@dataclass
class _Source:
    """The tables of one file: by role for a workbook's named sheets, and its first table."""

    by_role: dict[str, _Table]
    first: _Table | None


def _open(path: Path, issues: list[PlanIssue], language: str) -> _Source | None:
    if not path.is_file():
        issues.append(PlanIssue(path.name, None, None, message(language, "not_found")))
        return None
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _open_xlsx(path, issues, language)
    if suffix in CSV_SUFFIXES:
        table = _open_csv(path, issues, language)
        return _Source({}, table) if table else None
    issues.append(PlanIssue(path.name, None, None, message(language, "unsupported", suffix=suffix)))
    return None


def _open_csv(path: Path, issues: list[PlanIssue], language: str) -> _Table | None:
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark, other tools do not.
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        issues.append(PlanIssue(path.name, None, None, message(language, "not_utf8")))
        return None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        issues.append(
            PlanIssue(
                path.name, None, None, message(language, "unreadable", kind="CSV", reason=reason)
            )
        )
        return None
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text)))
    except csv.Error as exc:
        issues.append(
            PlanIssue(
                path.name, None, None, message(language, "unreadable", kind="CSV", reason=exc)
            )
        )
        return None
    if not records or _blank(records[0]):
        issues.append(PlanIssue(path.name, None, None, message(language, "empty_file")))
        return None
    # Row numbers count records, as a spreadsheet shows them, not physical lines.
    rows = [(number, list(cells)) for number, cells in enumerate(records[1:], start=2)]
    return _Table(path.name, list(records[0]), rows)


def _sniff_delimiter(text: str) -> str:
    """Pick `,`, `;` or tab by the header line (Swedish Excel writes `;`)."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_xlsx(path: Path, issues: list[PlanIssue], language: str) -> _Source | None:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        issues.append(
            PlanIssue(
                path.name, None, None, message(language, "unreadable", kind="XLSX", reason=exc)
            )
        )
        return None
    try:
        by_role: dict[str, _Table] = {}
        first: _Table | None = None
        for worksheet in workbook.worksheets:
            role = _SHEET_ROLES.get(worksheet.title.strip().casefold())
            if role == "lists":
                continue
            if role in by_role or (role is None and first is not None):
                continue
            table = _read_sheet(worksheet, label=f"{path.name}[{worksheet.title}]")
            if role is not None:
                by_role[role] = table
            elif first is None:
                first = table
        return _Source(by_role, first)
    finally:
        workbook.close()


def _read_sheet(worksheet: Any, *, label: str) -> _Table:
    # A read-only worksheet: iter_rows is all it offers, and all that is needed.
    rows = list(worksheet.iter_rows(values_only=True))
    header = list(rows[0]) if rows else []
    return _Table(label, header, [(n, list(cells)) for n, cells in enumerate(rows[1:], start=2)])


def _blank(cells: Sequence[object]) -> bool:
    return all(_text(c) == "" for c in cells)


def _header_key(value: object) -> str:
    return " ".join(_text(value).split()).strip(" *:").casefold()


def _text(value: object) -> str:
    """A cell as text: numbers without a trailing `.0`, dates as ISO, line ends as `\\n`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _one_line(value: object) -> str:
    return " ".join(_text(value).split())


# --- mapping headers -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Columns:
    index: dict[str, int]
    header: dict[str, str]


def _map_columns(
    table: _Table,
    spec: Sequence[Column],
    required: Iterable[str],
    issues: list[PlanIssue],
    language: str,
) -> _Columns | None:
    """Find each column by its header; missing required ones are errors on row 1."""
    wanted = {name: column for column in spec for name in column.names()}
    index: dict[str, int] = {}
    header: dict[str, str] = {}
    ok = True
    if _blank(table.header):
        issues.append(PlanIssue(table.label, 1, None, message(language, "empty_file")))
        return None
    for position, cell in enumerate(table.header):
        column = wanted.get(_header_key(cell))
        if column is None:
            continue  # extra columns are the user's own notes
        if column.key in index:
            other = get_column_letter(index[column.key] + 1)
            issues.append(
                PlanIssue(
                    table.label,
                    1,
                    _one_line(cell),
                    message(language, "duplicate_column", other=other),
                )
            )
            ok = False
            continue
        index[column.key] = position
        header[column.key] = _one_line(cell)
    by_key = {c.key: c for c in spec}
    for key in required:
        if key not in index:
            column = by_key[key]
            issues.append(
                PlanIssue(
                    table.label, 1, column.header(language), message(language, "missing_column")
                )
            )
            ok = False
    return _Columns(index, header) if ok else None


class _Cells:
    """One data row, read by column key."""

    def __init__(self, table: _Table, columns: _Columns, number: int, cells: list[object]):
        self.table = table
        self.columns = columns
        self.number = number
        self.cells = cells

    def raw(self, key: str) -> object:
        position = self.columns.index.get(key)
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def text(self, key: str) -> str:
        return _text(self.raw(key)).strip()

    def line(self, key: str) -> str:
        return _one_line(self.raw(key))

    def issue(self, key: str, text: str, spec: Sequence[Column], language: str) -> PlanIssue:
        column = self.columns.header.get(key)
        if column is None:
            column = next(c.header(language) for c in spec if c.key == key)
        return PlanIssue(self.table.label, self.number, column, text)


# --- reading the plan ----------------------------------------------------------------------


def read_plan_file(
    *,
    path: str | Path,
    people_path: str | Path | None = None,
    areas_path: str | Path | None = None,
    context: PlanContext | None = None,
    language: str = "sv",
) -> PlanFile:
    """Read and validate a plan; raise PlanFileError listing every problem found."""
    path = Path(path)
    context = context or PlanContext()
    issues: list[PlanIssue] = []
    warnings: list[PlanIssue] = []
    main = _open(path, issues, language)
    activities = people = areas = None
    if main is not None:
        activities = main.by_role.get("activities") or main.first
        people = main.by_role.get("people")
        areas = main.by_role.get("areas")
        if activities is None:
            issues.append(PlanIssue(path.name, None, None, message(language, "no_activities")))
    people = _other_table(
        people, people_path, "people", path=path, issues=issues, language=language
    )
    areas = _other_table(areas, areas_path, "areas", path=path, issues=issues, language=language)

    area_issues: list[PlanIssue] = []
    area_names = _read_areas(areas, area_issues, language) if areas else []
    known = _known_areas(context.goal_areas, area_names)
    bootstrap = not known
    activity_issues: list[PlanIssue] = []
    goals: list[PlanGoal] = []
    rows: list[PlanRow] = []
    if activities is not None:
        goals, rows = _read_activities(
            activities,
            known_areas=known,
            bootstrap=bootstrap,
            context=context,
            issues=activity_issues,
            warnings=warnings,
            language=language,
        )
    people_issues: list[PlanIssue] = []
    people_rows = (
        _read_people(people, people_issues, warnings, language) if people is not None else []
    )
    issues += activity_issues + people_issues + area_issues
    if issues:
        raise PlanFileError(issues, language=language)
    return PlanFile(
        path=path,
        goals=tuple(goals),
        rows=tuple(rows),
        people=tuple(people_rows),
        areas=tuple(area_names),
        areas_bootstrapped=bootstrap,
        warnings=tuple(warnings),
    )


def _other_table(
    in_workbook: _Table | None,
    other_path: str | Path | None,
    role: str,
    *,
    path: Path,
    issues: list[PlanIssue],
    language: str,
) -> _Table | None:
    """The people or areas table: a sheet of the plan's workbook, or a file of its own."""
    if other_path is None:
        return in_workbook
    other_path = Path(other_path)
    if in_workbook is not None:
        issues.append(
            PlanIssue(
                other_path.name,
                None,
                None,
                message(language, "both_sheets", what=sheet_name(role, language), file=path.name),
            )
        )
        return None
    source = _open(other_path, issues, language)
    if source is None:
        return None
    return source.by_role.get(role) or source.first


def _known_areas(database: Iterable[str], sheet: Iterable[str]) -> dict[str, str]:
    """Known goal areas by folded name -> their spelling (the database's first)."""
    known: dict[str, str] = {}
    for name in [*database, *sheet]:
        known.setdefault(" ".join(name.split()).casefold(), " ".join(name.split()))
    return known


def _read_areas(table: _Table, issues: list[PlanIssue], language: str) -> list[str]:
    columns = _map_columns(table, AREA_COLUMNS, AREA_REQUIRED, issues, language)
    if columns is None:
        return []
    names: list[str] = []
    seen: set[str] = set()
    for number, cells in table.rows:
        if _blank(cells):
            continue
        row = _Cells(table, columns, number, cells)
        name = row.line("name")
        if not name:
            continue
        if len(name) > MAX_AREA_NAME:
            issues.append(
                row.issue(
                    "name",
                    message(language, "too_long", length=len(name), limit=MAX_AREA_NAME),
                    AREA_COLUMNS,
                    language,
                )
            )
            continue
        # A name listed twice is harmless: the first one counts.
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


@dataclass
class _GoalDraft:
    key: str
    number: str | None
    text: str
    area: str | None
    finance: bool
    position: int
    row: int
    activities: int = 0


@dataclass(frozen=True)
class _GoalRef:
    """How a row names its goal: the key that links its rows, and the text it resolves to."""

    key: str | None
    number: str | None
    given_text: str
    text: str


def _read_activities(
    table: _Table,
    *,
    known_areas: dict[str, str],
    bootstrap: bool,
    context: PlanContext,
    issues: list[PlanIssue],
    warnings: list[PlanIssue],
    language: str,
) -> tuple[list[PlanGoal], list[PlanRow]]:
    spec = ACTIVITY_COLUMNS
    columns = _map_columns(table, spec, ACTIVITY_REQUIRED, issues, language)
    if columns is not None and "goal_number" not in columns.index and "goal" not in columns.index:
        issues.append(
            PlanIssue(
                table.label,
                1,
                f"{spec[0].header(language)} / {spec[1].header(language)}",
                message(language, "missing_goal_column"),
            )
        )
        columns = None
    if columns is None:
        return [], []
    reader = _ActivityReader(
        [_Cells(table, columns, n, cells) for n, cells in table.rows if not _blank(cells)],
        known_areas=known_areas,
        bootstrap=bootstrap,
        context=context,
        issues=issues,
        warnings=warnings,
        language=language,
    )
    return reader.read()


class _ActivityReader:
    """Validate activity rows one by one, and what must agree across rows (goals, duplicates)."""

    def __init__(
        self,
        rows: list[_Cells],
        *,
        known_areas: dict[str, str],
        bootstrap: bool,
        context: PlanContext,
        issues: list[PlanIssue],
        warnings: list[PlanIssue],
        language: str,
    ) -> None:
        self.cells_rows = rows
        self.known_areas = known_areas
        self.area_spellings = dict(known_areas)
        self.bootstrap = bootstrap
        self.context = context
        self.issues = issues
        self.warnings = warnings
        self.language = language
        self.lang = "en" if language == "en" else "sv"
        self.goals: dict[str, _GoalDraft] = {}
        self.goal_by_text: dict[str, _GoalDraft] = {}
        self.activities_seen: dict[tuple[str, str], int] = {}
        self.status_rows: list[_Cells] = []
        self.rows: list[PlanRow] = []
        # Goal texts named with their number anywhere in the file, and those in the database,
        # so that a row may give its goal by number only (or by text only) and still find it.
        self.file_text_by_number: dict[str, str] = {}
        for row in rows:
            number, text = row.line("goal_number"), row.line("goal")
            if number and text:
                self.file_text_by_number.setdefault(number, text)
        self.file_number_by_text = {t.casefold(): n for n, t in self.file_text_by_number.items()}
        self.db_text_by_number = {n: t for n, t in context.goals if n}
        self.db_by_text = {t.casefold(): (n, t) for n, t in context.goals}

    def fail(self, row: _Cells, key: str, text: str) -> None:
        self.issues.append(row.issue(key, text, ACTIVITY_COLUMNS, self.language))

    def msg(self, key: str, **values: object) -> str:
        return message(self.language, key, **values)

    def read(self) -> tuple[list[PlanGoal], list[PlanRow]]:
        for row in self.cells_rows:
            self.read_row(row)
        self.check_period()
        goals = [
            PlanGoal(g.key, g.number, g.text, g.area, g.finance, g.position, g.row)
            for g in self.goals.values()
        ]
        return goals, self.rows

    def read_row(self, row: _Cells) -> None:
        before = len(self.issues)
        ref = self.goal_ref(row)
        finance = _parse_bool(row.raw("council_finance_goal"))
        if finance is None:
            self.fail(
                row,
                "council_finance_goal",
                self.msg("bad_bool", value=row.text("council_finance_goal")),
            )
            finance = False
        area = self.area(row, finance)
        title = row.line("activity")
        if not title:
            self.fail(row, "activity", self.msg("required"))
        elif len(title) > MAX_TITLE:
            self.fail(row, "activity", self.msg("too_long", length=len(title), limit=MAX_TITLE))
        start = _read_date(row, "start", ACTIVITY_COLUMNS, self.issues, self.language)
        end = _read_date(row, "end", ACTIVITY_COLUMNS, self.issues, self.language)
        if start and end and end < start:
            self.fail(row, "end", self.msg("end_before_start", end=end, start=start))
        unit_paths = _read_unit_paths(row, "units", ACTIVITY_COLUMNS, self.issues, self.language)
        status, comment = self.status(row)
        goal = self.goal(row, ref, area, finance)
        if goal is not None and title:
            self.check_duplicate(row, goal, title)
        if len(self.issues) == before and goal is not None and start and end:
            self.rows.append(
                PlanRow(
                    row=row.number,
                    goal_key=goal.key,
                    goal_number=goal.number,
                    goal_text=goal.text,
                    goal_area=goal.area,
                    council_finance_goal=goal.finance,
                    title=title,
                    purpose=row.text("purpose"),
                    start=start,
                    end=end,
                    unit_paths=unit_paths,
                    status=status,
                    comment=comment,
                    position=goal.activities,
                )
            )
        if goal is not None:
            goal.activities += 1

    def goal_column(self, row: _Cells) -> str:
        return "goal" if "goal" in row.columns.index else "goal_number"

    def goal_ref(self, row: _Cells) -> _GoalRef:
        """Resolve a row's goal number and text, from the row, the file or the database."""
        number = row.line("goal_number") or None
        text = row.line("goal")
        if number and len(number) > MAX_GOAL_NUMBER:
            self.fail(
                row, "goal_number", self.msg("too_long", length=len(number), limit=MAX_GOAL_NUMBER)
            )
            number = None
        if len(text) > MAX_GOAL_TEXT:
            self.fail(row, "goal", self.msg("too_long", length=len(text), limit=MAX_GOAL_TEXT))
        if number:
            resolved = (
                text
                or self.file_text_by_number.get(number)
                or self.db_text_by_number.get(number, "")
            )
            if not resolved:
                self.fail(row, self.goal_column(row), self.msg("goal_text_missing", number=number))
            return _GoalRef(f"n:{number}", number, text, resolved)
        if text:
            file_number = self.file_number_by_text.get(text.casefold())
            if file_number:
                return _GoalRef(
                    f"n:{file_number}", file_number, text, self.file_text_by_number[file_number]
                )
            # Keep the database's spelling, so that the goal is found and not created again.
            resolved = self.db_by_text.get(text.casefold(), (None, text))[1]
            return _GoalRef(f"t:{text.casefold()}", None, text, resolved)
        self.fail(row, self.goal_column(row), self.msg("required"))
        return _GoalRef(None, None, "", "")

    def area(self, row: _Cells, finance: bool) -> str | None:
        """The row's goal area in its known spelling; only the finance goal may have none."""
        area = row.line("goal_area") or None
        if area is None:
            if not finance:
                self.fail(row, "goal_area", self.msg("area_missing"))
        elif len(area) > MAX_AREA_NAME:
            self.fail(row, "goal_area", self.msg("too_long", length=len(area), limit=MAX_AREA_NAME))
        elif area.casefold() in self.area_spellings:
            area = self.area_spellings[area.casefold()]
        elif self.bootstrap:
            self.area_spellings[area.casefold()] = area
        else:
            self.fail(row, "goal_area", _unknown_area(area, self.known_areas, self.language))
        return area

    def status(self, row: _Cells) -> tuple[Status | None, str]:
        status: Status | None = None
        status_text = row.line("status")
        comment = row.text("comment")
        if status_text:
            self.status_rows.append(row)
            try:
                status = parse_status(status_text)
            except ValueError:
                allowed = ", ".join(LABELS[self.lang].values())
                self.fail(
                    row, "status", self.msg("unknown_status", value=status_text, allowed=allowed)
                )
        elif comment:
            self.fail(row, "comment", self.msg("comment_without_status"))
        if len(comment) > COMMENT_MAX_LENGTH:
            self.fail(
                row,
                "comment",
                self.msg("comment_too_long", length=len(comment), limit=COMMENT_MAX_LENGTH),
            )
        if status in ATTENTION and not comment:
            label = LABELS[self.lang][status]
            self.warnings.append(
                row.issue(
                    "comment",
                    self.msg("warn_attention_without_comment", status=label),
                    ACTIVITY_COLUMNS,
                    self.language,
                )
            )
        return status, comment

    def goal(
        self, row: _Cells, ref: _GoalRef, area: str | None, finance: bool
    ) -> _GoalDraft | None:
        """The row's goal; its first row defines it and later rows must agree."""
        if ref.key is None:
            return None
        goal = self.goals.get(ref.key)
        if goal is None:
            if not ref.text:
                return None
            goal = _GoalDraft(
                ref.key, ref.number, ref.text, area, finance, len(self.goals), row.number
            )
            self.check_goal_text(row, goal)
            self.goals[ref.key] = goal
            self.goal_by_text.setdefault(goal.text.casefold(), goal)
            return goal
        label = goal.number or goal.text
        if ref.given_text and ref.given_text != goal.text and ref.number:
            self.conflict(row, "goal", goal, label, "what_text", ref.given_text, goal.text)
        if area != goal.area:
            self.conflict(row, "goal_area", goal, label, "what_area", area or "", goal.area or "")
        if finance != goal.finance:
            yes, no = YES_NO[self.lang]
            self.conflict(
                row,
                "council_finance_goal",
                goal,
                label,
                "what_finance",
                yes if finance else no,
                yes if goal.finance else no,
            )
        return goal

    def conflict(
        self, row: _Cells, key: str, goal: _GoalDraft, label: str, what: str, value: str, other: str
    ) -> None:
        text = self.msg(
            "goal_conflict",
            goal=label,
            what=self.msg(what),
            value=value,
            other=other,
            row=goal.row,
        )
        self.fail(row, key, text)

    def check_goal_text(self, row: _Cells, goal: _GoalDraft) -> None:
        """Two goals of a year cannot share a text (the database's unique key)."""
        taken = self.goal_by_text.get(goal.text.casefold())
        if taken is not None:
            self.fail(
                row,
                self.goal_column(row),
                self.msg("goal_text_taken", other=taken.number or taken.text, row=taken.row),
            )
        elif goal.number and goal.number in self.db_text_by_number:
            holder = self.db_by_text.get(goal.text.casefold())
            # Giving stored goal N the exact text of another stored goal would break uniqueness.
            if (
                holder is not None
                and holder[0] not in (None, goal.number)
                and holder[1] == goal.text
            ):
                self.fail(
                    row, self.goal_column(row), self.msg("goal_text_taken_db", other=holder[0])
                )

    def check_duplicate(self, row: _Cells, goal: _GoalDraft, title: str) -> None:
        identity = (goal.key, title.casefold())
        first = self.activities_seen.setdefault(identity, row.number)
        if first != row.number:
            self.fail(
                row,
                "activity",
                self.msg(
                    "duplicate_activity", title=title, goal=goal.number or goal.text, row=first
                ),
            )

    def check_period(self) -> None:
        """Statuses need a period to be stored in, and an open one."""
        if not self.status_rows:
            return
        first = self.status_rows[0]
        if self.context.period is None:
            self.fail(first, "status", self.msg("status_needs_period", count=len(self.status_rows)))
        elif self.context.period_closed:
            self.fail(first, "status", self.msg("period_closed", period=self.context.period))


def _unknown_area(area: str, known: Mapping[str, str], language: str) -> str:
    """The unknown-area message, with the closest known name or the list of known ones."""
    close = difflib.get_close_matches(area.casefold(), list(known), n=1, cutoff=0.6)
    if close:
        return message(language, "unknown_area_suggest", value=area, suggestion=known[close[0]])
    names = ", ".join(list(known.values())[:12]) if known else ""
    tail = message(language, "known_areas", names=names) if names else message(language, "no_areas")
    return f"{message(language, 'unknown_area', value=area)}; {tail}"


def _parse_bool(value: object) -> bool | None:
    """ja/nej, yes/no, x, 1/0, a checkbox cell; empty is no; None when unreadable."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = _one_line(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _read_date(
    row: _Cells, key: str, spec: Sequence[Column], issues: list[PlanIssue], language: str
) -> date | None:
    raw = row.raw(key)
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _one_line(raw)
    if not text:
        issues.append(row.issue(key, message(language, "required"), spec, language))
        return None
    if isinstance(raw, str) and _ISO_DATE_RE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # 2024-02-30 and the like: reported below
    issues.append(row.issue(key, message(language, "bad_date", value=text), spec, language))
    return None


def _read_unit_path(
    row: _Cells,
    key: str,
    text: str,
    spec: Sequence[Column],
    issues: list[PlanIssue],
    language: str,
) -> str | None:
    """One `A > B > C` path, normalised; None (and an issue) when it is malformed."""
    try:
        path = normalise_unit_path(text)
    except ValueError:
        issues.append(
            row.issue(key, message(language, "empty_unit_part", value=text.strip()), spec, language)
        )
        return None
    for part in path.split(UNIT_PATH_SEPARATOR):
        if len(part) > MAX_UNIT_NAME:
            issues.append(
                row.issue(
                    key,
                    message(language, "unit_part_too_long", value=part[:40], limit=MAX_UNIT_NAME),
                    spec,
                    language,
                )
            )
            return None
    if len(path) > MAX_UNIT_PATH:
        issues.append(
            row.issue(
                key,
                message(language, "too_long", length=len(path), limit=MAX_UNIT_PATH),
                spec,
                language,
            )
        )
        return None
    return path


def _read_unit_paths(
    row: _Cells, key: str, spec: Sequence[Column], issues: list[PlanIssue], language: str
) -> tuple[str, ...]:
    """`;`-separated unit paths; a stray `;` at the end is fine, an empty path part is not."""
    entries = [e for e in row.text(key).split(UNIT_LIST_SEPARATOR) if e.strip()]
    if not entries:
        issues.append(row.issue(key, message(language, "required"), spec, language))
        return ()
    paths: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        path = _read_unit_path(row, key, entry, spec, issues, language)
        # The same unit twice would be one responsible unit twice: keep the first.
        if path is not None and path.casefold() not in seen:
            seen.add(path.casefold())
            paths.append(path)
    return tuple(paths)


def parse_role(text: str) -> str | None:
    """A role (Swedish or English) as its machine value, or None."""
    return _ROLE_LOOKUP.get(" ".join(text.split()).casefold())


def _read_people(
    table: _Table, issues: list[PlanIssue], warnings: list[PlanIssue], language: str
) -> list[PersonRow]:
    spec = PEOPLE_COLUMNS
    columns = _map_columns(table, spec, PEOPLE_REQUIRED, issues, language)
    if columns is None:
        return []
    people: list[PersonRow] = []
    names: dict[str, tuple[str, int]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for number, cells in table.rows:
        if _blank(cells):
            continue
        row = _Cells(table, columns, number, cells)
        before = len(issues)

        def fail(key: str, text: str, row: _Cells = row) -> None:
            issues.append(row.issue(key, text, spec, language))

        name = row.line("name")
        if not name:
            fail("name", message(language, "required"))
        elif len(name) > MAX_PERSON_NAME:
            fail("name", message(language, "too_long", length=len(name), limit=MAX_PERSON_NAME))
        email = row.line("email").lower()
        if not email:
            fail("email", message(language, "required"))
        elif len(email) > MAX_EMAIL or not _EMAIL_RE.match(email):
            fail("email", message(language, "bad_email", value=row.line("email")))
        role_text = row.line("role")
        role = parse_role(role_text)
        if not role_text:
            fail("role", message(language, "required"))
        elif role is None:
            allowed = ", ".join(ROLE_LABELS["en" if language == "en" else "sv"].values())
            fail("role", message(language, "unknown_role", value=role_text, allowed=allowed))
        unit_text = row.line("unit")
        unit_path: str | None = None
        if unit_text:
            unit_path = _read_unit_path(row, "unit", unit_text, spec, issues, language)
        if role in UNIT_ROLES and not unit_text:
            fail("unit", message(language, "role_needs_unit", role=role_text))
        if role in GLOBAL_ROLES and unit_path:
            warnings.append(
                row.issue(
                    "unit",
                    message(language, "warn_global_role_unit", role=role_text, unit=unit_path),
                    spec,
                    language,
                )
            )
            unit_path = None
        if name and email:
            first = names.setdefault(email, (name, number))
            if first[0] != name:
                fail(
                    "name",
                    message(language, "name_conflict", email=email, other=first[0], row=first[1]),
                )
        if email and role:
            identity = (email, role, (unit_path or "").casefold())
            if identity in seen:
                fail("role", message(language, "duplicate_person", row=seen[identity]))
            else:
                seen[identity] = number
        if len(issues) == before and role is not None:
            people.append(PersonRow(number, name, email, unit_path, role))
    return people


# --- writing the format --------------------------------------------------------------------

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
    return str(value)


def write_plan_csv(
    path: str | Path, *, activity_rows: Iterable[Sequence[object]], language: str
) -> None:
    """Write activity rows as CSV: UTF-8 with a BOM (so Excel shows åäö), `,`, standard quoting."""
    with replace_atomically(path) as temporary:
        with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(activity_headers(language))
            for row in activity_rows:
                writer.writerow([_csv_cell(v) for v in row])


def _set_cell(worksheet: Worksheet, row: int, column: int, value: object) -> None:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = worksheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        # User text that starts with `=` is text, not a formula to evaluate.
        cell.data_type = "s"
    if isinstance(value, date):
        cell.number_format = _DATE_FORMAT


def _fill_sheet(
    worksheet: Worksheet,
    spec: Sequence[Column],
    rows: Iterable[Sequence[object]],
    language: str,
) -> None:
    """Bold headers, column widths, a frozen header row, then the rows."""
    for position, column in enumerate(spec, start=1):
        cell = worksheet.cell(row=1, column=position, value=column.header(language))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
        worksheet.column_dimensions[get_column_letter(position)].width = column.width
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
    lang = "en" if language == "en" else "sv"
    columns = {
        "A": [c.header(language) for c in ACTIVITY_COLUMNS if c.key == "status"]
        + list(LABELS[lang].values()),
        "B": [next(c.header(language) for c in PEOPLE_COLUMNS if c.key == "role")]
        + list(ROLE_LABELS[lang].values()),
        "C": [next(c.header(language) for c in ACTIVITY_COLUMNS if c.key == "council_finance_goal")]
        + list(YES_NO[lang]),
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
        ("status", "A", len(LABELS[lang])),
        ("council_finance_goal", "C", 2),
    ):
        target = get_column_letter(keys.index(key) + 1)
        rule = validation(letter, count)
        activities.add_data_validation(rule)
        rule.add(f"{target}2:{target}{TEMPLATE_ROWS_END}")
    if people is not None:
        target = get_column_letter([c.key for c in PEOPLE_COLUMNS].index("role") + 1)
        rule = validation("B", len(ROLE_LABELS[lang]))
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


def template_rows(
    *, language: str = "sv", year: int | None = None
) -> tuple[list[object], list[object], str]:
    """The template's example activity row, example person row and example goal area."""
    year = year or date.today().year
    lang = "en" if language == "en" else "sv"
    activity: list[object] = [
        "1.10",
        "Kommunens ungdomar ska känna ökad trygghet.",
        "Barn och Unga",
        YES_NO[lang][1],
        "Minst en NPF-utbildning för nyanställd personal inom utbildningsavdelningens "
        "verksamhetsområde",
        "Fylla på kompetensen om neuropsykiatriska funktionsnedsättningar hos nya medarbetare. "
        "Inleds löpande under året.",
        date(year, 1, 8),
        date(year, 6, 13),
        "Kommunstyrelsens förvaltning > Utbildning > Musikskola; "
        "Kommunstyrelsens förvaltning > Utbildning > Vuxenutbildning",
        "",
        "",
    ]
    person: list[object] = [
        "Anna Andersson",
        "anna.andersson@kommun.example",
        "Kommunstyrelsens förvaltning > Utbildning > Musikskola",
        ROLE_LABELS[lang]["reporter"],
    ]
    return activity, person, "Barn och Unga"


def write_plan_template(path: str | Path, *, language: str = "sv", year: int | None = None) -> None:
    """Write an empty plan with one example row per sheet: XLSX, or CSV (activities only)."""
    path = Path(path)
    suffix = path.suffix.lower()
    activity, person, area = template_rows(language=language, year=year)
    if suffix in XLSX_SUFFIXES:
        write_plan_xlsx(
            path,
            activity_rows=[activity],
            areas=[area],
            people_rows=[person],
            language=language,
            drop_downs=True,
        )
    elif suffix == ".csv":
        write_plan_csv(path, activity_rows=[activity], language=language)
    else:
        raise ValueError(f"unknown template type {suffix!r}: use .xlsx or .csv")
