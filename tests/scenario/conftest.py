"""A prepared database, the Slack emulator and `uppsikt run` as a real process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.slack_api import SlackEmulator
from tests.scenario.support import BotProcess, SlackRequests, directory_users, prepare_database


@dataclass
class Scenario:
    database_url: str
    emulator: SlackEmulator
    bot: BotProcess
    slack: SlackRequests
    workdir: Path


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    with SlackEmulator(users=directory_users()) as emu:
        yield emu


@pytest.fixture
def scenario(database_url: str, emulator: SlackEmulator, tmp_path: Path) -> Iterator[Scenario]:
    prepare_database(database_url, tmp_path)
    bot = BotProcess(database_url, tmp_path, emulator.base_url)
    try:
        yield Scenario(
            database_url=database_url,
            emulator=emulator,
            bot=bot,
            slack=SlackRequests(url=bot.url, response_url=emulator.response_url()),
            workdir=tmp_path,
        )
    finally:
        bot.stop()


@pytest.fixture
def sqlite_scenario(sqlite_url: str, emulator: SlackEmulator, tmp_path: Path) -> Iterator[Scenario]:
    """The scenario on a SQLite file only (for what only SQLite can show, a held write lock)."""
    prepare_database(sqlite_url, tmp_path)
    bot = BotProcess(sqlite_url, tmp_path, emulator.base_url)
    try:
        yield Scenario(
            database_url=sqlite_url,
            emulator=emulator,
            bot=bot,
            slack=SlackRequests(url=bot.url, response_url=emulator.response_url()),
            workdir=tmp_path,
        )
    finally:
        bot.stop()
