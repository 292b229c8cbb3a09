"""Every action_id, callback_id and block_id the Slack adapter uses, and the value codec."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.periods import PeriodKey, parse_period

# Actions (buttons and selects)
STATUS_SELECT = "uppsikt_status_select"
OPEN_STATUS_MODAL = "uppsikt_open_status_modal"
PUBLISH_REPORT = "uppsikt_publish_report"
PUBLISH_REPORT_WITH_WORD = "uppsikt_publish_report_word"
HOME_REFRESH = "uppsikt_home_refresh"
EDIT_PERIOD = "uppsikt_edit_period"
NEW_PERIOD = "uppsikt_new_period"
EDIT_SCHEDULE = "uppsikt_edit_schedule"
OPEN_DECISION = "uppsikt_open_decision"

# Views
STATUS_MODAL = "uppsikt_status_modal"
PERIOD_MODAL = "uppsikt_period_modal"
SCHEDULE_MODAL = "uppsikt_schedule_modal"
DECISION_MODAL = "uppsikt_decision_modal"

# Blocks inside the status modal
STATUS_BLOCK = "uppsikt_status"
STATUS_INPUT = "uppsikt_status_input"
COMMENT_BLOCK = "uppsikt_comment"
COMMENT_INPUT = "uppsikt_comment_input"

# Blocks inside the admin's period and schedule modals
PERIOD_KEY_BLOCK = "uppsikt_period_key"
PERIOD_KEY_INPUT = "uppsikt_period_key_input"
DEADLINE_DATE_BLOCK = "uppsikt_deadline_date"
DEADLINE_DATE_INPUT = "uppsikt_deadline_date_input"
DEADLINE_TIME_BLOCK = "uppsikt_deadline_time"
DEADLINE_TIME_INPUT = "uppsikt_deadline_time_input"
DEADLINE_CONFIRM_BLOCK = "uppsikt_deadline_confirm"
DEADLINE_CONFIRM_INPUT = "uppsikt_deadline_confirm_input"
PERIOD_STATE_BLOCK = "uppsikt_period_state"
PERIOD_STATE_INPUT = "uppsikt_period_state_input"
SCHEDULE_DAYS_BLOCK = "uppsikt_schedule_days"
SCHEDULE_DAYS_INPUT = "uppsikt_schedule_days_input"
SCHEDULE_TIME_BLOCK = "uppsikt_schedule_time"
SCHEDULE_TIME_INPUT = "uppsikt_schedule_time_input"

# Blocks inside the decision modal
DECISION_KIND_BLOCK = "uppsikt_decision_kind"
DECISION_KIND_INPUT = "uppsikt_decision_kind_input"
DECISION_REASONS_BLOCK = "uppsikt_decision_reasons"
DECISION_REASONS_INPUT = "uppsikt_decision_reasons_input"
DECISION_ACTIVITIES_BLOCK = "uppsikt_decision_activities"
DECISION_ACTIVITIES_INPUT = "uppsikt_decision_activities_input"
DECISION_REASON_PREFIX = "uppsikt_decision_reason_"
DECISION_REASON_INPUT = "uppsikt_decision_reason_input"
DECISION_DEADLINE_DATE_BLOCK = "uppsikt_decision_deadline_date"
DECISION_DEADLINE_DATE_INPUT = "uppsikt_decision_deadline_date_input"
DECISION_DEADLINE_TIME_BLOCK = "uppsikt_decision_deadline_time"
DECISION_DEADLINE_TIME_INPUT = "uppsikt_decision_deadline_time_input"
DECISION_CONFIRM_BLOCK = "uppsikt_decision_confirm"
DECISION_CONFIRM_INPUT = "uppsikt_decision_confirm_input"
DECISION_BOARD_BLOCK = "uppsikt_decision_board"
DECISION_BOARD_INPUT = "uppsikt_decision_board_input"
DECISION_PRESENTER_BLOCK = "uppsikt_decision_presenter"
DECISION_PRESENTER_INPUT = "uppsikt_decision_presenter_input"

# Slash command
COMMAND = "/uppsikt"

ACTION_IDS = (
    STATUS_SELECT,
    OPEN_STATUS_MODAL,
    PUBLISH_REPORT,
    PUBLISH_REPORT_WITH_WORD,
    HOME_REFRESH,
    EDIT_PERIOD,
    NEW_PERIOD,
    EDIT_SCHEDULE,
    OPEN_DECISION,
    DECISION_ACTIVITIES_INPUT,
)
VIEW_CALLBACK_IDS = (STATUS_MODAL, PERIOD_MODAL, SCHEDULE_MODAL, DECISION_MODAL)

_REF_RE = re.compile(r"^a(\d{1,10})\.p(\d{4}-T[123])(?:\.u(\d{1,10}))?$")
MAX_ID = 2**31 - 1
_PUBLISH_RE = re.compile(r"^p(\d{4}-T[123])$")
_PERIOD_VALUE_RE = re.compile(r"^\d{4}-T[123]$")
_PERIOD_MODAL_RE = re.compile(r"^(?:new|edit:(\d{4}-T[123]))$")
SCHEDULE_METADATA = "schedule"
MAX_VALUE_LENGTH = 150  # Slack's limit for button and option values


@dataclass(frozen=True)
class ActivityRef:
    """Which activity, in which period, from which unit's message: what a button carries."""

    activity_id: int
    period: PeriodKey
    unit_id: int | None = None

    def encode(self) -> str:
        unit = f".u{self.unit_id}" if self.unit_id is not None else ""
        return f"a{self.activity_id}.p{self.period}{unit}"


def decode_activity_ref(value: str | None) -> ActivityRef:
    """Decode a button or metadata value; raise ValueError on anything not made by `encode`."""
    if not value or len(value) > MAX_VALUE_LENGTH:
        raise ValueError("bad reference")
    match = _REF_RE.match(value)
    if not match:
        raise ValueError("bad reference")
    activity = int(match.group(1))
    unit = int(match.group(3)) if match.group(3) else None
    if not 0 < activity <= MAX_ID or (unit is not None and not 0 < unit <= MAX_ID):
        raise ValueError("bad reference")
    return ActivityRef(activity, parse_period(match.group(2)), unit)


def encode_publish(period: PeriodKey) -> str:
    """The publish button's value."""
    return f"p{period}"


def decode_publish(value: str | None) -> PeriodKey:
    """Decode the publish button's value; raise ValueError."""
    match = _PUBLISH_RE.match(value or "")
    if not match:
        raise ValueError("bad publish value")
    return parse_period(match.group(1))


_CHANNEL_RE = re.compile(r"^[CDGZ][A-Z0-9]{1,20}$")
_TS_RE = re.compile(r"^\d{1,12}\.\d{1,8}$")


@dataclass(frozen=True)
class ModalMetadata:
    """What the status modal carries: the activity and the message to update after saving."""

    ref: ActivityRef
    channel: str | None = None
    message_ts: str | None = None

    def encode(self) -> str:
        parts = [self.ref.encode()]
        if self.channel and self.message_ts:
            parts += [self.channel, self.message_ts]
        return "|".join(parts)


def decode_modal_metadata(value: str | None) -> ModalMetadata:
    """Decode `private_metadata`; raise ValueError on anything not made by `encode`."""
    if not value or len(value) > 300:
        raise ValueError("bad metadata")
    parts = value.split("|")
    ref = decode_activity_ref(parts[0])
    if len(parts) == 1:
        return ModalMetadata(ref)
    if len(parts) != 3 or not _CHANNEL_RE.match(parts[1]) or not _TS_RE.match(parts[2]):
        raise ValueError("bad metadata")
    return ModalMetadata(ref, parts[1], parts[2])


def encode_period(period: PeriodKey) -> str:
    """The admin's "Ändra" button value: the period key, `2024-T2`."""
    return str(period)


def decode_period(value: str | None) -> PeriodKey:
    """Decode an "Ändra" button value; raise ValueError on anything not made by `encode_period`."""
    if not value or not _PERIOD_VALUE_RE.fullmatch(value):
        raise ValueError("bad period value")
    return parse_period(value)


def encode_period_modal(period: PeriodKey | None) -> str:
    """The period modal's `private_metadata`: `edit:2024-T2`, or `new` for a new period."""
    return "new" if period is None else f"edit:{period}"


def decode_period_modal(value: str | None) -> PeriodKey | None:
    """Decode the period modal's metadata: the period edited, None for a new one; or ValueError."""
    match = _PERIOD_MODAL_RE.fullmatch(value or "")
    if not match:
        raise ValueError("bad period metadata")
    return parse_period(match.group(1)) if match.group(1) else None


def check_schedule_modal(value: str | None) -> None:
    """Raise ValueError unless this is the schedule modal's own `private_metadata`."""
    if value != SCHEDULE_METADATA:
        raise ValueError("bad schedule metadata")


_DECISION_RE = re.compile(r"^d(\d{4}-T[123])\.v(\d{1,6})$")


def encode_decision(period: str, version: int) -> str:
    """The decision modal's metadata: which period, which version it decides on."""
    return f"d{period}.v{version}"


def decode_decision(value: str | None) -> tuple[PeriodKey, int]:
    """Decode the decision modal's metadata; raise ValueError on anything else."""
    match = _DECISION_RE.fullmatch(value or "")
    if not match:
        raise ValueError("bad decision metadata")
    return parse_period(match.group(1)), int(match.group(2))
