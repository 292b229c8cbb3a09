"""Parse a published uppsiktsrapport in its text form (the text extracted from its PDF).

The parser is pure: it takes the report's text and returns goals, activities, text it could not
place and warnings. It never touches a database and never drops text silently.

What the text looks like (see shared/DOMAIN.md): chapter 1 has one numbered section per goal
("1.9 Andelen ..."), each with an activity table; every activity is printed as its title, the
responsible units as an indented bullet tree, a start and end date, the purpose, the status and
the comment. The last chapter lists every goal of the year by goal area. Page furniture (headers,
footers, the repeated table header) is scattered through the text and cuts paragraphs, titles
and sentences.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# --- public result types -------------------------------------------------------------------


@dataclass
class ParsedGoal:
    """A goal of the year, from the last chapter, numbered by its chapter-1 heading."""

    number: str | None
    text: str
    area: str | None
    is_council_finance_goal: bool


@dataclass
class ParsedActivity:
    """One printed activity with its status and comment for the period."""

    goal_number: str
    title: str
    units: list[list[str]]
    start: date | None
    end: date | None
    purpose: str
    status: str | None
    comment: str
    line: int


@dataclass
class UnplacedText:
    """Text the parser kept but could not attach to an activity."""

    goal_number: str | None
    text: str
    line: int
    reason: str


@dataclass
class ParsedReport:
    """Everything read from one report, with what could not be understood."""

    goal_areas: list[str] = field(default_factory=list)
    goals: list[ParsedGoal] = field(default_factory=list)
    activities: list[ParsedActivity] = field(default_factory=list)
    unplaced: list[UnplacedText] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- vocabulary of the printed report --------------------------------------------------------

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
_STATUS_BY_KEY: dict[str, str] = {label.casefold(): value for label, value in STATUS_LABELS.items()}

# Page headers and footers, matched against the whole stripped line.
PAGE_FURNITURE: tuple[str, ...] = ("Uppsiktsrapport till kommunstyrelsen", "Kommunstyrelsen")
_PAGE_NUMBER_RE = re.compile(r"(?:Sida|Page) \d+ (?:av|of) \d+")
# The activity table's header, repeated at the top of every page; the PDF extraction sometimes
# glues it to the line that follows it.
TABLE_HEADERS: tuple[str, ...] = (
    "Verksamhetens aktiviteter Startdatum Slutdatum",
    "Activities Start date End date",
)

# The last chapter: goal areas, then the council's goals for sound finances.
_AREA_RE = re.compile(r"^(?:Mål inom målområde|Goals in goal area|Goal area)\s+(\S.*)$")
FINANCE_HEADINGS: tuple[str, ...] = (
    "Verksamhetsmål för god ekonomisk hushållning",
    "Council goals for sound finances",
)

_SECTION_RE = re.compile(r"^(\d{1,2})\.(\d{1,3})\s+(\S.*)$")
_CHAPTER_RE = re.compile(r"^(\d{1,2})\s+(\S.*)$")
_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_DATES_RE = re.compile(rf"^({_DATE})\s+({_DATE})$")
_TRAILING_DATES_RE = re.compile(rf"^(.*?\S)\s+({_DATE})\s+({_DATE})$")
_BULLETS = "•●▪◦"
# A paragraph whose last line ends like this ends a sentence (closing quotes/brackets allowed).
_SENTENCE_END_RE = re.compile(r"[.!?:;…][\"'”’»)\]]*$")

# Line wrapping inside purpose and comment paragraphs. On the seed's pages a line filled to the
# width is 95-120 characters long, while intentional line breaks are short (11-65 characters,
# plus one 84-character question). A line this long or longer was wrapped by the PDF:
WRAP_MIN_CHARS = 90
# ... and so was a line at least this long that does not end a sentence (the seed has wrapped
# lines of 86-89 characters before a long word; its one 84-character intentional line ends "?").
WRAP_SOFT_MIN_CHARS = 75

# Duplicate-text detection for comments whose activity header was lost at a page break:
# sentences shorter than this (in words) are too generic to count as a repetition.
MIN_ECHO_WORDS = 5
# Words shorter than this do not count when comparing a paragraph with an activity's own text.
_MIN_AFFINITY_WORD = 4

# How far back from the goal list a chapter heading ("2 Kommunstyrelsens mål") may sit.
_CHAPTER_LOOKBACK_LINES = 40
# How many wrapped lines a goal heading may have before its activity table starts.
_HEADING_MAX_CONTINUATION = 2


# --- lines and items ------------------------------------------------------------------------


@dataclass
class _Line:
    no: int  # 1-based line number in the source text
    kind: str  # blank | furniture | header | text | bullet | status | dates
    text: str  # stripped content (bullet: the unit name, status: the machine value)
    indent: int = 0
    raw: str = ""  # stripped source text, for messages and for text reuse of a status/dates line


def _classify(no: int, raw_line: str) -> list[_Line]:
    """Classify one source line; a table header glued to text yields two lines."""
    stripped = raw_line.strip()
    if not stripped:
        return [_Line(no, "blank", "")]
    if stripped in PAGE_FURNITURE or _PAGE_NUMBER_RE.fullmatch(stripped):
        return [_Line(no, "furniture", stripped, raw=stripped)]
    for header in TABLE_HEADERS:
        pos = raw_line.find(header)
        if pos >= 0:
            # Keep text glued to either side of the header as lines of their own.
            before, after = raw_line[:pos], raw_line[pos + len(header) :]
            out = _classify(no, before) if before.strip() else []
            out.append(_Line(no, "header", header, raw=header))
            if after.strip():
                out.extend(_classify(no, after))
            return out
    indent = len(raw_line) - len(raw_line.lstrip())
    if stripped[0] in _BULLETS:
        return [_Line(no, "bullet", stripped[1:].strip(), indent, stripped)]
    status = _STATUS_BY_KEY.get(stripped.rstrip(".").casefold())
    if status:
        return [_Line(no, "status", status, indent, stripped)]
    if _DATES_RE.match(stripped):
        return [_Line(no, "dates", stripped, indent, stripped)]
    return [_Line(no, "text", stripped, indent, stripped)]


@dataclass
class _Item:
    """A line inside a goal section, with page furniture collapsed into 'break' items."""

    kind: str  # blank | break | text | bullet | status | dates
    no: int
    text: str = ""
    indent: int = 0
    raw: str = ""


def _items(lines: list[_Line]) -> list[_Item]:
    """Collapse runs of furniture (and the blank lines around it) into one page-break item."""
    items: list[_Item] = []
    for line in lines:
        if line.kind in ("furniture", "header"):
            # Blank lines just before the furniture belong to the break.
            while items and items[-1].kind == "blank":
                items.pop()
            if items and items[-1].kind == "break":
                continue
            items.append(_Item("break", line.no))
        elif line.kind == "blank":
            if items and items[-1].kind in ("blank", "break"):
                continue
            items.append(_Item("blank", line.no))
        else:
            items.append(_Item(line.kind, line.no, line.text, line.indent, line.raw))
    return items


def _is_gap(item: _Item) -> bool:
    return item.kind in ("blank", "break")


# --- paragraphs -----------------------------------------------------------------------------


@dataclass
class _Para:
    lines: list[tuple[int, str]]  # (line number, text)
    break_before: bool = False  # a page break separates it from the paragraph before
    has_break: bool = False  # it was rejoined across a page break

    @property
    def line(self) -> int:
        return self.lines[0][0]

    @property
    def text(self) -> str:
        return _join_wrapped([t for _, t in self.lines])


def _is_wrapped(line: str) -> bool:
    """Whether a line was filled to the page width, so that the PDF wrapped it."""
    if len(line) >= WRAP_MIN_CHARS:
        return True
    return len(line) >= WRAP_SOFT_MIN_CHARS and not _SENTENCE_END_RE.search(line)


def _join_wrapped(lines: list[str]) -> str:
    """Join the lines of one paragraph: wrapped lines with a space, short ones keep their break."""
    out = ""
    for i, line in enumerate(lines):
        if i == 0:
            out = line
        elif _is_wrapped(lines[i - 1]) and line[0] not in _BULLETS:
            out += " " + line
        else:
            out += "\n" + line
    return out


def _ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END_RE.search(text))


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].islower()


def _strip_dates(text: str) -> str:
    """A title line without the start and end date printed at its end."""
    trailing = _TRAILING_DATES_RE.match(text)
    return trailing[1] if trailing else text


def _item_text(item: _Item) -> str:
    """The printed text of an item that ends up in a purpose or comment."""
    if item.kind == "bullet":
        return "• " + item.text
    return item.raw or item.text


def _paragraphs(items: list[_Item]) -> list[_Para]:
    """Group items into paragraphs; a page break inside a sentence does not end a paragraph."""
    paras: list[_Para] = []
    current: _Para | None = None
    pending_break = False  # a page break in the gap since the last text line
    for item in items:
        if _is_gap(item):
            if current is not None:
                paras.append(current)
                current = None
            pending_break = pending_break or item.kind == "break"
            continue
        text = _item_text(item)
        if current is None:
            # A page break cut the paragraph before if that part does not end a sentence or
            # this part starts in lower case: rejoin the two parts.
            if (
                pending_break
                and paras
                and (not _ends_sentence(paras[-1].lines[-1][1]) or _starts_lower(text))
            ):
                current = paras.pop()
                current.has_break = True
            else:
                current = _Para([], break_before=pending_break)
            pending_break = False
        current.lines.append((item.no, text))
    if current is not None:
        paras.append(current)
    return paras


def _join_paras(paras: list[_Para]) -> str:
    return "\n\n".join(p.text for p in paras)


# --- small helpers --------------------------------------------------------------------------


def _normalise_goal(text: str) -> str:
    """Goal text for matching headings with the goal list: whitespace collapsed, no final period."""
    return " ".join(text.split()).rstrip(".").rstrip().casefold()


def _sentences(text: str) -> set[str]:
    """Normalised sentences of at least MIN_ECHO_WORDS words (shorter ones are too generic)."""
    out: set[str] = set()
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        words = re.findall(r"\w+", sentence.casefold())
        if len(words) >= MIN_ECHO_WORDS:
            out.add(" ".join(words))
    return out


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if len(w) >= _MIN_AFFINITY_WORD}


def _short(text: str, limit: int = 60) -> str:
    """A one-line excerpt of a text for a warning."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


# --- the parser -----------------------------------------------------------------------------


@dataclass
class _Heading:
    idx: int  # index in _Parser.lines
    major: int
    minor: int
    text: str
    has_table: bool
    continuation: list[int]  # indices of the heading's wrapped lines
    body_start: int  # index of the first line after the heading (and its table header)

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}"


@dataclass
class _Section:
    number: str
    text: str  # heading text with its wrapped lines joined
    line: int
    lines: list[_Line]


@dataclass
class _Draft:
    """An activity being built, with its comment still as paragraphs."""

    goal_number: str
    title: str
    units: list[list[str]]
    start: date | None
    end: date | None
    purpose: str
    status: str | None
    comment_paras: list[_Para]
    line: int


@dataclass
class _Title:
    parts: list[list[int]]  # item indices of each title block, in order
    dates_idx: int | None  # a separate date line belonging to the title
    start_idx: int  # first item of the activity


class _Parser:
    def __init__(self, text: str) -> None:
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.lines: list[_Line] = []
        for no, raw in enumerate(text.split("\n"), start=1):
            self.lines.extend(_classify(no, raw.rstrip()))
        self.warnings: list[str] = []
        self.unplaced: list[UnplacedText] = []
        self.activities: list[ParsedActivity] = []

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(f"line {line}: {message}" if line else message)

    # -- top level --

    def parse(self) -> ParsedReport:
        goal_end, list_start = self._find_goal_list()
        sections = self._find_sections(goal_end)
        for section in sections:
            self._parse_section(section)
        if list_start is not None:
            goals, areas = self._parse_goal_list(list_start)
        else:
            goals, areas = [], []
        goals = self._number_goals(goals, sections, have_list=list_start is not None)
        return ParsedReport(
            goal_areas=areas,
            goals=goals,
            activities=self.activities,
            unplaced=self.unplaced,
            warnings=self.warnings,
        )

    # -- document structure --

    def _find_goal_list(self) -> tuple[int, int | None]:
        """Return (end of the goal sections, start of the goal list) as line indices."""
        lines = self.lines
        last_table = max((i for i, ln in enumerate(lines) if ln.kind == "header"), default=-1)
        # The goal list has no activity table, so it starts after the last table header.
        first = next(
            (
                i
                for i in range(last_table + 1, len(lines))
                if lines[i].kind == "text"
                and (_AREA_RE.match(lines[i].text) or lines[i].text in FINANCE_HEADINGS)
            ),
            None,
        )
        if first is None:
            self.warn(
                None,
                "no goal list found (no line 'Mål inom målområde ...' or "
                f"'{FINANCE_HEADINGS[0]}' after the last activity table); "
                "goals are taken from the goal headings, without goal areas",
            )
            return len(lines), None
        chapter = first
        for i in range(first - 1, max(last_table, first - _CHAPTER_LOOKBACK_LINES), -1):
            if lines[i].kind == "text" and _CHAPTER_RE.match(lines[i].text):
                chapter = i  # e.g. "2 Kommunstyrelsens mål"
                break
        return chapter, first

    def _heading_lookahead(self, idx: int, end: int) -> tuple[bool, list[int], int]:
        """Whether an activity table follows a heading, the heading's wrapped lines, body start."""
        continuation: list[int] = []
        j = idx + 1
        while j < end:
            line = self.lines[j]
            if line.kind in ("blank", "furniture"):
                j += 1
            elif line.kind == "header":
                return True, continuation, j + 1
            elif line.kind == "text" and len(continuation) < _HEADING_MAX_CONTINUATION:
                continuation.append(j)
                j += 1
            else:
                break
        return False, [], idx + 1

    def _find_sections(self, goal_end: int) -> list[_Section]:
        """Find the numbered sections of the goal chapter ("1.9 ...")."""
        candidates: list[_Heading] = []
        for i in range(goal_end):
            line = self.lines[i]
            match = _SECTION_RE.match(line.text) if line.kind == "text" else None
            if match:
                has_table, cont, body = self._heading_lookahead(i, goal_end)
                candidates.append(
                    _Heading(i, int(match[1]), int(match[2]), match[3], has_table, cont, body)
                )
        majors = Counter(c.major for c in candidates if c.has_table)
        if not majors:
            majors = Counter(c.major for c in candidates)
        if not majors:
            self._report_ignored(0, goal_end, no_sections=True)
            return []
        major = majors.most_common(1)[0][0]

        # Headings followed by the activity table are the backbone; their numbers must rise.
        backbone: list[_Heading] = []
        for cand in candidates:
            if not cand.has_table or cand.major != major:
                continue
            if backbone and cand.minor <= backbone[-1].minor:
                self.warn(
                    self.lines[cand.idx].no,
                    f"heading {cand.number} follows {backbone[-1].number}: out of order, "
                    "read as ordinary text",
                )
                continue
            backbone.append(cand)
        # Sections without a table (1.21 Rapportering ..., 1.22 Avgränsning) are accepted only
        # where their number fits the sequence, so that a comment line such as "1.5 miljoner
        # ..." is not taken for a heading.
        accepted: list[_Heading] = []
        previous = 0
        backbone_ids = {id(c) for c in backbone}
        for cand in candidates:
            if id(cand) in backbone_ids:
                accepted.append(cand)
                previous = cand.minor
                continue
            if cand.has_table or cand.major != major or cand.minor != previous + 1:
                continue
            following = next((b for b in backbone if b.idx > cand.idx), None)
            if following is None or following.minor > cand.minor:
                accepted.append(cand)
                previous = cand.minor

        if not accepted:
            self._report_ignored(0, goal_end, no_sections=True)
            return []
        self._report_ignored(0, accepted[0].idx, no_sections=False)
        sections: list[_Section] = []
        for k, head in enumerate(accepted):
            end = accepted[k + 1].idx if k + 1 < len(accepted) else goal_end
            body = self.lines[head.body_start : end]
            is_goal = head.has_table or any(ln.kind == "status" for ln in body)
            if not is_goal:
                # Prose sections (reporting, scope) are not goals.
                continue
            text = " ".join([head.text, *(self.lines[j].text for j in head.continuation)])
            sections.append(_Section(head.number, text, self.lines[head.idx].no, body))
        if not sections:
            self._report_ignored(0, goal_end, no_sections=True)
        return sections

    def _report_ignored(self, start: int, end: int, *, no_sections: bool) -> None:
        """Warn about text skipped as prose when it looks like activities or is all there is."""
        region = self.lines[start:end]
        if no_sections:
            message = "no numbered goal sections ('1.1 ...' followed by the activity table) found"
            texts = [ln for ln in region if ln.kind not in ("blank", "furniture", "header")]
            if texts:
                self.warn(texts[0].no, f"{message}; {len(texts)} line(s) of text were not read")
            else:
                self.warn(None, message)
            return
        statuses = [ln for ln in region if ln.kind == "status"]
        if statuses:
            self.warn(
                statuses[0].no,
                f"{len(statuses)} status line(s) before the first goal section were not read: "
                "they are outside any numbered goal section",
            )

    # -- one goal section --

    def _bullet_runs(self, items: list[_Item]) -> list[tuple[int, int]]:
        """Runs of unit-tree lines as (start, end) item indices."""
        runs: list[tuple[int, int]] = []
        n = len(items)
        i = 0
        while i < n:
            if items[i].kind != "bullet":
                i += 1
                continue
            j = i + 1
            while j < n:
                if items[j].kind == "bullet":
                    j += 1
                elif (
                    items[j].kind == "text"
                    and items[j].indent >= 2
                    and items[j - 1].kind == "bullet"
                ):
                    j += 1  # an indented, wrapped unit name
                elif items[j].kind == "break" and j + 1 < n and items[j + 1].kind == "bullet":
                    j += 1  # a tree cut by a page break
                else:
                    break
            runs.append((i, j))
            i = j
        return runs

    def _find_title(self, items: list[_Item], run_start: int, lower: int) -> _Title:
        """Walk back from a unit tree to its title, across a page break if the title was cut."""

        def skip_gaps(k: int) -> tuple[int, bool]:
            saw_break = False
            while k >= lower and _is_gap(items[k]):
                saw_break = saw_break or items[k].kind == "break"
                k -= 1
            return k, saw_break

        def block_before(k: int) -> list[int]:
            block: list[int] = []
            while k >= lower and items[k].kind == "text":
                # A title wraps mid-sentence, so an earlier line that ends a sentence is the
                # end of the comment before (text from pypdf has no blank lines between them).
                if block and _ends_sentence(_strip_dates(items[k].text)):
                    break
                block.insert(0, k)
                k -= 1
            return block

        k, _ = skip_gaps(run_start - 1)
        dates_idx: int | None = None
        if k >= lower and items[k].kind == "dates":
            dates_idx = k  # the dates sit between title and tree (title at a page bottom)
            k, _ = skip_gaps(k - 1)
        block = block_before(k)
        if not block:
            return _Title([], dates_idx, dates_idx if dates_idx is not None else run_start)
        parts = [block]
        while True:
            k, saw_break = skip_gaps(block[0] - 1)
            if not saw_break:
                break
            part_dates: int | None = None
            if k >= lower and items[k].kind == "dates" and dates_idx is None:
                part_dates = k
                k, _ = skip_gaps(k - 1)
            previous = block_before(k)
            if not previous:
                break
            last = items[previous[-1]].text
            trailing = _TRAILING_DATES_RE.match(last)
            last_text = trailing[1] if trailing else last
            # The block before the page break is the title's first part if the dates were
            # printed on it (or right after it), or if the title's sentence runs on.
            cut = part_dates is not None or trailing is not None
            cut = cut or (_starts_lower(items[block[0]].text) and not _ends_sentence(last_text))
            if not cut:
                break
            if part_dates is not None:
                dates_idx = part_dates
            parts.insert(0, previous)
            block = previous
        return _Title(parts, dates_idx, parts[0][0])

    def _parse_section(self, section: _Section) -> None:
        items = _items(section.lines)
        number = section.number
        runs = self._bullet_runs(items)
        trees: list[tuple[tuple[int, int], _Title]] = []
        lower = 0
        for r, (start, end) in enumerate(runs):
            title = self._find_title(items, start, lower)
            next_run = runs[r + 1][0] if r + 1 < len(runs) else len(items)
            k = end
            while k < len(items) and _is_gap(items[k]):
                k += 1
            title_dates = title.dates_idx is not None or any(
                _TRAILING_DATES_RE.match(items[i].text) for part in title.parts for i in part
            )
            dates_after = k < len(items) and items[k].kind == "dates"
            status_after = any(items[i].kind == "status" for i in range(end, next_run))
            # A bullet list inside a comment has no dates and no status of its own.
            if title_dates or dates_after or status_after:
                trees.append(((start, end), title))
                lower = end

        if not trees:
            leftover = [it for it in items if not _is_gap(it)]
            if leftover:
                self._unplace(
                    number, _paragraphs(items), "a goal section without any activity table rows"
                )
            else:
                self.warn(section.line, f"goal section {number} has no activities")
            return

        first_start = trees[0][1].start_idx
        if any(not _is_gap(it) for it in items[:first_start]):
            self._unplace(
                number,
                _paragraphs(items[:first_start]),
                "text in the goal section before its first activity",
            )

        drafts: list[_Draft] = []
        for t, ((run_start, run_end), title) in enumerate(trees):
            span_end = trees[t + 1][1].start_idx if t + 1 < len(trees) else len(items)
            drafts.append(self._parse_activity(number, items, run_start, run_end, title, span_end))
        self._split_echoes(number, drafts)
        for draft in drafts:
            self.activities.append(
                ParsedActivity(
                    goal_number=draft.goal_number,
                    title=draft.title,
                    units=draft.units,
                    start=draft.start,
                    end=draft.end,
                    purpose=draft.purpose,
                    status=draft.status,
                    comment=_join_paras(draft.comment_paras),
                    line=draft.line,
                )
            )

    def _parse_activity(
        self,
        number: str,
        items: list[_Item],
        run_start: int,
        run_end: int,
        title: _Title,
        span_end: int,
    ) -> _Draft:
        line_no = items[title.start_idx].no
        # Title: its blocks joined into one line; dates printed on a title line are taken off.
        dates: tuple[str, str, int] | None = None
        if title.dates_idx is not None:
            found = _DATES_RE.match(items[title.dates_idx].text)
            assert found is not None
            dates = (found[1], found[2], items[title.dates_idx].no)
        words: list[str] = []
        for part in title.parts:
            for i in part:
                text = items[i].text
                trailing = _TRAILING_DATES_RE.match(text)
                if trailing:
                    text = trailing[1]
                    if dates is None:
                        dates = (trailing[2], trailing[3], items[i].no)
                    else:
                        self.warn(
                            items[i].no,
                            f"second pair of dates on a title line ignored: "
                            f"{trailing[2]} {trailing[3]}",
                        )
                words.append(text)
        title_text = " ".join(words)
        if not title_text:
            self.warn(line_no, f"activity in goal {number} without a title")

        units = self._units(items[run_start:run_end])
        bullets = [it for it in items[run_start:run_end] if it.kind == "bullet"]
        if len(bullets) > 1 and len({it.indent for it in bullets}) == 1:
            # Without indentation the tree cannot be told from a list of separate units.
            self.warn(
                bullets[0].no,
                f'the units of "{_short(title_text)}" are not indented; each is read as a unit '
                "of its own",
            )

        # After the tree: dates (unless they came with the title), purpose, status, comment.
        k = run_end
        while k < span_end and _is_gap(items[k]):
            k += 1
        if k < span_end and items[k].kind == "dates":
            if dates is None:
                found = _DATES_RE.match(items[k].text)
                assert found is not None
                dates = (found[1], found[2], items[k].no)
            else:
                self.warn(
                    items[k].no,
                    f'second date line of activity "{_short(title_text)}" ignored: {items[k].text}',
                )
            k += 1
        statuses = [i for i in range(k, span_end) if items[i].kind == "status"]
        status: str | None = None
        if not statuses:
            self.warn(line_no, f'activity "{_short(title_text)}" has no status line')
            purpose_items, comment_items = items[k:span_end], []
        else:
            first = statuses[0]
            status = items[first].text
            purpose_items = items[k:first]
            comment_end = statuses[1] if len(statuses) > 1 else span_end
            comment_items = items[first + 1 : comment_end]
            if len(statuses) > 1:
                extra = _paragraphs(items[statuses[1] : span_end])
                self._unplace(
                    number,
                    extra,
                    f"a status line with no activity header before it, after activity "
                    f'"{_short(title_text)}"; its header was probably lost at a page break',
                )

        start = end = None
        if dates is None:
            self.warn(line_no, f'activity "{_short(title_text)}" has no start and end date')
        else:
            start = self._date(dates[0], dates[2])
            end = self._date(dates[1], dates[2])
            if start and end and start > end:
                self.warn(dates[2], f'activity "{_short(title_text)}" ends before it starts')
        return _Draft(
            goal_number=number,
            title=title_text,
            units=units,
            start=start,
            end=end,
            purpose=_join_paras(_paragraphs(purpose_items)),
            status=status,
            comment_paras=_paragraphs(comment_items),
            line=line_no,
        )

    def _units(self, run: list[_Item]) -> list[list[str]]:
        """The leaves of a printed unit tree, each as its path from the root."""
        names: list[tuple[int, str]] = []  # (indent, name)
        for item in run:
            if item.kind == "bullet":
                names.append((item.indent, item.text))
            elif item.kind == "text" and names:
                indent, name = names[-1]
                names[-1] = (indent, f"{name} {item.text}")
        paths: list[list[str]] = []
        stack: list[tuple[int, str]] = []
        for indent, name in names:
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, name))
            paths.append([n for _, n in stack])
        leaves: list[list[str]] = []
        for i, path in enumerate(paths):
            # In a printed tree a node's children follow it directly.
            nxt = paths[i + 1] if i + 1 < len(paths) else None
            is_parent = nxt is not None and len(nxt) > len(path) and nxt[: len(path)] == path
            if not is_parent and path not in leaves:
                leaves.append(path)
        return leaves

    def _date(self, text: str, line: int) -> date | None:
        year, month, day = (int(p) for p in text.split("-"))
        try:
            return date(year, month, day)
        except ValueError:
            self.warn(line, f"{text} is not a valid date")
            return None

    def _unplace(self, number: str | None, paras: list[_Para], reason: str) -> None:
        if not paras:
            return
        text = _join_paras(paras)
        self.unplaced.append(UnplacedText(number, text, paras[0].line, reason))
        self.warn(paras[0].line, f'unplaced text in goal {number} ({reason}): "{_short(text)}"')

    # -- comments whose activity header was lost --

    def _split_echoes(self, number: str, drafts: list[_Draft]) -> None:
        """Split off trailing comment paragraphs that repeat another activity's comment.

        When a page break swallows an activity's header, its comment runs on at the end of the
        comment before it. Such a tail is recognised by three things together: it is not the
        comment's first paragraph, a page break sits just before or inside it, and each of its
        paragraphs repeats a sentence (of MIN_ECHO_WORDS words or more) of another activity's
        comment in the same goal section, as reports on related activities do. Repeated
        sentences alone are normal (units copy each other's wording) and are left alone.
        """
        sentences = [[_sentences(p.text) for p in d.comment_paras] for d in drafts]
        every = [set().union(*s) if s else set() for s in sentences]
        runs: dict[int, int] = {}  # draft index -> first paragraph of its stray tail
        partners: dict[int, set[int]] = {}
        for a, draft in enumerate(drafts):
            k = len(draft.comment_paras)
            found: set[int] = set()
            while k - 1 >= 1:
                echo = {b for b in range(len(drafts)) if b != a and sentences[a][k - 1] & every[b]}
                if not echo:
                    break
                found |= echo
                k -= 1
            tail = draft.comment_paras[k:]
            if tail and any(p.break_before or p.has_break for p in tail):
                runs[a] = k
                partners[a] = found

        def tail_sentences(a: int) -> set[str]:
            return set().union(*sentences[a][runs[a] :])

        def affinity(a: int) -> float:
            """Share of the tail's words found in the activity's own title, purpose, comment."""
            draft = drafts[a]
            tail = _content_words(" ".join(p.text for p in draft.comment_paras[runs[a] :]))
            own = " ".join(
                [draft.title, draft.purpose, *(p.text for p in draft.comment_paras[: runs[a]])]
            )
            return len(tail & _content_words(own)) / max(1, len(tail))

        undecided: set[frozenset[int]] = set()
        split: list[int] = []
        for a in sorted(runs):
            orphan = True
            for b in partners[a]:
                if b not in runs or not (tail_sentences(a) & tail_sentences(b)):
                    continue  # b's copy belongs to b: a's tail is the stray one
                # Both tails qualify and repeat each other: the stray one is the one less
                # related to its own activity's title, purpose and comment.
                if affinity(a) == affinity(b):
                    undecided.add(frozenset((a, b)))
                    orphan = False
                else:
                    orphan = orphan and affinity(a) < affinity(b)
            if orphan:
                split.append(a)
        for pair in sorted(undecided, key=sorted):
            a, b = sorted(pair)
            self.warn(
                drafts[a].comment_paras[runs[a]].line,
                f'the comments of "{_short(drafts[a].title)}" and "{_short(drafts[b].title)}" '
                f"(goal {number}) end with the same text next to a page break; left in place, "
                "check by hand",
            )
        for a in split:
            draft = drafts[a]
            tail = draft.comment_paras[runs[a] :]
            draft.comment_paras = draft.comment_paras[: runs[a]]
            others = ", ".join(f'"{_short(drafts[b].title)}"' for b in sorted(partners[a]))
            self._unplace(
                number,
                tail,
                f"repeats the comment of another activity ({others}) after the comment of "
                f'"{_short(draft.title)}"; its activity header was probably lost at a page break',
            )

    # -- the goal list (last chapter) --

    def _parse_goal_list(self, start: int) -> tuple[list[ParsedGoal], list[str]]:
        goals: list[ParsedGoal] = []
        areas: list[str] = []
        area: str | None = None
        finance = False
        parts: list[str] | None = None

        def flush() -> None:
            nonlocal parts
            if parts:
                goals.append(ParsedGoal(None, " ".join(parts), area, finance))
            parts = None

        for line in self.lines[start:]:
            if line.kind in ("blank", "furniture", "header"):
                continue
            text = line.raw or line.text
            area_match = _AREA_RE.match(text)
            if area_match:
                flush()
                area, finance = area_match[1].strip(), False
                if area in areas:
                    self.warn(line.no, f'goal area "{area}" is listed twice')
                else:
                    areas.append(area)
            elif text in FINANCE_HEADINGS:
                flush()
                area, finance = None, True
            elif line.kind == "bullet":
                flush()
                parts = [line.text]
            elif parts is not None:
                parts.append(text)  # a goal's text wrapped onto the next line
            else:
                self.warn(line.no, f'text in the goal list that is not a goal: "{_short(text)}"')
        flush()
        seen: set[str] = set()
        for goal in goals:
            key = _normalise_goal(goal.text)
            if key in seen:
                self.warn(None, f'goal "{_short(goal.text)}" is listed twice in the goal list')
            seen.add(key)
        return goals, areas

    def _number_goals(
        self, goals: list[ParsedGoal], sections: list[_Section], *, have_list: bool
    ) -> list[ParsedGoal]:
        """Give each listed goal the number of its heading; keep headings missing from the list."""
        by_text = {_normalise_goal(g.text): g for g in goals}
        for section in sections:
            goal = by_text.get(_normalise_goal(section.text))
            if goal is not None and goal.number is None:
                goal.number = section.number
                continue
            if have_list:
                self.warn(
                    section.line,
                    f'goal heading {section.number} "{_short(section.text)}" is not in the '
                    "goal list of the last chapter; kept as a goal without goal area",
                )
            goals.append(ParsedGoal(section.number, section.text, None, False))
        return goals


# --- public API -----------------------------------------------------------------------------


def parse_report_text(text: str) -> ParsedReport:
    """Parse the text of a published uppsiktsrapport into goals, activities and warnings."""
    return _Parser(text).parse()


def read_report_file(path: str | os.PathLike[str]) -> str:
    """Read a report as text: a .txt file (UTF-8) as is, a .pdf file through pypdf."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return path.read_text(encoding="utf-8")
    if suffix == ".pdf":
        # Imported here so that parsing text does not need pypdf.
        from pypdf import PdfReader

        reader = PdfReader(path)
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    raise ValueError(
        f"cannot read {path.name}: unsupported file type {suffix or '(no extension)'}; "
        "give the report as .txt (UTF-8 text) or .pdf"
    )
