"""A threaded WSGI server with routes, and the health and readiness answers every mode serves."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

logger = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"


def json_response(
    start_response: Callable[..., Any], status: str, body: dict[str, Any]
) -> list[bytes]:
    data = json.dumps(body).encode("utf-8")
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def router(routes: dict[str, WsgiApp], readiness: Callable[[], dict[str, Any]]) -> WsgiApp:
    """Dispatch by path; /healthz (alive), /readyz (ready to serve) and /metrics (Prometheus)
    answer GET and HEAD."""

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
        if path == METRICS_PATH and method in ("GET", "HEAD"):
            from bot import metrics

            data = metrics.render()
            start_response(
                "200 OK",
                [("Content-Type", metrics.CONTENT_TYPE), ("Content-Length", str(len(data)))],
            )
            return [data]
        app = routes.get(path)
        if app is None:
            return json_response(start_response, "404 Not Found", {"ok": False})
        return app(environ, start_response)

    return wsgi


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """The standard library's server, one thread per connection: kept only as the benchmark's
    reference (UPPSIKT_HTTP_SERVER=wsgiref); it has no timeouts and no bound on threads."""

    daemon_threads = True
    request_queue_size = 128


class QuietHandler(WSGIRequestHandler):
    """Log requests at debug level, without query strings."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        logger.debug("%s %s", self.address_string(), format % args)


@dataclass(frozen=True)
class ServerLimits:
    """What bounds a server: worker threads, open connections, how long a connection may idle,
    and the largest request it reads."""

    threads: int = 16
    connection_limit: int = 1000
    channel_timeout: int = 30
    max_body_bytes: int = 1_000_000
    max_header_bytes: int = 64 * 1024


class Server:
    """An HTTP server on its own thread. Waitress by default: HTTP/1.1 keep-alive, a fixed pool
    of worker threads, a cap on connections, idle connections closed, bodies and headers
    bounded; a request is handed to a worker only once it has fully arrived, so slow or idle
    clients never hold a worker."""

    def __init__(
        self,
        host: str,
        port: int,
        app: WsgiApp,
        *,
        limits: ServerLimits | None = None,
        backend: str = "waitress",
    ) -> None:
        self.backend = backend
        limits = limits or ServerLimits()
        if backend == "wsgiref":
            self._httpd = make_server(
                host, port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler
            )
            self._address = self._httpd.server_address[:2]
            target = self._serve_wsgiref
        else:
            from waitress.server import create_server

            self._waitress = create_server(
                app,
                host=host,
                port=port,
                threads=limits.threads,
                connection_limit=limits.connection_limit,
                channel_timeout=limits.channel_timeout,
                cleanup_interval=max(1, min(30, limits.channel_timeout // 2)),
                max_request_body_size=limits.max_body_bytes,
                max_request_header_size=limits.max_header_bytes,
                expose_tracebacks=False,
                ident="uppsikt",
                clear_untrusted_proxy_headers=True,
                asyncore_use_poll=True,
            )
            self._address = (self._waitress.effective_host, self._waitress.effective_port)
            target = self._waitress.run
        self.thread = threading.Thread(target=target, name=f"uppsikt-http-{port}", daemon=True)

    def _serve_wsgiref(self) -> None:
        self._httpd.serve_forever(poll_interval=0.2)

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._address
        return str(host), int(port)

    def start(self) -> Server:
        self.thread.start()
        return self

    def stop(self, timeout: float = 8.0) -> None:
        """Stop accepting, let requests in flight finish (up to `timeout`), close."""
        if self.backend == "wsgiref":
            self._httpd.shutdown()
            self._httpd.server_close()
            return
        from waitress import wasyncore

        server = self._waitress
        server.accepting = False
        server.task_dispatcher.shutdown(cancel_pending=False, timeout=timeout)
        wasyncore.close_all(server._map)
        self.thread.join(timeout=timeout)
