"""The Teams adapter in this process against the fake Microsoft side, over real HTTP."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import col, func, select

from bot.config import load_settings
from bot.services.core import Core
from bot.services.database import close_database, open_database
from storage.db import session_scope
from storage.models import ChatAccount, StatusReport
from tests.fakes.microsoft import MicrosoftFake, TeamsUser
from tests.teams.support import executes, fake_env, fake_users, seed_database


@dataclass
class Stack:
    ms: MicrosoftFake
    core: Core
    teams: Any
    base: str

    @property
    def url(self) -> str:
        return f"{self.base}/api/messages"

    def post(self, activity: dict[str, Any], **kwargs: Any) -> tuple[int, Any]:
        return self.ms.post_activity(self.url, activity, **kwargs)

    def say(self, user: TeamsUser, text: str, **kwargs: Any) -> tuple[int, Any]:
        return self.post(self.ms.message(text, user, **kwargs))

    def install(self, user: TeamsUser) -> tuple[int, Any]:
        return self.post(self.ms.conversation_update_installed(user))

    def texts(self, user: TeamsUser) -> list[str]:
        return [
            a.get("text", "")
            for a in self.ms.activities(self.ms.personal_conversation(user))
            if a.get("text")
        ]

    def cards(self, user: TeamsUser) -> list[tuple[str, dict[str, Any]]]:
        """(activity id, card) of every card in the user's 1:1, oldest first."""
        return [
            (a["id"], card)
            for a in self.ms.activities(self.ms.personal_conversation(user))
            for card in self.ms.cards_of(a)
        ]

    def save(
        self,
        user: TeamsUser,
        card_id: str,
        card: dict[str, Any],
        index: int,
        status: str,
        comment: str = "",
    ) -> tuple[int, Any]:
        """Click Save on the index-th activity of a card, with these inputs."""
        action = executes(card)[index]
        aid = action["data"]["a"]
        invoke = self.ms.adaptive_card_invoke(
            action["verb"],
            action["data"],
            user,
            inputs={f"status_{aid}": status, f"comment_{aid}": comment},
            reply_to_id=card_id,
        )
        return self.post(invoke)

    def versions(self, activity_id: int) -> int:
        with session_scope(self.core.engine) as session:
            return int(
                session.exec(
                    select(func.count())
                    .select_from(StatusReport)
                    .where(col(StatusReport.activity_id) == activity_id)
                ).one()
            )

    def account(self, user: TeamsUser) -> ChatAccount | None:
        with session_scope(self.core.engine) as session:
            return session.exec(
                select(ChatAccount).where(
                    ChatAccount.platform == "teams", ChatAccount.user_id == user.aad_object_id
                )
            ).first()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    from bot.teams.app import build_teams

    tmp = tmp_path_factory.mktemp("teams")
    ms = MicrosoftFake(users=fake_users()).start()
    saved = {name: os.environ.get(name) for name in ms.client_env()}
    os.environ.update(ms.client_env())
    url = f"sqlite:///{tmp / 'uppsikt.db'}"
    seed_database(url, tmp)
    settings = load_settings(env=fake_env(ms, url), dotenv_path=tmp / "none")
    core = Core(settings=settings, engine=open_database(settings))
    teams = build_teams(core)
    server = teams.serve(readiness=lambda: {"ok": True})
    host, port = server.address
    try:
        yield Stack(ms, core, teams, f"http://{host}:{port}")
    finally:
        server.stop()
        teams.stop()
        close_database(core.engine)
        ms.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
