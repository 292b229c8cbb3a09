"""Paragraphs of a purpose or comment: wrapped lines joined, page breaks inside a sentence healed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.importers.report.lines import BULLETS, TRAILING_DATES_RE, Item, is_gap

# A paragraph whose last line ends like this ends a sentence (closing quotes/brackets allowed).
SENTENCE_END_RE = re.compile(r"[.!?:;…][\"'”’»)\]]*$")

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


@dataclass
class Para:
    """A paragraph: its lines with their numbers, and whether a page break touches it."""

    lines: list[tuple[int, str]]  # (line number, text)
    break_before: bool = False  # a page break separates it from the paragraph before
    has_break: bool = False  # it was rejoined across a page break
    logical: bool = False  # its lines are logical lines: no wrapping to undo

    @property
    def line(self) -> int:
        return self.lines[0][0]

    @property
    def text(self) -> str:
        if self.logical:
            return "\n".join(t for _, t in self.lines)
        return join_wrapped([t for _, t in self.lines])


def is_wrapped(line: str) -> bool:
    """Whether a line was filled to the page width, so that the PDF wrapped it."""
    if len(line) >= WRAP_MIN_CHARS:
        return True
    return len(line) >= WRAP_SOFT_MIN_CHARS and not SENTENCE_END_RE.search(line)


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of one paragraph: wrapped lines with a space, short ones keep their break."""
    out = ""
    for i, line in enumerate(lines):
        if i == 0:
            out = line
        elif is_wrapped(lines[i - 1]) and line[0] not in BULLETS:
            out += " " + line
        else:
            out += "\n" + line
    return out


def ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence."""
    return bool(SENTENCE_END_RE.search(text))


def starts_lower(text: str) -> bool:
    """Whether a line starts in lower case (so it continues a sentence)."""
    return bool(text) and text[0].islower()


def strip_dates(text: str) -> str:
    """A title line without the start and end date printed at its end."""
    trailing = TRAILING_DATES_RE.match(text)
    return trailing[1] if trailing else text


def item_text(item: Item) -> str:
    """The printed text of an item that ends up in a purpose or comment."""
    if item.kind == "bullet":
        return "• " + item.text
    return item.raw or item.text


def paragraphs(items: list[Item], *, logical: bool = False) -> list[Para]:
    """Group items into paragraphs; a page break inside a sentence does not end a paragraph.

    With `logical` lines (a PDF read with its geometry) the wrapping across page breaks is
    already undone, and a paragraph that ends at a page break ends there.
    """
    paras: list[Para] = []
    current: Para | None = None
    pending_break = False  # a page break in the gap since the last text line
    for item in items:
        if is_gap(item):
            if current is not None:
                paras.append(current)
                current = None
            pending_break = pending_break or item.kind == "break"
            continue
        text = item_text(item)
        if current is None:
            # A page break cut the paragraph before if that part does not end a sentence or
            # this part starts in lower case: rejoin the two parts.
            if (
                pending_break
                and not logical
                and paras
                and (not ends_sentence(paras[-1].lines[-1][1]) or starts_lower(text))
            ):
                current = paras.pop()
                current.has_break = True
            else:
                current = Para([], break_before=pending_break, logical=logical)
            pending_break = False
        current.lines.append((item.no, text))
    if current is not None:
        paras.append(current)
    return paras


def join_paras(paras: list[Para]) -> str:
    """Paragraphs as one text, separated by blank lines."""
    return "\n\n".join(p.text for p in paras)


def normalise_goal(text: str) -> str:
    """Goal text for matching headings with the goal list: whitespace collapsed, no final period."""
    return " ".join(text.split()).rstrip(".").rstrip().casefold()


def sentences(text: str) -> set[str]:
    """Normalised sentences of at least MIN_ECHO_WORDS words (shorter ones are too generic)."""
    out: set[str] = set()
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        words = re.findall(r"\w+", sentence.casefold())
        if len(words) >= MIN_ECHO_WORDS:
            out.add(" ".join(words))
    return out


def content_words(text: str) -> set[str]:
    """The words of a text long enough to tell texts apart."""
    return {w for w in re.findall(r"\w+", text.casefold()) if len(w) >= _MIN_AFFINITY_WORD}


def short(text: str, limit: int = 60) -> str:
    """A one-line excerpt of a text for a message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
