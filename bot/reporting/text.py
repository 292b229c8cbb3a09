"""Escaping and formatting of text for every rendering: Markdown, HTML, CSS strings, dates.

Pure functions, used as Jinja2 filters by the templates and directly by the Word renderer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from markupsafe import Markup, escape

from bot.domain.report import UNIT_SEPARATOR
from bot.domain.text import escape_mrkdwn

# How a unit path is printed in running text: the stored " > " would need escaping in Markdown
# and HTML and reads worse than a guillemet. JSON keeps the stored form.
UNIT_PATH_DISPLAY_SEPARATOR = " › "

slack_escape = escape_mrkdwn  # the Jinja2 filter name for Slack mrkdwn templates

# Inline Markdown syntax that can open a span anywhere in a line: emphasis, code, links, images
# (via `[`), GFM tables and strikethrough, and the escape character itself.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
# A `#` that opens a word: an ATX heading at line start, or a closing sequence inside a heading.
_MD_HASH = re.compile(r"(?:^|(?<=\s))#")
# List markers (`- `, `+ `) and ordered-list markers (`1. `, `1) `) at the start of a line.
_MD_BULLET = re.compile(r"^([-+])(?=\s|$)")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
# A line of only `-` or `=` would turn the line above into a setext heading (or be a rule).
_MD_SETEXT = re.compile(r"^([-=])[-= ]*$")


def _md_escape_line(line: str) -> str:
    # The same three entities Slack needs: Markdown renderers pass raw HTML through otherwise.
    line = slack_escape(line.strip())
    line = _MD_INLINE.sub(r"\\\1", line)
    line = _MD_HASH.sub(r"\\#", line)
    if _MD_SETEXT.match(line) or _MD_BULLET.match(line):
        return "\\" + line
    return _MD_ORDERED.sub(r"\1\\\2", line)


def md_escape(text: object) -> str:
    """Escape user text for one line of Markdown (a heading, table cell or list item).

    The rule, chosen so that user text can never add structure yet stays readable:
    - `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;`, so raw HTML, autolinks and Slack control
      sequences (`<!channel>`) come out as text, and `>` can never start a block quote;
    - the characters  \\ ` * _ [ ] | ~  are always backslash-escaped (escapes, code, emphasis,
      links and images, GFM table cells, strikethrough);
    - `#` is escaped where it opens a word (heading marker or closing sequence), a leading
      `-`/`+` or `1.`/`1)` followed by a space (list markers) and a line made only of `-`/`=`
      (setext underline, rule) are escaped; the same characters elsewhere stay as typed;
    - all whitespace, newlines included, collapses to single spaces (see `md_text` for blocks).
    """
    return _md_escape_line(" ".join(str(text).split()))


def paragraphs(text: object) -> list[list[str]]:
    """Split text into paragraphs (on blank lines), each a list of its non-empty stripped lines."""
    # A vertical tab or form feed is how Word writes a line or page break into pasted text.
    normalized = (
        str(text)
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\x0b", "\n")
        .replace("\x0c", "\n")
        .expandtabs(4)
    )
    result = []
    for block in re.split(r"\n\s*\n", normalized):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            result.append(lines)
    return result


def md_text(text: object, indent: int = 0) -> str:
    """Escape multi-line user text as Markdown blocks: paragraphs kept, line breaks kept.

    Each line is escaped like `md_escape`; lines of a paragraph are joined by a CommonMark hard
    break (a trailing backslash), paragraphs by a blank line; continuation lines are indented by
    `indent` spaces so the text stays inside a list item. Leading spaces are dropped so that user
    indentation cannot start a code block.
    """
    pad = " " * indent
    return ("\n\n" + pad).join(
        ("\\\n" + pad).join(_md_escape_line(line) for line in lines) for lines in paragraphs(text)
    )


def html_paragraphs(text: object) -> Markup:
    """Escape multi-line user text as HTML: `<p>` per paragraph, `<br>` per line break."""
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in lines))
        for lines in paragraphs(text)
    )


def css_string(text: object) -> Markup:
    """Quote text as a CSS string safe inside a `<style>` element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;!?-–()'" else f"\\{ord(ch):x} " for ch in str(text)
    )
    return Markup(f'"{escaped}"')


def css_counter_content(pattern: str) -> Markup:
    """Turn `Sida {page} av {pages}` into a CSS `content` value with page counters."""
    parts: list[str] = []
    for piece in re.split(r"(\{page\}|\{pages\})", pattern):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(str(css_string(piece)))
    return Markup(" ".join(parts))


def isodate(value: date | datetime | None, missing: str = "") -> str:
    """Format a date (or a datetime's date) as YYYY-MM-DD; `missing` when there is none."""
    if value is None:
        return missing
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()


def unit_path(path: str) -> str:
    """Print a stored unit path (`A > B > C`) for readers (`A › B › C`)."""
    parts = (part.strip() for part in path.split(UNIT_SEPARATOR))
    return UNIT_PATH_DISPLAY_SEPARATOR.join(part for part in parts if part)


def unit_leaf(path: str) -> str:
    """The last part of a stored unit path: the unit itself (`Särskilt boende`)."""
    parts = [part.strip() for part in path.split(UNIT_SEPARATOR) if part.strip()]
    return parts[-1] if parts else ""


def _parts(path: str) -> list[str]:
    return [part.strip() for part in path.split(UNIT_SEPARATOR) if part.strip()]


def common_root(paths: Iterable[str]) -> str:
    """The first part every unit path shares (the administration), or '' when they differ."""
    roots = {tuple(_parts(path)[:1]) for path in paths}
    if len(roots) != 1:
        return ""
    (root,) = roots
    return root[0] if root else ""


def units_text(paths: Iterable[str], *, root: str = "") -> str:
    """A set of units in a few words: the shared `root` left out, siblings after their parent.

    `["A > B > C", "A > B > D", "A > E"]` with root `A` reads `B › C, D; E`.
    """
    by_parent: dict[tuple[str, ...], list[str]] = {}
    for path in paths:
        parts = _parts(path)
        if root and len(parts) > 1 and parts[0] == root:
            parts = parts[1:]
        if not parts:
            continue
        leaves = by_parent.setdefault(tuple(parts[:-1]), [])
        if parts[-1] not in leaves:
            leaves.append(parts[-1])
    return "; ".join(
        UNIT_PATH_DISPLAY_SEPARATOR.join([*parent, ", ".join(leaves)])
        for parent, leaves in by_parent.items()
    )
