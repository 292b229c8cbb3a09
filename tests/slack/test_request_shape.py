"""What reaches Bolt is what was checked: the body is parsed once, and the parsed form is judged."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from bot.slack.server import BadRequest, parse_request

FORM = "application/x-www-form-urlencoded"


def _headers(content_type: str) -> dict[str, str]:
    return {"content-type": content_type}


def _payload(document: object) -> str:
    return urlencode({"payload": json.dumps(document)})


SUBMISSION = {
    "type": "view_submission",
    "user": {"id": "U1"},
    "team": {"id": "T1"},
    "view": {"callback_id": "x", "state": {"values": {}}},
}


def test_an_interaction_is_parsed_once_and_handed_on_as_checked() -> None:
    request = parse_request(_payload(SUBMISSION), _headers(FORM))
    assert request.body == SUBMISSION


def test_a_slash_command_passes_with_its_fields() -> None:
    body = urlencode({"command": "/uppsikt", "user_id": "U1", "text": "hjälp"})
    request = parse_request(body, _headers(FORM))
    assert request.body["command"] == "/uppsikt"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("payload=%7Bnot+json", FORM),  # a payload that is not JSON
        (_payload([1, 2]), FORM),  # a payload that is not an object
        (_payload({**SUBMISSION, "type": "something_else"}), FORM),
        (_payload({**SUBMISSION, "user": "U1"}), FORM),  # a user that is not an object
        (_payload({**SUBMISSION, "view": None}), FORM),  # a submission without its view
        (_payload({**SUBMISSION, "actions": [1]}), FORM),  # actions that are not objects
        (json.dumps(SUBMISSION), FORM),  # a form that is JSON
        (urlencode({"command": "uppsikt", "user_id": "U1"}), FORM),  # no slash
        (urlencode({"command": "/uppsikt"}), FORM),  # nobody
        ("user_id=U1", FORM),  # neither a command nor a payload
        ('{"type": "event_callback", "event": "x"}', "application/json"),
        ('{"type": "something"}', "application/json"),
        ("[1]", "application/json"),
        ("{", "application/json"),
    ],
)
def test_what_slack_never_sends_is_a_400(body: str, content_type: str) -> None:
    with pytest.raises(BadRequest) as refused:
        parse_request(body, _headers(content_type))
    assert refused.value.status.startswith("400")
