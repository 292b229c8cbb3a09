"""The same app in Socket Mode, in-process: requests dispatched as the Socket Mode client does."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from sqlmodel import select

from bot.config import load_settings
from bot.services.core import Core
from bot.services.database import open_database
from bot.slack import ids
from bot.slack.app import build_app
from bot.slack.notifier import make_client
from storage.db import session_scope
from storage.models import StatusReport
from tests.helpers import ON_POSTGRES, ON_SQLITE
from tests.scenario.support import block_action, prepare_database


@ON_POSTGRES
def test_socket_mode_round(database_url: str, emulator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prepare_database(database_url, tmp_path)
    settings = load_settings(
        env={
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_APP_TOKEN": "xapp-test",
            "SLACK_API_URL": emulator.base_url,
            "UPPSIKT_ADMINS": "U0ADAM",
            "UPPSIKT_LANGUAGE": "en",
        },
        dotenv_path=tmp_path / "none",
    )
    core = Core(settings=settings, engine=open_database(settings))
    engine = core.engine
    client = make_client(settings)
    assert isinstance(client, WebClient) and client.base_url == emulator.base_url
    app, context = build_app(core, client=client, process_before_response=True)

    def dispatch(body: dict) -> int:
        return app.dispatch(BoltRequest(mode="socket_mode", body=body)).status

    command = {
        "command": ids.COMMAND,
        "text": "remind 2024-T2",
        "user_id": "U0ADAM",
        "team_id": "T0UPPSIKT",
        "response_url": emulator.response_url(),
    }
    assert dispatch(command) == 200
    # The ack goes out first; the round runs after it and answers through response_url.
    answers = emulator.wait_until(
        lambda emu: [
            c.params["text"] for c in emu.calls_to("response_url") if "Done:" in c.params["text"]
        ],
        timeout=40,
    )
    assert answers[0].startswith("Done:")
    anna = emulator.messages("DU0ANNA")
    assert len(anna) == 2 and "Status" in json.dumps(anna[0]["blocks"])  # English labels

    first = anna[0]
    select_block = next(
        b for b in first["blocks"] if b.get("block_id", "").startswith("uppsikt_act_")
    )
    element = next(e for e in select_block["elements"] if e["action_id"] == ids.STATUS_SELECT)
    option = next(o for o in element["options"] if o["value"].endswith("#on_track"))
    action = {
        "action_id": ids.STATUS_SELECT,
        "block_id": select_block["block_id"],
        "type": "static_select",
        "selected_option": option,
    }
    assert (
        dispatch(
            block_action(
                "U0ANNA",
                action,
                response_url=emulator.response_url(),
                channel="DU0ANNA",
                message_ts=first["ts"],
            )
        )
        == 200
    )
    emulator.wait_for("chat.update", timeout=40)
    with session_scope(engine) as session:
        reports = session.exec(select(StatusReport).where(StatusReport.source == "slack")).all()
        assert [(r.status, r.author_name) for r in reports] == [("on_track", "Anna Andersson")]

    # A status that needs a comment opens the modal instead of storing at once.
    deviating = next(o for o in element["options"] if o["value"].endswith("#deviating"))
    action["selected_option"] = deviating
    assert (
        dispatch(
            block_action(
                "U0ANNA",
                action,
                response_url=emulator.response_url(),
                channel="DU0ANNA",
                message_ts=first["ts"],
            )
        )
        == 200
    )
    view = emulator.calls_to("views.open")[-1].params["view"]
    status_element = next(b for b in view["blocks"] if b.get("block_id") == ids.STATUS_BLOCK)[
        "element"
    ]
    assert status_element["initial_option"]["value"] == "deviating"
    with session_scope(engine) as session:
        assert (
            len(session.exec(select(StatusReport).where(StatusReport.source == "slack")).all()) == 1
        )

    event = {
        "type": "event_callback",
        "event_id": "Ev42",
        "team_id": "T0UPPSIKT",
        "event": {"type": "app_home_opened", "user": "U0ANNA", "tab": "home"},
    }
    assert dispatch(event) == 200
    assert dispatch(event) == 200  # redelivered: dropped before any work is queued
    emulator.wait_for("views.publish", timeout=40)
    context.shutdown()  # the queued work is done
    assert len(emulator.calls_to("views.publish")) == 1


@ON_SQLITE
def test_deadline_command(database_url: str, emulator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from storage.models import Period

    prepare_database(database_url, tmp_path)
    settings = load_settings(
        env={
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_APP_TOKEN": "xapp-test",
            "SLACK_API_URL": emulator.base_url,
            "UPPSIKT_ADMINS": "adam@ange.se",
        },
        dotenv_path=tmp_path / "none",
    )
    # The admin moves the deadline in August 2024, before it has passed.
    core = Core(
        settings=settings,
        engine=open_database(settings),
        clock=lambda: datetime(2024, 8, 1, 8, 0, tzinfo=UTC),
    )
    engine = core.engine
    app, _ = build_app(core, client=make_client(settings), process_before_response=True)

    def command(user: str, text: str) -> str:
        body = {
            "command": ids.COMMAND,
            "text": text,
            "user_id": user,
            "team_id": "T0UPPSIKT",
            "response_url": emulator.response_url(),
        }
        before = len(emulator.calls_to("response_url"))
        assert app.dispatch(BoltRequest(mode="socket_mode", body=body)).status == 200
        calls = emulator.wait_for("response_url", count=before + 1, timeout=40)
        return calls[before].params["text"]

    assert "administratör" in command("U0BENGT", "deadline 2024-T2 2024-09-12 12:00")
    assert "2024-09-12 12:00" in command("U0ADAM", "deadline 2024-T2 2024-09-12 12:00")
    assert "går inte att tolka" in command("U0ADAM", "deadline 2024-T2 nästa vecka")
    assert "Skriv /uppsikt deadline" in command("U0ADAM", "deadline 2024-T2")
    # One rule everywhere: a time skipped by the spring DST change does not exist; a past
    # deadline needs confirmation; a period that does not exist is not opened by it.
    assert "02:30 finns inte i Europe/Stockholm" in command(
        "U0ADAM", "deadline 2024-T2 2024-03-31 02:30"
    )
    refused = command("U0ADAM", "deadline 2024-T2 2024-07-01 12:00")
    assert "redan passerats" in refused and "bekräfta" in refused
    assert "Perioden 2024-T3 finns inte." in command("U0ADAM", "deadline 2024-T3 2024-12-10 16:00")
    with session_scope(engine) as session:
        period = session.exec(select(Period).where(Period.tertial == 2)).one()
        assert period.deadline.isoformat() == "2024-09-12T10:00:00+00:00"
