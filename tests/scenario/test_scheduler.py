"""Reminders on the calendar: `uppsikt run` as a real process with its clock moved (libfaketime),
killed and restarted, against the Slack emulator, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import load_settings
from storage.db import make_engine, session_scope
from storage.models import ReminderMessage
from tests.helpers import ON_POSTGRES, ON_SQLITE
from tests.scenario.support import (
    BotProcess,
    faketime_available,
    faketime_env,
    prepare_database,
)

pytestmark = pytest.mark.skipif(
    not faketime_available() and os.environ.get("CI") != "true",
    reason="libfaketime is not installed: apt-get install faketime (.ci/run installs it)",
)

# Deadline 2024-09-10 16:00 Stockholm: the 28-days-before reminder is Tuesday 2024-08-13 at
# 09:00 local = 07:00 UTC (summer time).
BEFORE_DUE_UTC = "2024-08-13 07:00:00"


def _engine(url: str):  # type: ignore[no-untyped-def]
    return make_engine(load_settings(env={"DATABASE_URL": url}, dotenv_path="/x").database_url)


def _logged(url: str) -> list[str]:
    with session_scope(_engine(url)) as session:
        return sorted(session.exec(select(ReminderMessage.key)).all())


def _dm_posts(emulator) -> list:  # type: ignore[no-untyped-def]
    return [
        c
        for c in emulator.calls_to("chat.postMessage")
        if c.ok and str(c.params.get("channel", "")).startswith("U0")
    ]


def _start(url: str, workdir: Path, emulator, instant: str, name: str) -> BotProcess:  # type: ignore[no-untyped-def]
    prefix, env = faketime_env(instant, speed=60)
    return BotProcess(
        url,
        workdir,
        emulator.base_url,
        prefix=prefix,
        log_name=name,
        UPPSIKT_SCHEDULER="on",
        UPPSIKT_SWEEP_SECONDS="60",
        **env,
    )


def _sweeps(bot: BotProcess) -> list[str]:
    """The bot's one line per sweep, in order."""
    return [line for line in bot.logs().splitlines() if "scheduler.runner: sweep:" in line]


def _settled(bot: BotProcess, emulator, quiet_sweeps: int = 2, needs_send: bool = True):  # type: ignore[no-untyped-def]
    """The DM posts once `quiet_sweeps` sweeps have run after the one that sent (the condition,
    not the clock: on a busy machine it simply takes longer)."""

    def quiet() -> bool:
        lines = _sweeps(bot)
        sending = [i for i, line in enumerate(lines) if " 0 sent" not in line]
        if not sending:
            # The sweep that sends has not finished yet (or, after a restart, there was
            # nothing left to send: every line of this process then counts).
            return not needs_send and len(lines) >= quiet_sweeps
        after = lines[sending[-1] + 1 :]
        return len(after) >= quiet_sweeps

    assert _wait(quiet, timeout=120), bot.logs()
    return _dm_posts(emulator)


def _sent_at(url: str) -> list[datetime]:
    with session_scope(_engine(url)) as session:
        return [m.sent_at for m in session.exec(select(ReminderMessage)).all()]


def _wait(predicate, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


@ON_POSTGRES
def test_reminder_goes_out_at_its_time_exactly_once(
    database_url: str, emulator, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    prepare_database(database_url, tmp_path)
    # 08:55 local, five fake minutes (five real seconds) before the reminder.
    bot = _start(database_url, tmp_path, emulator, "2024-08-13 06:55:00", "bot1.log")
    try:
        assert "Påminnelseschemat körs" in "".join(bot.startup)
        _wait(lambda: {p.params["channel"] for p in _dm_posts(emulator)} == {"U0ANNA", "U0BENGT"})
        expected = _settled(bot, emulator)
        assert len(expected) >= 3  # Samhällsbyggnad's 24 activities need two messages
        # The bot's own (moved) clock says when each went out: none before 09:00 local.
        assert min(_sent_at(database_url)) >= datetime(2024, 8, 13, 7, 0, tzinfo=UTC)
        sweeps = len(_sweeps(bot))
        assert _wait(lambda: len(_sweeps(bot)) >= sweeps + 4, timeout=120)
        assert len(_dm_posts(emulator)) == len(expected)  # four more sweeps sent nothing
        keys = _logged(database_url)
        assert len(keys) == len(set(keys)) == len(expected)
        assert all(":before:2024-08-13:" in key for key in keys)
    finally:
        bot.stop()


def test_missed_while_down_goes_out_once_and_a_crash_repeats_nothing(
    database_url: str, emulator, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    prepare_database(database_url, tmp_path)
    # Down over 09:00; back at 10:30 local the same day: the missed reminder still goes out.
    bot = _start(database_url, tmp_path, emulator, "2024-08-13 08:30:00", "bot1.log")
    try:
        _wait(lambda: _dm_posts(emulator))
        bot.kill()  # crash in the middle of the round (or just after it)
        first = len(_dm_posts(emulator))
        assert first >= 1
        bot = _start(database_url, tmp_path, emulator, "2024-08-13 08:40:00", "bot2.log")
        _wait(lambda: {p.params["channel"] for p in _dm_posts(emulator)} == {"U0ANNA", "U0BENGT"})
        posts = _settled(bot, emulator, needs_send=False)
        keys = _logged(database_url)
        assert len(keys) == len(set(keys)) == len(posts) >= 3
        # Every reminder appears exactly once in Slack.
        seen = [(p.params["channel"], str(p.params.get("blocks"))) for p in posts]
        assert len(seen) == len(set(seen))
    finally:
        bot.stop()


@ON_SQLITE
def test_missed_day_is_not_sent_late(database_url: str, emulator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prepare_database(database_url, tmp_path)
    # Back only at 21:00 local that day: too late; nothing goes out that evening.
    bot = _start(database_url, tmp_path, emulator, "2024-08-13 19:00:00", "bot1.log")
    try:
        assert _wait(lambda: len(_sweeps(bot)) >= 4, timeout=120), bot.logs()
        assert _dm_posts(emulator) == []
        assert _logged(database_url) == []
    finally:
        bot.stop()


def test_a_second_process_on_sqlite_is_refused_and_a_crashed_one_is_replaced_at_once(
    sqlite_url: str, emulator, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from tests.scenario.support import base_env, uppsikt_command

    prepare_database(sqlite_url, tmp_path)
    first = BotProcess(
        sqlite_url, tmp_path, emulator.base_url, log_name="a.log", UPPSIKT_SCHEDULER="on"
    )
    try:
        assert "Påminnelseschemat körs" in "".join(first.startup)
        env = base_env(
            sqlite_url,
            SLACK_BOT_TOKEN="xoxb-test",
            SLACK_SIGNING_SECRET="s",
            SLACK_API_URL=emulator.base_url,
            UPPSIKT_PORT="0",
            UPPSIKT_SCHEDULER="on",
        )
        second = subprocess.run(
            [*uppsikt_command(), "run"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert "En annan process kör redan påminnelseschemat" in second.stderr
        assert "http://" not in second.stdout  # it served nothing
        # A crash leaves the lease behind, held by a process that is gone: the next start on
        # this machine takes the schedule over at once rather than running without it.
        first.kill()
        third = BotProcess(
            sqlite_url, tmp_path, emulator.base_url, log_name="c.log", UPPSIKT_SCHEDULER="on"
        )
        try:
            assert "Påminnelseschemat körs" in "".join(third.startup)
        finally:
            third.stop()
    finally:
        first.stop()
    # A clean stop gives the lease back.
    from bot.services.lease import lease_status
    from tests.helpers import plain_core

    assert lease_status(plain_core(sqlite_url)) is None


def test_a_container_restarted_after_a_crash_takes_the_sqlite_schedule_at_once(
    sqlite_url: str, emulator, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The lease left by a process in another PID namespace (the container before its restart)
    is no proof of life on SQLite: nobody holds the file's run lock, so the new process leads."""
    from datetime import UTC, datetime, timedelta

    from storage.db import session_scope
    from storage.models import SchedulerLease
    from tests.helpers import plain_core
    from tests.scenario.support import BotProcess, prepare_database

    prepare_database(sqlite_url, tmp_path)
    core = plain_core(sqlite_url)
    with session_scope(core.engine, write=True) as session:
        session.add(
            SchedulerLease(
                name="reminders",
                holder="uppsikt-container~4026531836:1:0000aaaa",
                expires_at=datetime.now(UTC) + timedelta(hours=1),
            )
        )
    bot = BotProcess(sqlite_url, tmp_path, emulator.base_url, UPPSIKT_SCHEDULER="on")
    try:
        assert "Påminnelseschemat körs" in "".join(bot.startup)
    finally:
        bot.stop()


def test_a_standby_on_postgres_takes_over_when_the_leader_dies(
    postgres_url: str, emulator, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    prepare_database(postgres_url, tmp_path)
    lease = {"UPPSIKT_SCHEDULER": "on", "UPPSIKT_LEASE_SECONDS": "10"}
    first = BotProcess(postgres_url, tmp_path, emulator.base_url, log_name="a.log", **lease)
    try:
        assert "Påminnelseschemat körs" in "".join(first.startup)
        second = BotProcess(postgres_url, tmp_path, emulator.base_url, log_name="b.log", **lease)
        try:
            assert "tar över om den andra slutar" in "".join(second.startup)
            first.kill()  # SIGKILL: no clean-up, the lease stays until it expires
            assert _wait(
                lambda: "this process now runs the reminder schedule" in second.logs(),
                timeout=60,
            ), second.logs()
        finally:
            second.stop()
    finally:
        first.stop()
