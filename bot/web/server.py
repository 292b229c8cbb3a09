"""A threaded WSGI server with routes, and the health and readiness answers every mode serves."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

logger = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"


def json_response(
    start_response: Callable[..., Any], status: str, body: dict[str, Any]
) -> list[bytes]:
    data = json.dumps(body).encode("utf-8")
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def router(routes: dict[str, WsgiApp], readiness: Callable[[], dict[str, Any]]) -> WsgiApp:
    """Dispatch by path; /healthz (alive) and /readyz (ready to serve) answer GET and HEAD."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path in (HEALTH_PATH, READY_PATH) and method in ("GET", "HEAD"):
            if path == HEALTH_PATH:
                return json_response(start_response, "200 OK", {"ok": True})
            try:
                state = readiness()
            except Exception:
                logger.exception("readiness check failed")
                state = {"ok": False}
            status = "200 OK" if state.get("ok") else "503 Service Unavailable"
            return json_response(start_response, status, state)
        app = routes.get(path)
        if app is None:
            return json_response(start_response, "404 Not Found", {"ok": False})
        return app(environ, start_response)

    return wsgi


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One thread per request, so a slow listener never holds up another user's ack."""

    daemon_threads = True
    request_queue_size = 128


class QuietHandler(WSGIRequestHandler):
    """Log requests at debug level, without query strings."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        logger.debug("%s %s", self.address_string(), format % args)


class Server:
    """A server on its own thread; `stop()` stops it."""

    def __init__(self, host: str, port: int, app: WsgiApp) -> None:
        self.httpd = make_server(
            host, port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler
        )
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.httpd.server_address[:2]
        return str(host), int(port)

    def start(self) -> Server:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
