"""What a reporter sees and may send: items per unit, progress, and input validation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.status import COMMENT_MAX_LENGTH, COMMENT_REQUIRED, Status, parse_status


@dataclass(frozen=True)
class PeriodInfo:
    """A period as shown to people: its key, local deadline and state."""

    key: str
    deadline: datetime
    state: str

    @property
    def is_open(self) -> bool:
        """Taking reports: open, or returned by the committee (for what it returned)."""
        return self.state in ("open", "returned")


@dataclass(frozen=True)
class AdminPeriodRow:
    """A period as an admin sees it in App Home: state, local deadline and progress."""

    key: str
    state: str
    deadline: datetime
    reported: int
    total: int

    @property
    def is_open(self) -> bool:
        """Taking reports: open, or returned by the committee (for what it returned)."""
        return self.state in ("open", "returned")


@dataclass(frozen=True)
class ActivityItem:
    """One activity as a reporter sees it in a period."""

    activity_id: int
    goal_number: str | None
    goal_text: str
    title: str
    start: date | None
    end: date | None
    status: Status | None = None
    comment: str = ""
    reported_by: str = ""
    reported_at: datetime | None = None
    previous_status: Status | None = None
    previous_comment: str = ""
    # The committee returned it for completion: its reason.
    return_reason: str = ""

    @property
    def is_missing(self) -> bool:
        return self.status is None


@dataclass(frozen=True)
class UnitProgress:
    """How far a unit has come in a period."""

    unit_id: int
    unit_path: str
    total: int
    reported: int

    @property
    def missing(self) -> int:
        return self.total - self.reported


@dataclass(frozen=True)
class StatusInput:
    """Validated input for one status save."""

    status: Status
    comment: str | None  # None: keep the current comment


class InputError(ValueError):
    """Input a user must correct: `field` is "status" or "comment", `key` an i18n message key."""

    def __init__(self, field: str, key: str, **params: object) -> None:
        super().__init__(key)
        self.field = field
        self.key = key
        self.params = params


def validate_status_input(
    status: str | None, comment: str | None, *, require_comment: bool
) -> StatusInput:
    """Check a status (machine value or label) and comment; raise InputError."""
    if not status:
        raise InputError("status", "status_required")
    try:
        parsed = parse_status(status)
    except ValueError:
        raise InputError("status", "status_unknown") from None
    if comment is not None:
        comment = comment.strip()
        if len(comment) > COMMENT_MAX_LENGTH:
            raise InputError(
                "comment", "comment_too_long", max=COMMENT_MAX_LENGTH, length=len(comment)
            )
        if require_comment and parsed in COMMENT_REQUIRED and not comment:
            raise InputError("comment", "comment_required")
    return StatusInput(parsed, comment)
