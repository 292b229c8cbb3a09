"""Pieces every Block Kit builder shares: escaping, truncation, dates, status markers, limits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from bot.domain.periods import parse_period
from bot.domain.reporting import ActivityItem, PeriodInfo, UnitProgress
from bot.domain.status import STATUS_ORDER, Status, status_label
from bot.domain.text import escape_mrkdwn  # noqa: F401  (re-exported for the builders)
from bot.slack.ids import OPEN_STATUS_MODAL, ActivityRef
from bot.slack.messages import language_or_default, msg

# Slack's limits (https://docs.slack.dev/reference/block-kit/blocks)
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT = 3000  # section text, context element, mrkdwn in general
MAX_HEADER = 150
MAX_OPTION_TEXT = 75
MAX_FALLBACK_TEXT = 1000  # Slack allows 40,000; a notification needs a sentence

# How much of each user-written string we show (lengths of the escaped text)
TITLE_LIMIT = 300
GOAL_LIMIT = 150
EXCERPT_LIMIT = 200
NAME_LIMIT = 80
UNIT_LIMIT = 300
NUMBER_LIMIT = 20

ELLIPSIS = "…"

STATUS_MARKERS: dict[Status, str] = {
    Status.NOT_STARTED: ":white_circle:",
    Status.ON_TRACK: ":large_green_circle:",
    Status.DEVIATING: ":large_orange_circle:",
    Status.DONE: ":white_check_mark:",
    Status.DONE_DEVIATING: ":warning:",  # finished, but not as planned: not a success mark
    Status.ON_HOLD: ":double_vertical_bar:",
}
MISSING_MARKER = ":grey_question:"

Block = dict[str, Any]


# --- text ---------------------------------------------------------------------------------------


def truncate(text: str, limit: int) -> str:
    """Shorten text to at most `limit` characters, on a word boundary, ending in "…"."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if limit == 1:
        return ELLIPSIS
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    # Cut at the last word boundary unless that throws away more than half of what fits.
    if space > (limit - 1) // 2:
        cut = cut[:space]
    return cut.rstrip(" \t\n,;:.-–") + ELLIPSIS


def excerpt(text: object, limit: int, *, one_line: bool = True) -> str:
    """Escape user text for mrkdwn and shorten it so that the escaped result fits `limit`."""
    raw = " ".join(str(text).split()) if one_line else str(text).strip()
    budget = limit
    while True:
        escaped = escape_mrkdwn(truncate(raw, budget))
        if len(escaped) <= limit or budget <= 1:
            return escaped if len(escaped) <= limit else ""
        # Escaping lengthened the text: retry with the raw budget cut by the overflow.
        budget -= len(escaped) - limit


def clip(text: str, limit: int) -> str:
    """Cut our own (already escaped) text to `limit` characters without breaking an entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + ELLIPSIS


# --- dates and times ----------------------------------------------------------------------------


def format_date(day: date | None) -> str:
    """Return a date as ISO `2024-09-10` (both languages), or "" when there is none."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = day.date()
    return day.isoformat()


def format_datetime(moment: datetime | None, language: str) -> str:
    """Return `2024-09-10 kl. 16:00` (sv) or `2024-09-10 at 16:00` (en) for a local datetime."""
    if moment is None:
        return ""
    return msg(language, "datetime", date=moment.date().isoformat(), time=moment.strftime("%H:%M"))


def date_range(start: date | None, end: date | None, language: str) -> str:
    """Return `2024-01-01 – 2024-04-30`, `från 2024-01-01`, `till 2024-04-30`, or ""."""
    if start and end:
        return f"{format_date(start)} – {format_date(end)}"
    if start:
        return msg(language, "dates_from", start=format_date(start))
    if end:
        return msg(language, "dates_until", end=format_date(end))
    return ""


# --- statuses -----------------------------------------------------------------------------------


def status_marker(status: Status | str | None) -> str:
    """Return the emoji code that marks a status (a question mark when there is none)."""
    if status is None:
        return MISSING_MARKER
    try:
        return STATUS_MARKERS[Status(status)]
    except ValueError:
        return MISSING_MARKER


def status_text(status: Status | str, language: str) -> str:
    """Return `marker label`, e.g. `:large_green_circle: Pågående enligt plan`."""
    return f"{status_marker(status)} {status_label(status, language_or_default(language))}"


def status_option(
    status: Status, language: str, value: Callable[[Status], str] | None = None
) -> dict[str, Any]:
    """Return one select option for a status; `value` makes its value (default: machine value)."""
    return {
        "text": plain(status_text(status, language)[:MAX_OPTION_TEXT]),
        "value": value(status) if value else status.value,
    }


def status_options(
    language: str, value: Callable[[Status], str] | None = None
) -> list[dict[str, Any]]:
    """Return the six status options in vocabulary order; `value` makes each option's value."""
    return [status_option(status, language, value) for status in STATUS_ORDER]


# --- Block Kit pieces ---------------------------------------------------------------------------


def plain(text: str) -> dict[str, Any]:
    """Return a plain_text object (our own text only: user text goes into mrkdwn)."""
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    """Return a verbatim mrkdwn object: Slack adds no links or mentions of its own."""
    return {"type": "mrkdwn", "text": clip(text, MAX_TEXT), "verbatim": True}


def section(text: str, accessory: dict[str, Any] | None = None) -> Block:
    """Return a section block with mrkdwn text and an optional accessory."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def context(text: str) -> Block:
    """Return a context block with one mrkdwn element."""
    return {"type": "context", "elements": [mrkdwn(text)]}


def header(text: str) -> Block:
    """Return a header block (our own text only)."""
    return {"type": "header", "text": plain(clip(text, MAX_HEADER))}


def divider() -> Block:
    """Return a divider block."""
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    """Return a button element."""
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": plain(text),
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def pack_sections(chunks: Sequence[str], *, max_sections: int) -> tuple[list[Block], int]:
    """Pack mrkdwn chunks into ≤ `max_sections` sections; return them and how many chunks fit."""
    blocks: list[Block] = []
    current: list[str] = []
    size = 0
    used = 0
    for chunk in chunks:
        chunk = clip(chunk, MAX_TEXT)
        extra = len(chunk) + (1 if current else 0)
        if current and size + extra > MAX_TEXT:
            blocks.append(section("\n".join(current)))
            current, size = [], 0
            extra = len(chunk)
        if not current and len(blocks) >= max_sections:
            break
        current.append(chunk)
        size += extra
        used += 1
    if current:
        blocks.append(section("\n".join(current)))
    return blocks, used


def fallback(text: str) -> str:
    """Return a message's notification text, cut to a reasonable length."""
    return clip(text, MAX_FALLBACK_TEXT)


# --- an activity as people see it ---------------------------------------------------------------


def goal_line(item: ActivityItem, language: str) -> str:
    """Return `Mål 1.9 <goal text>` (escaped, shortened)."""
    goal_text = excerpt(item.goal_text, GOAL_LIMIT)
    if item.goal_number:
        label = msg(language, "goal", number=excerpt(item.goal_number, NUMBER_LIMIT))
    else:
        label = msg(language, "goal_unnumbered")
    return f"{label} {goal_text}".strip()


def reported_line(item: ActivityItem, language: str) -> str:
    """Return the current status with who reported it and when, for mrkdwn."""
    assert item.status is not None
    parts = [f"{status_marker(item.status)} *{status_label(item.status, language)}*"]
    if item.reported_by.strip():
        parts.append(msg(language, "reported_by", name=excerpt(item.reported_by, NAME_LIMIT)))
    if item.reported_at is not None:
        parts.append(format_datetime(item.reported_at, language))
    return ", ".join(parts)


def status_lines(item: ActivityItem, language: str, *, with_comment: bool = True) -> list[str]:
    """Return the lines describing an item's status: current, last tertial's (or, returned by
    the committee, its reason and what was said then), or none yet."""
    reason = []
    if item.return_reason:
        reason = [
            f"*{msg(language, 'return_reason')}* {excerpt(item.return_reason, EXCERPT_LIMIT)}"
        ]
    if item.status is not None:
        lines = [*reason, reported_line(item, language)]
        comment = item.comment
    elif item.previous_status is not None:
        label = "returned_status" if item.return_reason else "previous_status"
        lines = [
            *reason,
            f"_{msg(language, label)}_ {status_text(item.previous_status, language)}",
        ]
        comment = item.previous_comment
    else:
        return [*reason, f"{MISSING_MARKER} _{msg(language, 'no_status_yet')}_"]
    if with_comment and comment.strip():
        lines.append(f">{excerpt(comment, EXCERPT_LIMIT)}")
    return lines


def item_short_status(item: ActivityItem, language: str) -> str:
    """Return one compact line for lists: label and reporter, or that the status is missing."""
    if item.status is not None:
        return reported_line(item, language)
    line = f"{MISSING_MARKER} _{msg(language, 'missing_status')}_"
    if item.previous_status is not None:
        previous = status_label(item.previous_status, language)
        line += f" ({msg(language, 'previous_status')} {previous})"
    return line


def unit_heading(progress: UnitProgress, language: str) -> str:
    """Return `*unit path*` and `3 av 12 rapporterade` on the next line."""
    counts = msg(language, "progress_reported", reported=progress.reported, total=progress.total)
    return f"*{excerpt(progress.unit_path, UNIT_LIMIT)}*\n{counts}"


def unit_activity_blocks(
    units: Sequence[tuple[UnitProgress, Sequence[ActivityItem]]],
    *,
    period: PeriodInfo | None,
    language: str,
    max_blocks: int,
) -> tuple[list[Block], int]:
    """Return unit headings and activity sections within `max_blocks`, and how many did not fit."""
    period_key = parse_period(period.key) if period is not None and period.is_open else None
    total = sum(len(items) for _, items in units)
    needed = sum(1 + len(items) for _, items in units)
    # Leave room for the caller's "… and N more" note when not everything fits.
    budget = max_blocks if needed <= max_blocks else max_blocks - 1
    blocks: list[Block] = []
    shown = 0
    for progress, items in units:
        if budget < (2 if items else 1):
            break
        heading = unit_heading(progress, language)
        if not items:
            heading += f"\n_{msg(language, 'no_activities')}_"
        blocks.append(section(heading))
        budget -= 1
        for item in sorted(items, key=lambda i: not i.is_missing):
            if budget < 1:
                break
            text = f"*{excerpt(item.title, TITLE_LIMIT)}*\n{item_short_status(item, language)}"
            accessory = None
            if period_key is not None:
                ref = ActivityRef(item.activity_id, period_key, progress.unit_id)
                key = "button_report" if item.is_missing else "button_change"
                accessory = button(msg(language, key), OPEN_STATUS_MODAL, ref.encode())
            blocks.append(section(text, accessory))
            budget -= 1
            shown += 1
    return blocks, total - shown


# --- reading submitted views ----------------------------------------------------------------


def value_at(mapping: object, *keys: str) -> object:
    """The value at a path of keys in a submitted view, or None where the shape is not there
    (the view is user-controlled input: never assume its shape)."""
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def text_value(value: object) -> str:
    """A submitted text, stripped; "" for anything that is not text."""
    return value.strip() if isinstance(value, str) else ""
