"""The one rule by which imports recognise a goal, an activity, a unit or a goal area again.

Both the plan import and the report import match names with `match_key`, so that a goal or an
activity imported from a report and again from a plan (or the other way) is one row, whatever
the spacing or case of either file.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.text import clean_text

UNIT_PATH_SEPARATOR = " > "


def match_key(text: object) -> str:
    """Trimmed, whitespace collapsed, case folded: two names with one key are one thing."""
    return " ".join(clean_text(text).split()).casefold()


def unit_path_key(parts: Iterable[str]) -> str:
    """The key of a unit path: each part's key, joined."""
    return UNIT_PATH_SEPARATOR.join(match_key(p) for p in parts)


def clean_line(text: object) -> str:
    """A one-line imported field (a title, a name): cleaned, whitespace collapsed."""
    return clean_text(text if text is not None else "", one_line=True)


def clean_block(text: object) -> str:
    """A multi-line imported field (a purpose, a comment): cleaned, outer blank space trimmed."""
    return "\n".join(
        line.rstrip() for line in clean_text(text if text is not None else "").split("\n")
    ).strip()
