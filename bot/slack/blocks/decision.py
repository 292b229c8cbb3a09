"""The committee's decision in Slack: one modal that grows a reason field per returned activity,
and reading its submission back (never raising: errors by block id)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from bot.slack import ids
from bot.slack.blocks.common import Block, excerpt, plain, section, text_value, value_at
from bot.slack.messages import language_or_default, msg

KINDS = ("approved", "returned", "referred")
MAX_RETURNED = 20  # a reason field each: the modal's 100 blocks are enough for 20
MAX_REASON = 3000
OPTION_TEXT = 75  # Slack's limit for an option's text
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{2}):(\d{2})")


@dataclass(frozen=True)
class DecisionForm:
    """A readable decision modal."""

    kind: str
    reasons: str
    returned: tuple[tuple[int, str], ...]
    deadline_day: date | None
    deadline_time: time | None
    board_meeting: date | None
    presenter: str
    confirmed: bool


def _options(activities: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    """Activities grouped by goal (Slack allows 100 groups of 100 options)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for activity_id, goal, title in activities:
        label = excerpt(f"{goal} {title}".strip(), OPTION_TEXT)
        groups.setdefault(goal or "–", []).append({"text": plain(label), "value": str(activity_id)})
    return [
        {"label": plain(excerpt(goal, OPTION_TEXT)), "options": options[:100]}
        for goal, options in list(groups.items())[:100]
    ]


def build_decision_modal(
    *,
    language: str,
    period: str,
    version: int,
    activities: list[tuple[int, str, str]],
    chosen: list[int] | None = None,
) -> dict[str, Any]:
    """The decision modal for the latest published version; a reason field per chosen activity."""
    language = language_or_default(language)
    titles = {activity_id: title for activity_id, _goal, title in activities}
    chosen = [a for a in (chosen or []) if a in titles][:MAX_RETURNED]
    blocks: list[Block] = [
        section(msg(language, "decision_modal_intro", period=period, version=version)),
        {
            "type": "input",
            "block_id": ids.DECISION_KIND_BLOCK,
            "label": plain(msg(language, "decision_kind_label")),
            "element": {
                "type": "radio_buttons",
                "action_id": ids.DECISION_KIND_INPUT,
                "options": [
                    {"text": plain(msg(language, f"decision_kind_{kind}")), "value": kind}
                    for kind in KINDS
                ],
            },
        },
        {
            "type": "input",
            "block_id": ids.DECISION_REASONS_BLOCK,
            "optional": True,
            "label": plain(msg(language, "decision_reasons_label")),
            "element": {
                "type": "plain_text_input",
                "action_id": ids.DECISION_REASONS_INPUT,
                "multiline": True,
                "max_length": MAX_REASON,
            },
            "hint": plain(msg(language, "decision_reasons_hint")),
        },
        {
            "type": "input",
            "block_id": ids.DECISION_ACTIVITIES_BLOCK,
            "optional": True,
            "dispatch_action": True,
            "label": plain(msg(language, "decision_activities_label")),
            "element": {
                "type": "multi_static_select",
                "action_id": ids.DECISION_ACTIVITIES_INPUT,
                "option_groups": _options(activities),
                "max_selected_items": MAX_RETURNED,
                "placeholder": plain(msg(language, "decision_activities_placeholder")),
            },
            "hint": plain(msg(language, "decision_activities_hint", max=MAX_RETURNED)),
        },
    ]
    for activity_id in chosen:
        blocks.append(
            {
                "type": "input",
                "block_id": f"{ids.DECISION_REASON_PREFIX}{activity_id}",
                "label": plain(
                    excerpt(msg(language, "decision_reason_for", title=titles[activity_id]), 150)
                ),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ids.DECISION_REASON_INPUT,
                    "multiline": True,
                    "max_length": MAX_REASON,
                },
            }
        )
    blocks += [
        {
            "type": "input",
            "block_id": ids.DECISION_DEADLINE_DATE_BLOCK,
            "optional": True,
            "label": plain(msg(language, "decision_deadline_label")),
            "element": {"type": "datepicker", "action_id": ids.DECISION_DEADLINE_DATE_INPUT},
            "hint": plain(msg(language, "decision_deadline_hint")),
        },
        {
            "type": "input",
            "block_id": ids.DECISION_DEADLINE_TIME_BLOCK,
            "optional": True,
            "label": plain(msg(language, "deadline_time_label")),
            "element": {
                "type": "timepicker",
                "action_id": ids.DECISION_DEADLINE_TIME_INPUT,
                "initial_time": "16:00",
            },
        },
        {
            "type": "input",
            "block_id": ids.DECISION_CONFIRM_BLOCK,
            "optional": True,
            "label": plain(msg(language, "deadline_confirm_label")),
            "element": {
                "type": "checkboxes",
                "action_id": ids.DECISION_CONFIRM_INPUT,
                "options": [
                    {"text": plain(msg(language, "deadline_confirm_option")), "value": "confirm"}
                ],
            },
        },
        {
            "type": "input",
            "block_id": ids.DECISION_BOARD_BLOCK,
            "optional": True,
            "label": plain(msg(language, "decision_board_label")),
            "element": {"type": "datepicker", "action_id": ids.DECISION_BOARD_INPUT},
            "hint": plain(msg(language, "decision_board_hint")),
        },
        {
            "type": "input",
            "block_id": ids.DECISION_PRESENTER_BLOCK,
            "optional": True,
            "label": plain(msg(language, "decision_presenter_label")),
            "element": {
                "type": "plain_text_input",
                "action_id": ids.DECISION_PRESENTER_INPUT,
                "max_length": 200,
            },
        },
    ]
    return {
        "type": "modal",
        "callback_id": ids.DECISION_MODAL,
        "private_metadata": ids.encode_decision(period, version),
        "title": plain(msg(language, "decision_modal_title")),
        "submit": plain(msg(language, "decision_modal_submit")),
        "close": plain(msg(language, "modal_close")),
        "blocks": blocks,
    }


def _date(value: object) -> date | None:
    text = text_value(value)
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def chosen_activities(view: object) -> list[int]:
    """The activity ids chosen in the modal's multi-select (for growing the reason fields)."""
    values = value_at(view, "state", "values")
    selected = value_at(
        values, ids.DECISION_ACTIVITIES_BLOCK, ids.DECISION_ACTIVITIES_INPUT, "selected_options"
    )
    result = []
    for option in selected if isinstance(selected, list) else []:
        value = option.get("value") if isinstance(option, dict) else None
        if isinstance(value, str) and value.isdigit() and len(value) <= 10:
            result.append(int(value))
    return result[:MAX_RETURNED]


def parse_decision_submission(view: object, *, language: str) -> DecisionForm | dict[str, str]:
    """The decision modal's values, or errors by block id."""
    language = language_or_default(language)
    values = value_at(view, "state", "values")
    errors: dict[str, str] = {}
    kind = value_at(
        values, ids.DECISION_KIND_BLOCK, ids.DECISION_KIND_INPUT, "selected_option", "value"
    )
    if kind not in KINDS:
        errors[ids.DECISION_KIND_BLOCK] = msg(language, "decision_kind_required")
    reasons = text_value(
        value_at(values, ids.DECISION_REASONS_BLOCK, ids.DECISION_REASONS_INPUT, "value")
    )
    returned = []
    for activity_id in chosen_activities(view):
        block = f"{ids.DECISION_REASON_PREFIX}{activity_id}"
        reason = text_value(value_at(values, block, ids.DECISION_REASON_INPUT, "value"))
        if kind == "returned" and not reason:
            errors[block] = msg(language, "decision_return_needs_reasons")
        returned.append((activity_id, reason))
    day_text = value_at(
        values, ids.DECISION_DEADLINE_DATE_BLOCK, ids.DECISION_DEADLINE_DATE_INPUT, "selected_date"
    )
    clock_text = text_value(
        value_at(
            values,
            ids.DECISION_DEADLINE_TIME_BLOCK,
            ids.DECISION_DEADLINE_TIME_INPUT,
            "selected_time",
        )
    )
    match = _TIME.fullmatch(clock_text)
    clock = None
    if match:
        try:
            clock = time(int(match.group(1)), int(match.group(2)))
        except ValueError:
            clock = None
    board = _date(
        value_at(values, ids.DECISION_BOARD_BLOCK, ids.DECISION_BOARD_INPUT, "selected_date")
    )
    presenter = text_value(
        value_at(values, ids.DECISION_PRESENTER_BLOCK, ids.DECISION_PRESENTER_INPUT, "value")
    )
    confirm = value_at(
        values, ids.DECISION_CONFIRM_BLOCK, ids.DECISION_CONFIRM_INPUT, "selected_options"
    )
    confirmed = isinstance(confirm, list) and any(
        isinstance(o, dict) and o.get("value") == "confirm" for o in confirm
    )
    if kind == "returned":
        if not returned:
            errors[ids.DECISION_ACTIVITIES_BLOCK] = msg(
                language, "decision_return_needs_activities"
            )
        if _date(day_text) is None or clock is None:
            errors[ids.DECISION_DEADLINE_DATE_BLOCK] = msg(language, "decision_deadline_required")
    if kind == "referred" and board is None:
        errors[ids.DECISION_BOARD_BLOCK] = msg(language, "decision_board_meeting_required")
    if errors:
        return errors
    assert isinstance(kind, str)
    return DecisionForm(
        kind=kind,
        reasons=reasons,
        returned=tuple(returned) if kind == "returned" else (),
        deadline_day=_date(day_text),
        deadline_time=clock,
        board_meeting=board,
        presenter=presenter,
        confirmed=confirmed,
    )
