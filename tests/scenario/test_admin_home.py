"""An admin changes periods, deadlines and the reminder schedule from App Home (Socket Mode,
in-process); nobody else can."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_bolt import App
from slack_bolt.request import BoltRequest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.config import Settings, load_settings
from bot.domain.periods import PeriodKey
from bot.domain.reminder_policy import ReminderSchedule
from bot.domain.status import Status
from bot.services.core import Core
from bot.services.database import open_database
from bot.services.errors import Refused
from bot.services.periods import effective_schedule, save_schedule
from bot.services.sweep import sweep
from bot.slack import ids
from bot.slack.app import build_app
from bot.slack.blocks.reminder import encode_status_choice
from bot.slack.context import SlackContext
from bot.slack.notifier import make_client
from storage.db import session_scope
from storage.models import ActivityUnit, Period, ReminderSettings, StatusReport, Unit
from tests.fakes.slack_api import SlackEmulator
from tests.helpers import ON_POSTGRES, ON_SQLITE
from tests.scenario.support import SAMHALLSBYGGNAD, block_action, prepare_database, view_submission

TZ = ZoneInfo("Europe/Stockholm")
ADAM, ANNA, BENGT = "U0ADAM", "U0ANNA", "U0BENGT"


class Bot:
    """The app built as `uppsikt run` builds it in Socket Mode, and ways to talk to it."""

    def __init__(self, database_url: str, emulator: SlackEmulator, tmp_path: Path) -> None:
        prepare_database(database_url, tmp_path)
        self.emulator = emulator
        self.settings: Settings = load_settings(
            env={
                "DATABASE_URL": database_url,
                "SLACK_BOT_TOKEN": "xoxb-test",
                "SLACK_APP_TOKEN": "xapp-test",
                "SLACK_API_URL": emulator.base_url,
                "UPPSIKT_ADMINS": "adam@ange.se",
            },
            dotenv_path=tmp_path / "none",
        )
        # The admin works in August 2024, before the T2 deadline (the rule refuses past ones).
        self.core = Core(
            settings=self.settings,
            engine=open_database(self.settings),
            clock=lambda: datetime(2024, 8, 1, 8, 0, tzinfo=UTC),
        )
        self.engine: Engine = self.core.engine
        app, context = build_app(
            self.core,
            client=make_client(self.settings),
            process_before_response=True,
        )
        self.app: App = app
        self.context: SlackContext = context
        self._events = 0

    def dispatch(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """Send a payload; return the ack's JSON body (None for a plain ack)."""
        response = self.app.dispatch(BoltRequest(mode="socket_mode", body=body))
        assert response.status == 200, response.body
        return json.loads(response.body) if response.body else None

    def open_home(self, user: str) -> dict[str, Any]:
        self._events += 1
        before = len(self.emulator.calls_to("views.publish"))
        self.dispatch(
            {
                "type": "event_callback",
                "event_id": f"EvHome{self._events}",
                "team_id": "T0UPPSIKT",
                "event": {"type": "app_home_opened", "user": user, "tab": "home"},
            }
        )
        return self.home_after(user, before)

    def home_after(self, user: str, before: int) -> dict[str, Any]:
        """The App Home published for `user` after the first `before` views.publish calls (other
        people's homes may be refreshed in between)."""
        count = before + 1
        while True:
            calls = self.emulator.wait_for("views.publish", count=count)
            if any(call.params["user_id"] == user for call in calls[before:]):
                return self.emulator.home_views[user]
            count = len(calls) + 1

    def press(self, user: str, action_id: str, value: str) -> dict[str, Any] | None:
        action = {"action_id": action_id, "block_id": "b", "type": "button", "value": value}
        payload = block_action(user, action, response_url=self.emulator.response_url())
        del payload["response_url"]  # a button in App Home has no response_url
        return self.dispatch(payload)

    def submit(self, user: str, view: dict[str, Any], values: dict[str, Any]) -> Any:
        return self.dispatch(view_submission(user, view, values))

    def opened_modal(self) -> dict[str, Any]:
        return self.emulator.calls_to("views.open")[-1].params["view"]

    def dms(self, user: str) -> list[str]:
        return [m["text"] for m in self.emulator.messages(f"D{user}")]

    def period(self, key: PeriodKey) -> Period | None:
        with session_scope(self.engine) as session:
            return session.exec(
                select(Period).where(Period.year == key.year, Period.tertial == key.tertial)
            ).first()


@pytest.fixture
def bot(database_url: str, emulator: SlackEmulator, tmp_path: Path) -> Bot:
    return Bot(database_url, emulator, tmp_path)


def period_values(
    day: str | None, clock: str | None, state: str = "open", key: str | None = None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        ids.DEADLINE_DATE_BLOCK: {
            ids.DEADLINE_DATE_INPUT: {"type": "datepicker", "selected_date": day}
        },
        ids.DEADLINE_TIME_BLOCK: {
            ids.DEADLINE_TIME_INPUT: {"type": "timepicker", "selected_time": clock}
        },
        ids.PERIOD_STATE_BLOCK: {
            ids.PERIOD_STATE_INPUT: {
                "type": "static_select",
                "selected_option": {"text": {"type": "plain_text", "text": state}, "value": state},
            }
        },
    }
    if key is not None:
        values[ids.PERIOD_KEY_BLOCK] = {
            ids.PERIOD_KEY_INPUT: {"type": "plain_text_input", "value": key}
        }
    return values


def schedule_values(days: str, clock: str) -> dict[str, Any]:
    return {
        ids.SCHEDULE_DAYS_BLOCK: {
            ids.SCHEDULE_DAYS_INPUT: {"type": "plain_text_input", "value": days}
        },
        ids.SCHEDULE_TIME_BLOCK: {
            ids.SCHEDULE_TIME_INPUT: {"type": "timepicker", "selected_time": clock}
        },
    }


def home_texts(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def edit_buttons(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The "Ändra" buttons of the admin section, by period key."""
    return {
        block["accessory"]["value"]: block["accessory"]
        for block in view["blocks"]
        if block.get("accessory", {}).get("action_id") == ids.EDIT_PERIOD
    }


def anna_saves(bot: Bot, activity_id: int, status: Status = Status.ON_TRACK) -> dict[str, Any]:
    """Anna picks a status for an activity in her reminder; return the private answer she got."""
    value = encode_status_choice(ids.ActivityRef(activity_id, PeriodKey(2024, 2)), status)
    action = {
        "action_id": ids.STATUS_SELECT,
        "block_id": f"uppsikt_act_{activity_id}",
        "type": "static_select",
        "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": value},
    }
    before = len(bot.emulator.calls_to("response_url"))
    dms = len(bot.emulator.calls_to("chat.postMessage"))
    bot.dispatch(block_action(ANNA, action, response_url=bot.emulator.response_url()))
    # The save was journalled before the ack; store it now, in this thread, to see the answer.
    from bot.services.inbox import _drain_lock, pending_submissions
    from bot.slack.views import drain

    while pending_submissions(bot.core, platform="slack"):
        drain(bot.context)
    with _drain_lock(bot.core):  # a drain running in the background has answered too
        pass
    answers = [c.params for c in bot.emulator.calls_to("response_url")[before:]]
    answers += [
        c.params
        for c in bot.emulator.calls_to("chat.postMessage")[dms:]
        if c.params.get("channel") == ANNA
    ]
    return answers[-1] if answers else {}


def anna_activity(bot: Bot) -> int:
    with session_scope(bot.engine) as session:
        return session.exec(
            select(ActivityUnit.activity_id)
            .join(Unit, col(Unit.id) == col(ActivityUnit.unit_id))
            .where(col(Unit.path).startswith(SAMHALLSBYGGNAD))
            .order_by(col(ActivityUnit.activity_id))
        ).first()  # type: ignore[return-value]


def slack_reports(bot: Bot) -> int:
    with session_scope(bot.engine) as session:
        return len(session.exec(select(StatusReport).where(StatusReport.source == "slack")).all())


@ON_POSTGRES
def test_admin_changes_a_deadline_closes_and_reopens_a_period(bot: Bot) -> None:
    t2 = PeriodKey(2024, 2)
    home = bot.open_home(ADAM)
    text = home_texts(home)
    assert "*Administration*" in text
    assert "*2024-T2*, öppen: deadline 2024-09-10 kl. 16:00, 0 av 79 rapporterade" in text
    assert "*2024-T1*, stängd: deadline" in text
    assert "*Påminnelser:* 28, 14, 7, 2 och 0 dagar före kl. 09:00" in text
    assert set(edit_buttons(home)) == {"2024-T2", "2024-T1"}

    # "Ändra" on 2024-T2 opens the period modal, prefilled in local time.
    button = edit_buttons(home)["2024-T2"]
    assert bot.press(ADAM, ids.EDIT_PERIOD, button["value"]) is None
    modal = bot.opened_modal()
    assert modal["callback_id"] == ids.PERIOD_MODAL
    assert modal["private_metadata"] == "edit:2024-T2"
    blocks = {b.get("block_id"): b for b in modal["blocks"]}
    assert blocks[ids.DEADLINE_DATE_BLOCK]["element"]["initial_date"] == "2024-09-10"
    assert blocks[ids.DEADLINE_TIME_BLOCK]["element"]["initial_time"] == "16:00"
    assert ids.PERIOD_KEY_BLOCK not in blocks

    # A new deadline: stored in UTC, and the admin's App Home shows it.
    published = len(bot.emulator.calls_to("views.publish"))
    assert bot.submit(ADAM, modal, period_values("2024-09-12", "12:00")) is None
    period = bot.period(t2)
    assert period is not None and period.state == "open"
    assert period.deadline.isoformat() == "2024-09-12T10:00:00+00:00"
    home = bot.home_after(ADAM, published)
    assert "*2024-T2*, öppen: deadline 2024-09-12 kl. 12:00" in home_texts(home)

    # Bad input is answered inside the modal and changes nothing.
    for values, block in [
        (period_values("2024-02-30", "12:00"), ids.DEADLINE_DATE_BLOCK),
        (period_values(None, "12:00"), ids.DEADLINE_DATE_BLOCK),
        (period_values("2024-09-20", "24:61"), ids.DEADLINE_TIME_BLOCK),
        (period_values("2025-03-30", "02:30"), ids.DEADLINE_TIME_BLOCK),
        (period_values("2024-09-20", "12:00", state="archived"), ids.PERIOD_STATE_BLOCK),
    ]:
        answer = bot.submit(ADAM, modal, values)
        assert answer is not None and answer["response_action"] == "errors"
        assert list(answer["errors"]) == [block]
    period = bot.period(t2)
    assert period is not None and period.state == "open"
    assert period.deadline.isoformat() == "2024-09-12T10:00:00+00:00"
    garbage = dict(modal, private_metadata="edit:2024-T2|<!channel>")
    answer = bot.submit(ADAM, garbage, period_values("2024-09-20", "12:00"))
    assert answer is not None and answer["response_action"] == "errors"

    # Anna can report while the period is open...
    activity_id = anna_activity(bot)
    assert anna_saves(bot, activity_id) == {}
    assert slack_reports(bot) == 1

    # ...not once the admin has closed it.
    bot.press(ADAM, ids.EDIT_PERIOD, "2024-T2")
    modal = bot.opened_modal()
    published = len(bot.emulator.calls_to("views.publish"))
    assert bot.submit(ADAM, modal, period_values("2024-09-12", "12:00", "closed")) is None
    period = bot.period(t2)
    assert period is not None and period.state == "closed" and period.closed_at is not None
    assert period.deadline.isoformat() == "2024-09-12T10:00:00+00:00"
    assert "*2024-T2*, stängd" in home_texts(bot.home_after(ADAM, published))
    refused = anna_saves(bot, activity_id)
    assert refused["text"] == "Perioden 2024-T2 är stängd, så inget sparades."
    assert slack_reports(bot) == 1

    # Reopening is allowed, with a later deadline; Anna can report again.
    bot.press(ADAM, ids.EDIT_PERIOD, "2024-T2")
    modal = bot.opened_modal()
    state = next(b for b in modal["blocks"] if b.get("block_id") == ids.PERIOD_STATE_BLOCK)
    assert state["element"]["initial_option"]["value"] == "closed"
    assert bot.submit(ADAM, modal, period_values("2024-09-30", "16:00", "open")) is None
    period = bot.period(t2)
    assert period is not None and period.state == "open" and period.closed_at is None
    assert period.deadline.isoformat() == "2024-09-30T14:00:00+00:00"
    assert anna_saves(bot, activity_id, Status.DONE) == {}
    assert slack_reports(bot) == 2


@ON_SQLITE
def test_admin_opens_a_new_period(bot: Bot) -> None:
    assert bot.press(ADAM, ids.NEW_PERIOD, "new") is None
    modal = bot.opened_modal()
    assert modal["callback_id"] == ids.PERIOD_MODAL and modal["private_metadata"] == "new"
    key_block = next(b for b in modal["blocks"] if b.get("block_id") == ids.PERIOD_KEY_BLOCK)
    assert key_block["element"]["type"] == "plain_text_input"

    answer = bot.submit(ADAM, modal, period_values("2024-12-10", "16:00", key="2024-T5"))
    assert answer is not None and list(answer["errors"]) == [ids.PERIOD_KEY_BLOCK]
    answer = bot.submit(ADAM, modal, period_values("2024-12-10", "16:00", key="2024-T2"))
    assert answer is not None
    assert answer["errors"] == {
        ids.PERIOD_KEY_BLOCK: (
            "Perioden 2024-T2 finns redan: ändra den i listan under Administration."
        )
    }
    period = bot.period(PeriodKey(2024, 2))
    assert period is not None and period.deadline.isoformat() == "2024-09-10T14:00:00+00:00"
    assert bot.period(PeriodKey(2024, 3)) is None

    published = len(bot.emulator.calls_to("views.publish"))
    assert bot.submit(ADAM, modal, period_values("2024-12-10", "16:00", key="2024-T3")) is None
    period = bot.period(PeriodKey(2024, 3))
    assert period is not None and period.state == "open"
    assert period.deadline.isoformat() == "2024-12-10T15:00:00+00:00"  # CET in December
    home = bot.home_after(ADAM, published)
    assert list(edit_buttons(home)) == ["2024-T3", "2024-T2", "2024-T1"]


@ON_SQLITE
def test_admin_changes_the_reminder_schedule(bot: Bot) -> None:
    settings_schedule = ReminderSchedule((28, 14, 7, 2, 0), time(9, 0))
    assert effective_schedule(bot.core) == settings_schedule

    assert bot.press(ADAM, ids.EDIT_SCHEDULE, "schedule") is None
    modal = bot.opened_modal()
    assert modal["callback_id"] == ids.SCHEDULE_MODAL
    blocks = {b.get("block_id"): b for b in modal["blocks"]}
    assert blocks[ids.SCHEDULE_DAYS_BLOCK]["element"]["initial_value"] == "28,14,7,2,0"
    assert blocks[ids.SCHEDULE_TIME_BLOCK]["element"]["initial_time"] == "09:00"

    # A bad schedule is answered inside the modal and changes nothing.
    answer = bot.submit(ADAM, modal, schedule_values("14,x", "21:00"))
    assert answer is not None and answer["response_action"] == "errors"
    assert set(answer["errors"]) == {ids.SCHEDULE_DAYS_BLOCK, ids.SCHEDULE_TIME_BLOCK}
    answer = bot.submit(ADAM, modal, schedule_values("14,2", "02:30"))
    assert answer is not None and list(answer["errors"]) == [ids.SCHEDULE_TIME_BLOCK]
    with session_scope(bot.engine) as session:
        assert session.get(ReminderSettings, 1) is None
    assert effective_schedule(bot.core) == settings_schedule

    published = len(bot.emulator.calls_to("views.publish"))
    assert bot.submit(ADAM, modal, schedule_values("14,2", "10:30")) is None
    schedule = effective_schedule(bot.core)
    assert schedule.days_before == (14, 2) and f"{schedule.at:%H:%M}" == "10:30"
    with session_scope(bot.engine) as session:
        row = session.get(ReminderSettings, 1)
        assert row is not None
        assert (row.days_before, row.at, row.updated_by) == ("14,2", "10:30", "Adam Admin")
    home = bot.home_after(ADAM, published)
    assert "*Påminnelser:* 14 och 2 dagar före kl. 10:30" in home_texts(home)
    bot.press(ADAM, ids.EDIT_SCHEDULE, "schedule")
    reopened = {b.get("block_id"): b for b in bot.opened_modal()["blocks"]}
    assert reopened[ids.SCHEDULE_DAYS_BLOCK]["element"]["initial_value"] == "14,2"
    assert reopened[ids.SCHEDULE_TIME_BLOCK]["element"]["initial_time"] == "10:30"

    # The sweep follows the stored schedule: 14 days before 2024-09-10 is 2024-08-27, at 10:30
    # (the settings' 09:00 would have made it due at 09:30 already).
    early = datetime(2024, 8, 27, 9, 30, tzinfo=TZ)
    assert sweep(bot.core, now=early).occasions == []
    late = datetime(2024, 8, 27, 10, 31, tzinfo=TZ)
    result = sweep(bot.core, now=late)
    assert result.occasions == ["2024-T2:before:2024-08-27"] and result.sent >= 1

    with pytest.raises(Refused) as refused:
        save_schedule(bot.core, who=None, days_text="14,14", time_text="10:30")
    assert refused.value.params["field"] == "days"
    with pytest.raises(Refused) as refused:
        save_schedule(bot.core, who=None, days_text="14", time_text="22:00")
    assert refused.value.params["field"] == "time"
    assert effective_schedule(bot.core).days_before == (14, 2)


@ON_POSTGRES
def test_only_admins_may_change_periods_and_the_schedule(bot: Bot) -> None:
    t2 = PeriodKey(2024, 2)
    home = bot.open_home(BENGT)
    assert "*Administration*" not in home_texts(home) and not edit_buttons(home)

    # Bengt presses the admin buttons (a stale or forged payload): no modal, a private note.
    for action_id, value in [
        (ids.EDIT_PERIOD, "2024-T2"),
        (ids.NEW_PERIOD, "new"),
        (ids.EDIT_SCHEDULE, "schedule"),
    ]:
        assert bot.press(BENGT, action_id, value) is None
    assert bot.emulator.calls_to("views.open") == []
    refusal = "Det här kan bara en administratör göra."
    assert bot.dms(BENGT) == [refusal] * 3

    # He submits the admin's modals: they close, nothing changes, he is told.
    bot.press(ADAM, ids.EDIT_PERIOD, "2024-T2")
    period_modal = bot.opened_modal()
    bot.press(ADAM, ids.EDIT_SCHEDULE, "schedule")
    schedule_modal = bot.opened_modal()
    assert bot.submit(BENGT, period_modal, period_values("2024-09-12", "12:00", "closed")) is None
    assert bot.submit(BENGT, schedule_modal, schedule_values("14,2", "10:30")) is None
    assert bot.dms(BENGT) == [refusal] * 5
    period = bot.period(t2)
    assert period is not None and period.state == "open"
    assert period.deadline.isoformat() == "2024-09-10T14:00:00+00:00"
    with session_scope(bot.engine) as session:
        assert session.get(ReminderSettings, 1) is None
    assert bot.dms(ADAM) == []
