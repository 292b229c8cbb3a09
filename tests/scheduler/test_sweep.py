"""The sweep against a real database and the Slack emulator, with an injected clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from bot.config import load_settings
from bot.domain.periods import parse_period
from bot.services import periods
from bot.services.sweep import sweep
from bot.slack import ids
from storage.db import session_scope
from storage.models import ReminderMessage
from tests.fakes.slack_api import SlackEmulator
from tests.helpers import ON_POSTGRES, slack_core
from tests.scenario.support import directory_users, prepare_database


def _setup(database_url: str, tmp_path: Path, emulator: SlackEmulator):  # type: ignore[no-untyped-def]
    prepare_database(database_url, tmp_path)  # 2024-T2, deadline Tuesday 2024-09-10 16:00
    settings = load_settings(
        env={
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_API_URL": emulator.base_url,
            "UPPSIKT_SECRETARIES": "U0SARA",
            "UPPSIKT_COMMITTEE_CHANNEL": "C0COMMITTEE",
        },
        dotenv_path=tmp_path / "none",
    )
    return slack_core(settings)


def _keys(core) -> list[str]:  # type: ignore[no-untyped-def]
    with session_scope(core.engine) as session:
        return sorted(session.exec(select(ReminderMessage.key)).all())


def test_deadline_draft_overdue_and_digest(database_url: str, tmp_path: Path) -> None:
    with SlackEmulator(users=directory_users()) as emulator:
        core = _setup(database_url, tmp_path, emulator)
        # 16:00 local = 14:00 UTC at the deadline: the draft goes to the secretary, with publish.
        at_deadline = datetime(2024, 9, 10, 14, 0, 30, tzinfo=UTC)
        result = sweep(core, now=at_deadline)
        assert result.occasions == ["2024-T2:draft"] and result.sent == 1
        (draft,) = emulator.messages("DU0SARA")
        assert ids.PUBLISH_REPORT in json.dumps(draft["blocks"])
        assert sweep(core, now=at_deadline).sent == 0

        # Next working day 09:00 local (07:00 UTC): overdue to reporters, digest to the secretary.
        next_morning = datetime(2024, 9, 11, 7, 1, tzinfo=UTC)
        result = sweep(core, now=next_morning)
        # (the draft stays due while the period is open; its log entry keeps it from repeating)
        assert sorted(result.occasions) == [
            "2024-T2:draft",
            "2024-T2:missing:2024-09-11",
            "2024-T2:overdue:2024-09-11",
        ]
        assert emulator.messages("DU0ANNA") and emulator.messages("DU0BENGT")
        assert len(emulator.messages("DU0SARA")) == 2
        keys = _keys(core)
        assert any(":overdue:2024-09-11:" in k for k in keys)
        assert "2024-T2:sU0SARA:missing:2024-09-11:1" in keys
        before = len(emulator.calls_to("chat.postMessage"))
        assert sweep(core, now=next_morning).sent == 0
        assert len(emulator.calls_to("chat.postMessage")) == before

        # Saturday: nothing. A closed period: nothing, ever.
        saturday = datetime(2024, 9, 14, 8, 0, tzinfo=UTC)
        assert sweep(core, now=saturday).occasions == []
        periods.change_period(
            core,
            who=None,
            change=periods.PeriodChange(period=parse_period("2024-T2"), action=periods.CLOSE),
        )
        monday = datetime(2024, 9, 16, 7, 30, tzinfo=UTC)
        assert sweep(core, now=monday).occasions == []


@ON_POSTGRES
def test_a_message_refused_by_slack_is_not_logged_and_goes_out_next_sweep(
    database_url: str, tmp_path: Path
) -> None:
    with SlackEmulator(users=directory_users()) as emulator:
        core = _setup(database_url, tmp_path, emulator)
        # Every attempt of the first sweep is refused: 4 messages x (1 + MAX_429_RETRIES) tries.
        from bot.slack.notifier import MAX_429_RETRIES

        emulator.inject_429("chat.postMessage", times=4 * (1 + MAX_429_RETRIES), retry_after=1)
        reminder_day = datetime(2024, 8, 13, 7, 5, tzinfo=UTC)  # 28 days before, 09:05 local
        first = sweep(core, now=reminder_day)
        assert first.failed == 4 and first.sent == 0
        logged_after_first = _keys(core)
        accepted = [c for c in emulator.calls_to("chat.postMessage") if c.ok]
        assert len(logged_after_first) == len(accepted)  # the log holds only what Slack accepted
        second = sweep(core, now=reminder_day.replace(minute=10))
        keys = _keys(core)
        accepted = [c for c in emulator.calls_to("chat.postMessage") if c.ok]
        assert len(keys) == len(set(keys)) == len(accepted) == 4
        assert second.sent == len(keys) - len(logged_after_first)
