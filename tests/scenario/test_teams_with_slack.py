"""Slack and Teams in one `uppsikt run` against one database: a status saved in Teams is what
Slack's App Home shows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.slack_api import SlackEmulator
from tests.scenario.support import BOT_TOKEN, SIGNING_SECRET, SlackRequests, directory_users
from tests.scenario.teams_support import World, start_world
from tests.teams.support import executes, runs


@pytest.fixture
def both(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[World, SlackEmulator]]:
    with SlackEmulator(users=directory_users()) as emulator:
        slack_env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": emulator.base_url,
            "UPPSIKT_HOST": "127.0.0.1",
            "UPPSIKT_PORT": "0",
        }
        for world in start_world(
            request, tmp_path, f"sqlite:///{tmp_path / 'uppsikt.db'}", slack_env=slack_env
        ):
            yield world, emulator


def test_a_status_saved_in_teams_shows_in_slacks_app_home(
    both: tuple[World, SlackEmulator],
) -> None:
    world, emulator = both
    assert world.bot.slack_base and world.bot.base != world.bot.slack_base
    anna = world.user("anna@ange.se")
    world.install(anna)
    world.say(anna, "status")
    _id, card = world.cards(anna)[-1]
    action = executes(card)[0]
    aid = action["data"]["a"]
    title = runs(card)[runs(card).index("Kommunstyrelsens förvaltning > Samhällsbyggnad") + 2]
    _status, body = world.invoke(
        anna, action, {f"status_{aid}": "deviating", f"comment_{aid}": "Sparat i Teams."}
    )
    assert any(
        t.startswith("Sparat: Pågående med avvikelse, av Anna Andersson")
        for t in runs(body["value"])
    )

    slack = SlackRequests(
        url=f"{world.bot.slack_base}/slack/events", response_url=emulator.response_url()
    )
    status, _body, _elapsed = slack.event(
        {"type": "app_home_opened", "user": "U0ANNA", "tab": "home"}, "EvTeams1"
    )
    assert status == 200
    emulator.wait_until(lambda emu: "U0ANNA" in emu.home_views, timeout=30)
    home = json.dumps(emulator.home_views["U0ANNA"], ensure_ascii=False)
    assert title in home
    assert "Pågående med avvikelse*, rapporterad av Anna Andersson" in home
    code, out = world.bot.terminate()
    assert code == 0 and "Uppsikt har stoppats" in out
