"""The reminder DM to a unit's reporters: one status select and a modal button per activity."""

from __future__ import annotations

import math
import re
from typing import Any

from bot.domain.periods import parse_period
from bot.domain.reporting import ActivityItem, PeriodInfo, UnitProgress
from bot.domain.status import Status
from bot.slack import ids
from bot.slack.blocks.common import (
    MAX_MESSAGE_BLOCKS,
    TITLE_LIMIT,
    UNIT_LIMIT,
    Block,
    button,
    context,
    date_range,
    divider,
    excerpt,
    fallback,
    format_datetime,
    goal_line,
    header,
    section,
    status_lines,
    status_option,
    status_options,
)
from bot.slack.messages import language_or_default, msg

# The block_id of an activity's actions block; it comes back in block_actions payloads.
ACTIVITY_BLOCK_PREFIX = "uppsikt_act_"
_ACTIVITY_BLOCK_RE = re.compile(r"uppsikt_act_([0-9]{1,12})")
STATUS_CHOICE_SEPARATOR = "#"

# header, context, closed note, divider: everything else is two blocks per activity
_FIXED_BLOCKS = 4
MAX_ACTIVITIES_PER_MESSAGE = (MAX_MESSAGE_BLOCKS - _FIXED_BLOCKS) // 2


def encode_status_choice(ref: ids.ActivityRef, status: Status) -> str:
    """Return a status select option's value: `a12.p2024-T2.u3#on_track`."""
    return f"{ref.encode()}{STATUS_CHOICE_SEPARATOR}{status.value}"


def decode_status_choice(value: str | None) -> tuple[ids.ActivityRef, Status]:
    """Decode a status select option's value; raise ValueError on anything not made by encode."""
    if not value or len(value) > ids.MAX_VALUE_LENGTH:
        raise ValueError("bad status choice")
    ref_text, separator, status_text = value.partition(STATUS_CHOICE_SEPARATOR)
    if not separator:
        raise ValueError("bad status choice")
    return ids.decode_activity_ref(ref_text), Status(status_text)


def _progress_text(progress: UnitProgress, language: str) -> str:
    if progress.missing > 0:
        return msg(language, "progress_missing", missing=progress.missing, total=progress.total)
    return msg(language, "progress_all_done", total=progress.total)


def _activity_blocks(
    item: ActivityItem, *, unit_id: int, period: PeriodInfo, language: str
) -> list[Block]:
    lines = [f"*{excerpt(item.title, TITLE_LIMIT)}*", goal_line(item, language)]
    dates = date_range(item.start, item.end, language)
    if dates:
        lines.append(dates)
    lines += status_lines(item, language)
    blocks = [section("\n".join(lines))]
    if period.is_open:
        ref = ids.ActivityRef(item.activity_id, parse_period(period.key), unit_id)
        select: dict[str, Any] = {
            "type": "static_select",
            "action_id": ids.STATUS_SELECT,
            "placeholder": {"type": "plain_text", "text": msg(language, "select_status")},
            "options": status_options(language, lambda s: encode_status_choice(ref, s)),
        }
        if item.status is not None:
            select["initial_option"] = status_option(
                item.status, language, lambda s: encode_status_choice(ref, s)
            )
        blocks.append(
            {
                "type": "actions",
                "block_id": f"{ACTIVITY_BLOCK_PREFIX}{item.activity_id}",
                "elements": [
                    select,
                    button(msg(language, "open_modal"), ids.OPEN_STATUS_MODAL, ref.encode()),
                ],
            }
        )
    return blocks


def build_reminder_message(
    *,
    unit_id: int,
    unit_path: str,
    period: PeriodInfo,
    items: list[ActivityItem],
    progress: UnitProgress,
    part: int,
    parts: int,
    language: str,
) -> dict[str, Any]:
    """Build one reminder DM (`text`, `blocks`) for a unit's activities, or one part of them."""
    language = language_or_default(language)
    items = items[:MAX_ACTIVITIES_PER_MESSAGE]
    unit = excerpt(unit_path, UNIT_LIMIT)
    progress_text = _progress_text(progress, language)
    heading_key = "reminder_header" if period.is_open else "reminder_header_closed"
    facts = [
        f"*{unit}*",
        msg(language, "deadline", deadline=format_datetime(period.deadline, language)),
        progress_text,
    ]
    if parts > 1:
        facts.append(msg(language, "part", part=part, parts=parts))

    blocks: list[Block] = [
        header(msg(language, heading_key, period=period.key)),
        context(" · ".join(facts)),
    ]
    if not period.is_open:
        blocks.append(context(msg(language, "period_is_closed", period=period.key)))
    blocks.append(divider())
    for item in items:
        blocks += _activity_blocks(item, unit_id=unit_id, period=period, language=language)

    text_key = "reminder_text" if period.is_open else "reminder_text_closed"
    text = msg(language, text_key, period=period.key, progress=progress_text, unit=unit)
    if parts > 1:
        text += " " + msg(language, "part", part=part, parts=parts)
    return {"text": fallback(text), "blocks": blocks}


def build_reminder_messages(
    *,
    unit_id: int,
    unit_path: str,
    period: PeriodInfo,
    items: list[ActivityItem],
    progress: UnitProgress,
    language: str,
    per_message: int = 20,
) -> list[dict[str, Any]]:
    """Split a unit's activities evenly, in order, over as few reminder DMs as Slack allows."""
    seen: set[int] = set()
    unique = []
    for item in items:  # a block_id may appear once per message
        if item.activity_id not in seen:
            seen.add(item.activity_id)
            unique.append(item)
    if not unique:
        return []
    per_message = max(1, min(per_message, MAX_ACTIVITIES_PER_MESSAGE))
    parts = math.ceil(len(unique) / per_message)
    size = math.ceil(len(unique) / parts)
    return [
        build_reminder_message(
            unit_id=unit_id,
            unit_path=unit_path,
            period=period,
            items=unique[index * size : (index + 1) * size],
            progress=progress,
            part=index + 1,
            parts=parts,
            language=language,
        )
        for index in range(parts)
    ]


def activity_ids_in_message(blocks: object) -> list[int]:
    """Return the activity ids of a reminder's `uppsikt_act_N` blocks, skipping anything else."""
    if not isinstance(blocks, list):
        return []
    found: list[int] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        block_id = block.get("block_id")
        if not isinstance(block_id, str):
            continue
        match = _ACTIVITY_BLOCK_RE.fullmatch(block_id)
        if match:
            activity_id = int(match.group(1))
            if activity_id not in found:
                found.append(activity_id)
    return found
