"""The whole tertial round in Teams with the real `uppsikt run` against the fake Microsoft side:
install, refused tokens and tenants, a reminder round, saves from the card, faults, SIGTERM.
One process per database for the module; the tests run in order, as a round does."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from sqlmodel import col, func, select

from bot.config import load_settings
from bot.services.core import Core
from bot.services.database import close_database, open_database
from storage.db import session_scope
from storage.models import ChatAccount, StatusReport
from tests.fakes.microsoft import APP_SECRET
from tests.scenario.teams_support import World, module_database, no_tracebacks, start_world
from tests.teams.support import OTHER_TENANT, executes, runs


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    workdir = tmp_path_factory.mktemp(f"teams-round-{request.param}")
    for database_url in module_database(request, workdir):
        yield from start_world(request, workdir, database_url)


@pytest.fixture(scope="module")
def core(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Core]:
    """The same database from the test's side, to count what was stored."""
    settings = load_settings(
        env={"DATABASE_URL": world.database_url}, dotenv_path=world.workdir / "none"
    )
    engine = open_database(settings)
    yield Core(settings=settings, engine=engine)
    close_database(engine)


def versions(core: Core, activity_id: int) -> int:
    with session_scope(core.engine) as session:
        query = (
            select(func.count())
            .select_from(StatusReport)
            .where(col(StatusReport.activity_id) == activity_id)
        )
        return int(session.exec(query).one())


def accounts(core: Core) -> dict[str, dict[str, str]]:
    with session_scope(core.engine) as session:
        rows = session.exec(select(ChatAccount).where(ChatAccount.platform == "teams")).all()
        return {row.user_id: json.loads(row.address or "{}") for row in rows}


def test_install_stores_the_address_and_matches_by_email(world: World, core: Core) -> None:
    for email in ("adam@ange.se", "anna@ange.se", "sara@ange.se", "okand@ange.se"):
        assert world.install(world.user(email))[0] == 200
    anna, adam, okand = (
        world.user("anna@ange.se"),
        world.user("adam@ange.se"),
        world.user("okand@ange.se"),
    )
    stored = accounts(core)
    assert stored[anna.aad_object_id] == {
        "conversation_id": world.ms.personal_conversation(anna),
        "service_url": world.ms.service_url.rstrip("/"),
    }
    assert okand.aad_object_id not in stored and len(stored) == 3
    assert world.texts(anna)[0].startswith("Hej Anna Andersson!")
    (unmatched,) = [card for _id, card in world.cards(adam)]
    assert "• Olle Okänd (okand@ange.se)" in runs(unmatched)


@pytest.mark.parametrize("how", ["expired", "other_key", "wrong_service_url", "unsigned"])
def test_forged_and_expired_tokens_are_refused_and_change_nothing(
    world: World, core: Core, how: str
) -> None:
    bengt = world.user("bengt@ange.se")
    before = accounts(core)
    status, _ = world.post(
        world.ms.conversation_update_installed(bengt), token=world.ms.forge_token(how)
    )
    assert status == 401
    status, _ = world.post(
        world.ms.message("påminn 2024-T2", world.user("adam@ange.se")),
        token=world.ms.forge_token(how),
    )
    assert status == 401
    assert accounts(core) == before


def test_another_tenant_and_broken_bodies_get_4xx_never_a_500(world: World, core: Core) -> None:
    before = accounts(core)
    stranger = world.ms.add_user("someone@annan.example", tenant_id=OTHER_TENANT)
    assert world.post(world.ms.conversation_update_installed(stranger))[0] == 401
    adam = world.user("adam@ange.se")
    broken = {**world.ms.message("status", adam), "conversation": "x"}
    assert world.post(broken)[0] == 400
    assert world.post({**world.ms.message("x" * 2_000_000, adam)})[0] == 413
    assert accounts(core) == before
    no_tracebacks(world.bot.logs())


def test_an_admin_sends_a_reminder_round_from_teams(world: World) -> None:
    adam, anna = world.user("adam@ange.se"), world.user("anna@ange.se")
    assert world.say(adam, "påminn")[0] == 200
    (done,) = world.wait_text(adam, "Klart:")
    assert done.startswith(
        "Klart: 2 påminnelser skickades till 2 enheter (0 hade redan fått dagens)."
    )
    assert "2 nås inte i Teams" in done  # Bengt has not installed the app; Ove is not in Teams
    cards = world.cards(anna)
    assert [runs(card)[0] for _id, card in cards] == ["Dags att rapportera för 2024-T2"] * 2
    assert sum(len(executes(card)) for _id, card in cards) == 24


def test_save_from_the_card_stores_a_version_and_shows_it(world: World, core: Core) -> None:
    anna = world.user("anna@ange.se")
    card_id, card = world.cards(anna)[0]
    activity_id = executes(card)[0]["data"]["a"]
    before = versions(core, activity_id)
    status, body = world.save(anna, card_id, card, 0, "on_track", "Bidrag beviljat.")
    assert status == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert versions(core, activity_id) == before + 1
    text = runs(body["value"])
    assert any(t.startswith("Sparat: Pågående enligt plan, av Anna Andersson") for t in text)
    assert any("23 av 24 aktiviteter saknar status" in t for t in text)
    # Teams retries an invoke it got no answer to: the same click leaves one version.
    status, body = world.save(anna, card_id, card, 0, "on_track", "Bidrag beviljat.")
    assert status == 200 and versions(core, activity_id) == before + 1


def test_a_deviation_without_a_comment_is_refused_and_nothing_stored(
    world: World, core: Core
) -> None:
    anna = world.user("anna@ange.se")
    card_id, card = world.cards(anna)[0]
    activity_id = executes(card)[1]["data"]["a"]
    before = versions(core, activity_id)
    status, body = world.save(anna, card_id, card, 1, "on_hold", "")
    assert status == 200 and versions(core, activity_id) == before
    assert any(t.startswith("Skriv en kommentar") for t in runs(body["value"]))


def test_an_outsider_is_refused_and_nothing_stored(world: World, core: Core) -> None:
    anna, sara = world.user("anna@ange.se"), world.user("sara@ange.se")
    card_id, card = world.cards(anna)[0]
    activity_id = executes(card)[2]["data"]["a"]
    before = versions(core, activity_id)
    status, body = world.save(sara, card_id, card, 2, "done")
    assert status == 200 and body["value"].startswith("Du är inte rapportör")
    assert versions(core, activity_id) == before


def test_connector_429_and_500_each_reminder_at_most_once(world: World) -> None:
    adam, bengt = world.user("adam@ange.se"), world.user("bengt@ange.se")
    world.install(bengt)
    conversation = world.ms.personal_conversation(bengt)
    cards_before = len(world.cards(bengt))
    calls_before = len(world.ms.calls)
    path = re.escape(conversation) + "/activities"
    # Bengt's first card: two 429s, then Teams stores it but answers 500.
    world.ms.inject(path, status=429, times=2, retry_after=1)
    world.ms.inject(path, status=500, stored=True)
    world.say(adam, "påminn 2024-T2")
    (done,) = world.wait_text(adam, "Klart:", count=2)[1:]
    assert "1 fick inget säkert svar" in done
    sends = [
        c.status
        for c in world.ms.calls[calls_before:]
        if c.kind == "send" and c.conversation_id == conversation
    ]
    assert sends[:3] == [429, 429, 500] and set(sends[3:]) <= {201}
    reminders = [card for _id, card in world.cards(bengt)[cards_before:]]
    # Every card Bengt has arrived once: the stored 500 was not sent again.
    assert len(reminders) == len(sends) - 2 == len({json.dumps(c) for c in reminders})
    # The next round does not send the uncertain one again: the person has it once (or never).
    world.say(adam, "påminn 2024-T2")
    world.wait_text(adam, "Klart:", count=3)
    assert len(world.cards(bengt)) - cards_before == len(reminders)


def test_sigterm_stops_cleanly(world: World) -> None:
    code, out = world.bot.terminate()
    assert code == 0
    assert "Uppsikt har stoppats" in out
    logs = world.bot.logs()
    no_tracebacks(logs)
    # No secret in what the process wrote: the app password, the tokens it got and was sent.
    assert APP_SECRET not in logs + out
    assert not any(t.access_token in logs for t in world.ms.issued_tokens)
    assert "eyJ" not in logs
