"""HTTP mode: a threaded WSGI server with Slack's endpoint and a health check."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text
from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def make_wsgi_app(
    app: App, *, engine: Engine, max_body_bytes: int
) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """Route /slack/events to Bolt (size-checked first) and answer /healthz."""
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                return _json(start_response, "200 OK", {"ok": True, "database": "ok"})
            except Exception:
                logger.exception("health check: database unreachable")
                return _json(
                    start_response, "503 Service Unavailable", {"ok": False, "database": "error"}
                )
        if path == EVENTS_PATH and method == "POST":
            raw_length = environ.get("CONTENT_LENGTH") or ""
            if not raw_length.isdigit():
                return _json(start_response, "411 Length Required", {"ok": False})
            if int(raw_length) > max_body_bytes:
                # Refuse before reading: a forged or oversized payload never reaches Bolt.
                return _json(start_response, "413 Payload Too Large", {"ok": False})
            return bolt(environ, start_response)
        return _json(start_response, "404 Not Found", {"ok": False})

    return wsgi


def _json(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode("utf-8")
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One thread per request, so a slow listener never holds up another user's ack."""

    daemon_threads = True
    request_queue_size = 128


class QuietHandler(WSGIRequestHandler):
    """Log requests at debug level, without query strings."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        logger.debug("%s %s", self.address_string(), format % args)


def make_http_server(host: str, port: int, wsgi_app: Callable[..., Any]) -> WSGIServer:
    """Bind the server (port 0 picks a free one)."""
    return make_server(
        host, port, wsgi_app, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    )
