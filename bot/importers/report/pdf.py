"""The text of a report's PDF, in the shape the parser reads.

pdfplumber (pdfminer.six) keeps the reading order of WeasyPrint's table cells, which pypdf does
not (Uppsikt's own PDF read as 0 of 79 activities through pypdf); pypdf is the fallback when
pdfplumber cannot open a file. With pdfplumber the page geometry is used too, so that the text
comes out as logical lines: a line the PDF wrapped (the next word would not have fitted) is
joined to the next, a line break kept, a paragraph gap a blank line, the running header and
footer (the lines that repeat at the top or bottom of most pages) dropped, a unit tree indented
by its x position, and each page break marked. The layout of Uppsikt's print template may
change; nothing here depends on its exact texts.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.importers.issues import Issue
from bot.importers.report.lines import (
    BULLETS,
    DATES_RE,
    PAGE_FURNITURE,
    TABLE_HEADERS,
    TRAILING_DATES_RE,
)
from bot.importers.report.paragraphs import ends_sentence, starts_lower
from bot.importers.tables import file_issue

logger = logging.getLogger(__name__)
# A damaged PDF can make a parser walk huge object graphs: stop here.
MAX_PAGES = 500
# The share of the page height at its top and bottom where running headers and footers sit,
# and on what share of the pages a line must repeat there to count as one.
_MARGIN_SHARE = 0.1
_RUNNING_SHARE = 0.4
# Table-of-contents lines: dot leaders and a page number.
_TOC_RE = re.compile(r"\.{4,}\s*\d+\s*$")
# A page number, alone or at the end of a footer ("Tertial 1 2024 Sida 3 av 40").
_PAGE_NUMBER_END_RE = re.compile(r"(?:^|\s)(?:Sida|Page) \d+ (?:av|of) \d+$")
PAGE_BREAK = "Sida {page} av {pages}"
_OPENING = "([{\"'«“‘"
_CLOSING = ",.;:!?)]}»”’/"


@dataclass(frozen=True)
class PdfText:
    """The text of a PDF, and whether its lines are logical (wrapping already undone)."""

    text: str
    logical_lines: bool


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    first_word: float  # width of the line's first word
    space: float  # width of a space in the line's font


def extract_pdf_text(path: Path, data: bytes, issues: list[Issue]) -> PdfText | None:
    """The PDF's text; None and an issue when it cannot be read or holds no text."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        issues.append(file_issue(path, "report_unreadable_pdf"))
        return None
    result: PdfText | None = None
    try:
        result = PdfText(_pdfplumber_text(data), logical_lines=True)
    except ImportError:
        result = None
    except Exception:  # a damaged PDF: pdfminer raises many kinds
        logger.info("pdfplumber could not read %s", path.name, exc_info=True)
    if result is None:
        try:
            result = PdfText(_pypdf_text(data), logical_lines=False)
        except Exception:  # a damaged PDF: pypdf raises many kinds, and RecursionError
            logger.info("pypdf could not read %s", path.name, exc_info=True)
            issues.append(file_issue(path, "report_unreadable_pdf"))
            return None
    if not result.text.strip():
        issues.append(file_issue(path, "report_pdf_no_text"))
        return None
    return result


def _pypdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_PAGES])


def _pdfplumber_text(data: bytes) -> str:
    import pdfplumber

    pages: list[tuple[float, list[_Line]]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:MAX_PAGES]:
            lines = [_line(raw) for raw in page.extract_text_lines(strip=True, return_chars=True)]
            pages.append((float(page.height), [ln for ln in lines if ln.text]))
    running = _running_lines(pages)
    bodies = [
        [ln for ln in lines if not _is_furniture(ln, height, running)] for height, lines in pages
    ]
    every = [ln for body in bodies for ln in body]
    if not every:
        return ""
    # Where lines of a kind wrap: the right edge of the lines that start where they start, in
    # their size (a comment's cell, a heading's), else of them all.
    edges: dict[tuple[int, int], float] = {}
    for ln in every:
        kind = (round(ln.x0), round(ln.size))
        edges[kind] = max(edges.get(kind, 0.0), ln.x1)
    widest = max(ln.x1 for ln in every)
    bullets = [ln.x0 for ln in every if ln.text[0] in BULLETS]
    left = min(bullets) if bullets else min(ln.x0 for ln in every)
    line_gap = _line_gap(bodies)
    out: list[str] = []
    previous: _Line | None = None  # the last line of running text, across page breaks
    last = -1  # its index in `out`
    for number, body in enumerate(bodies, start=1):
        for line in body:
            if any(header in line.text for header in TABLE_HEADERS):
                out.append(line.text)  # the table's header: the parser's own mark
                continue
            gap = previous is not None and (
                line.top < previous.top or line.top - previous.bottom > 1.8 * line_gap
            )
            right = edges.get((round(line.x0), round(line.size)), widest) if previous else widest
            if previous is not None and not gap and _wrapped(previous, line, right):
                out[last] += ("" if out[last].endswith("/") else " ") + line.text
            elif (
                previous is not None
                and line.top < previous.top
                and _wrapped(previous, line, right)
                and (not ends_sentence(previous.text) or starts_lower(line.text))
            ):
                # A sentence continued at the top of the next page.
                out[last] += ("" if out[last].endswith("/") else " ") + line.text
            else:
                if gap and line.top >= previous.top:  # type: ignore[union-attr]
                    out.append("")
                out.append(_indented(line, left))
            previous, last = line, len(out) - 1
        # The page break, as the parser knows it; a paragraph wrapped across it stays joined.
        out += ["", PAGE_BREAK.format(page=number, pages=len(bodies)), ""]
    return "\n".join(out)


def _line_gap(bodies: list[list[_Line]]) -> float:
    """The gap between two lines of one paragraph: the most common gap between lines.

    Not the median: where most comments are a line or two (a report early in the year, short
    replies), most gaps are those between paragraphs and rows, and their median would take a
    unit tree and the status below it for one paragraph.
    """
    gaps = Counter(
        round(b.top - a.bottom, 1)
        for body in bodies
        for a, b in zip(body, body[1:], strict=False)
        if b.top > a.bottom and abs(a.size - b.size) <= 0.5
    )
    if not gaps:
        return 3.0
    most = max(gaps.values())
    return min(gap for gap, count in gaps.items() if count == most)


def _line(raw: dict) -> _Line:
    chars = [c for c in raw.get("chars") or [] if str(c.get("text", "")).strip()]
    text = " ".join(str(raw.get("text", "")).split())
    size = float(chars[0].get("size", 10.0)) if chars else 10.0
    # A PDF often has no space characters: a word ends where the next glyph starts apart.
    first_word = float(raw["x1"]) - float(raw["x0"])
    spaces: list[float] = []
    for before, after in zip(chars, chars[1:], strict=False):
        gap = float(after["x0"]) - float(before["x1"])
        if gap > 0.15 * size:
            spaces.append(gap)
            # No break after an opening bracket, nor before closing punctuation (UAX #14).
            if str(before.get("text")) in _OPENING or str(after.get("text")) in _CLOSING:
                continue
            if first_word == float(raw["x1"]) - float(raw["x0"]):
                first_word = float(before["x1"]) - float(chars[0]["x0"])
    return _Line(
        text=text,
        x0=float(raw["x0"]),
        x1=float(raw["x1"]),
        top=float(raw["top"]),
        bottom=float(raw["bottom"]),
        size=size,
        first_word=first_word,
        space=statistics.median(spaces) if spaces else 0.32 * size,
    )


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).casefold())


def _in_margin(line: _Line, height: float) -> bool:
    return line.bottom < height * _MARGIN_SHARE or line.top > height * (1 - _MARGIN_SHARE)


def _running_lines(pages: list[tuple[float, list[_Line]]]) -> set[str]:
    """Lines at the top or bottom of the page that repeat on many pages: headers, footers."""
    seen: Counter[str] = Counter()
    for height, lines in pages:
        seen.update({_key(ln.text) for ln in lines if _in_margin(ln, height)})
    minimum = max(2, int(_RUNNING_SHARE * len(pages)))
    return {key for key, count in seen.items() if count >= minimum}


def _is_furniture(line: _Line, height: float, running: set[str]) -> bool:
    if any(header in line.text for header in TABLE_HEADERS):
        return False  # the table's header is the parser's, wherever it repeats
    if _TOC_RE.search(line.text) or _PAGE_NUMBER_END_RE.search(line.text):
        return True
    rest = line.text
    for furniture in PAGE_FURNITURE:
        rest = rest.replace(furniture, "")
    if not rest.strip():
        return True  # the report's running title and addressee, in any order
    return _in_margin(line, height) and _key(line.text) in running


def _indented(line: _Line, left: float) -> str:
    """A line indented by its x position right of the unit trees' (a space every 4 points):
    a unit tree's depth, and a unit name wrapped under its bullet."""
    return " " * max(0, round((line.x0 - left) / 4)) + line.text


def _wrapped(previous: _Line, line: _Line, right: float) -> bool:
    """Whether the PDF wrapped `previous` onto `line`: its first word would not have fitted."""
    if line.text[0] in BULLETS or abs(previous.size - line.size) > 0.5:
        return False
    if DATES_RE.match(previous.text) or TRAILING_DATES_RE.match(previous.text):
        return False  # an activity's title line: the parser joins titles
    if DATES_RE.match(line.text) or (
        abs(line.x0 - previous.x0) > 2 and previous.text[0] not in BULLETS
    ):
        return False
    return previous.x1 + previous.space + line.first_word > right - 1.0
