"""Running it as a service: health, readiness and metrics in both modes, SIGTERM in Socket Mode,
idle connections that cannot starve a real request, and a standby that finishes a dead
leader's reminder round with every reminder delivered exactly once."""

from __future__ import annotations

import json
import signal
import socket
import time
from pathlib import Path

import pytest

from tests.fakes.slack_api import SlackEmulator
from tests.fakes.socket_mode import SocketModeServer
from tests.helpers import ON_SQLITE, plain_core
from tests.scenario.support import (
    BotProcess,
    SlackRequests,
    directory_users,
    faketime_available,
    faketime_env,
    prepare_database,
)


def _get(url: str) -> tuple[int, bytes]:
    import urllib.error

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait(predicate, timeout: float = 30.0, what: str = "condition"):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_socket_mode_serves_health_metrics_and_stops_cleanly_on_sigterm(
    sqlite_url: str, tmp_path: Path
) -> None:
    from bot.services.lease import lease_status

    prepare_database(sqlite_url, tmp_path)
    with SocketModeServer() as socket_server, SlackEmulator(users=directory_users()) as emulator:
        emulator.socket_mode_url = socket_server.url
        bot = BotProcess(
            sqlite_url,
            tmp_path,
            emulator.base_url,
            SLACK_APP_TOKEN="xapp-test",
            SLACK_SIGNING_SECRET="",
            UPPSIKT_HEALTH_PORT="0",
            UPPSIKT_SCHEDULER="on",
        )
        try:
            socket_server.wait_connected()
            base = bot.health_url.rsplit("/", 1)[0]
            status, body = _get(f"{base}/readyz")
            ready = json.loads(body)
            assert status == 200 and ready["socket_mode"] == "connected"
            assert ready["scheduler"] == "leader" and ready["migrations"] == "head"
            envelope = socket_server.send_envelope(
                "slash_commands",
                {
                    "command": "/uppsikt",
                    "text": "hjälp",
                    "user_id": "U0ANNA",
                    "team_id": "T0UPPSIKT",
                    "response_url": emulator.response_url(),
                },
            )
            started = time.monotonic()
            socket_server.wait_ack(envelope)
            assert time.monotonic() - started < 3
            emulator.wait_for("response_url", timeout=30)
            status, metrics = _get(f"{base}/metrics")
            text = metrics.decode()
            assert status == 200
            assert 'uppsikt_ack_seconds_count{kind="command",platform="slack"} 1.0' in text
            assert "uppsikt_scheduler_leader 1.0" in text
            assert 'uppsikt_reports_missing{period="2024-T2"} 79.0' in text
            assert lease_status(plain_core(sqlite_url)) is not None
            # SIGTERM: stop taking work, give the lease back, exit well within 10 s.
            stopped_at = time.monotonic()
            bot.process.send_signal(signal.SIGTERM)
            assert bot.process.wait(timeout=10) == 0
            assert time.monotonic() - stopped_at < 10
            socket_server.wait_disconnected()
            assert lease_status(plain_core(sqlite_url)) is None
            assert "Traceback" not in bot.logs()
        finally:
            bot.stop()


@ON_SQLITE
def test_http_mode_health_metrics_and_idle_connections(scenario) -> None:  # type: ignore[no-untyped-def]
    base = scenario.bot.health_url.rsplit("/", 1)[0]
    status, body = _get(f"{base}/readyz")
    assert status == 200 and json.loads(body)["database"] == "ok"
    assert _get(f"{base}/healthz")[0] == 200
    # Three hundred clients that connect and then say (almost) nothing...
    host, port = base.removeprefix("http://").split(":")
    idle = []
    for _ in range(300):
        conn = socket.create_connection((host, int(port)), timeout=5)
        conn.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")  # headers never finish
        idle.append(conn)
    try:
        # ...do not stop a real request from being acked at once.
        status, _body, seconds = scenario.slack.command("U0ANNA", "hjälp")
        assert status == 200 and seconds < 3
        _wait(lambda: scenario.emulator.calls_to("response_url"), what="the answer")
        status, metrics = _get(f"{base}/metrics")
        assert status == 200 and b"uppsikt_ack_seconds_bucket" in metrics
    finally:
        for conn in idle:
            conn.close()


def test_http_mode_also_serves_health_on_its_own_port_when_one_is_set(
    sqlite_url: str, tmp_path: Path
) -> None:
    """The container's health check asks UPPSIKT_HEALTH_PORT whatever mode the bot runs in."""
    prepare_database(sqlite_url, tmp_path)
    with SlackEmulator(users=directory_users()) as emulator:
        bot = BotProcess(sqlite_url, tmp_path, emulator.base_url, UPPSIKT_HEALTH_PORT="0")
        try:
            assert bot.process.stdout is not None
            line = bot.process.stdout.readline()
            assert "/healthz" in line and "/slack/events" not in line, line
            health = line.split("http://", 1)[1].split()[0]
            assert health.split("/")[0] != bot.base  # a port of its own
            assert _get(f"http://{health}")[0] == 200
            status, body = _get(f"http://{health.rsplit('/', 1)[0]}/readyz")
            assert status == 200 and json.loads(body)["database"] == "ok"
            assert _get(bot.health_url)[0] == 200  # and beside /slack/events
        finally:
            bot.stop()


@pytest.mark.skipif(not faketime_available(), reason="libfaketime is not installed")
def test_a_standby_finishes_a_dead_leaders_round_each_reminder_once(
    postgres_url: str, tmp_path: Path
) -> None:
    from sqlmodel import select

    from storage.db import session_scope
    from storage.models import ReminderMessage

    prepare_database(postgres_url, tmp_path)
    # 09:00 local on the 28-days-before day: the reminder round is due. The clock runs at
    # normal speed (a sped-up clock would make the emulator's real-time limit look like a flood).
    prefix, env = faketime_env("2024-08-13 07:00:00", speed=1)
    with SlackEmulator(users=directory_users()) as emulator:
        # Slow the round down: every message waits its turn, so there is a round to kill.
        emulator.rate_limit("chat.postMessage", per_second=0.5, per="channel")
        options = dict(
            UPPSIKT_SCHEDULER="on", UPPSIKT_LEASE_SECONDS="10", UPPSIKT_SWEEP_SECONDS="2", **env
        )
        leader = BotProcess(
            postgres_url, tmp_path, emulator.base_url, prefix=prefix, log_name="a.log", **options
        )
        standby = None
        try:
            assert "Påminnelseschemat körs" in "".join(leader.startup)
            standby = BotProcess(
                postgres_url, tmp_path, emulator.base_url, prefix=prefix, log_name="b.log",
                **options,
            )  # fmt: skip
            assert "tar över" in "".join(standby.startup)
            emulator.wait_until(
                lambda emu: [c for c in emu.calls_to("chat.postMessage") if c.ok], timeout=60
            )
            leader.kill()  # SIGKILL in the middle of the round
            killed_at = time.monotonic()
            _wait(
                lambda: "this process now runs the reminder schedule" in standby.logs(),
                timeout=60,
                what="the standby taking over",
            )
            assert time.monotonic() - killed_at < 10 + 2  # one lease period (and a sweep)

            def delivered() -> list[str]:
                keys = []
                for channel in ("DU0ANNA", "DU0BENGT"):
                    for message in emulator.messages(channel):
                        payload = (message.get("metadata") or {}).get("event_payload") or {}
                        keys.append(payload.get("key", ""))
                return keys

            keys = _wait(lambda: len(delivered()) >= 4 and delivered(), timeout=60, what="round")
            core = plain_core(postgres_url)
            _wait(
                lambda: len(_logged(core, session_scope, select, ReminderMessage)) >= 4,
                what="all logged",
            )
            assert sorted(keys) == sorted(set(keys)), "a reminder arrived twice"
            assert sorted(keys) == _logged(core, session_scope, select, ReminderMessage)
        finally:
            leader.stop()
            if standby is not None:
                standby.stop()


def _logged(core, session_scope, select, model) -> list[str]:  # type: ignore[no-untyped-def]
    with session_scope(core.engine) as session:
        return sorted(session.exec(select(model.key)).all())


__all__ = ["SlackRequests"]
