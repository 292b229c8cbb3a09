"""The plan's columns, their headers in both languages, the sheet names and cell conventions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.text import clean_text

UNIT_LIST_SEPARATOR = ";"
UNIT_JOINER = "; "
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
TEMPLATE_SUFFIXES = (".xlsx", ".csv")

# The column sizes of storage.models: checked on import so that a long cell is a row error,
# not a database error halfway through the write.
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
TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "x", "1", "sant", "true"})
FALSE_WORDS = frozenset({"", "nej", "n", "no", "0", "falskt", "false"})


def lang(language: str | None) -> str:
    """`en` or `sv`: the two languages the format is written in."""
    return "en" if language == "en" else "sv"


def header_key(value: object) -> str:
    """A header as it is matched: one line, no `*` or `:` around it, case folded."""
    return " ".join(clean_text(value if value is not None else "").split()).strip(" *:").casefold()


@dataclass(frozen=True)
class Localised:
    """A short text in both languages (a column's header, a sheet's name)."""

    sv: str
    en: str

    def header(self, language: str | None) -> str:
        """The text in this language."""
        return self.en if language == "en" else self.sv


@dataclass(frozen=True)
class Column(Localised):
    """A column of the plan format: its key, its headers in both languages and other names."""

    key: str = ""
    aliases: tuple[str, ...] = ()
    width: int = 20

    def names(self) -> tuple[str, ...]:
        """Every header accepted for this column, normalised."""
        return tuple(header_key(n) for n in (self.sv, self.en, *self.aliases))


def _column(key: str, sv: str, en: str, aliases: tuple[str, ...] = (), width: int = 20) -> Column:
    return Column(sv=sv, en=en, key=key, aliases=aliases, width=width)


ACTIVITY_COLUMNS: tuple[Column, ...] = (
    _column(
        "goal_number",
        "Mål nr",
        "Goal no",
        ("mål nr.", "målnr", "målnummer", "mål nummer", "goal no.", "goal number", "goal nr"),
        9,
    ),
    _column("goal", "Mål", "Goal", ("mål text", "goal text"), 45),
    _column("goal_area", "Målområde", "Goal area", ("målområden",), 18),
    _column(
        "council_finance_goal",
        "God ekonomisk hushållning",
        "Sound finances",
        ("god ekonomisk hushållning (ja/nej)", "sound finance", "sound finances goal"),
        16,
    ),
    _column(
        "activity",
        "Aktivitet",
        "Activity",
        ("verksamhetens aktivitet", "verksamhetens aktiviteter", "activity title"),
        45,
    ),
    _column("purpose", "Syfte", "Purpose", (), 60),
    _column("start", "Startdatum", "Start", ("start date", "startdate", "start datum"), 12),
    _column("end", "Slutdatum", "End", ("end date", "enddate", "slut", "slut datum"), 12),
    _column(
        "units",
        "Ansvariga enheter",
        "Responsible units",
        ("ansvarig enhet", "ansvariga", "enheter", "responsible unit", "units"),
        55,
    ),
    _column("status", "Status", "Status", (), 24),
    _column("comment", "Kommentar", "Comment", ("kommentarer", "comments"), 60),
)
ACTIVITY_REQUIRED = ("goal_area", "activity", "start", "end", "units")

PEOPLE_COLUMNS: tuple[Column, ...] = (
    _column("name", "Namn", "Name", ("för- och efternamn", "full name"), 28),
    _column(
        "email",
        "E-post",
        "E-mail",
        ("epost", "e-postadress", "mejl", "mail", "email", "e-mail address", "email address"),
        34,
    ),
    _column("unit", "Enhet", "Unit", ("enhetssökväg", "unit path"), 55),
    _column("role", "Roll", "Role", ("roller", "roles"), 16),
)
PEOPLE_REQUIRED = ("name", "email", "role")

AREA_COLUMNS: tuple[Column, ...] = (
    _column("name", "Målområde", "Goal area", ("namn", "name"), 30),
)
AREA_REQUIRED = ("name",)

SHEET_NAMES: dict[str, Localised] = {
    "activities": Localised("Aktiviteter", "Activities"),
    "people": Localised("Personer", "People"),
    "areas": Localised("Målområden", "Goal areas"),
    # Holds the drop-down lists: an inline list cannot carry labels with commas in them.
    "lists": Localised("Listor", "Lists"),
}
SHEET_ROLES: dict[str, str] = {
    name.casefold(): role for role, names in SHEET_NAMES.items() for name in (names.sv, names.en)
}
# The CSV template writes the people and goal-area sheets as files beside the activities file.
CSV_COMPANIONS: dict[str, Localised] = {
    "people": Localised("personer", "people"),
    "areas": Localised("malomraden", "goal-areas"),
}


def column(spec: tuple[Column, ...], key: str) -> Column:
    """The column of this key in a sheet's columns."""
    return next(c for c in spec if c.key == key)


def activity_headers(language: str) -> list[str]:
    """The activity columns' headers in this language, in the order they are written."""
    return [c.header(language) for c in ACTIVITY_COLUMNS]


def sheet_name(role: str, language: str) -> str:
    """The name of a sheet (activities, people, areas, lists) in this language."""
    return SHEET_NAMES[role].header(language)


def parse_role(text: str) -> str | None:
    """A role (Swedish or English) as its machine value, or None."""
    return _ROLE_LOOKUP.get(" ".join(text.split()).casefold())


def role_choices(language: str) -> str:
    """The roles a person can have, as listed in a message."""
    return ", ".join(ROLE_LABELS[lang(language)].values())


# --- CSV cells that a spreadsheet would run as a formula -----------------------------------

# A cell starting with one of these is a formula (or DDE) to a spreadsheet opening the CSV.
FORMULA_TRIGGERS = "=+-@\t\r"
# Exported cells that start with a trigger, possibly after apostrophes, get one more leading
# apostrophe (the spreadsheet's "this is text" mark); the reader strips exactly one again.
# Mapping `'*T...` to `'+T...` and back makes the round trip lossless for every text.
_NEUTRALISED_RE = re.compile(f"^'+[{re.escape(FORMULA_TRIGGERS)}]")
_NEEDS_GUARD_RE = re.compile(f"^'*[{re.escape(FORMULA_TRIGGERS)}]")


def guard_formula(text: str) -> str:
    """The CSV form of a text cell: a leading apostrophe where a spreadsheet sees a formula."""
    return "'" + text if _NEEDS_GUARD_RE.match(text) else text


def unguard_formula(text: str) -> str:
    """Undo `guard_formula`: strip the one apostrophe it added, and nothing else."""
    return text[1:] if _NEUTRALISED_RE.match(text) else text
