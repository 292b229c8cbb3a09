"""The admin's App Home section and modals: periods, deadlines and the reminder schedule."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.periods import PeriodKey, parse_period
from bot.domain.reminder_policy import ReminderSchedule, parse_reminder_days, parse_reminder_time
from bot.domain.reporting import AdminPeriodRow, PeriodInfo
from bot.slack import ids
from bot.slack.blocks.common import (
    Block,
    button,
    context,
    divider,
    escape_mrkdwn,
    format_datetime,
    plain,
    section,
    text_value,
    value_at,
)
from bot.slack.messages import language_or_default, msg

# The admin section shows the newest periods only: the home tab has 100 blocks for everything.
ADMIN_PERIODS_SHOWN = 10
PERIOD_STATES = ("open", "closed")
DAYS_INPUT_MAX_LENGTH = 200
DEFAULT_DEADLINE_TIME = "16:00"

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME_RE = re.compile(r"(\d{2}):(\d{2})")


# --- App Home -----------------------------------------------------------------------------------


def days_list(days: Sequence[int], language: str) -> str:
    """Return `28, 14, 7, 2 och 0` (sv) or `28, 14, 7, 2 and 0` (en)."""
    words = [str(day) for day in days]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {msg(language, 'and')} {words[-1]}"


def schedule_line(schedule: ReminderSchedule, language: str) -> str:
    """Return `*Påminnelser:* 28, 14, 7, 2 och 0 dagar före kl. 09:00`."""
    return msg(
        language,
        "home_schedule",
        days=days_list(schedule.days_before, language),
        time=f"{schedule.at:%H:%M}",
    )


def _state_label(state: str, language: str) -> str:
    known = state if state in ("open", "closed", "returned") else "closed"
    return msg(language, f"period_state_{known}")


def _progress(row: AdminPeriodRow, language: str) -> str:
    return msg(language, "progress_reported", reported=row.reported, total=row.total)


def admin_home_blocks(
    admin_periods: Sequence[AdminPeriodRow], schedule: ReminderSchedule | None, language: str
) -> list[Block]:
    """Return the admin's section of App Home: the newest periods and the reminder schedule."""
    language = language_or_default(language)
    newest = sorted(admin_periods, key=lambda row: row.key, reverse=True)[:ADMIN_PERIODS_SHOWN]
    blocks: list[Block] = [divider(), section(msg(language, "home_admin"))]
    for row in newest:
        marker = ":large_green_circle:" if row.is_open else ":lock:"
        text = msg(
            language,
            "home_admin_period",
            period=escape_mrkdwn(row.key),
            state=_state_label(row.state, language),
            deadline=format_datetime(row.deadline, language),
            progress=_progress(row, language),
        )
        blocks.append(
            section(
                f"{marker} {text}",
                button(msg(language, "button_change"), ids.EDIT_PERIOD, row.key),
            )
        )
    if not newest:
        blocks.append(context(msg(language, "home_admin_no_periods")))
    elif len(admin_periods) > len(newest):
        blocks.append(context(msg(language, "home_admin_more_periods", shown=len(newest))))
    if schedule is not None:
        blocks.append(
            section(
                schedule_line(schedule, language),
                button(msg(language, "button_edit_schedule"), ids.EDIT_SCHEDULE, "schedule"),
            )
        )
    blocks.append(
        {
            "type": "actions",
            "elements": [button(msg(language, "button_new_period"), ids.NEW_PERIOD, "new")],
        }
    )
    return blocks


# --- the period modal ---------------------------------------------------------------------------


def _state_option(state: str, language: str) -> dict[str, Any]:
    key = "period_option_open" if state == "open" else "period_option_closed"
    return {"text": plain(msg(language, key)), "value": state}


def build_period_modal(
    *, language: str, period: PeriodInfo | None, zone: ZoneInfo
) -> dict[str, Any]:
    """Build the modal where an admin opens a new period or changes one's deadline and state.

    `period` is the period edited (its key is shown, not editable), None for a new one.
    """
    language = language_or_default(language)
    blocks: list[Block] = []
    if period is not None:
        blocks.append(
            section(
                msg(
                    language,
                    "period_modal_period",
                    period=escape_mrkdwn(period.key),
                    state=_state_label(period.state, language),
                )
            )
        )
    else:
        blocks.append(
            {
                "type": "input",
                "block_id": ids.PERIOD_KEY_BLOCK,
                "label": plain(msg(language, "period_key_label")),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ids.PERIOD_KEY_INPUT,
                    "max_length": 10,
                    "placeholder": plain("2024-T3"),
                },
                "hint": plain(msg(language, "period_key_hint")),
            }
        )

    date_picker: dict[str, Any] = {"type": "datepicker", "action_id": ids.DEADLINE_DATE_INPUT}
    time_picker: dict[str, Any] = {
        "type": "timepicker",
        "action_id": ids.DEADLINE_TIME_INPUT,
        "initial_time": DEFAULT_DEADLINE_TIME,
    }
    state = "open"
    if period is not None:
        local = period.deadline.astimezone(zone)
        date_picker["initial_date"] = local.date().isoformat()
        time_picker["initial_time"] = f"{local:%H:%M}"
        state = period.state if period.state in PERIOD_STATES else "open"
    blocks += [
        {
            "type": "input",
            "block_id": ids.DEADLINE_DATE_BLOCK,
            "label": plain(msg(language, "deadline_date_label")),
            "element": date_picker,
        },
        {
            "type": "input",
            "block_id": ids.DEADLINE_TIME_BLOCK,
            "label": plain(msg(language, "deadline_time_label")),
            "element": time_picker,
            "hint": plain(msg(language, "deadline_time_hint", zone=zone.key)),
        },
        {
            "type": "input",
            "block_id": ids.PERIOD_STATE_BLOCK,
            "label": plain(msg(language, "period_state_label")),
            "element": {
                "type": "static_select",
                "action_id": ids.PERIOD_STATE_INPUT,
                "options": [_state_option(s, language) for s in PERIOD_STATES],
                "initial_option": _state_option(state, language),
            },
            "hint": plain(msg(language, "period_state_hint")),
        },
        {
            "type": "input",
            "block_id": ids.DEADLINE_CONFIRM_BLOCK,
            "optional": True,
            "label": plain(msg(language, "deadline_confirm_label")),
            "element": {
                "type": "checkboxes",
                "action_id": ids.DEADLINE_CONFIRM_INPUT,
                "options": [
                    {"text": plain(msg(language, "deadline_confirm_option")), "value": "confirm"}
                ],
            },
        },
    ]
    title = "period_modal_title_edit" if period is not None else "period_modal_title_new"
    key = parse_period(period.key) if period is not None else None
    return {
        "type": "modal",
        "callback_id": ids.PERIOD_MODAL,
        "private_metadata": ids.encode_period_modal(key),
        "title": plain(msg(language, title)),
        "submit": plain(msg(language, "modal_submit")),
        "close": plain(msg(language, "modal_close")),
        "blocks": blocks,
    }


@dataclass(frozen=True)
class PeriodForm:
    """A readable period modal submission: which period, the local deadline, state, and whether
    the admin confirmed a deadline that is past or outside the period's reporting."""

    period: PeriodKey
    day: date
    clock: time
    state: str
    is_new: bool
    confirmed: bool = False


def _parse_date(text: str) -> date | None:
    if not _DATE_RE.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def _parse_time(text: str) -> time | None:
    match = _TIME_RE.fullmatch(text)
    if not match:
        return None
    try:
        return time(int(match.group(1)), int(match.group(2)))
    except ValueError:
        return None


def parse_period_submission(
    view: object, *, editing: PeriodKey | None, zone: ZoneInfo, language: str
) -> PeriodForm | dict[str, str]:
    """Read the period modal's values: a PeriodForm, or errors by block id; never raise.

    `editing` is the period from the (already validated) metadata, None for a new period.
    """
    language = language_or_default(language)
    values = value_at(view, "state", "values")
    errors: dict[str, str] = {}

    period = editing
    if editing is None:
        key_text = text_value(value_at(values, ids.PERIOD_KEY_BLOCK, ids.PERIOD_KEY_INPUT, "value"))
        try:
            period = parse_period(key_text)
        except ValueError:
            errors[ids.PERIOD_KEY_BLOCK] = msg(language, "period_key_invalid")

    date_text = text_value(
        value_at(values, ids.DEADLINE_DATE_BLOCK, ids.DEADLINE_DATE_INPUT, "selected_date")
    )
    day = _parse_date(date_text)
    if not date_text:
        errors[ids.DEADLINE_DATE_BLOCK] = msg(language, "deadline_date_required")
    elif day is None:
        errors[ids.DEADLINE_DATE_BLOCK] = msg(language, "deadline_date_invalid")

    time_text = text_value(
        value_at(values, ids.DEADLINE_TIME_BLOCK, ids.DEADLINE_TIME_INPUT, "selected_time")
    )
    clock = _parse_time(time_text)
    if not time_text:
        errors[ids.DEADLINE_TIME_BLOCK] = msg(language, "deadline_time_required")
    elif clock is None:
        errors[ids.DEADLINE_TIME_BLOCK] = msg(language, "deadline_time_invalid")

    state = value_at(
        values, ids.PERIOD_STATE_BLOCK, ids.PERIOD_STATE_INPUT, "selected_option", "value"
    )
    if state not in PERIOD_STATES:
        errors[ids.PERIOD_STATE_BLOCK] = msg(language, "period_state_invalid")

    confirmed = value_at(values, ids.DEADLINE_CONFIRM_BLOCK, ids.DEADLINE_CONFIRM_INPUT)
    options = value_at(confirmed, "selected_options")
    is_confirmed = isinstance(options, list) and any(
        isinstance(o, dict) and o.get("value") == "confirm" for o in options
    )
    if errors:
        return errors
    assert period is not None and day is not None and clock is not None
    assert isinstance(state, str)
    return PeriodForm(
        period=period,
        day=day,
        clock=clock,
        state=state,
        is_new=editing is None,
        confirmed=is_confirmed,
    )


# --- the schedule modal -------------------------------------------------------------------------


def build_schedule_modal(
    *, language: str, schedule: ReminderSchedule, zone: ZoneInfo
) -> dict[str, Any]:
    """Build the modal where an admin changes the reminder days and time of day."""
    language = language_or_default(language)
    days = ",".join(str(day) for day in schedule.days_before)
    blocks: list[Block] = [
        context(msg(language, "schedule_intro")),
        {
            "type": "input",
            "block_id": ids.SCHEDULE_DAYS_BLOCK,
            "label": plain(msg(language, "schedule_days_label")),
            "element": {
                "type": "plain_text_input",
                "action_id": ids.SCHEDULE_DAYS_INPUT,
                "max_length": DAYS_INPUT_MAX_LENGTH,
                "initial_value": days[:DAYS_INPUT_MAX_LENGTH],
                "placeholder": plain("28,14,7,2,0"),
            },
            "hint": plain(msg(language, "schedule_days_hint")),
        },
        {
            "type": "input",
            "block_id": ids.SCHEDULE_TIME_BLOCK,
            "label": plain(msg(language, "schedule_time_label")),
            "element": {
                "type": "timepicker",
                "action_id": ids.SCHEDULE_TIME_INPUT,
                "initial_time": f"{schedule.at:%H:%M}",
            },
            "hint": plain(msg(language, "schedule_time_hint", zone=zone.key)),
        },
    ]
    return {
        "type": "modal",
        "callback_id": ids.SCHEDULE_MODAL,
        "private_metadata": ids.SCHEDULE_METADATA,
        "title": plain(msg(language, "schedule_modal_title")),
        "submit": plain(msg(language, "modal_submit")),
        "close": plain(msg(language, "modal_close")),
        "blocks": blocks,
    }


@dataclass(frozen=True)
class ScheduleChange:
    """A valid schedule modal submission, as the admin typed it (the service stores it)."""

    days_text: str
    time_text: str


def parse_schedule_submission(view: object, *, language: str) -> ScheduleChange | dict[str, str]:
    """Read the schedule modal's values: a ScheduleChange, or errors by block id; never raise."""
    language = language_or_default(language)
    values = value_at(view, "state", "values")
    errors: dict[str, str] = {}
    days_text = text_value(
        value_at(values, ids.SCHEDULE_DAYS_BLOCK, ids.SCHEDULE_DAYS_INPUT, "value")
    )
    try:
        parse_reminder_days(days_text)
    except ValueError:
        errors[ids.SCHEDULE_DAYS_BLOCK] = msg(language, "schedule_days_invalid")
    time_text = text_value(
        value_at(values, ids.SCHEDULE_TIME_BLOCK, ids.SCHEDULE_TIME_INPUT, "selected_time")
    )
    if not time_text:
        errors[ids.SCHEDULE_TIME_BLOCK] = msg(language, "schedule_time_required")
    else:
        try:
            parse_reminder_time(time_text)
        except ValueError:
            errors[ids.SCHEDULE_TIME_BLOCK] = msg(language, "schedule_time_invalid")
    if errors:
        return errors
    return ScheduleChange(days_text=days_text, time_text=time_text)
