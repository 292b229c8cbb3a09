"""Pieces every Adaptive Card builder shares: plain text, limits, dates, status markers.

The one rule for text: everything is a `TextRun` inside a `RichTextBlock`. Adaptive Cards never
read markdown in a TextRun, and a card without `msteams.entities` mentions no one, so a comment
like `[klicka](https://evil)` or `<at>Alla</at>` is shown exactly as typed. No builder uses
`TextBlock` (whose text is markdown).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from microsoft_teams.cards import (
    Action,
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    Container,
    RichTextBlock,
    TeamsCardProperties,
    TextRun,
)

from bot.domain.status import STATUS_ORDER, Status, status_label
from bot.i18n import language_or_default, t

VERSION = "1.5"
# Teams refuses a message over about 28 KB, measured on the activity's JSON; a card keeps
# 2 KB for the envelope around it.
MAX_CARD_BYTES = 28 * 1024
CARD_BUDGET = 26 * 1024

TITLE_LIMIT = 300
GOAL_LIMIT = 150
EXCERPT_LIMIT = 200
NAME_LIMIT = 80
UNIT_LIMIT = 300
NUMBER_LIMIT = 20
ELLIPSIS = "…"

STATUS_MARKERS: dict[Status, str] = {
    Status.NOT_STARTED: "⚪",
    Status.ON_TRACK: "🟢",
    Status.DEVIATING: "🟠",
    Status.DONE: "✅",
    Status.DONE_DEVIATING: "⚠️",  # finished, but not as planned: not a success mark
    Status.ON_HOLD: "⏸️",
}
MISSING_MARKER = "❔"

Card = dict[str, Any]


def tr(language: str, key: str, **params: object) -> str:
    return t(language_or_default(language), key, **params)


# --- text ---------------------------------------------------------------------------------------


def truncate(text: object, limit: int, *, one_line: bool = True) -> str:
    """User text, on one line unless asked, cut to `limit` characters on a word boundary."""
    raw = " ".join(str(text).split()) if one_line else str(text).strip()
    if len(raw) <= limit:
        return raw
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = raw[: limit - 1]
    space = cut.rfind(" ")
    if space > (limit - 1) // 2:
        cut = cut[:space]
    return cut.rstrip(" \t\n,;:.-–") + ELLIPSIS


def run(
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    subtle: bool = False,
    color: str | None = None,
    size: str | None = None,
) -> TextRun:
    """One run of plain text (never markdown)."""
    return TextRun(
        text=text,
        weight="Bolder" if bold else None,
        italic=True if italic else None,
        is_subtle=True if subtle else None,
        color=color,
        size=size,
    )


def line(
    *runs: TextRun | str, separator: bool = False, spacing: str | None = None
) -> RichTextBlock:
    """A paragraph of runs; a str is a plain run."""
    return RichTextBlock(
        inlines=[r if isinstance(r, TextRun) else run(r) for r in runs],
        separator=True if separator else None,
        spacing=spacing,
    )


def text(value: str, **style: Any) -> RichTextBlock:
    """A paragraph of one run."""
    return line(run(value, **style))


def heading(value: str) -> RichTextBlock:
    return line(run(value, bold=True, size="Medium"))


def note(value: str, *, good: bool) -> Container:
    """A saved or refused note, in the card's good or attention style."""
    color = "Good" if good else "Attention"
    return Container(
        items=[text(value, bold=True, color=color)], style="good" if good else "attention"
    )


def actions(*items: Action) -> ActionSet:
    return ActionSet(actions=list(items))


def finish(
    body: Sequence[CardElement], card_actions: Sequence[Action] = (), *, fallback: str = ""
) -> Card:
    """The card as the JSON Teams takes (schema 1.5, full width)."""
    card = AdaptiveCard(
        version=VERSION,
        body=list(body),
        actions=list(card_actions) or None,
        fallback_text=fallback or None,
        msteams=TeamsCardProperties(width="full"),
    )
    return whole_numbers(card.model_dump(exclude_none=True))


def sub_card(body: Sequence[CardElement], card_actions: Sequence[Action] = ()) -> AdaptiveCard:
    """A card shown inside Action.ShowCard."""
    return AdaptiveCard(version=VERSION, body=list(body), actions=list(card_actions) or None)


def whole_numbers(node: Any) -> Any:
    """The models keep `maxLength` as a float (3000.0); Teams wants an integer."""
    if isinstance(node, dict):
        return {k: whole_numbers(v) for k, v in node.items()}
    if isinstance(node, list):
        return [whole_numbers(v) for v in node]
    if isinstance(node, float) and node.is_integer():
        return int(node)
    return node


def card_bytes(card: Any) -> int:
    """The size Teams measures: UTF-8 JSON."""
    if hasattr(card, "model_dump"):
        card = card.model_dump(exclude_none=True)
    return len(json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


# --- dates --------------------------------------------------------------------------------------


def format_date(day: date | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = day.date()
    return day.isoformat()


def format_datetime(moment: datetime | None, language: str) -> str:
    """`2024-09-10 kl. 16:00` (sv) or `2024-09-10 at 16:00` (en), for a local datetime."""
    if moment is None:
        return ""
    return tr(language, "teams_datetime", date=moment.date().isoformat(), time=f"{moment:%H:%M}")


def date_range(start: date | None, end: date | None, language: str) -> str:
    if start and end:
        return f"{format_date(start)} – {format_date(end)}"
    if start:
        return tr(language, "teams_dates_from", start=format_date(start))
    if end:
        return tr(language, "teams_dates_until", end=format_date(end))
    return ""


# --- statuses -----------------------------------------------------------------------------------


def marker(status: Status | str | None) -> str:
    if status is None:
        return MISSING_MARKER
    try:
        return STATUS_MARKERS[Status(status)]
    except ValueError:
        return MISSING_MARKER


def status_text(status: Status | str, language: str) -> str:
    """`🟢 Pågående enligt plan`."""
    return f"{marker(status)} {status_label(status, language_or_default(language))}"


def status_choices(language: str) -> list[Choice]:
    """The six statuses in vocabulary order, valued by their machine value."""
    return [Choice(title=status_text(s, language), value=s.value) for s in STATUS_ORDER]


def progress_text(missing: int, total: int, language: str) -> str:
    if missing > 0:
        return tr(language, "teams_progress_missing", missing=missing, total=total)
    return tr(language, "teams_progress_all_done", total=total)
