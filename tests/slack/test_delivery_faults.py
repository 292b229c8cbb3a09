"""A reminder round through the real Slack notifier and the emulator's faults: every reminder
arrives exactly once, the admin is told the true counts, and the next sweep sends what failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import load_settings
from bot.services.core import Core
from bot.services.database import open_database
from bot.services.reminders import remind_now, send_reminder_round
from storage.db import session_scope
from storage.models import ReminderMessage
from tests.fakes.slack_api import SlackEmulator
from tests.helpers import TEAM_ID
from tests.scenario.support import directory_users
from tests.services.core.conftest import NOW, T2, seed

ADMIN = "U0ADAM"


@pytest.fixture
def emulator() -> SlackEmulator:
    with SlackEmulator(users=directory_users()) as emu:
        yield emu  # type: ignore[misc]


@pytest.fixture
def core(database_url: str, tmp_path: Path, emulator: SlackEmulator) -> Core:
    from slack_sdk import WebClient

    from bot.slack.notifier import SlackNotifier

    seeded = seed(database_url, tmp_path)
    settings = load_settings(
        env={
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_API_URL": emulator.base_url,
            "UPPSIKT_ADMINS": "adam@ange.se",
        },
        dotenv_path=tmp_path / "none",
    )
    seeded.engine.dispose()
    core = Core(settings=settings, engine=open_database(settings), clock=lambda: NOW)
    client = WebClient(token="xoxb-test", base_url=emulator.base_url)
    core.attach(
        SlackNotifier(
            client, settings=settings, workspace=TEAM_ID, per_channel_interval=0.05,
            backoff=(0.05, 0.1, 0.2),
        )
    )  # fmt: skip
    return core


def _reminders(emulator: SlackEmulator) -> list[str]:
    """The keys of the reminders Slack holds, one per message that reached a DM."""
    keys = []
    for channel in emulator.channels():
        for message in emulator.messages(channel):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if "key" in payload:
                keys.append(payload["key"])
    return sorted(keys)


def _logged(core: Core) -> list[str]:
    with session_scope(core.engine) as session:
        return sorted(session.exec(select(ReminderMessage.key)).all())


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the notifier's logic
@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("status", {"status": 500}),
        ("status", {"status": 503}),
        ("accepted_status", {"status": 500}),
        ("unreadable", {}),
        ("unreadable", {"truncate": True}),
        ("drop", {}),
        ("drop_before", {}),
        ("429", {"retry_after": "abc"}),
        ("429", {"retry_after": ""}),
        ("429", {"retry_after": "-5"}),
    ],
)
def test_every_fault_of_a_post_ends_with_each_reminder_once(
    core: Core, emulator: SlackEmulator, kind: str, options: dict
) -> None:  # type: ignore[type-arg]
    emulator.inject_fault("chat.postMessage", kind, times=3, **options)
    result = send_reminder_round(core, period=T2, occasion="before:2024-08-13")
    keys = _reminders(emulator)
    assert keys == sorted(set(keys)), "a reminder arrived twice"
    assert keys == _logged(core), "what Slack holds is exactly what is logged"
    assert result.sent == len(keys) and result.failed == []
    assert result.sent >= 3  # Samhällsbyggnad's two parts and Stab's


def test_a_post_that_keeps_failing_is_counted_and_sent_by_the_next_round(
    core: Core, emulator: SlackEmulator
) -> None:
    emulator.inject_fault("chat.postMessage", "status", times=10, channel="U0BENGT", status=503)
    first = send_reminder_round(core, period=T2, occasion="before:2024-08-13")
    assert len(first.failed) == 2 and all("U0BENGT" not in k for k in _logged(core))
    again = send_reminder_round(core, period=T2, occasion="before:2024-08-13")
    assert again.sent == 2 and again.already_sent == first.sent
    keys = _reminders(emulator)
    assert keys == sorted(set(keys)) == _logged(core)


def test_one_lookup_that_fails_does_not_stop_the_round(core: Core, emulator: SlackEmulator) -> None:
    emulator.inject_fault("users.lookupByEmail", "status", times=1, status=500)
    result = send_reminder_round(core, period=T2, occasion="before:2024-08-13")
    assert result.lookups_failed == 1 and result.sent >= 1
    # The person whose lookup failed is reached by the next round.
    second = send_reminder_round(core, period=T2, occasion="before:2024-08-13")
    assert second.lookups_failed == 0 and second.sent >= 1
    keys = _reminders(emulator)
    assert keys == sorted(set(keys)) == _logged(core)


def test_remind_now_twice_the_same_day_sends_one_round(core: Core, emulator: SlackEmulator) -> None:
    from bot.domain.actors import ChatUser

    admin = ChatUser("slack", TEAM_ID, ADMIN)
    first = remind_now(core, who=admin, period=T2)
    second = remind_now(core, who=admin, period=T2)
    assert first.sent >= 3 and second.sent == 0 and second.already_sent == first.sent
    assert len(_reminders(emulator)) == first.sent
