"""Card actions and commands in this process: save, refuse, outsiders, retries, the admin card,
the committee channel command, the status card."""

from __future__ import annotations

import pytest

from bot.teams import ids
from tests.fakes.microsoft import CHANNEL_ID, TEAM_ID
from tests.teams.conftest import Stack
from tests.teams.support import executes, runs, walk


@pytest.fixture(scope="module")
def reminded(stack: Stack) -> Stack:
    """Anna, Bengt and Adam installed, then Adam's reminder round."""
    for email in ("anna@ange.se", "bengt@ange.se", "adam@ange.se", "sara@ange.se"):
        stack.install(stack.ms.user(email))
    adam = stack.ms.user("adam@ange.se")
    assert stack.say(adam, "påminn 2024-T2")[0] == 200
    stack.ms.wait_until(
        lambda: any(t.startswith("Klart") for t in stack.texts(adam)), 30, "the round"
    )
    return stack


def card_answer(body: dict) -> dict:
    assert (
        body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    ), body
    return body["value"]


def test_the_round_sends_each_reporter_their_units_cards(reminded: Stack) -> None:
    adam = reminded.ms.user("adam@ange.se")
    (done,) = [t for t in reminded.texts(adam) if t.startswith("Klart")]
    assert done.startswith("Klart: 4 påminnelser skickades till 2 enheter")
    anna_cards = reminded.cards(reminded.ms.user("anna@ange.se"))
    assert len(anna_cards) == 2  # Samhällsbyggnad's 24 activities on two cards
    assert [c["body"][0]["inlines"][0]["text"] for _i, c in anna_cards] == [
        "Dags att rapportera för 2024-T2"
    ] * 2


def test_save_stores_a_version_and_refreshes_the_card(reminded: Stack) -> None:
    anna = reminded.ms.user("anna@ange.se")
    card_id, card = reminded.cards(anna)[0]
    activity_id = executes(card)[0]["data"]["a"]
    before = reminded.versions(activity_id)
    status, body = reminded.save(anna, card_id, card, 0, "on_track", "Enligt plan.")
    assert status == 200
    refreshed = card_answer(body)
    assert reminded.versions(activity_id) == before + 1
    text = runs(refreshed)
    assert any(t.startswith("Sparat: Pågående enligt plan, av Anna Andersson") for t in text)
    assert any("23 av 24 aktiviteter saknar status" in t for t in text)
    assert [a["data"]["a"] for a in executes(refreshed)] == [a["data"]["a"] for a in executes(card)]
    # A retried identical invoke leaves one version.
    status, body = reminded.save(anna, card_id, card, 0, "on_track", "Enligt plan.")
    assert status == 200 and reminded.versions(activity_id) == before + 1
    assert any(t.startswith("Oförändrat: Pågående enligt plan") for t in runs(card_answer(body)))


def test_a_status_that_needs_a_comment_is_refused_in_the_card(reminded: Stack) -> None:
    anna = reminded.ms.user("anna@ange.se")
    card_id, card = reminded.cards(anna)[0]
    activity_id = executes(card)[1]["data"]["a"]
    before = reminded.versions(activity_id)
    status, body = reminded.save(anna, card_id, card, 1, "deviating", "   ")
    refused = card_answer(body)
    assert reminded.versions(activity_id) == before
    assert any(t.startswith("Skriv en kommentar") for t in runs(refused))
    assert (
        next(n for n in walk(refused) if n.get("id") == f"status_{activity_id}")["value"]
        == "deviating"
    )
    status, body = reminded.save(anna, card_id, card, 1, "deviating", "Försenat av vädret.")
    assert reminded.versions(activity_id) == before + 1


def test_an_outsider_or_forged_data_stores_nothing(reminded: Stack) -> None:
    anna, bengt, okand = (
        reminded.ms.user(e) for e in ("anna@ange.se", "bengt@ange.se", "okand@ange.se")
    )
    card_id, card = reminded.cards(anna)[0]
    activity_id = executes(card)[2]["data"]["a"]
    before = reminded.versions(activity_id)
    # Bengt reports for Stab, not for Samhällsbyggnad; Olle is nobody in Uppsikt.
    for who in (bengt, okand):
        status, body = reminded.save(who, card_id, card, 2, "done")
        assert status == 200 and body["type"] == "application/vnd.microsoft.activity.message"
    assert reminded.versions(activity_id) == before
    forged = {**executes(card)[2]["data"], "a": 2**40}
    status, body = reminded.post(
        reminded.ms.adaptive_card_invoke(ids.SAVE_STATUS, forged, anna, reply_to_id=card_id)
    )
    assert body["statusCode"] == 400 and body["type"] == "application/vnd.microsoft.error"
    status, body = reminded.post(
        reminded.ms.adaptive_card_invoke("uppsikt_nothing", {"action": "x"}, anna)
    )
    assert body["statusCode"] == 400


def test_status_card_lists_and_saves(reminded: Stack) -> None:
    bengt = reminded.ms.user("bengt@ange.se")
    reminded.say(bengt, "status")
    _id, card = reminded.cards(bengt)[-1]
    assert runs(card)[0] == "Din rapportering för 2024-T2"
    save = executes(card)[0]
    activity_id = save["data"]["a"]
    invoke = reminded.ms.adaptive_card_invoke(
        save["verb"],
        save["data"],
        bengt,
        inputs={f"status_{activity_id}": "done", f"comment_{activity_id}": ""},
    )
    _status, body = reminded.post(invoke)
    answer = card_answer(body)
    assert runs(answer)[0] == "Din rapportering för 2024-T2"
    assert any(t.startswith("Sparat: Avslutad enligt plan, av Bengt Berg") for t in runs(answer))
    assert reminded.versions(activity_id) >= 1


def test_commands_answer_in_swedish_and_refuse_by_role(reminded: Stack) -> None:
    anna, sara = reminded.ms.user("anna@ange.se"), reminded.ms.user("sara@ange.se")
    reminded.say(anna, "påminn 2024-T2")
    assert reminded.texts(anna)[-1] == "Det här kan bara en administratör göra."
    reminded.say(anna, "deadline 2024-T2 2030-09-10 16:00")
    assert reminded.texts(anna)[-1] == "Det här kan bara en administratör göra."
    reminded.say(anna, "admin")
    assert reminded.texts(anna)[-1] == "Det här kan bara en administratör göra."
    reminded.say(anna, "rapport 2024-T2")
    assert reminded.texts(anna)[-1] == "Det här kan bara utskottssekreteraren göra."
    reminded.say(anna, "vad")
    assert reminded.texts(anna)[-1].startswith("Okänt kommando: vad.")
    assert runs(reminded.cards(anna)[-1][1])[0] == "Uppsikt: kommandon"
    reminded.say(sara, "report")
    _id, summary = reminded.cards(sara)[-1]
    assert runs(summary)[0] == "Rapport 2024-T2"
    assert not executes(summary)  # no committee channel yet: nothing to publish to
    adam = reminded.ms.user("adam@ange.se")
    reminded.say(adam, "deadline 2024-T2 2024-09-12 16:00")
    assert "bekräfta sist" in reminded.texts(adam)[-1]
    reminded.say(adam, "deadline 2024-T2 2024-09-12 16:00 bekräfta")
    assert reminded.texts(adam)[-1].startswith("Deadline för 2024-T2 är nu 2024-09-12 16:00.")


def test_the_admin_card_changes_periods_and_the_schedule(reminded: Stack) -> None:
    adam = reminded.ms.user("adam@ange.se")
    reminded.say(adam, "admin")
    _id, card = reminded.cards(adam)[-1]
    assert runs(card)[0] == "Administration"
    edit = next(
        a for a in executes(card) if a["verb"] == ids.EDIT_PERIOD and a["data"]["p"] == "2024-T2"
    )
    inputs = {
        "date_2024T2": "2024-09-20",
        "time_2024T2": "16:00",
        "state_2024T2": "open",
        "confirm_2024T2": "false",
    }
    _s, body = reminded.post(
        reminded.ms.adaptive_card_invoke(edit["verb"], edit["data"], adam, inputs=inputs)
    )
    assert (
        body["type"] == "application/vnd.microsoft.activity.message" and "Bekräfta" in body["value"]
    )
    inputs["confirm_2024T2"] = "true"
    _s, body = reminded.post(
        reminded.ms.adaptive_card_invoke(edit["verb"], edit["data"], adam, inputs=inputs)
    )
    saved = card_answer(body)
    assert any(
        t.startswith("Perioden 2024-T2 är sparad: öppen, deadline 2024-09-20 kl. 16:00")
        for t in runs(saved)
    )
    schedule = next(a for a in executes(card) if a["verb"] == ids.EDIT_SCHEDULE)
    bad = {"schedule_days": "7,x", "schedule_time": "09:00"}
    _s, body = reminded.post(
        reminded.ms.adaptive_card_invoke(schedule["verb"], schedule["data"], adam, inputs=bad)
    )
    assert body["value"].startswith("Skriv hela dagar")
    good = {"schedule_days": "14,2", "schedule_time": "08:30"}
    _s, body = reminded.post(
        reminded.ms.adaptive_card_invoke(schedule["verb"], schedule["data"], adam, inputs=good)
    )
    assert "Påminnelser: 14 och 2 dagar före kl. 08:30" in runs(card_answer(body))
    anna = reminded.ms.user("anna@ange.se")
    _s, body = reminded.post(
        reminded.ms.adaptive_card_invoke(schedule["verb"], schedule["data"], anna, inputs=good)
    )
    assert body["value"] == "Det här kan bara en administratör göra."


def test_an_admin_makes_a_channel_the_committee_channel(reminded: Stack) -> None:
    adam, anna, sara = (
        reminded.ms.user(e) for e in ("adam@ange.se", "anna@ange.se", "sara@ange.se")
    )
    reminded.say(anna, "<at>Uppsikt</at> kanal", conversation_id=CHANNEL_ID)
    reminded.say(adam, "<at>Uppsikt</at> kanal", conversation_id=CHANNEL_ID)
    said = [a.get("text") for a in reminded.ms.activities(CHANNEL_ID) if a.get("text")]
    assert "Det här kan bara en administratör göra." in said
    assert "Den här kanalen är nu utskottets kanal: rapporten publiceras här." in said
    from bot.services.channels import committee_channel
    from bot.teams.channel import parse_channel

    stored = parse_channel(committee_channel(reminded.core, platform="teams"))
    assert (stored.conversation_id, stored.team_id, stored.channel_id) == (
        CHANNEL_ID,
        TEAM_ID,
        CHANNEL_ID,
    )
    reminded.say(sara, "rapport 2024-T2")
    _id, summary = reminded.cards(sara)[-1]
    assert {a["verb"] for a in executes(summary)} == {
        ids.PUBLISH,
        ids.PUBLISH_WITH_WORD,
        ids.OPEN_DECISION,
    }
