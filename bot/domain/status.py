"""The fixed status vocabulary: stable machine values, labels from the locale."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A status report's status, in the order the vocabulary is printed."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    DEVIATING = "deviating"
    DONE = "done"
    DONE_DEVIATING = "done_deviating"
    ON_HOLD = "on_hold"


STATUS_ORDER: tuple[Status, ...] = tuple(Status)

LABELS: dict[str, dict[Status, str]] = {
    "sv": {
        Status.NOT_STARTED: "Ej påbörjad",
        Status.ON_TRACK: "Pågående enligt plan",
        Status.DEVIATING: "Pågående med avvikelse",
        Status.DONE: "Avslutad enligt plan",
        Status.DONE_DEVIATING: "Avslutad med avvikelse",
        Status.ON_HOLD: "Vänteläge",
    },
    "en": {
        Status.NOT_STARTED: "Not started",
        Status.ON_TRACK: "In progress, on track",
        Status.DEVIATING: "In progress, deviating",
        Status.DONE: "Completed as planned",
        Status.DONE_DEVIATING: "Completed with deviation",
        Status.ON_HOLD: "On hold",
    },
}

# The committee reads these first, and a comment must explain them.
ATTENTION: frozenset[Status] = frozenset({Status.DEVIATING, Status.DONE_DEVIATING, Status.ON_HOLD})
COMMENT_REQUIRED: frozenset[Status] = ATTENTION

COMMENT_MAX_LENGTH = 3000

_LOOKUP: dict[str, Status] = {}
for _status in Status:
    _LOOKUP[_status.value] = _status
for _labels in LABELS.values():
    for _status, _label in _labels.items():
        _LOOKUP[_label.casefold()] = _status


def status_label(status: Status | str, language: str = "sv") -> str:
    """Return the printed label of a status in a language."""
    return LABELS[language][Status(status)]


def parse_status(text: str) -> Status:
    """Read a status from its machine value or its Swedish or English label; raise ValueError."""
    key = " ".join(text.split()).casefold()
    try:
        return _LOOKUP[key]
    except KeyError:
        allowed = ", ".join(LABELS["sv"].values())
        raise ValueError(f"unknown status {text!r} (allowed: {allowed})") from None
