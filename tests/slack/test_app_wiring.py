"""Every id in bot/slack/ids.py is registered, and the manifest matches the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from bot.config import load_settings
from bot.services.core import Core
from bot.services.database import open_database
from bot.slack import ids
from bot.slack.app import build_app
from bot.slack.listeners.commands.uppsikt import SUBCOMMANDS
from tests.fakes.slack_api import SlackEmulator

MANIFEST = Path(__file__).resolve().parents[2] / "bot" / "slack" / "manifest.json"


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    with SlackEmulator() as emulator:
        settings = load_settings(
            env={
                "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
                "SLACK_BOT_TOKEN": "xoxb-test",
                "SLACK_APP_TOKEN": "xapp-test",
                "SLACK_API_URL": emulator.base_url,
            },
            dotenv_path=tmp_path / "none",
        )
        core = Core(settings=settings, engine=open_database(settings))
        client = WebClient(token="xoxb-test", base_url=emulator.base_url)
        bolt, _context = build_app(core, client=client, process_before_response=True)
        bolt.emulator = emulator  # type: ignore[attr-defined]
        yield bolt


def _dispatch(app, body: dict) -> int:  # type: ignore[no-untyped-def]
    return app.dispatch(BoltRequest(mode="socket_mode", body=body)).status


@pytest.mark.parametrize("action_id", ids.ACTION_IDS)
def test_every_action_id_is_registered(app, action_id: str) -> None:  # type: ignore[no-untyped-def]
    body = {
        "type": "block_actions",
        "user": {"id": "U0NOBODY"},
        "team": {"id": "T0UPPSIKT"},
        "actions": [{"action_id": action_id, "block_id": "b", "type": "button", "value": "x"}],
        "container": {"type": "view", "view_id": "V1"},
        "trigger_id": "t",
    }
    assert _dispatch(app, body) == 200


def test_unknown_action_is_not_handled(app) -> None:  # type: ignore[no-untyped-def]
    body = {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"action_id": "nope"}]}
    assert _dispatch(app, body) == 404


@pytest.mark.parametrize("callback_id", ids.VIEW_CALLBACK_IDS)
def test_every_view_callback_is_registered(app, callback_id: str) -> None:  # type: ignore[no-untyped-def]
    body = {
        "type": "view_submission",
        "user": {"id": "U0NOBODY"},
        "view": {
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": "garbage",
            "state": {"values": {}},
        },
    }
    response = app.dispatch(BoltRequest(mode="socket_mode", body=body))
    assert response.status == 200
    assert json.loads(response.body)["response_action"] == "errors"  # garbage metadata refused


def test_manifest_matches_the_registered_command_and_events(app) -> None:  # type: ignore[no-untyped-def]
    manifest = json.loads(MANIFEST.read_text("utf-8"))
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [ids.COMMAND]
    body = {
        "command": ids.COMMAND,
        "text": "hjälp",
        "user_id": "U1",
        "team_id": "T0UPPSIKT",
        "response_url": app.emulator.response_url(),
    }
    assert _dispatch(app, body) == 200
    answer = app.emulator.wait_for("response_url")[0].params
    assert "/uppsikt status" in answer["text"] + json.dumps(
        answer.get("blocks"), ensure_ascii=False
    )
    assert _dispatch(app, dict(body, command="/annat")) == 404
    usage = manifest["features"]["slash_commands"][0]["usage_hint"]
    for word in ("status", "rapport", "beslut", "påminn", "deadline", "ersättare", "hjälp"):
        assert word in usage and word in SUBCOMMANDS
    assert len(usage) <= 1000
    # Mentions arrive as <@U…|name>, which `ersättare @kollega` needs.
    assert manifest["features"]["slash_commands"][0]["should_escape"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "chat:write",
        "commands",
        "im:write",
        "im:history",
        "users:read.email",
        "files:write",
    } <= scopes
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
