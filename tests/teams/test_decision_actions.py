"""The committee's decision, substitutes and the board's channel in this process, over HTTP:
only the secretary decides, never on an older version; a return of two activities with reasons
and a new deadline is recorded, followed up in the committee's channel and reminded to their
reporter; a referral reaches the board's channel."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from bot.domain.periods import PeriodKey
from bot.services import publishing
from bot.services.channels import BOARD_CHANNEL, channel_setting
from bot.services.decisions import decisions_of
from bot.teams import ids
from bot.teams.cards.common import MAX_CARD_BYTES, card_bytes
from bot.teams.channel import parse_channel
from tests.fakes.microsoft import CHANNEL_ID, TEAM_ID, TeamsUser
from tests.teams.conftest import Stack
from tests.teams.support import check_card, executes, runs, walk

T2 = PeriodKey(2024, 2)
BOARD_CHANNEL_ID = "19:b0a4d1c2e3f44a5b8c9d0e1f2a3b4c5d@thread.tacv2"
CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"
STAND_IN = {"pdf": b"%PDF-1.7\n%stand-in\n%%EOF\n", "docx": b"PK\x05\x06" + bytes(18)}


def card_answer(body: dict[str, Any]) -> dict[str, Any]:
    assert body["statusCode"] == 200 and body["type"] == CARD, body
    card = body["value"]
    check_card(card)
    return card


def click(
    stack: Stack, user: TeamsUser, action: dict[str, Any], inputs: dict[str, Any] | None = None
) -> dict[str, Any]:
    """An Action.Execute clicked, with the card's inputs as Teams merges them."""
    invoke = stack.ms.adaptive_card_invoke(action["verb"], action["data"], user, inputs=inputs)
    status, body = stack.post(invoke)
    assert status == 200
    return body


def verb(card: dict[str, Any], name: str) -> dict[str, Any]:
    return next(a for a in executes(card) if a["verb"] == name)


def choices_of(card: dict[str, Any]) -> list[int]:
    chosen = next(n for n in walk(card) if n.get("id") == ids.DECISION_ACTIVITIES_INPUT)
    return [int(c["value"]) for c in chosen["choices"]]


def publish(stack: Stack, version: int) -> None:
    sara = stack.ms.user("sara@ange.se")
    stack.say(sara, "rapport 2024-T2")
    _id, summary = stack.cards(sara)[-1]
    body = click(stack, sara, verb(summary, ids.PUBLISH))
    assert body["type"] == MESSAGE
    stack.ms.wait_until(
        lambda: any(
            f"publicerad i utskottets kanal (version {version})" in t for t in stack.texts(sara)
        ),
        60,
        f"version {version}",
    )


def anna_saves(stack: Stack, activity_id: int, status: str, comment: str) -> None:
    anna = stack.ms.user("anna@ange.se")
    stack.say(anna, "status")
    _id, card = stack.cards(anna)[-1]
    save = next(a for a in executes(card) if a["data"]["a"] == activity_id)
    inputs = {f"status_{activity_id}": status, f"comment_{activity_id}": comment}
    assert "Sparat" in " ".join(runs(card_answer(click(stack, anna, save, inputs))))


@pytest.fixture(scope="module")
def world(stack: Stack) -> Iterator[dict[str, Any]]:
    """Everyone installed, the committee's channel set, Anna's activities known, version 1.

    The report's files are a stand-in here (rendering a PDF takes seconds and has its own
    tests): each version is still compiled, stored, posted and recorded as in production."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(publishing, "_render", lambda _settings, _view, fmt: STAND_IN[fmt])
        yield _world(stack)


def _world(stack: Stack) -> dict[str, Any]:
    for email in ("anna@ange.se", "bengt@ange.se", "sara@ange.se", "adam@ange.se"):
        stack.install(stack.ms.user(email))
    stack.say(stack.ms.user("adam@ange.se"), "<at>Uppsikt</at> kanal", conversation_id=CHANNEL_ID)
    anna = stack.ms.user("anna@ange.se")
    stack.say(anna, "status")
    _id, card = stack.cards(anna)[-1]
    annas = [a["data"]["a"] for a in executes(card)]
    anna_saves(stack, annas[0], "on_track", "Enligt plan.")
    publish(stack, 1)
    return {"annas": annas}


def test_only_the_secretary_opens_or_records_a_decision(
    stack: Stack, world: dict[str, Any]
) -> None:
    anna = stack.ms.user("anna@ange.se")
    stack.say(anna, "beslut 2024-T2")
    assert stack.texts(anna)[-1] == "Det här kan bara utskottssekreteraren göra."
    forged = ids.decision_data(ids.SAVE_DECISION, period="2024-T2", version=1, kind="approved")
    body = click(stack, anna, {"verb": ids.SAVE_DECISION, "data": forged})
    assert body == {"statusCode": 200, "type": MESSAGE, "value": stack.texts(anna)[-1]}
    opened = ids.decision_data(ids.OPEN_DECISION, period="2024-T2")
    assert click(stack, anna, {"verb": ids.OPEN_DECISION, "data": opened})["type"] == MESSAGE
    assert decisions_of(stack.core, period=T2) == []


def test_the_summary_opens_the_decision_card_and_next_checks_the_choices(
    stack: Stack,
    world: dict[str, Any],
) -> None:
    sara = stack.ms.user("sara@ange.se")
    stack.say(sara, "rapport 2024-T2")
    _id, summary = stack.cards(sara)[-1]
    first = card_answer(click(stack, sara, verb(summary, ids.OPEN_DECISION)))
    assert runs(first)[:2] == [
        "Utskottets beslut, 2024-T2",
        "Beslutet gäller den senaste publicerade versionen av uppsiktsrapporten, version 1.",
    ]
    offered = choices_of(first)
    assert len(offered) == 79 and card_bytes(first) < MAX_CARD_BYTES  # the seed's whole plan
    step = verb(first, ids.DECISION_NEXT)
    for inputs, why in [
        ({}, "Välj utskottets beslut."),
        ({ids.DECISION_KIND_INPUT: "returned"}, "Välj de aktiviteter som återremitteras."),
        (
            {
                ids.DECISION_KIND_INPUT: "returned",
                ids.DECISION_ACTIVITIES_INPUT: ",".join(map(str, offered[:21])),
            },
            "Välj högst 20 aktiviteter; du valde 21.",
        ),
    ]:
        again = card_answer(click(stack, sara, step, inputs))
        assert why in runs(again) and verb(again, ids.DECISION_NEXT)
    forged = {ids.DECISION_KIND_INPUT: "returned", ids.DECISION_ACTIVITIES_INPUT: "2147483000"}
    assert click(stack, sara, step, forged)["statusCode"] == 400
    assert decisions_of(stack.core, period=T2) == []


def test_a_decision_on_an_older_version_is_refused_and_nothing_is_stored(
    stack: Stack,
    world: dict[str, Any],
) -> None:
    sara = stack.ms.user("sara@ange.se")
    a, b = world["annas"][:2]
    stack.say(sara, "beslut 2024-T2")
    _id, first = stack.cards(sara)[-1]
    inputs = {ids.DECISION_KIND_INPUT: "returned", ids.DECISION_ACTIVITIES_INPUT: f"{a},{b}"}
    details = card_answer(click(stack, sara, verb(first, ids.DECISION_NEXT), inputs))
    anna_saves(stack, b, "deviating", "Försenat av upphandlingen.")
    publish(stack, 2)
    day = (date.today() + timedelta(days=30)).isoformat()
    typed = {
        "reason_" + str(a): "Varför?",
        "reason_" + str(b): "Hur länge?",
        ids.DECISION_DATE_INPUT: day,
        ids.DECISION_TIME_INPUT: "16:00",
        ids.DECISION_CONFIRM_INPUT: "true",
    }
    stale = card_answer(click(stack, sara, verb(details, ids.SAVE_DECISION), typed))
    assert any(
        t.startswith("Version 1 är inte den senaste (den senaste är version 2)")
        for t in runs(stale)
    )
    assert not [n for n in walk(stale) if str(n.get("type", "")).startswith("Input.")]
    assert decisions_of(stack.core, period=T2) == []
    latest = card_answer(click(stack, sara, verb(stale, ids.OPEN_DECISION)))
    assert "uppsiktsrapporten, version 2." in runs(latest)[1]
    world["latest"] = latest


def test_a_secretary_returns_two_activities_with_reasons_and_a_new_deadline(
    stack: Stack,
    world: dict[str, Any],
) -> None:
    sara, anna = stack.ms.user("sara@ange.se"), stack.ms.user("anna@ange.se")
    a, b = world["annas"][:2]
    inputs = {
        ids.DECISION_KIND_INPUT: "returned",
        ids.DECISION_ACTIVITIES_INPUT: f"{a},{b}",
        ids.DECISION_REASONS_INPUT: "Komplettera med tidsplan.",
    }
    details = card_answer(click(stack, sara, verb(world["latest"], ids.DECISION_NEXT), inputs))
    reason_ids = [n["id"] for n in walk(details) if str(n.get("id", "")).startswith("reason_")]
    assert reason_ids == [f"reason_{a}", f"reason_{b}"]
    save = verb(details, ids.SAVE_DECISION)
    day = (date.today() + timedelta(days=30)).isoformat()
    typed = {
        ids.DECISION_REASONS_INPUT: "Komplettera med tidsplan.",
        f"reason_{a}": "Vad är klart, och vad återstår? <at>Alla</at>",
        f"reason_{b}": "",
        ids.DECISION_DATE_INPUT: day,
        ids.DECISION_TIME_INPUT: "16:00:00",
        ids.DECISION_CONFIRM_INPUT: "false",
    }
    # A missing reason, then a deadline outside the period unconfirmed: said in the card with
    # what was typed, nothing recorded.
    missing = card_answer(click(stack, sara, save, typed))
    assert "Skriv utskottets skäl för varje återremitterad aktivitet." in runs(missing)
    kept = next(n for n in walk(missing) if n.get("id") == f"reason_{a}")
    assert kept["value"] == typed[f"reason_{a}"]
    typed[f"reason_{b}"] = "Kommentaren saknar orsak till avvikelsen."
    unconfirmed = card_answer(click(stack, sara, save, typed))
    assert any("Slå på reglaget" in t for t in runs(unconfirmed))
    assert decisions_of(stack.core, period=T2) == []
    typed[ids.DECISION_CONFIRM_INPUT] = "true"
    reminders_before = len(stack.cards(anna))
    recorded = card_answer(click(stack, sara, save, typed))
    text = runs(recorded)
    assert text[1] == (
        "Beslutet är registrerat: rapporten för 2024-T2 (version 2) är återremitterad; "
        "rapportörerna påminns med utskottets skäl."
    )
    assert f"Ny deadline: {day} kl. 16:00." in text and not executes(recorded)
    (decision,) = decisions_of(stack.core, period=T2)
    assert (decision.kind, decision.version, decision.reasons) == (
        "returned",
        2,
        "Komplettera med tidsplan.",
    )
    assert sorted(reason for _title, reason in decision.returned) == sorted(
        [typed[f"reason_{a}"], typed[f"reason_{b}"]]
    )
    assert decision.new_deadline is not None
    local = decision.new_deadline.astimezone(stack.core.settings.timezone)
    assert f"{local:%Y-%m-%d %H:%M}" == f"{day} 16:00"
    # After the answer: the committee's channel told, and Anna reminded with the reasons.
    stack.ms.wait_until(
        lambda: any(
            "har återremitterat uppsiktsrapporten för 2024-T2 (version 2)" in (m.get("text") or "")
            for m in stack.ms.activities(CHANNEL_ID)
        ),
        30,
        "the committee's line",
    )
    stack.ms.wait_until(lambda: len(stack.cards(anna)) > reminders_before, 30, "the reminder")
    _id, reminder = stack.cards(anna)[-1]
    assert "Utskottets skäl: " in runs(reminder)
    assert typed[f"reason_{a}"] in runs(reminder)  # as typed: no mention in a TextRun
    # The same Save again records nothing more.
    again = card_answer(click(stack, sara, save, typed))
    assert "Utskottet har redan fattat beslut om version 2." in " ".join(runs(again))
    assert len(decisions_of(stack.core, period=T2)) == 1
    world["reminder"] = stack.cards(anna)[-1]


def test_an_admin_makes_a_channel_the_boards_and_a_referral_reaches_it(
    stack: Stack,
    world: dict[str, Any],
) -> None:
    adam, anna, sara = (stack.ms.user(e) for e in ("adam@ange.se", "anna@ange.se", "sara@ange.se"))
    stack.ms.add_channel(TEAM_ID, BOARD_CHANNEL_ID, "Kommunstyrelsen")
    stack.say(anna, "<at>Uppsikt</at> styrelsekanal", conversation_id=BOARD_CHANNEL_ID)
    stack.say(adam, "<at>Uppsikt</at> styrelsekanal", conversation_id=BOARD_CHANNEL_ID)
    said = [str(a["text"]) for a in stack.ms.activities(BOARD_CHANNEL_ID) if a.get("text")]
    assert said[0] == "Det här kan bara en administratör göra."
    assert said[1].startswith("Den här kanalen är nu kommunstyrelsens kanal")
    stored = parse_channel(channel_setting(stack.core, platform="teams", name=BOARD_CHANNEL))
    assert (stored.conversation_id, stored.team_id) == (BOARD_CHANNEL_ID, TEAM_ID)
    stack.say(adam, "styrelsekanal")
    assert stack.texts(adam)[-1].startswith("Skriv @Uppsikt styrelsekanal i den kanal")
    # Anna answers the return; version 3 is referred to the board.
    card_id, reminder = world["reminder"]
    index = next(i for i, s in enumerate(executes(reminder)) if s["data"]["a"] == world["annas"][0])
    _s, body = stack.save(anna, card_id, reminder, index, "done", "Klart i augusti.")
    card_answer(body)
    publish(stack, 3)
    stack.say(sara, "beslut 2024-T2")
    _id, first = stack.cards(sara)[-1]
    inputs = {ids.DECISION_KIND_INPUT: "referred", ids.DECISION_REASONS_INPUT: "För åtgärd."}
    details = card_answer(click(stack, sara, verb(first, ids.DECISION_NEXT), inputs))
    typed = {ids.DECISION_BOARD_INPUT: "2024-10-15", ids.DECISION_PRESENTER_INPUT: ""}
    recorded = card_answer(click(stack, sara, verb(details, ids.SAVE_DECISION), typed))
    assert "är överlämnad till kommunstyrelsen" in runs(recorded)[1]
    stack.ms.wait_until(
        lambda: any(
            "sammanträde 2024-10-15; den föredras av utskottets ordförande" in (m.get("text") or "")
            for m in stack.ms.activities(BOARD_CHANNEL_ID)
        ),
        30,
        "the board's line",
    )
    assert any(stack.ms.cards_of(m) for m in stack.ms.activities(BOARD_CHANNEL_ID))
    assert [d.kind for d in decisions_of(stack.core, period=T2)] == ["returned", "referred"]


def test_a_reporter_names_a_substitute_by_email_or_mention(
    stack: Stack, world: dict[str, Any]
) -> None:
    anna, sara = stack.ms.user("anna@ange.se"), stack.ms.user("sara@ange.se")
    starts, ends = date.today() + timedelta(days=1), date.today() + timedelta(days=20)
    stack.say(anna, "ersättare")
    assert stack.texts(anna)[-1] == "Ingen ersättare är utsedd just nu."
    stack.say(anna, f"ersättare bengt@ange.se {starts} {ends}")
    assert stack.texts(anna)[-1] == (
        f"Bengt Berg rapporterar för dina enheter {starts} till {ends}; "
        "påminnelserna går till hen under tiden."
    )

    def mention(user: TeamsUser, *, aad: bool = True) -> dict[str, Any]:
        mentioned = {"id": user.id, "name": user.name}
        if aad:
            mentioned["aadObjectId"] = user.aad_object_id
        return {"type": "mention", "text": f"<at>{user.name}</at>", "mentioned": mentioned}

    def say_mentioning(user: TeamsUser, **kwargs: Any) -> str:
        message = stack.ms.message(f"substitute <at>{user.name}</at> {starts} {ends}", anna)
        message["entities"].append(mention(user, **kwargs))
        assert stack.post(message)[0] == 200
        return stack.texts(anna)[-1]

    assert say_mentioning(sara).startswith("Sara Sekreterare rapporterar för dina enheter")
    assert say_mentioning(sara, aad=False) == (
        "Teams uppgav inte vem Sara Sekreterare är. Skriv kollegans e-postadress i stället."
    )
    stranger = stack.ms.add_user("nils@ange.se", name="Nils Ny")
    assert say_mentioning(stranger).startswith("Uppsikt känner inte igen Nils Ny i Teams ännu")
    stack.say(anna, "ersättare bengt@ange.se i morgon")
    assert stack.texts(anna)[-1].startswith("Skriv ersättare E-POST FRÅN TILL")
    stack.say(anna, f"ersättare anna@ange.se {starts} {ends}")
    assert stack.texts(anna)[-1] == "Man kan inte vara sin egen ersättare."
    stack.say(sara, "substitute")
    listed = stack.texts(sara)[-1].splitlines()
    assert listed[0] == "Ersättare som gäller nu eller framöver:"
    assert f"Bengt Berg rapporterar för Anna Andersson {starts} till {ends}." in listed
    assert f"Sara Sekreterare rapporterar för Anna Andersson {starts} till {ends}." in listed


def test_help_lists_the_new_commands_by_role(stack: Stack, world: dict[str, Any]) -> None:
    for email, expected, absent in [
        ("anna@ange.se", {"ersättare"}, {"beslut", "styrelsekanal"}),
        ("sara@ange.se", {"ersättare", "beslut"}, {"styrelsekanal"}),
        ("adam@ange.se", {"ersättare", "styrelsekanal"}, {"beslut"}),
    ]:
        user = stack.ms.user(email)
        stack.say(user, "hjälp")
        words = {t.split(" ", 1)[0] for t in runs(stack.cards(user)[-1][1])}
        assert expected <= words and not absent & words, email
