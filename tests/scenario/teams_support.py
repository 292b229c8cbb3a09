"""The real `uppsikt run` with Teams at the fake Microsoft side (and Slack at its emulator, when
asked), one process per test module, on SQLite or PostgreSQL."""

from __future__ import annotations

import re
import signal
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.microsoft import MicrosoftFake, TeamsUser
from tests.scenario.support import uppsikt_command
from tests.teams.support import clean_env, executes, fake_env, fake_users, seed_database

PUBLIC_URL = "https://uppsikt.ange.example"  # the municipality's proxy in front of the bot


class TeamsBot:
    """`uppsikt run` as a process; the Teams endpoint's URL (and Slack's, when configured)."""

    def __init__(
        self, env: dict[str, str], workdir: Path, *, slack: bool = False, log_name: str = "bot.log"
    ) -> None:
        self.log_path = workdir / log_name
        self.log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [*uppsikt_command(), "run"],
            cwd=workdir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        assert self.process.stdout is not None
        self.startup: list[str] = []
        self.base = self.slack_base = ""
        while not self.base or (slack and not self.slack_base):
            line = self.process.stdout.readline()
            self.startup.append(line)
            if not line or len(self.startup) > 12:
                self.stop()
                raise AssertionError(f"bot did not start: {self.startup!r}\n{self.logs()}")
            found = re.search(r"http://([0-9.]+:\d+)", line)
            if found and "/api/messages" in line:
                self.base = f"http://{found.group(1)}"
            elif found:
                self.slack_base = f"http://{found.group(1)}"
        self.url = f"{self.base}/api/messages"

    def logs(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text("utf-8")

    def terminate(self, timeout: float = 30) -> tuple[int, str]:
        """SIGTERM; the exit status and what it printed after starting."""
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=timeout)
        self.log.close()
        return self.process.returncode, out

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()


def _postgres(request: pytest.FixtureRequest) -> Iterator[str]:
    import psycopg

    admin = request.getfixturevalue("postgres_server")
    name = f"uppsikt_teams_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def module_database(request: pytest.FixtureRequest, workdir: Path) -> Iterator[str]:
    """A fresh database for a module: a SQLite file, or a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{workdir / 'uppsikt.db'}"
    else:
        yield from _postgres(request)


@dataclass
class World:
    """The fake, the process, and how to talk to it as Teams does."""

    ms: MicrosoftFake
    bot: TeamsBot
    database_url: str
    workdir: Path
    extra: dict[str, Any] = field(default_factory=dict)

    def post(self, activity: dict[str, Any], **kwargs: Any) -> tuple[int, Any]:
        return self.ms.post_activity(self.bot.url, activity, **kwargs)

    def user(self, email: str) -> TeamsUser:
        return self.ms.user(email)

    def say(self, user: TeamsUser, text: str, **kwargs: Any) -> tuple[int, Any]:
        return self.post(self.ms.message(text, user, **kwargs))

    def install(self, user: TeamsUser) -> tuple[int, Any]:
        return self.post(self.ms.conversation_update_installed(user))

    def texts(self, user: TeamsUser) -> list[str]:
        return [
            a["text"]
            for a in self.ms.activities(self.ms.personal_conversation(user))
            if a.get("text")
        ]

    def cards(self, user: TeamsUser) -> list[tuple[str, dict[str, Any]]]:
        return [
            (a["id"], card)
            for a in self.ms.activities(self.ms.personal_conversation(user))
            for card in self.ms.cards_of(a)
        ]

    def wait_text(
        self, user: TeamsUser, prefix: str, count: int = 1, timeout: float = 60
    ) -> list[str]:
        def found() -> list[str] | None:
            hits = [t for t in self.texts(user) if t.startswith(prefix)]
            return hits if len(hits) >= count else None

        return self.ms.wait_until(found, timeout, f"{count} message(s) starting {prefix!r}")

    def invoke(
        self,
        user: TeamsUser,
        action: dict[str, Any],
        inputs: dict[str, Any],
        *,
        card_id: str | None = None,
        **kw: Any,
    ) -> tuple[int, Any]:
        activity = self.ms.adaptive_card_invoke(
            action["verb"], action["data"], user, inputs=inputs, reply_to_id=card_id
        )
        return self.post(activity, **kw)

    def save(
        self,
        user: TeamsUser,
        card_id: str,
        card: dict[str, Any],
        index: int,
        status: str,
        comment: str = "",
    ):  # type: ignore[no-untyped-def]
        action = executes(card)[index]
        aid = action["data"]["a"]
        return self.invoke(
            user, action, {f"status_{aid}": status, f"comment_{aid}": comment}, card_id=card_id
        )


def start_world(
    request: pytest.FixtureRequest,
    workdir: Path,
    database_url: str,
    *,
    slack_env: dict[str, str] | None = None,
) -> Iterator[World]:
    """Seed the database, start the fake and the bot; stop both afterwards."""
    seed_database(database_url, workdir)
    ms = MicrosoftFake(users=fake_users()).start()
    env = clean_env(database_url)
    env.update(fake_env(ms, database_url, TEAMS_PUBLIC_URL=PUBLIC_URL))
    env.update(ms.client_env())
    env.update(slack_env or {})
    bot = TeamsBot(env, workdir, slack=slack_env is not None)
    try:
        yield World(ms=ms, bot=bot, database_url=database_url, workdir=workdir)
    finally:
        bot.stop()
        ms.stop()


def no_tracebacks(log: str) -> None:
    assert "Traceback" not in log, log[-4000:]
