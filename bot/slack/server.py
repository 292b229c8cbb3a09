"""HTTP mode: Slack's endpoint as a WSGI app, with every request checked before Bolt sees it.

A request is refused with a 4xx, never a 500, when it is too large, unsigned or badly signed
(a timestamp that is not a number, or older than five minutes), not UTF-8, or signed but not
shaped like anything Slack sends.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from slack_bolt import App
from slack_bolt.request import BoltRequest

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_CLOCK_SKEW = 60 * 5
INTERACTION_TYPES = frozenset(
    {
        "block_actions",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "block_suggestion",
    }
)
EVENT_TYPES = frozenset({"event_callback", "url_verification", "app_rate_limited"})

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class BadRequest(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


def check_signature(
    secret: bytes | None, headers: dict[str, str | Sequence[str]], body: bytes
) -> None:
    """Raise BadRequest("401 ...") unless Slack signed this body in the last five minutes.

    Computed over the raw bytes (Slack's v0 scheme), so a body that is not even UTF-8 is a 401
    or, signed, a 400 — never an error inside a verifier that expects text.
    """
    if secret is None:
        return
    timestamp = str(headers.get("x-slack-request-timestamp", ""))
    signature = str(headers.get("x-slack-signature", ""))
    if not (timestamp.isascii() and timestamp.isdigit() and 0 < len(timestamp) <= 12):
        raise BadRequest("401 Unauthorized")
    if abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW:
        raise BadRequest("401 Unauthorized")
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace")):
        raise BadRequest("401 Unauthorized")


def check_shape(content_type: str, text: str, document: object) -> None:
    """Raise BadRequest("400 ...") unless the body, as Bolt parsed it, is shaped like a Slack
    request: what is checked is what the listeners are given."""
    if not isinstance(document, dict):
        raise BadRequest("400 Bad Request")
    if content_type.startswith("application/json"):
        if document.get("type") not in EVENT_TYPES:
            raise BadRequest("400 Bad Request")
        if document.get("type") == "event_callback" and not isinstance(document.get("event"), dict):
            raise BadRequest("400 Bad Request")
        return
    if text.lstrip().startswith("{"):  # a form that is JSON: Slack never sends one
        raise BadRequest("400 Bad Request")
    if "command" in document:  # a slash command's form fields
        command, user_id = document.get("command"), document.get("user_id")
        if not (isinstance(command, str) and command.startswith("/") and user_id):
            raise BadRequest("400 Bad Request")
        return
    payload = document  # an interaction's payload
    if payload.get("type") not in INTERACTION_TYPES:
        raise BadRequest("400 Bad Request")
    user = payload.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        raise BadRequest("400 Bad Request")
    for name, kind in (("actions", list), ("view", dict), ("container", dict), ("team", dict)):
        if name in payload and payload[name] is not None and not isinstance(payload[name], kind):
            raise BadRequest("400 Bad Request")
    if "actions" in payload and (
        payload["actions"] is None or not all(isinstance(a, dict) for a in payload["actions"])
    ):
        raise BadRequest("400 Bad Request")
    if payload["type"] in ("view_submission", "view_closed") and not isinstance(
        payload.get("view"), dict
    ):
        raise BadRequest("400 Bad Request")


def parse_request(text: str, headers: dict[str, str | Sequence[str]]) -> BoltRequest:
    """The request as Bolt reads it (parsed once, here); BadRequest("400 ...") if it cannot be
    read or is not shaped like anything Slack sends."""
    try:
        request = BoltRequest(body=text, headers=headers)
    except Exception:  # not JSON where JSON belongs, or fields Bolt cannot read
        raise BadRequest("400 Bad Request") from None
    check_shape(str(headers.get("content-type", "")).lower(), text, request.body)
    return request


def make_slack_wsgi(app: App, *, signing_secret: str, max_body_bytes: int) -> WsgiApp:
    """Slack's endpoint: checked, then dispatched to Bolt."""
    secret = signing_secret.encode("utf-8") if signing_secret else None

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return respond(start_response, "405 Method Not Allowed", {"ok": False})
        raw_length = environ.get("CONTENT_LENGTH") or ""
        if not raw_length.isdigit():
            return respond(start_response, "411 Length Required", {"ok": False})
        if int(raw_length) > max_body_bytes:
            # Refuse before reading: an oversized payload never reaches Bolt.
            return respond(start_response, "413 Payload Too Large", {"ok": False})
        body = environ["wsgi.input"].read(int(raw_length)) if int(raw_length) else b""
        headers: dict[str, str | Sequence[str]] = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_") and isinstance(value, str)
        }
        content_type = environ.get("CONTENT_TYPE", "") or ""
        headers["content-type"] = content_type
        try:
            check_signature(secret, headers, body)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise BadRequest("400 Bad Request") from None
            request = parse_request(text, headers)
        except BadRequest as refused:
            return respond(start_response, refused.status, {"ok": False})
        response = app.dispatch(request)
        data = response.body.encode("utf-8") if isinstance(response.body, str) else response.body
        out_headers = [
            (name, value)
            for name, values in response.headers.items()
            for value in (values if isinstance(values, list) else [values])
            if name.lower() != "content-length"
        ]
        out_headers.append(("Content-Length", str(len(data))))
        start_response(f"{response.status} {_REASONS.get(response.status, 'OK')}", out_headers)
        return [data]

    return wsgi


_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 500: "Error"}


def respond(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode("utf-8")
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]
