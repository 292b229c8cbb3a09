"""A Slack Web API emulator for tests: a real HTTP server on 127.0.0.1, standard library only.

Point the real SDK at it and look at what arrived::

    with SlackEmulator(users={"anna@kommun.se": {"id": "U0ANNA"}}) as emu:
        client = WebClient(token="xoxb-test", base_url=emu.base_url)
        client.chat_postMessage(channel="C1", text="Hej")
        emu.wait_for("chat.postMessage")
        assert emu.messages("C1")[0]["text"] == "Hej"

It answers like Slack for the methods Uppsikt uses (errors are HTTP 200 with ``ok: false``, rate
limits are HTTP 429 with ``Retry-After``), validates what is cheap to validate, and records every
request, refused ones included, as a :class:`Call`. A bot running as a subprocess can use it too:
give it ``emu.base_url`` (and ``emu.response_url()`` in payloads); the server runs in the test
process. Methods it does not know answer ``unknown_method``; add one with :meth:`set_handler`.

Slack's faults can be injected (:meth:`inject_fault`): 5xx answers with or without the call
having been carried out, unreadable bodies, dropped connections and 429s with any Retry-After::

    emu.inject_fault("chat.postMessage", "accepted_status", status=503, channel="U0ANNA")
    emu.wait_until(lambda e: len(e.messages("DU0ANNA")) == 2)
"""

from __future__ import annotations

import base64
import binascii
import copy
import http
import itertools
import json
import math
import mimetypes
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TEAM_ID = "T0UPPSIKT"
TEAM_NAME = "Uppsikt Test"
TEAM_URL = "https://uppsikt-test.slack.com/"
BOT_USER_ID = "U0BOT"
BOT_USER_NAME = "uppsikt"
BOT_ID = "B0BOT"
APP_ID = "A0UPPSIKT"
DEFAULT_TOKENS = frozenset({"xoxb-test", "xapp-test"})

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT = 40_000
MAX_SECTION_TEXT = 3000
MAX_ACTIONS_ELEMENTS = 25
MAX_BLOCK_ID = 255
MAX_PRIVATE_METADATA = 3000
JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata")
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
MAX_HISTORY_LIMIT = 999
DEFAULT_USER_ID = "U0USER"

FAULT_KINDS = frozenset({"status", "accepted_status", "unreadable", "drop", "drop_before", "429"})
# Faults that carry the call out first (the message IS stored) and then fail the answer.
PROCESSING_FAULTS = frozenset({"accepted_status", "unreadable", "drop"})
_FAULT_OPTIONS = {
    "status": {"status", "body", "content_type"},
    "accepted_status": {"status", "body", "content_type"},
    "unreadable": {"body", "truncate", "content_type"},
    "drop": {"reset"},
    "drop_before": {"reset"},
    "429": {"retry_after"},
}
UNREADABLE_BODY = (
    "<!DOCTYPE html>\n<html><head><title>Slack</title></head>"
    "<body><h1>Something went wrong</h1><p>Please try again.</p></body></html>\n"
)
# Keys the emulator keeps on stored messages for tests; never part of an API answer.
PRIVATE_MESSAGE_KEYS = ("posted_with_token",)
_DROPPED = 0  # the status _handle returns (and Call records) when no answer was sent

Handler = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Call:
    """One request as the emulator saw it. ``status`` is the HTTP status it answered.

    ``fault`` is the kind of the injected fault that answered the call (see
    :meth:`SlackEmulator.inject_fault`), else None. ``status`` is 0 when the connection was closed
    without an answer. ``response`` is the JSON the emulator answered, or, for a fault that
    carried the call out first (``accepted_status``, ``unreadable``, ``drop``), the answer the
    method produced and the client never saw. A faulted call is never ``ok``.
    """

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    time: float
    status: int
    response: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    fault: str | None = None

    @property
    def ok(self) -> bool:
        return self.fault is None and self.status == 200 and bool(self.response.get("ok", True))


@dataclass
class _Fault:
    method: str
    kind: str
    times: int
    channel: str | None
    options: dict[str, Any]


class SlackError(Exception):
    """Raise from a handler to answer ``{"ok": false, "error": code}``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class _Bucket:
    """Token bucket: ``rate`` tokens a second, at most ``capacity`` saved up."""

    def __init__(self, rate: float, capacity: float) -> None:
        self.rate, self.capacity = rate, capacity
        self.tokens, self.updated = capacity, time.monotonic()

    def take(self) -> float:
        """Take a token and return 0, or return the seconds until one is available."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Parse a JSON or form-encoded body; raise ValueError when it is malformed."""
    kind = content_type.split(";")[0].strip().lower()
    if not body:
        return {}
    if kind == "application/json":
        data = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("a JSON body must be an object")
        return data
    # Form-encoded, also the default when no Content-Type was sent.
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))


def _check_blocks(blocks: Any, limit: int, error: str) -> None:
    if blocks is None:
        return
    if not isinstance(blocks, list):
        raise SlackError("invalid_blocks_format")
    if len(blocks) > limit:
        raise SlackError(error)
    seen: set[str] = set()
    for block in blocks:
        if not isinstance(block, dict) or "type" not in block:
            raise SlackError(error)
        block_id = block.get("block_id")
        if block_id is not None:
            if len(str(block_id)) > MAX_BLOCK_ID or block_id in seen:
                raise SlackError(error)
            seen.add(block_id)
        text = block.get("text")
        if block["type"] == "section" and isinstance(text, dict):
            if len(text.get("text", "")) > MAX_SECTION_TEXT:
                raise SlackError(error)
        if block["type"] == "actions" and len(block.get("elements", [])) > MAX_ACTIONS_ELEMENTS:
            raise SlackError(error)


def _check_metadata(metadata: Any) -> dict | None:
    """Slack's message metadata: ``{"event_type": str, "event_payload": dict}``."""
    if metadata is None or metadata == "":
        return None
    if not isinstance(metadata, dict):
        raise SlackError("invalid_metadata_format")
    event_type, payload = metadata.get("event_type"), metadata.get("event_payload")
    if not isinstance(event_type, str) or not event_type or not isinstance(payload, dict):
        raise SlackError("invalid_metadata_schema")
    return {"event_type": event_type, "event_payload": copy.deepcopy(payload)}


def _flag(value: Any) -> bool:
    """A boolean parameter: JSON true, or "true"/"1" in a form or query string."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true"}
    return bool(value)


def _ts_key(ts: Any) -> Decimal:
    """A message ts as a number (floats lose the microseconds); raise ValueError if it is none."""
    try:
        key = Decimal(str(ts).strip())
    except InvalidOperation:
        raise ValueError(f"not a Slack ts: {ts!r}") from None
    if not key.is_finite() or key < 0:
        raise ValueError(f"not a Slack ts: {ts!r}")
    return key


def _history_cursor(ts: str) -> str:
    return base64.b64encode(f"next_ts:{ts}".encode()).decode()


def _cursor_ts(cursor: str) -> Decimal:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        if not text.startswith("next_ts:"):
            raise ValueError(cursor)
        return _ts_key(text[len("next_ts:") :])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None


def _public(message: dict, *, metadata: bool = True) -> dict:
    """A stored message as an API answer shows it (no emulator-only keys)."""
    shown = copy.deepcopy(message)
    for key in PRIVATE_MESSAGE_KEYS:
        shown.pop(key, None)
    if not metadata:
        shown.pop("metadata", None)
    return shown


class SlackEmulator:
    """An in-process fake of the Slack Web API. Thread-safe; every answer is recorded."""

    def __init__(
        self,
        *,
        port: int = 0,
        valid_tokens: set[str] | frozenset[str] | None = DEFAULT_TOKENS,
        users: dict[str, dict[str, Any]] | None = None,
        socket_mode_url: str | None = None,
        trigger_ttl: float = 3.0,
    ) -> None:
        """``valid_tokens=None`` accepts any ``xoxb-``/``xoxp-``/``xapp-`` token."""
        self.port = port
        self.valid_tokens = valid_tokens
        self.socket_mode_url = socket_mode_url
        self.trigger_ttl = trigger_ttl
        self.users: dict[str, dict[str, Any]] = {}
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._handlers: dict[str, Handler] = {}
        self._limits: dict[str, tuple[float, str, float]] = {}
        self._faults: list[_Fault] = []
        self._caller_token: str | None = None  # the token of the call being handled
        self.reset()
        for email_address, user in (users or {}).items():
            self.add_user(email_address, **user)

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> SlackEmulator:
        server = _Server(("127.0.0.1", self.port), _RequestHandler)
        server.emulator = self  # type: ignore[attr-defined]
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SlackEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("SlackEmulator is not started")
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What ``WebClient(base_url=...)`` wants (with the trailing slash)."""
        return f"{self.url}/api/"

    def response_url(self, name: str = "default") -> str:
        """A ``response_url`` for test payloads; ``respond()`` posts land as method "response_url"."""
        return f"{self.url}/response_url/{name}"

    # ----------------------------------------------------------------- setup

    def add_user(self, email_address: str, user_id: str | None = None, **fields: Any) -> dict:
        """Put a user in the directory behind users.lookupByEmail and users.info."""
        user_id = user_id or fields.pop("id", None) or f"U0USER{len(self.users) + 1:04d}"
        name = fields.pop("name", email_address.split("@")[0])
        real_name = fields.pop("real_name", name)
        profile = {"email": email_address, "real_name": real_name, "display_name": name}
        profile.update(fields.pop("profile", {}))
        user = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": real_name,
            "deleted": False,
            "is_bot": False,
            "tz": "Europe/Stockholm",
            "tz_offset": 3600,
            "locale": "sv-SE",
            "profile": profile,
            **fields,
        }
        with self._lock:
            self.users[email_address] = user
        return user

    def set_handler(self, method: str, handler: Handler | None) -> None:
        """Answer ``method`` with ``handler(params) -> dict`` (raise SlackError for errors)."""
        with self._lock:
            if handler is None:
                self._handlers.pop(method, None)
            else:
                self._handlers[method] = handler

    def rate_limit(
        self, method: str, per_second: float | None = 1.0, per: str = "channel", burst: float = 1.0
    ) -> None:
        """Refuse ``method`` with 429 beyond ``per_second`` per channel (``per="global"``: overall).

        ``per_second=None`` removes the limit.
        """
        if per not in {"channel", "global"}:
            raise ValueError("per must be 'channel' or 'global'")
        with self._lock:
            if per_second is None:
                self._limits.pop(method, None)
            else:
                self._limits[method] = (per_second, per, burst)
            self._buckets = {k: v for k, v in self._buckets.items() if k[0] != method}

    def inject_429(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls to ``method`` with 429 and ``Retry-After``."""
        self.inject_fault(method, "429", times, retry_after=max(0, retry_after))

    def inject_fault(
        self, method: str, kind: str, times: int = 1, *, channel: str | None = None, **options: Any
    ) -> None:
        """Answer the next ``times`` calls to ``method`` (optionally only to ``channel``) with a fault.

        Faults are consumed in the order they were injected; a call takes the first one that
        matches. ``method`` is a Web API method, or "upload" / "response_url". ``channel`` matches
        the call's ``channel``, ``channel_id`` or single ``users`` value, a user id and its DM
        alike ("U0ANNA" matches "DU0ANNA"). They are checked after the token, before rate limits.
        Kinds and their options:

        - ``"status"``: answer HTTP ``status`` (default 500) without carrying the call out; the
          body is ``{"ok": false, "error": "<reason>"}`` or ``body`` (str, bytes or dict);
        - ``"accepted_status"``: carry the call out (the message IS stored), then answer as
          ``"status"`` does;
        - ``"unreadable"``: carry the call out, then answer 200 with an HTML error page, the real
          JSON answer cut in half (``truncate=True``) or ``body``;
        - ``"drop"``: carry the call out, then close the connection without an answer
          (``reset=True``: with a TCP reset); ``"drop_before"``: the same without carrying it out;
        - ``"429"``: answer 429 ``ratelimited`` with ``Retry-After: str(retry_after)``, whatever
          it is ("abc", "", "-5"); no Retry-After header when ``retry_after`` is absent or None.

        ``content_type`` sets the Content-Type of a ``body`` given. The Call records the kind in
        ``fault``.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(FAULT_KINDS)}")
        unknown = set(options) - _FAULT_OPTIONS[kind]
        if unknown:
            raise TypeError(f"fault {kind!r} takes no option(s) {sorted(unknown)}")
        if kind in {"status", "accepted_status"}:
            status = options.setdefault("status", 500)
            if not isinstance(status, int) or not 400 <= status <= 599:
                raise ValueError(f"a {kind!r} fault needs an HTTP error status, not {status!r}")
        if times < 0:
            raise ValueError("times must be >= 0")
        if times:
            with self._lock:
                self._faults.append(_Fault(method, kind, times, channel, dict(options)))

    def clear_faults(self) -> None:
        """Forget the faults not yet used (inject_429's ones too)."""
        with self._lock:
            self._faults.clear()

    def add_channel(self, channel: str) -> None:
        """Make ``channel`` known (conversations.history answers it even while it is empty)."""
        with self._changed:
            self._channels.add(channel)
            self._changed.notify_all()

    def add_message(
        self, channel: str, text: str, user: str = DEFAULT_USER_ID, ts: str | None = None, **fields
    ) -> dict:
        """Seed a message in ``channel`` as posted by ``user`` (the bot itself if BOT_USER_ID).

        ``ts`` defaults to the emulator's next ts; ``fields`` (``thread_ts``, ``blocks``,
        ``metadata``, ...) go on the message. Messages stay sorted oldest first. Return a copy.
        """
        with self._changed:
            ts = ts or self._next_ts()
            key = _ts_key(ts)
            channel = self._im_for(channel)
            history = self._messages.setdefault(channel, [])
            if any(_ts_key(m["ts"]) == key for m in history):
                raise ValueError(f"{channel} already has a message with ts {ts}")
            message: dict[str, Any] = {"type": "message", "user": user, "team": TEAM_ID}
            if user == BOT_USER_ID:
                message.update(bot_id=BOT_ID, app_id=APP_ID)
            message.update(text=text, blocks=[], ts=ts, **copy.deepcopy(fields))
            if "metadata" in fields:
                try:
                    metadata = _check_metadata(fields["metadata"])
                except SlackError as error:
                    raise ValueError(f"bad metadata: {error.code}") from None
                message.pop("metadata")
                if metadata is not None:
                    message["metadata"] = metadata
            at = next((i for i, m in enumerate(history) if _ts_key(m["ts"]) > key), len(history))
            history.insert(at, message)
            self._channels.add(channel)
            self._changed.notify_all()
            return copy.deepcopy(message)

    def issue_trigger_id(self) -> str:
        """A trigger_id that expires ``trigger_ttl`` s from now (other trigger ids never expire)."""
        with self._lock:
            trigger_id = f"{next(self._ids)}.{TEAM_ID}.{time.time_ns() % 10**12:x}"
            self._triggers[trigger_id] = time.monotonic()
        return trigger_id

    # ----------------------------------------------------------------- inspection

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if c.method == method]

    def clear(self) -> None:
        """Forget the recorded calls (messages, views, files and limits stay)."""
        with self._lock:
            self._calls.clear()

    def reset(self) -> None:
        """Forget calls and all Slack-side state (users, handlers and limits stay)."""
        with self._lock:
            self._calls: list[Call] = []
            self._messages: dict[str, list[dict]] = {}
            self._ephemeral: dict[str, list[dict]] = {}
            self._views: dict[str, dict] = {}
            self.home_views: dict[str, dict] = {}
            self.files: dict[str, dict] = {}
            self.uploaded_files: dict[str, bytes] = {}
            self._ims: set[str] = set()
            self._channels: set[str] = set()
            self._triggers: dict[str, float] = {}
            self._used_triggers: set[str] = set()
            self._buckets: dict[tuple[str, str], _Bucket] = {}
            self._ts = itertools.count(1)
            self._ids = itertools.count(1)

    def messages(self, channel: str) -> list[dict]:
        """Messages in ``channel`` as they are now (after updates and deletes), oldest first."""
        with self._lock:
            return copy.deepcopy(self._messages.get(channel, []))

    def channels(self) -> list[str]:
        """The channels (and DMs) that hold messages now, sorted."""
        with self._lock:
            return sorted(c for c, history in self._messages.items() if history)

    def ephemeral_messages(self, channel: str) -> list[dict]:
        with self._lock:
            return copy.deepcopy(self._ephemeral.get(channel, []))

    def view(self, view_id: str) -> dict:
        with self._lock:
            return copy.deepcopy(self._views[view_id])

    def wait_for(self, method: str, count: int = 1, timeout: float = 10) -> list[Call]:
        """Block until ``count`` calls to ``method`` succeeded (HTTP 200, ``ok``); return them all.

        On timeout raise AssertionError listing every recorded call (refusals and errors too).
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                done = [c for c in self._calls if c.method == method and c.ok]
                if len(done) >= count:
                    return done
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"waited {timeout} s for {count} successful {method} call(s), "
                        f"got {len(done)}. Recorded calls:\n{self._listing()}"
                    )
                self._changed.wait(min(remaining, 0.1))

    def wait_until(self, predicate: Callable[[SlackEmulator], Any], timeout: float = 10) -> Any:
        """Block until ``predicate(emulator)`` is true and return its value.

        It is checked now and again whenever a call is recorded (or a message seeded), holding
        the emulator's lock, so it may use :meth:`messages`, :meth:`calls_to` and the like. On
        timeout raise AssertionError listing every recorded call and the messages per channel.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate(self)
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    name = getattr(predicate, "__qualname__", repr(predicate))
                    raise AssertionError(
                        f"waited {timeout} s for {name} to be true, last {value!r}. "
                        f"Recorded calls:\n{self._listing()}\n"
                        f"Messages:\n{self._message_listing()}"
                    )
                self._changed.wait(min(remaining, 0.1))

    def _listing(self) -> str:
        if not self._calls:
            return "  (none)"
        start = self._calls[0].time
        lines = []
        for c in self._calls:
            summary = json.dumps(c.params, ensure_ascii=False, default=repr)
            summary = summary if len(summary) <= 160 else summary[:157] + "..."
            error = c.response.get("error")
            lines.append(
                f"  +{c.time - start:7.3f}s {c.status} {c.method}"
                f"{f' <fault {c.fault}>' if c.fault else ''}"
                f"{f' [{error}]' if error else ''} {summary}"
            )
        return "\n".join(lines)

    def _message_listing(self) -> str:
        lines = []
        for channel, history in sorted(self._messages.items()):
            lines.append(f"  {channel}: {len(history)} message(s)")
            for message in history[-5:]:
                text = str(message.get("text", ""))
                text = text if len(text) <= 80 else text[:77] + "..."
                extras = [k for k in ("thread_ts", "files", "metadata", "edited") if k in message]
                suffix = f" ({', '.join(extras)})" if extras else ""
                lines.append(f"    {message['ts']} {message.get('user')}: {text!r}{suffix}")
        return "\n".join(lines) or "  (none)"

    # ----------------------------------------------------------------- HTTP dispatch

    def _handle(self, verb: str, target: str, headers: dict[str, str], body: bytes):
        """Return (status, extra headers, response body) and record the call.

        Status 0 (``_DROPPED``) means: close the connection without answering.
        """
        parts = urlsplit(target)
        path = parts.path
        if path.startswith("/upload/") and verb == "POST":
            return self._upload(path, headers, body)
        if path.startswith("/response_url/") and verb == "POST":
            return self._response_url(path, headers, body)
        if not path.startswith("/api/"):
            return 404, {}, b"not found"
        method = path[len("/api/") :]
        try:
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            params.update(_parse_body(headers.get("content-type", ""), body))
        except ValueError:
            return self._answer(method, {}, headers, path, 200, {"error": "invalid_form_data"})
        token = self._token(headers, params)
        with self._lock:
            try:
                handler = self._handlers.get(method) or getattr(
                    self, "_api_" + method.replace(".", "_"), None
                )
                if handler is None:
                    raise SlackError("unknown_method")
                self._check_auth(method, token)
                for key in JSON_FIELDS:  # form fields carry nested values as JSON strings
                    if isinstance(params.get(key), str) and params[key].strip():
                        try:
                            params[key] = json.loads(params[key])
                        except ValueError:
                            raise SlackError(f"invalid_{key}_format") from None
            except SlackError as error:
                return self._answer(method, params, headers, path, 200, {"error": error.code})

            def process() -> tuple[int, dict[str, Any]]:
                return self._run(handler, params, token)

            fault = self._take_fault(method, params)
            if fault is not None:
                return self._faulted(fault, method, params, headers, path, process)
            refusal = self._throttle(method, params)
            if refusal is not None:
                body_429 = {"ok": False, "error": "ratelimited"}
                retry = {"Retry-After": str(refusal)}
                return self._answer(method, params, headers, path, 429, body_429, retry)
            status, result = process()
            return self._answer(method, params, headers, path, status, result)

    def _run(self, handler: Handler, params: dict[str, Any], token: str | None):
        """Carry a call out: (200, result), (200, error) or (500, error) for a handler bug."""
        self._caller_token = token
        try:
            return 200, handler(params)
        except SlackError as error:
            return 200, {"ok": False, "error": error.code}
        except Exception as error:  # a bug in a handler: answer 500 and show it in the listing
            return 500, {"ok": False, "error": "internal_error", "detail": repr(error)}
        finally:
            self._caller_token = None

    def _answer(
        self, method, params, headers, path, status, result, extra_headers=None, fault=None
    ):
        result = {"ok": "error" not in result, **result}
        payload = json.dumps(result, ensure_ascii=False).encode("utf-8")
        content_type = "application/json; charset=utf-8"
        call = Call(method, params, headers, time.time(), status, result, path, fault)
        return self._send(call, payload, {"Content-Type": content_type, **(extra_headers or {})})

    def _send(self, call: Call, payload: bytes, extra_headers: dict[str, str]):
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()
        return call.status, extra_headers, payload

    def _take_fault(self, method: str, params: dict[str, Any]) -> _Fault | None:
        """Use up the first injected fault that matches this call (caller holds the lock)."""
        channel = params.get("channel") or params.get("channel_id")
        users = params.get("users")
        if not channel and isinstance(users, str) and users and "," not in users:
            channel = users
        if isinstance(users, list) and len(users) == 1:
            channel = channel or users[0]
        channel = self._im_for(str(channel)) if channel else None
        for fault in self._faults:
            if fault.method != method:
                continue
            if fault.channel is not None and self._im_for(fault.channel) != channel:
                continue
            fault.times -= 1
            if fault.times <= 0:
                self._faults.remove(fault)
            return fault
        return None

    def _faulted(
        self,
        fault: _Fault,
        method: str,
        params: dict[str, Any],
        headers: dict[str, str],
        path: str,
        process: Callable[[], tuple[int, dict[str, Any]]],
    ):
        """Answer a call with an injected fault, carrying it out first for the kinds that do."""
        kind, options = fault.kind, fault.options
        if kind == "429":
            retry_after = options.get("retry_after")
            extra = {} if retry_after is None else {"Retry-After": str(retry_after)}
            return self._answer(
                method, params, headers, path, 429, {"error": "ratelimited"}, extra, kind
            )
        result: dict[str, Any] = {}
        if kind in PROCESSING_FAULTS:
            _, result = process()
            result = {"ok": "error" not in result, **result}
        status = options.get("status", 200)
        content_type = options.get("content_type")
        if kind in {"drop", "drop_before"}:
            call = Call(method, params, headers, time.time(), _DROPPED, result, path, kind)
            return self._send(call, b"", {"reset": "1"} if options.get("reset") else {})
        if kind == "unreadable":
            if "body" in options:
                body = options["body"]
            elif options.get("truncate"):
                whole = json.dumps(result, ensure_ascii=False)
                body, content_type = whole[: len(whole) // 2], content_type or "application/json"
            else:
                body, content_type = UNREADABLE_BODY, content_type or "text/html"
        else:  # "status" and "accepted_status"
            reason = http.HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
            body = options.get("body", {"ok": False, "error": reason})
            if not result and isinstance(body, dict):
                result = body
        if isinstance(body, dict):
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
            content_type = content_type or "application/json"
        else:
            payload = body.encode("utf-8") if isinstance(body, str) else bytes(body)
            if content_type is None:
                content_type = "text/html" if payload.lstrip().startswith(b"<") else "text/plain"
        if content_type.startswith("text/") or content_type == "application/json":
            content_type += "; charset=utf-8"
        call = Call(method, params, headers, time.time(), status, result, path, kind)
        return self._send(call, payload, {"Content-Type": content_type})

    @staticmethod
    def _token(headers: dict[str, str], params: dict[str, Any]) -> str | None:
        token = params.pop("token", None)
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            token = auth[len("bearer ") :].strip()
        return token or None

    def _check_auth(self, method: str, token: str | None) -> None:
        if token is None:
            raise SlackError("not_authed")
        known_kind = token.startswith(("xoxb-", "xoxp-", "xapp-"))
        if not known_kind or (self.valid_tokens is not None and token not in self.valid_tokens):
            raise SlackError("invalid_auth")
        if (method in APP_TOKEN_METHODS) != token.startswith("xapp-"):
            raise SlackError("not_allowed_token_type")

    def _throttle(self, method: str, params: dict[str, Any]) -> int | None:
        """Return a Retry-After in seconds when this call must be refused, else None."""
        if method not in self._limits:
            return None
        rate, per, burst = self._limits[method]
        key = (
            str(params.get("channel") or params.get("channel_id") or "") if per == "channel" else ""
        )
        bucket = self._buckets.setdefault((method, key), _Bucket(rate, burst))
        wait = bucket.take()
        return None if wait == 0 else max(1, math.ceil(wait))

    def _upload(self, path: str, headers: dict[str, str], body: bytes):
        file_id = path[len("/upload/") :]
        params = {"file_id": file_id, "length": len(body)}

        def process() -> tuple[int, dict[str, Any]]:
            known = file_id in self.files
            if known:
                self.uploaded_files[file_id] = body
            return (200 if known else 404), {"ok": known}

        with self._lock:
            fault = self._take_fault("upload", params)
            if fault is not None:
                return self._faulted(fault, "upload", params, headers, path, process)
            status, result = process()
            call = Call("upload", params, headers, time.time(), status, result, path)
            text = f"OK - {len(body)}" if result["ok"] else "file not found"
            return self._send(call, text.encode(), {"Content-Type": "text/plain"})

    def _response_url(self, path: str, headers: dict[str, str], body: bytes):
        try:
            params = _parse_body(headers.get("content-type") or "application/json", body)
        except ValueError:
            return self._answer(
                "response_url", {}, headers, path, 400, {"error": "invalid_payload"}
            )
        with self._lock:
            fault = self._take_fault("response_url", params)
            if fault is not None:
                return self._faulted(
                    fault, "response_url", params, headers, path, lambda: (200, {})
                )
            return self._answer("response_url", params, headers, path, 200, {})

    # ----------------------------------------------------------------- helpers for methods

    def _next_ts(self) -> str:
        micros = 1_700_000_000_000_000 + next(self._ts) * 100
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}0UP{next(self._ids):07d}"

    @staticmethod
    def _im_for(channel: str) -> str:
        """Posting to a user id lands in the app's DM with that user, as on Slack."""
        return f"D{channel}" if channel[:1] in {"U", "W"} else channel

    def _find_message(self, params: dict[str, Any]) -> tuple[list[dict], dict]:
        channel, ts = params.get("channel"), params.get("ts")
        if not channel or not ts:
            raise SlackError("message_not_found" if channel else "channel_not_found")
        history = self._messages.get(self._im_for(str(channel)), [])
        for message in history:
            if message["ts"] == ts:
                return history, message
        raise SlackError("message_not_found")

    @staticmethod
    def _check_message(params: dict[str, Any]) -> None:
        if not params.get("text") and not params.get("blocks") and not params.get("attachments"):
            raise SlackError("no_text")
        _check_blocks(params.get("blocks"), MAX_MESSAGE_BLOCKS, "invalid_blocks")

    def _user_by_id(self, user_id: str) -> dict | None:
        if user_id == BOT_USER_ID:
            return {
                "id": BOT_USER_ID,
                "team_id": TEAM_ID,
                "name": BOT_USER_NAME,
                "is_bot": True,
                "deleted": False,
                "profile": {"bot_id": BOT_ID, "real_name": "Uppsikt"},
            }
        return next((u for u in self.users.values() if u.get("id") == user_id), None)

    def _store_view(self, view: Any, *, kind: str, view_id: str | None = None) -> dict:
        if not isinstance(view, dict) or view.get("type") != kind:
            raise SlackError("invalid_arguments")
        _check_blocks(view.get("blocks", []), MAX_VIEW_BLOCKS, "invalid_arguments")
        if len(view.get("private_metadata", "")) > MAX_PRIVATE_METADATA:
            raise SlackError("invalid_arguments")
        if kind == "modal" and not view.get("title"):
            raise SlackError("invalid_arguments")
        view_id = view_id or self._next_id("V")
        stored = {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": kind,
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "state": {"values": {}},
            "hash": f"{time.time_ns()}.{next(self._ids)}",
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            **copy.deepcopy(view),
        }
        self._views[view_id] = stored
        return copy.deepcopy(stored)

    def _use_trigger(self, params: dict[str, Any]) -> None:
        trigger_id = params.get("trigger_id")
        if not trigger_id:
            raise SlackError("invalid_arguments")
        if trigger_id in self._used_triggers:
            raise SlackError("exchanged_trigger_id")
        issued = self._triggers.get(trigger_id)
        if issued is not None and time.monotonic() - issued > self.trigger_ttl:
            raise SlackError("expired_trigger_id")
        self._used_triggers.add(trigger_id)

    # ----------------------------------------------------------------- Web API methods

    def _api_auth_test(self, params: dict[str, Any]) -> dict:
        return {
            "url": TEAM_URL,
            "team": TEAM_NAME,
            "user": BOT_USER_NAME,
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _api_apps_connections_open(self, params: dict[str, Any]) -> dict:
        return {"url": self.socket_mode_url or f"ws://127.0.0.1:{self.port}/socket-mode"}

    def _store_message(self, channel: str, message: dict[str, Any]) -> None:
        """Keep a message the bot posted, with the token it used."""
        message["posted_with_token"] = self._caller_token
        self._messages.setdefault(channel, []).append(message)
        if channel.startswith("D"):
            self._ims.add(channel)  # the DM exists from now on, as conversations.open will say

    def _api_chat_postMessage(self, params: dict[str, Any]) -> dict:
        if not params.get("channel"):
            raise SlackError("channel_not_found")
        self._check_message(params)
        metadata = _check_metadata(params.get("metadata"))
        channel, ts = self._im_for(str(params["channel"])), self._next_ts()
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": str(params.get("text") or "")[:MAX_TEXT],
            "blocks": params.get("blocks") or [],
            "ts": ts,
        }
        for key in ("thread_ts", "attachments"):
            if params.get(key):
                message[key] = params[key]
        if metadata is not None:
            message["metadata"] = metadata
        self._store_message(channel, message)
        return {"channel": channel, "ts": ts, "message": _public(message)}

    def _api_chat_update(self, params: dict[str, Any]) -> dict:
        _, message = self._find_message(params)
        if message.get("bot_id") != BOT_ID:  # a bot token can only edit the bot's own messages
            raise SlackError("cant_update_message")
        self._check_message(params)
        metadata = _check_metadata(params.get("metadata"))
        for key in ("text", "blocks", "attachments"):
            if key in params:
                message[key] = str(params[key])[:MAX_TEXT] if key == "text" else params[key]
        if metadata is not None:
            message["metadata"] = metadata
        message["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        return {
            "channel": self._im_for(str(params["channel"])),
            "ts": message["ts"],
            "text": message["text"],
            "message": _public(message),
        }

    def _api_chat_delete(self, params: dict[str, Any]) -> dict:
        history, message = self._find_message(params)
        if message.get("bot_id") != BOT_ID:
            raise SlackError("cant_delete_message")
        history.remove(message)
        return {"channel": params["channel"], "ts": message["ts"]}

    def _api_conversations_history(self, params: dict[str, Any]) -> dict:
        channel = str(params.get("channel") or "")
        known = self._messages.keys() | self._ims | self._channels
        if not channel or channel not in known:
            raise SlackError("channel_not_found")
        try:
            limit = int(str(params.get("limit") or 100).strip())
        except ValueError:
            raise SlackError("invalid_limit") from None
        if limit < 1:
            raise SlackError("invalid_limit")
        limit = min(limit, MAX_HISTORY_LIMIT)
        bounds = []
        for name in ("oldest", "latest"):
            value = params.get(name)
            try:
                bounds.append(None if value in (None, "") else _ts_key(value))
            except ValueError:
                raise SlackError(f"invalid_ts_{name}") from None
        oldest, latest = bounds
        inclusive = _flag(params.get("inclusive"))
        cursor = params.get("cursor")
        start = _cursor_ts(str(cursor)) if cursor else None

        def wanted(message: dict) -> bool:
            # Thread replies live in conversations.replies, unless also sent to the channel.
            thread_ts = message.get("thread_ts")
            if (
                thread_ts
                and thread_ts != message["ts"]
                and message.get("subtype") != "thread_broadcast"
            ):
                return False
            ts = _ts_key(message["ts"])
            if oldest is not None and (ts < oldest or (ts == oldest and not inclusive)):
                return False
            if latest is not None and (ts > latest or (ts == latest and not inclusive)):
                return False
            return start is None or ts <= start

        found = [m for m in self._messages.get(channel, []) if wanted(m)]
        found.sort(key=lambda m: _ts_key(m["ts"]), reverse=True)
        page, rest = found[:limit], found[limit:]
        with_metadata = _flag(params.get("include_all_metadata"))
        return {
            "messages": [_public(m, metadata=with_metadata) for m in page],
            "has_more": bool(rest),
            "pin_count": 0,
            "response_metadata": {"next_cursor": _history_cursor(rest[0]["ts"]) if rest else ""},
        }

    def _api_chat_postEphemeral(self, params: dict[str, Any]) -> dict:
        if not params.get("channel"):
            raise SlackError("channel_not_found")
        if not params.get("user"):
            raise SlackError("user_not_found")
        self._check_message(params)
        ts = self._next_ts()
        message = {
            "user": params["user"],
            "text": str(params.get("text") or "")[:MAX_TEXT],
            "blocks": params.get("blocks") or [],
            "ts": ts,
        }
        self._ephemeral.setdefault(str(params["channel"]), []).append(message)
        return {"message_ts": ts}

    def _api_conversations_open(self, params: dict[str, Any]) -> dict:
        if params.get("channel"):
            return {"channel": {"id": params["channel"]}, "no_op": True, "already_open": True}
        users = params.get("users") or ""
        users = users if isinstance(users, list) else [u.strip() for u in users.split(",")]
        users = [u for u in users if u]
        if not users:
            raise SlackError("users_list_not_supplied")
        # An IM is "D" + the user id; a group DM gets a G id made from its sorted members.
        channel_id = f"D{users[0]}" if len(users) == 1 else "G" + "".join(sorted(users))[:20]
        answer: dict[str, Any] = {"channel": {"id": channel_id}}
        if channel_id in self._ims:
            answer.update(no_op=True, already_open=True)
        self._ims.add(channel_id)
        return answer

    def _api_users_lookupByEmail(self, params: dict[str, Any]) -> dict:
        email_address = str(params.get("email") or "")
        if not email_address:
            raise SlackError("invalid_arguments")
        user = self.users.get(email_address) or next(
            (u for e, u in self.users.items() if e.lower() == email_address.lower()), None
        )
        if user is None:
            raise SlackError("users_not_found")
        return {"user": copy.deepcopy(user)}

    def _api_users_info(self, params: dict[str, Any]) -> dict:
        user = self._user_by_id(str(params.get("user") or ""))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": copy.deepcopy(user)}

    def _api_views_open(self, params: dict[str, Any]) -> dict:
        self._use_trigger(params)
        return {"view": self._store_view(params.get("view"), kind="modal")}

    def _api_views_push(self, params: dict[str, Any]) -> dict:
        return self._api_views_open(params)

    def _api_views_update(self, params: dict[str, Any]) -> dict:
        view_id, external_id = params.get("view_id"), params.get("external_id")
        if not view_id and not external_id:
            raise SlackError("invalid_arguments")
        if not view_id:
            view_id = next(
                (v["id"] for v in self._views.values() if v.get("external_id") == external_id),
                None,
            )
        old = self._views.get(view_id or "")
        if old is None:
            raise SlackError("not_found")
        if params.get("hash") and params["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        view = params.get("view")
        if isinstance(view, dict) and old["external_id"] and not view.get("external_id"):
            view = {**view, "external_id": old["external_id"]}
        return {"view": self._store_view(view, kind=old["type"], view_id=view_id)}

    def _api_views_publish(self, params: dict[str, Any]) -> dict:
        user_id = params.get("user_id")
        if not user_id:
            raise SlackError("invalid_arguments")
        old = self.home_views.get(user_id)
        view = self._store_view(params.get("view"), kind="home", view_id=old and old["id"])
        self.home_views[user_id] = view
        return {"view": view}

    def _api_files_getUploadURLExternal(self, params: dict[str, Any]) -> dict:
        filename, length = params.get("filename"), str(params.get("length") or "")
        if not filename or not length.isdigit() or int(length) <= 0:
            raise SlackError("invalid_arguments")
        file_id = self._next_id("F")
        self.files[file_id] = {
            "id": file_id,
            "name": filename,
            "title": filename,
            "length": int(length),
            "completed": False,
        }
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _api_files_completeUploadExternal(self, params: dict[str, Any]) -> dict:
        files, channel_id = params.get("files"), params.get("channel_id")
        if not isinstance(files, list) or not files:
            raise SlackError("invalid_arguments")
        channels = [str(channel_id)] if channel_id else []
        listed = params.get("channels") or ""  # the SDK's channels=[...], comma-separated
        listed = listed if isinstance(listed, list) else str(listed).split(",")
        channels += [c.strip() for c in listed if c.strip() and c.strip() not in channels]
        # Slack checks channel_id against ^[CGDZ][A-Z0-9]{8,}$: a user id ("U...") is refused.
        if any(channel[:1] not in {"C", "G", "D", "Z"} for channel in channels):
            raise SlackError("invalid_arguments")
        for item in files:
            if not isinstance(item, dict) or item.get("id") not in self.uploaded_files:
                raise SlackError("file_not_found")
        shared = []
        for item in files:
            meta = self.files[item["id"]]
            name = meta["name"]
            meta.update(
                completed=True,
                title=item.get("title") or name,
                size=len(self.uploaded_files[item["id"]]),
                mimetype=mimetypes.guess_type(name)[0] or "application/octet-stream",
                filetype=name.rsplit(".", 1)[-1] if "." in name else "binary",
                user=BOT_USER_ID,
                created=int(time.time()),
                permalink=f"{TEAM_URL}files/{BOT_USER_ID}/{item['id']}/{name}",
                channels=list(channels),
            )
            shared.append({k: v for k, v in meta.items() if k not in {"length", "completed"}})
        for channel in channels:  # one message a channel, with all the files and the comment
            message = {
                "type": "message",
                "subtype": "file_share",
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
                "app_id": APP_ID,
                "team": TEAM_ID,
                "text": str(params.get("initial_comment") or "")[:MAX_TEXT],
                "blocks": [],
                "files": copy.deepcopy(shared),
                "upload": True,
                "ts": self._next_ts(),
            }
            if params.get("thread_ts"):
                message["thread_ts"] = params["thread_ts"]
            self._store_message(channel, message)
        return {"files": shared}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many clients at once must not wait for a SYN retry


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SlackEmulator/1.0"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        emulator: SlackEmulator = self.server.emulator  # type: ignore[attr-defined]
        status, extra, payload = emulator._handle(self.command, self.path, headers, body)
        if status == _DROPPED:  # an injected "drop": close without a word
            if extra.get("reset"):  # SO_LINGER 0: close() sends a TCP reset, not a FIN
                linger = struct.pack("ii", 1, 0)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                self.connection.close()  # before the server's shutdown(SHUT_WR) would send a FIN
            self.close_connection = True
            return
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass
