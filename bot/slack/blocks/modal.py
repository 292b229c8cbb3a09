"""The status modal: one activity's status and comment, and reading its submission back."""

from __future__ import annotations

from typing import Any

from bot.domain.reporting import ActivityItem, PeriodInfo
from bot.domain.status import (
    COMMENT_MAX_LENGTH,
    COMMENT_REQUIRED,
    STATUS_ORDER,
    Status,
    status_label,
)
from bot.slack import ids
from bot.slack.blocks.common import (
    TITLE_LIMIT,
    Block,
    context,
    date_range,
    excerpt,
    format_datetime,
    goal_line,
    plain,
    reported_line,
    section,
    status_option,
    status_options,
    value_at,
)
from bot.slack.messages import language_or_default, msg


def _initial_values(
    item: ActivityItem, initial_status: Status | None
) -> tuple[Status | None, str, bool]:
    """Return (status, comment, prefilled from last tertial) to show in the inputs."""
    from_previous = False
    if item.status is not None:
        # A report exists this tertial: its comment, even an empty one, is what stands.
        comment = item.comment
    else:
        comment = item.previous_comment
        from_previous = bool(comment.strip())
    status = initial_status or item.status
    if status is None and item.previous_status is not None:
        status = item.previous_status
        from_previous = True
    return status, comment, from_previous


def build_status_modal(
    *,
    item: ActivityItem,
    metadata: ids.ModalMetadata,
    period: PeriodInfo,
    language: str,
    initial_status: Status | None = None,
) -> dict[str, Any]:
    """Build the modal view where a reporter sets one activity's status and comment."""
    language = language_or_default(language)
    status, comment, from_previous = _initial_values(item, initial_status)

    lines = [f"*{excerpt(item.title, TITLE_LIMIT)}*", goal_line(item, language)]
    dates = date_range(item.start, item.end, language)
    if dates:
        lines.append(dates)
    deadline = msg(language, "deadline", deadline=format_datetime(period.deadline, language))
    lines.append(msg(language, "modal_period", period=period.key, deadline=deadline))
    blocks: list[Block] = [section("\n".join(lines))]
    if item.status is not None:
        blocks.append(context(msg(language, "modal_current", status=reported_line(item, language))))
    if not period.is_open:
        blocks.append(context(msg(language, "period_is_closed", period=period.key)))
    if from_previous:
        blocks.append(context(msg(language, "modal_prefilled")))

    select: dict[str, Any] = {
        "type": "static_select",
        "action_id": ids.STATUS_INPUT,
        "placeholder": plain(msg(language, "select_status")),
        "options": status_options(language),
    }
    if status is not None:
        select["initial_option"] = status_option(status, language)
    blocks.append(
        {
            "type": "input",
            "block_id": ids.STATUS_BLOCK,
            "label": plain(msg(language, "modal_status_label")),
            "element": select,
        }
    )

    comment_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.COMMENT_INPUT,
        "multiline": True,
        "max_length": COMMENT_MAX_LENGTH,
    }
    if comment.strip():
        # Raw on purpose: an input's value is not rendered as mrkdwn, and escaping it here would
        # change the comment on every save (`&` -> `&amp;` -> `&amp;amp;`).
        comment_input["initial_value"] = comment[:COMMENT_MAX_LENGTH]
    labels = [status_label(s, language) for s in STATUS_ORDER if s in COMMENT_REQUIRED]
    required = f"{', '.join(labels[:-1])} {msg(language, 'and')} {labels[-1]}"
    blocks.append(
        {
            "type": "input",
            "block_id": ids.COMMENT_BLOCK,
            "label": plain(msg(language, "modal_comment_label")),
            "element": comment_input,
            "optional": True,
            "hint": plain(msg(language, "modal_comment_hint", statuses=required)),
        }
    )

    return {
        "type": "modal",
        "callback_id": ids.STATUS_MODAL,
        "private_metadata": metadata.encode(),
        "title": plain(msg(language, "modal_title")),
        "submit": plain(msg(language, "modal_submit")),
        "close": plain(msg(language, "modal_close")),
        "blocks": blocks,
    }


def parse_status_submission(view: object) -> tuple[str | None, str | None]:
    """Return the submitted raw status value and comment (None if missing); never raise."""
    values = value_at(view, "state", "values")
    status = value_at(values, ids.STATUS_BLOCK, ids.STATUS_INPUT, "selected_option", "value")
    comment = value_at(values, ids.COMMENT_BLOCK, ids.COMMENT_INPUT, "value")
    return (
        status if isinstance(status, str) else None,
        comment if isinstance(comment, str) else None,
    )
