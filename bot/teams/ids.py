"""Every verb and input id the Teams cards use, and the one decoder of what comes back.

Each `Action.Execute` carries its verb twice, as `verb` and as `data["action"]` (the Teams SDK
routes on the second, the Agents SDK on the first). What comes back in an invoke's data is
user-controlled input: it is decoded here, checked against the ranges and forms Uppsikt makes,
and anything else is a `BadData`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from bot.domain.periods import PeriodKey, parse_period
from bot.domain.status import COMMENT_MAX_LENGTH, Status
from bot.domain.text import clean_text

# Verbs (Action.Execute `verb` and `data.action`)
SAVE_STATUS = "uppsikt_save_status"
PUBLISH = "uppsikt_publish"
PUBLISH_WITH_WORD = "uppsikt_publish_word"
EDIT_PERIOD = "uppsikt_edit_period"
NEW_PERIOD = "uppsikt_new_period"
EDIT_SCHEDULE = "uppsikt_edit_schedule"
REFRESH_ADMIN = "uppsikt_refresh_admin"
OPEN_DECISION = "uppsikt_open_decision"
DECISION_NEXT = "uppsikt_decision_next"
SAVE_DECISION = "uppsikt_save_decision"
VERBS = (
    SAVE_STATUS,
    PUBLISH,
    PUBLISH_WITH_WORD,
    EDIT_PERIOD,
    NEW_PERIOD,
    EDIT_SCHEDULE,
    REFRESH_ADMIN,
    OPEN_DECISION,
    DECISION_NEXT,
    SAVE_DECISION,
)

# Where a save came from: a reminder Uppsikt logged, or the `status` overview card.
FROM_REMINDER = "reminder"
FROM_OVERVIEW = "overview"

MAX_ID = 2**31 - 1
MAX_CARD_ACTIVITIES = 50
_PERIOD_RE = re.compile(r"^\d{4}-T[123]$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^(\d{2}):(\d{2})(?::\d{2})?$")
MAX_DAYS_TEXT = 200


class BadData(ValueError):
    """The invoke's data is not something Uppsikt's cards send."""


def status_input_id(activity_id: int) -> str:
    return f"status_{activity_id}"


def comment_input_id(activity_id: int) -> str:
    return f"comment_{activity_id}"


def period_input_id(field: str, period: PeriodKey | None) -> str:
    """`date_2024T2` for a period's form, `date_new` for the new period's."""
    suffix = f"{period.year}T{period.tertial}" if period is not None else "new"
    return f"{field}_{suffix}"


SCHEDULE_DAYS_INPUT = "schedule_days"
SCHEDULE_TIME_INPUT = "schedule_time"
NEW_PERIOD_INPUT = "period_new"


def action_data(verb: str, **fields: Any) -> dict[str, Any]:
    """The `data` of an Action.Execute: the verb as `action`, then the fields."""
    return {"action": verb, **fields}


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadData("not an id")
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        raise BadData("not an id")
    number = int(text)
    if not 0 < number <= MAX_ID:
        raise BadData("id out of range")
    return number


def _period(value: object) -> PeriodKey:
    if not isinstance(value, str) or not _PERIOD_RE.fullmatch(value):
        raise BadData("not a period")
    try:
        return parse_period(value)
    except ValueError:
        raise BadData("not a period") from None


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise BadData(f"bad {key}")
    return value


# --- a status save ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveRequest:
    """One activity's save from a card: which, where from, and what the person chose."""

    activity_id: int
    period: PeriodKey
    unit_id: int | None
    source: str
    card_activity_ids: tuple[int, ...]
    part: int
    parts: int
    status: str  # the raw choice ("" when none was chosen); validated by the domain rule
    comment: str


def save_data(
    *,
    activity_id: int,
    period: str,
    unit_id: int | None,
    source: str,
    card_activity_ids: list[int],
    part: int = 1,
    parts: int = 1,
) -> dict[str, Any]:
    """The data of one activity's Save action."""
    fields: dict[str, Any] = {"a": activity_id, "p": period, "src": source}
    if unit_id is not None:
        fields["u"] = unit_id
    if source == FROM_REMINDER:
        fields["ids"] = list(card_activity_ids)
        fields["part"] = [part, parts]
    return action_data(SAVE_STATUS, **fields)


def parse_save(data: object) -> SaveRequest:
    """Decode a Save action's data with the card's inputs merged in; BadData otherwise."""
    if not isinstance(data, dict) or data.get("action") != SAVE_STATUS:
        raise BadData("not a save")
    activity_id = _int(data.get("a"))
    period = _period(data.get("p"))
    unit_id = _int(data["u"]) if data.get("u") is not None else None
    source = data.get("src")
    if source not in (FROM_REMINDER, FROM_OVERVIEW):
        raise BadData("bad source")
    ids: tuple[int, ...] = ()
    part = parts = 1
    if source == FROM_REMINDER:
        raw_ids = data.get("ids")
        if not isinstance(raw_ids, list) or not 0 < len(raw_ids) <= MAX_CARD_ACTIVITIES:
            raise BadData("bad ids")
        ids = tuple(_int(value) for value in raw_ids)
        raw_part = data.get("part")
        if not isinstance(raw_part, list) or len(raw_part) != 2:
            raise BadData("bad part")
        part, parts = _int(raw_part[0]), _int(raw_part[1])
        if not part <= parts <= MAX_CARD_ACTIVITIES:
            raise BadData("bad part")
    status = _text(data, status_input_id(activity_id), 40).strip()
    if status and status not in {s.value for s in Status}:
        raise BadData("bad status")
    # A little room for line endings that clean_text folds; the domain rule counts what is left.
    comment = clean_text(_text(data, comment_input_id(activity_id), COMMENT_MAX_LENGTH * 2))
    return SaveRequest(activity_id, period, unit_id, source, ids, part, parts, status, comment)


# --- publishing ---------------------------------------------------------------------------------


def parse_publish(data: object) -> tuple[PeriodKey, bool]:
    """The period to publish, and whether with the Word file; BadData otherwise."""
    if not isinstance(data, dict) or data.get("action") not in (PUBLISH, PUBLISH_WITH_WORD):
        raise BadData("not a publish")
    return _period(data.get("p")), data.get("action") == PUBLISH_WITH_WORD


# --- the admin card ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodForm:
    """A period's form from the admin card: the deadline's local date and time, the state."""

    period: PeriodKey
    is_new: bool
    day: date
    clock: time
    state: str
    confirmed: bool


class FormError(ValueError):
    """A form field the admin must correct; `key` is the catalogue message."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _parse_day(text: str) -> date:
    if not _DATE_RE.fullmatch(text):
        raise FormError(
            "teams_deadline_date_required" if not text else "teams_deadline_date_invalid"
        )
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FormError("teams_deadline_date_invalid") from None


def _parse_clock(text: str) -> time:
    match = _TIME_RE.fullmatch(text)
    if not match:
        raise FormError(
            "teams_deadline_time_required" if not text else "teams_deadline_time_invalid"
        )
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise FormError("teams_deadline_time_invalid")
    return time(hour, minute)


def parse_period_form(data: object) -> PeriodForm:
    """Decode an admin's period form (edit or new); BadData or FormError."""
    if not isinstance(data, dict) or data.get("action") not in (EDIT_PERIOD, NEW_PERIOD):
        raise BadData("not a period form")
    is_new = data.get("action") == NEW_PERIOD
    edited = None if is_new else _period(data.get("p"))
    if is_new:
        key_text = _text(data, NEW_PERIOD_INPUT, 20).strip().upper()
        if not _PERIOD_RE.fullmatch(key_text):
            raise FormError("teams_period_key_invalid")
        period = _period(key_text)
    else:
        assert edited is not None
        period = edited
    day = _parse_day(_text(data, period_input_id("date", edited), 20).strip())
    clock = _parse_clock(_text(data, period_input_id("time", edited), 20).strip())
    state = _text(data, period_input_id("state", edited), 20).strip() or "open"
    if state not in ("open", "closed"):
        raise FormError("teams_period_state_invalid")
    confirmed = _text(data, period_input_id("confirm", edited), 10).strip().lower() == "true"
    return PeriodForm(period, is_new, day, clock, state, confirmed)


def parse_schedule_form(data: object) -> tuple[str, str]:
    """The reminder days and time as typed (the schedule rule checks them); BadData."""
    if not isinstance(data, dict) or data.get("action") != EDIT_SCHEDULE:
        raise BadData("not a schedule form")
    days = _text(data, SCHEDULE_DAYS_INPUT, MAX_DAYS_TEXT).strip()
    at = _text(data, SCHEDULE_TIME_INPUT, 20).strip()
    match = _TIME_RE.fullmatch(at)
    if match:  # Input.Time may send seconds
        at = f"{match.group(1)}:{match.group(2)}"
    return days, at


# --- the committee's decision --------------------------------------------------------------------

DECISION_KINDS = ("approved", "returned", "referred")
MAX_RETURNED = 20  # a reason field each on the second step
MAX_REASON = 3000
MAX_PRESENTER = 200
# What a card's multi-select may send back at most (the seed has 79 activities; a year may have
# a few hundred): more than that was not made by Uppsikt.
MAX_CHOSEN_TEXT = 6000
MAX_CHOSEN = 500

DECISION_KIND_INPUT = "decision_kind"
DECISION_REASONS_INPUT = "decision_reasons"
DECISION_ACTIVITIES_INPUT = "decision_activities"
DECISION_DATE_INPUT = "decision_date"
DECISION_TIME_INPUT = "decision_time"
DECISION_CONFIRM_INPUT = "decision_confirm"
DECISION_BOARD_INPUT = "decision_board"
DECISION_PRESENTER_INPUT = "decision_presenter"


def reason_input_id(activity_id: int) -> str:
    return f"reason_{activity_id}"


@dataclass(frozen=True)
class DecisionChoice:
    """The decision card's first step: which decision, the reasons for the whole report, and
    the activities returned (as chosen, before the limit is checked)."""

    period: PeriodKey
    version: int | None  # None: the latest published version, whichever it is now
    kind: str  # "" while none is chosen
    reasons: str
    activity_ids: tuple[int, ...]


@dataclass(frozen=True)
class DecisionDetails:
    """The second step, as the secretary saves it."""

    period: PeriodKey
    version: int
    kind: str
    reasons: str
    returned: tuple[tuple[int, str], ...]  # (activity id, reason) in the card's order
    deadline_day: date | None
    deadline_time: time | None
    deadline_text: tuple[str, str]  # the date and time as sent, to show them again
    board_meeting: date | None
    board_text: str
    presenter: str
    confirmed: bool
    problem: str = ""  # a catalogue key: a date or time that cannot be read, shown in the card

    @property
    def choice(self) -> DecisionChoice:
        return DecisionChoice(
            self.period, self.version, self.kind, self.reasons, tuple(a for a, _r in self.returned)
        )


def decision_data(
    verb: str,
    *,
    period: str,
    version: int | None = None,
    kind: str = "",
    activity_ids: tuple[int, ...] | list[int] = (),
) -> dict[str, Any]:
    """The data of a decision card's action: the period, and what the first step chose."""
    fields: dict[str, Any] = {"p": period}
    if version is not None:
        fields["v"] = version
    if kind:
        fields["k"] = kind
    if activity_ids:
        fields["ids"] = list(activity_ids)
    return action_data(verb, **fields)


def _kind(value: object, *, allow_none: bool) -> str:
    if value is None or value == "":
        if allow_none:
            return ""
        raise BadData("no decision")
    if not isinstance(value, str) or value not in DECISION_KINDS:
        raise BadData("not a decision")
    return value


def _ids(value: object, limit: int) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > limit:
        raise BadData("bad ids")
    return tuple(dict.fromkeys(_int(v) for v in value))


def _chosen(text: str) -> tuple[int, ...]:
    """A multi-select's value: ids separated by commas (empty: none chosen)."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) > MAX_CHOSEN:
        raise BadData("too many chosen")
    return tuple(dict.fromkeys(_int(part) for part in parts))


def parse_decision_choice(data: object) -> DecisionChoice:
    """Decode an Open (from the summary, the command's card or Back) or a Next; BadData."""
    if not isinstance(data, dict) or data.get("action") not in (OPEN_DECISION, DECISION_NEXT):
        raise BadData("not a decision step")
    period = _period(data.get("p"))
    version = _int(data["v"]) if data.get("v") is not None else None
    reasons = clean_text(_text(data, DECISION_REASONS_INPUT, MAX_REASON * 2))
    if data.get("action") == DECISION_NEXT:
        if version is None:
            raise BadData("no version")
        kind = _kind(_text(data, DECISION_KIND_INPUT, 20).strip(), allow_none=True)
        chosen = _chosen(_text(data, DECISION_ACTIVITIES_INPUT, MAX_CHOSEN_TEXT))
    else:
        kind = _kind(data.get("k"), allow_none=True)
        chosen = _ids(data.get("ids"), MAX_RETURNED)
    return DecisionChoice(period, version, kind, reasons, chosen)


def _optional_day(text: str, key: str) -> date | None:
    if not text:
        return None
    if not _DATE_RE.fullmatch(text):
        raise FormError(key)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FormError(key) from None


def parse_decision_save(data: object) -> DecisionDetails:
    """Decode the second step's Save with its inputs; BadData. A date or time that cannot be
    read is a `problem` (the inputs are kept for the card); what is missing the decision rule
    says."""
    if not isinstance(data, dict) or data.get("action") != SAVE_DECISION:
        raise BadData("not a decision")
    period = _period(data.get("p"))
    version = _int(data.get("v"))
    kind = _kind(data.get("k"), allow_none=False)
    chosen = _ids(data.get("ids"), MAX_RETURNED) if kind == "returned" else ()
    reasons = clean_text(_text(data, DECISION_REASONS_INPUT, MAX_REASON * 2))
    returned = tuple(
        (activity_id, clean_text(_text(data, reason_input_id(activity_id), MAX_REASON * 2)))
        for activity_id in chosen
    )
    day_text = _text(data, DECISION_DATE_INPUT, 20).strip()
    clock_text = _text(data, DECISION_TIME_INPUT, 20).strip()
    board_text = _text(data, DECISION_BOARD_INPUT, 20).strip()
    day = clock = board = None
    problem = ""
    try:
        if kind == "returned":
            day = _optional_day(day_text, "teams_deadline_date_invalid")
            clock = _parse_clock(clock_text) if clock_text else None
        if kind == "referred":
            board = _optional_day(board_text, "teams_decision_board_invalid")
    except FormError as error:
        problem = error.key
    presenter = clean_text(_text(data, DECISION_PRESENTER_INPUT, MAX_PRESENTER * 2), one_line=True)
    confirmed = _text(data, DECISION_CONFIRM_INPUT, 10).strip().lower() == "true"
    return DecisionDetails(
        period=period,
        version=version,
        kind=kind,
        reasons=reasons,
        returned=returned,
        deadline_day=day,
        deadline_time=clock,
        deadline_text=(day_text, clock_text),
        board_meeting=board,
        board_text=board_text,
        presenter=presenter[:MAX_PRESENTER],
        confirmed=confirmed,
        problem=problem,
    )
