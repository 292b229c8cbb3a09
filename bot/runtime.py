"""The composition root of `uppsikt run`: the core, the chat adapters, the scheduler, servers.

One process serves Slack (HTTP or Socket Mode) and/or Teams against one database, and runs the
reminder schedule when it holds the lease. SIGTERM and SIGINT stop it the same way in every
mode: stop taking work, finish what was acknowledged, give the lease back, exit.
"""

from __future__ import annotations

import gc
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.config import Settings, require_slack, slack_configured, teams_configured
from bot.i18n import t
from bot.services import database
from bot.services.core import Core
from bot.services.errors import Refused
from bot.web.server import Server, ServerLimits, router

logger = logging.getLogger(__name__)

Say = Callable[[str], None]


class StartError(Exception):
    """`uppsikt run` cannot start; the message says why."""


@dataclass
class Running:
    """What a running process holds, for readiness and for stopping."""

    core: Core
    stopping: threading.Event = field(default_factory=threading.Event)
    servers: list[Any] = field(default_factory=list)
    stoppers: list[Callable[[], None]] = field(default_factory=list)
    scheduler: Any = None
    socket_mode: Any = None

    def readiness(self) -> dict[str, Any]:
        state = database.readiness(self.core.engine)
        role = "off"
        if self.scheduler is not None:
            role = "leader" if self.scheduler.is_leader else "standby"
        ready = state.reachable and state.at_head and not self.stopping.is_set()
        body: dict[str, Any] = {
            "ok": ready,
            "database": "ok" if state.reachable else "error",
            "migrations": "head" if state.at_head else (state.revision or "none"),
            "scheduler": role,
        }
        if self.socket_mode is not None:
            connected = bool(getattr(self.socket_mode.client, "is_connected", lambda: False)())
            body["socket_mode"] = "connected" if connected else "disconnected"
            body["ok"] = body["ok"] and connected
        return body


def run(settings: Settings, say: Say) -> None:
    """Start everything configured and serve until SIGTERM or SIGINT."""
    language = settings.language
    slack = slack_configured(settings)
    teams = teams_configured(settings)
    if not slack and not teams:
        raise StartError(t(language, "cli_run_nothing"))
    if slack:
        missing = require_slack(settings)
        if missing:
            raise StartError(t(language, "cli_run_missing", names=", ".join(missing)))
    try:
        engine = database.open_database(settings)
    except Refused as refused:
        raise StartError(t(language, refused.key, **refused.params)) from None
    if not settings.municipality:
        say(t(language, "report_no_municipality"))
    running = Running(core=Core(settings=settings, engine=engine))
    from bot import metrics
    from bot.services.periods import missing_reports

    metrics.MISSING.source = lambda: missing_reports(running.core)
    # Handlers first: a stop asked for while starting still runs the clean-up.
    previous = _handle_signals(running)
    try:
        _start(running, slack=slack, teams=teams, say=say)
        # What start-up built (modules, the apps, the mappings) lives as long as the process:
        # out of the collector's reach, a full collection no longer pauses every thread for
        # tens of milliseconds in the middle of a burst of acks.
        gc.freeze()
        while not running.stopping.wait(0.5):
            pass
    finally:
        _stop(running)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        database.close_database(engine)
        say(t(language, "cli_run_stopped"))


def _start(running: Running, *, slack: bool, teams: bool, say: Say) -> None:
    """Build the adapters (attaching their notifiers), then the scheduler, then serve."""
    core = running.core
    settings = core.settings
    language = settings.language
    serve: list[Callable[[], None]] = []
    if slack:
        from bot.slack.app import build_app

        socket_mode = bool(settings.slack_app_token)
        try:
            # Acks go out as soon as the listener returns: listeners only parse, journal or
            # check, and queue the slow part (saving, updates, publishing) for after the ack.
            app, ctx = build_app(core, process_before_response=True)
        except Exception as error:  # auth.test refused the token, or Slack is unreachable
            raise StartError(
                t(language, "cli_run_slack_failed", error=type(error).__name__)
            ) from None
        running.stoppers.append(ctx.shutdown)
        if socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            handler = SocketModeHandler(app, settings.slack_app_token)
            running.socket_mode = handler
            running.stoppers.insert(0, handler.close)

            def connect() -> None:
                handler.connect()
                say(t(language, "cli_run_socket"))

            serve.append(connect)
        else:
            from bot.slack.server import EVENTS_PATH, make_slack_wsgi

            wsgi = make_slack_wsgi(
                app,
                signing_secret=settings.slack_signing_secret,
                max_body_bytes=settings.max_body_bytes,
            )

            def serve_slack() -> None:
                routes = router({EVENTS_PATH: wsgi}, running.readiness)
                server = Server(
                    settings.host,
                    settings.port,
                    routes,
                    limits=server_limits(settings),
                    backend=settings.http_server,
                ).start()
                running.servers.append(server)
                host, port = server.address
                say(t(language, "cli_run_http", host=host, port=port))

            serve.append(serve_slack)
    if teams:
        from bot.teams.app import build_teams

        try:
            teams_app = build_teams(core)
        except Exception as error:
            logger.exception("Teams could not be started")
            raise StartError(
                t(language, "cli_run_teams_failed", error=type(error).__name__)
            ) from None
        running.stoppers.insert(0, teams_app.stop)

        def serve_teams() -> None:
            server = teams_app.serve(readiness=running.readiness)
            running.servers.append(server)
            host, port = server.address
            say(t(language, "cli_run_teams", host=host, port=port))

        serve.append(serve_teams)
    _start_scheduler(running, say)
    for start in serve:
        start()
    # A port of its own for the load balancer or the container's health check, whatever else
    # runs (the same routes are served beside /slack/events and /api/messages as well).
    taken = {server.address[1] for server in running.servers}
    if settings.health_port is not None and settings.health_port not in taken:
        server = Server(
            settings.host,
            settings.health_port,
            router({}, running.readiness),
            limits=ServerLimits(threads=2, connection_limit=100),
        ).start()
        running.servers.append(server)
        host, port = server.address
        say(t(language, "cli_run_health", host=host, port=port))


def server_limits(settings: Settings) -> ServerLimits:
    """The HTTP limits the settings ask for."""
    return ServerLimits(threads=settings.http_threads, max_body_bytes=settings.max_body_bytes)


def _start_scheduler(running: Running, say: Say) -> None:
    settings = running.core.settings
    language = settings.language
    if not settings.scheduler:
        say(t(language, "cli_scheduler_off"))
        return
    from scheduler.runner import SchedulerTaken, start_scheduler

    try:
        running.scheduler = start_scheduler(
            running.core, single_process=database.single_process(running.core.engine)
        )
    except SchedulerTaken as taken:
        raise StartError(t(language, "cli_scheduler_taken", holder=taken.holder.holder)) from None
    if running.scheduler.is_leader:
        say(t(language, "cli_scheduler_on", seconds=settings.sweep_seconds))
    else:
        say(t(language, "cli_scheduler_standby", seconds=settings.effective_lease_seconds))


def _handle_signals(running: Running) -> dict[int, Any]:
    """SIGTERM and SIGINT ask for a clean stop, in every mode."""

    def stop(_signum: int, _frame: object) -> None:
        running.stopping.set()

    return {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}


def _stop(running: Running) -> None:
    """Stop taking work, finish what was acknowledged, give the lease back."""
    running.stopping.set()
    for server in running.servers:
        try:
            server.stop()
        except Exception:
            logger.exception("a server did not stop cleanly")
    if running.scheduler is not None:
        try:
            running.scheduler.stop()
        except Exception:
            logger.exception("the scheduler did not stop cleanly")
    for stopper in running.stoppers:
        try:
            stopper()
        except Exception:
            logger.exception("an adapter did not stop cleanly")
