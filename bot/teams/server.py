"""The Teams endpoint as a WSGI app: every request checked before the SDK sees it.

`POST /api/messages` is refused with a 4xx, never a 500, when it is too large, not JSON, not
shaped like an activity, or from another tenant than TEAMS_TENANT_ID (401); the SDK then checks
the token (signature, issuer, audience, expiry, service URL: 401 otherwise) and routes it.
`GET /files/<token>` serves a published report's stored file to a signed, unexpired link.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from microsoft_teams.api import ActivityTypeAdapter
from microsoft_teams.apps.events import CoreActivity
from pydantic import ValidationError

from bot import metrics
from bot.services import publishing
from bot.services.core import Core
from bot.services.errors import Refused
from bot.teams.links import FILES_PATH, BadToken, read_token
from bot.teams.loop import SdkLoop

logger = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
DRAIN_LIMIT = 8 * 1024 * 1024
HANDLE_TIMEOUT = 60.0
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Handle = Callable[[dict[str, Any]], Any]  # the SDK's HttpServer.handle_request


def respond(start_response: Callable[..., Any], status: str, body: object) -> list[bytes]:
    data = b"" if body is None else json.dumps(body).encode("utf-8")
    headers = [("Content-Length", str(len(data)))]
    if body is not None:
        headers.append(("Content-Type", "application/json; charset=utf-8"))
    start_response(status, headers)
    return [data]


class Refusal(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


def _drain(stream: Any, length: int) -> None:
    while length > 0:
        chunk = stream.read(min(length, 64 * 1024))
        if not chunk:
            return
        length -= len(chunk)


def _tenant(activity: dict[str, Any]) -> str:
    conversation = activity.get("conversation")
    tenant = conversation.get("tenantId") if isinstance(conversation, dict) else None
    if not tenant:
        channel_data = activity.get("channelData")
        found = channel_data.get("tenant") if isinstance(channel_data, dict) else None
        tenant = found.get("id") if isinstance(found, dict) else None
    return str(tenant or "")


def check_activity(body: bytes, *, tenant_id: str) -> dict[str, Any]:
    """The activity, if it is one and from our tenant; Refusal("4xx ...") otherwise."""
    try:
        activity = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refusal("400 Bad Request") from None
    if not isinstance(activity, dict) or not isinstance(activity.get("type"), str):
        raise Refusal("400 Bad Request")
    if not isinstance(activity.get("serviceUrl"), str) or not isinstance(
        activity.get("conversation"), dict
    ):
        raise Refusal("400 Bad Request")
    # A single-tenant bot: anything from another tenant is refused before anything reads it.
    if _tenant(activity).lower() != tenant_id.lower():
        raise Refusal("401 Unauthorized")
    try:
        core_activity = CoreActivity.model_validate(activity)
        ActivityTypeAdapter.validate_python(
            core_activity.model_dump(by_alias=True, exclude_none=True)
        )
    except (ValidationError, ValueError, TypeError):
        raise Refusal("400 Bad Request") from None
    return activity


_STATUS = {
    200: "200 OK",
    201: "201 Created",
    202: "202 Accepted",
    400: "400 Bad Request",
    401: "401 Unauthorized",
}


def make_messages_wsgi(
    loop: SdkLoop, handle: Handle, *, tenant_id: str, max_body_bytes: int
) -> WsgiApp:
    """`POST /api/messages`: checked, then handed to the SDK on its loop."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return respond(start_response, "405 Method Not Allowed", {"error": "method"})
        raw_length = environ.get("CONTENT_LENGTH") or ""
        if not raw_length.isdigit():
            return respond(start_response, "411 Length Required", {"error": "length"})
        if int(raw_length) > max_body_bytes:
            if int(raw_length) <= DRAIN_LIMIT:
                # Read it away unparsed, so the client gets the answer rather than a reset.
                _drain(environ["wsgi.input"], int(raw_length))
            return respond(start_response, "413 Payload Too Large", {"error": "too large"})
        body = environ["wsgi.input"].read(int(raw_length)) if int(raw_length) else b""
        try:
            activity = check_activity(body, tenant_id=tenant_id)
        except Refusal as refusal:
            if refusal.status.startswith("401"):
                logger.warning("an activity from another tenant was refused")
            return respond(start_response, refusal.status, {"error": refusal.status[4:]})
        authorization = str(environ.get("HTTP_AUTHORIZATION", ""))
        started = time.perf_counter()
        kind = str(activity.get("name") or activity.get("type") or "other")[:40]
        try:
            answer = loop.run(
                handle({"body": activity, "headers": {"authorization": authorization}}),
                HANDLE_TIMEOUT,
            )
        except FutureTimeout:
            logger.warning("an activity took longer than %s s", HANDLE_TIMEOUT)
            return respond(start_response, "503 Service Unavailable", {"error": "busy"})
        finally:
            metrics.ACK_SECONDS.labels("teams", kind).observe(time.perf_counter() - started)
        status = int(answer.get("status", 200)) if isinstance(answer, dict) else 200
        payload = answer.get("body") if isinstance(answer, dict) else None
        line = _STATUS.get(status, f"{status} {'OK' if status < 400 else 'Error'}")
        return respond(start_response, line, payload)

    return wsgi


def make_files_wsgi(core: Core, *, link_key: bytes) -> WsgiApp:
    """`GET /files/<token>`: the stored file a signed link names, byte for byte."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return respond(start_response, "405 Method Not Allowed", {"error": "method"})
        token = str(environ.get("PATH_INFO", ""))[len(FILES_PATH) :]
        try:
            ref = read_token(link_key, token)
            content = publishing.version_file(
                core, period=ref.period, version=ref.version, fmt=ref.fmt
            )
        except BadToken:
            return respond(start_response, "403 Forbidden", {"error": "link"})
        except Refused:
            return respond(start_response, "404 Not Found", {"error": "file"})
        start_response(
            "200 OK",
            [
                ("Content-Type", MEDIA_TYPES[ref.fmt]),
                ("Content-Length", str(len(content))),
                ("Content-Disposition", f'attachment; filename="{ref.filename}"'),
                ("Cache-Control", "private, no-store"),
            ],
        )
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else content]

    return wsgi


def make_teams_wsgi(files: WsgiApp, routes: WsgiApp) -> WsgiApp:
    """/files/ by prefix, everything else (/api/messages, /healthz, /readyz) by the router."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if str(environ.get("PATH_INFO", "")).startswith(FILES_PATH):
            return files(environ, start_response)
        return routes(environ, start_response)

    return wsgi
