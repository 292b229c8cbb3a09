"""Reminders on the calendar: `uppsikt run` as a real process with its clock moved (libfaketime),
killed and restarted, against the Slack emulator, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import load_settings
from bot.services.sweep import acquire_lease, release_lease
from storage.db import make_engine, session_scope
from storage.models import ReminderMessage
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


def _settled(emulator, quiet: float = 2.5):  # type: ignore[no-untyped-def]
    """The DM posts once no new one has arrived for `quiet` seconds."""
    count, since = -1, time.monotonic()
    while time.monotonic() - since < quiet:
        posts = _dm_posts(emulator)
        if len(posts) != count:
            count, since = len(posts), time.monotonic()
        time.sleep(0.1)
    return _dm_posts(emulator)


def _wait(predicate, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


def test_reminder_goes_out_at_its_time_exactly_once(
    database_url: str, emulator, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    prepare_database(database_url, tmp_path)
    # 08:55 local, five fake minutes (five real seconds) before the reminder.
    bot = _start(database_url, tmp_path, emulator, "2024-08-13 06:55:00", "bot1.log")
    try:
        assert "Påminnelseschemat körs" in "".join(bot.startup)
        time.sleep(2)
        assert _dm_posts(emulator) == [], "nothing before 09:00"
        _wait(lambda: {p.params["channel"] for p in _dm_posts(emulator)} == {"U0ANNA", "U0BENGT"})
        expected = _settled(emulator)
        assert len(expected) >= 3  # Samhällsbyggnad's 24 activities need two messages
        time.sleep(4)  # four more sweeps: nothing is sent again
        assert len(_dm_posts(emulator)) == len(expected)
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
        posts = _settled(emulator)
        keys = _logged(database_url)
        assert len(keys) == len(set(keys)) == len(posts) >= 3
        # Every reminder appears exactly once in Slack.
        seen = [(p.params["channel"], str(p.params.get("blocks"))) for p in posts]
        assert len(seen) == len(set(seen))
    finally:
        bot.stop()


def test_missed_day_is_not_sent_late(database_url: str, emulator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prepare_database(database_url, tmp_path)
    # Back only at 21:00 local that day: too late; nothing goes out that evening.
    bot = _start(database_url, tmp_path, emulator, "2024-08-13 19:00:00", "bot1.log")
    try:
        time.sleep(4)
        assert _dm_posts(emulator) == []
        assert _logged(database_url) == []
    finally:
        bot.stop()


def test_second_process_runs_without_scheduler(database_url: str, emulator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prepare_database(database_url, tmp_path)
    first = BotProcess(
        database_url, tmp_path, emulator.base_url, log_name="a.log", UPPSIKT_SCHEDULER="on"
    )
    try:
        second = BotProcess(
            database_url, tmp_path, emulator.base_url, log_name="b.log", UPPSIKT_SCHEDULER="on"
        )
        try:
            assert "Påminnelseschemat körs" in "".join(first.startup)
            assert "En annan process kör redan påminnelseschemat" in "".join(second.startup)
        finally:
            second.stop()
    finally:
        first.stop()
    # A clean stop gives the lease back: the next start gets it at once.
    engine = _engine(database_url)
    now = datetime.now(UTC)
    assert acquire_lease(engine, holder="test", now=now, ttl=timedelta(seconds=60))
    assert not acquire_lease(engine, holder="other", now=now, ttl=timedelta(seconds=60))
    assert acquire_lease(
        engine, holder="other", now=now + timedelta(seconds=61), ttl=timedelta(seconds=60)
    )
    release_lease(engine, holder="other")
