"""Lines of a report's text: what each one is (page furniture, table header, unit, status,
dates, text), and the items of a goal section with page furniture collapsed into breaks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import i18n

# Printed labels -> stable machine values. English too, so that a report our own tool rendered
# in English can be read back.
STATUS_LABELS: dict[str, str] = {
    "Ej påbörjad": "not_started",
    "Pågående enligt plan": "on_track",
    "Pågående med avvikelse": "deviating",
    "Avslutad enligt plan": "done",
    "Avslutad med avvikelse": "done_deviating",
    "Vänteläge": "on_hold",
    "Not started": "not_started",
    "In progress, on track": "on_track",
    "In progress, deviating": "deviating",
    "Completed as planned": "done",
    "Completed with deviation": "done_deviating",
    "On hold": "on_hold",
}
# Uppsikt's own report prints this where an activity has no status for the period: the status
# line is there, with no status in it (machine value "").
NO_STATUS_LABELS: tuple[str, ...] = ("Ingen status rapporterad", "No status reported")
_STATUS_BY_KEY: dict[str, str] = {label.casefold(): value for label, value in STATUS_LABELS.items()}
_STATUS_BY_KEY.update({label.casefold(): "" for label in NO_STATUS_LABELS})

# Page headers and footers, matched against the whole stripped line.
PAGE_FURNITURE: tuple[str, ...] = ("Uppsiktsrapport till kommunstyrelsen", "Kommunstyrelsen")
PAGE_NUMBER_RE = re.compile(r"(?:Sida|Page) \d+ (?:av|of) \d+")
# The activity table's header, repeated at the top of every page; the PDF extraction sometimes
# glues it to the line that follows it. The renderer's own in every language (the seed's
# Swedish one is the same), and the English one it printed before.
TABLE_HEADERS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            *(
                " ".join(
                    i18n.t(language, key) for key in ("col_activities", "col_start", "col_end")
                )
                for language in i18n.LANGUAGES
            ),
            "Verksamhetens aktiviteter Startdatum Slutdatum",
            "Activities Start date End date",
        ]
    )
)

# Uppsikt's own report printed the text an import kept as a note under this heading, until the
# notes left the committee's document (the JSON has them under `admin`); a PDF of then still
# does. What follows it in the section is a note again, never an activity's comment. The value
# says whether the note belongs to the section's goal.
UNPLACED_HEADINGS: dict[str, bool] = {
    "Text som inte kunde knytas till en aktivitet": True,
    "Text that could not be linked to an activity": True,
    "Text som inte kunde knytas till ett mål": False,
    "Text that could not be linked to a goal": False,
}

# The last chapter: goal areas, then the council's goals for sound finances.
AREA_RE = re.compile(r"^(?:Mål inom målområde|Goals in goal area|Goal area)\s+(\S.*)$")
FINANCE_HEADINGS: tuple[str, ...] = (
    "Verksamhetsmål för god ekonomisk hushållning",
    "Council goals for sound finances",
)

# Uppsikt's own report opens with a summary (bot/reporting/summary.py) that repeats, in short,
# what chapter 1 prints in full: the comments of deviations and on-hold activities, the titles
# of missing reports, a changes table. From its heading to chapter 1's heading it is the
# report's own furniture, left out of parsing and of the doubt checks (a comment printed twice
# there is no page pasted twice). The headings are the renderer's own, in every language.
SUMMARY_HEADINGS: tuple[str, ...] = tuple(
    i18n.t(language, "summary_title") for language in i18n.LANGUAGES
)
CHAPTER1_TITLES: tuple[str, ...] = tuple(
    i18n.t(language, "chapter1_title") for language in i18n.LANGUAGES
)

SECTION_RE = re.compile(r"^(\d{1,2})\.(\d{1,3})\s+(\S.*)$")
CHAPTER_RE = re.compile(r"^(\d{1,2})\s+(\S.*)$")
_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
DATES_RE = re.compile(rf"^({_DATE})\s+({_DATE})$")
TRAILING_DATES_RE = re.compile(rf"^(.*?\S)\s+({_DATE})\s+({_DATE})$")
BULLETS = "•●▪◦"


@dataclass
class Line:
    """One classified line of the source text."""

    no: int  # 1-based line number in the source text
    # blank | furniture | header | text | bullet | status | dates | unplaced | summary
    kind: str
    text: str  # stripped content (bullet: the unit name, status: the machine value)
    indent: int = 0
    raw: str = ""  # stripped source text, for messages and for text reuse of a status/dates line


def classify(no: int, raw_line: str) -> list[Line]:
    """Classify one source line; a table header glued to text yields two lines."""
    stripped = raw_line.strip()
    if not stripped:
        return [Line(no, "blank", "")]
    if stripped in PAGE_FURNITURE or PAGE_NUMBER_RE.fullmatch(stripped):
        return [Line(no, "furniture", stripped, raw=stripped)]
    if stripped in UNPLACED_HEADINGS:
        return [Line(no, "unplaced", "goal" if UNPLACED_HEADINGS[stripped] else "", raw=stripped)]
    for header in TABLE_HEADERS:
        pos = raw_line.find(header)
        if pos >= 0:
            # Keep text glued to either side of the header as lines of their own.
            before, after = raw_line[:pos], raw_line[pos + len(header) :]
            out = classify(no, before) if before.strip() else []
            out.append(Line(no, "header", header, raw=header))
            if after.strip():
                out.extend(classify(no, after))
            return out
    indent = len(raw_line) - len(raw_line.lstrip())
    if stripped[0] in BULLETS:
        return [Line(no, "bullet", stripped[1:].strip(), indent, stripped)]
    status = _STATUS_BY_KEY.get(stripped.rstrip(".").casefold())
    if status is not None:
        return [Line(no, "status", status, indent, stripped)]
    if DATES_RE.match(stripped):
        return [Line(no, "dates", stripped, indent, stripped)]
    return [Line(no, "text", stripped, indent, stripped)]


def classify_text(text: str) -> list[Line]:
    """Every line of a report's text, classified."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    for no, raw in enumerate(text.split("\n"), start=1):
        lines.extend(classify(no, raw.rstrip()))
    mark_summary(lines)
    return lines


def mark_summary(lines: list[Line]) -> None:
    """Mark the lines of Uppsikt's own summary (kind "summary"), when the report has one.

    The summary runs from its heading to chapter 1's heading ("1 Redovisning av arbete för de
    politiska målen"), both alone on their line, and holds no activity table: it comes before
    the first one. Anything else (no chapter heading after it, a table inside) is not the
    summary, and nothing is marked: its text is then read, and doubted, as any other text.
    """
    first_table = next((i for i, ln in enumerate(lines) if ln.kind == "header"), len(lines))
    start = next(
        (
            i
            for i in range(first_table)
            if lines[i].kind == "text" and lines[i].text in SUMMARY_HEADINGS
        ),
        None,
    )
    if start is None:
        return
    end = next((i for i in range(start + 1, first_table) if _is_chapter1(lines[i])), None)
    if end is None:
        return
    for line in lines[start:end]:
        if line.kind not in ("blank", "furniture"):
            line.kind = "summary"


def _is_chapter1(line: Line) -> bool:
    match = CHAPTER_RE.match(line.text) if line.kind == "text" else None
    return match is not None and match[1] == "1" and match[2] in CHAPTER1_TITLES


@dataclass
class Item:
    """A line inside a goal section, with page furniture collapsed into 'break' items."""

    kind: str  # blank | break | text | bullet | status | dates | unplaced
    no: int
    text: str = ""
    indent: int = 0
    raw: str = ""


def items_of(lines: list[Line]) -> list[Item]:
    """Collapse runs of furniture (and the blank lines around it) into one page-break item."""
    items: list[Item] = []
    for line in lines:
        if line.kind in ("furniture", "header"):
            # Blank lines just before the furniture belong to the break.
            while items and items[-1].kind == "blank":
                items.pop()
            if items and items[-1].kind == "break":
                continue
            items.append(Item("break", line.no))
        elif line.kind == "blank":
            if items and items[-1].kind in ("blank", "break"):
                continue
            items.append(Item("blank", line.no))
        else:
            items.append(Item(line.kind, line.no, line.text, line.indent, line.raw))
    return items


def is_gap(item: Item) -> bool:
    """A blank line or a page break."""
    return item.kind in ("blank", "break")
