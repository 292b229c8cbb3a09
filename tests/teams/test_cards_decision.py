"""The decision card's two steps and what replaces it: targeted asserts, golden files, Teams'
limits with a plan of the seed's size and larger, plan titles shown as plain text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.teams import ids
from bot.teams.cards import (
    build_decision_choice_card,
    build_decision_details_card,
    build_decision_note_card,
    build_decision_recorded_card,
)
from bot.teams.cards.common import CARD_BUDGET, card_bytes
from bot.teams.cards.decision import activity_choices
from tests.teams.support import EVIL, TZ, check_card, check_golden, executes, runs, walk

ACTIVITIES = [
    (11, "1.1", "Utbildning i ergonomi för lokalvård"),
    (
        12,
        "1.9",
        "Öka tillgängligheten till fritidsaktiviteter för barn och unga med funktionsnedsättning",
    ),
    (13, "1.20", "Anlägga fiber Mellanleringen - Kassjöviken"),
    (14, "1.20", EVIL),
]


def by_id(card: dict[str, Any], input_id: str) -> dict[str, Any]:
    return next(n for n in walk(card) if n.get("id") == input_id)


def seed_sized(count: int = 79, title: str = "Å" * 300) -> list[tuple[int, str, str]]:
    return [(100 + i, f"1.{i % 21 + 1}", f"{title} {i}") for i in range(count)]


def test_the_first_step_chooses_the_decision_the_reasons_and_the_activities() -> None:
    card = build_decision_choice_card(
        language="sv", period="2024-T1", version=2, activities=ACTIVITIES
    )
    check_card(card)
    text = runs(card)
    assert text[:2] == [
        "Utskottets beslut, 2024-T1",
        "Beslutet gäller den senaste publicerade versionen av uppsiktsrapporten, version 2.",
    ]
    kind = by_id(card, ids.DECISION_KIND_INPUT)
    assert kind["style"] == "expanded" and "value" not in kind
    assert [c["value"] for c in kind["choices"]] == ["approved", "returned", "referred"]
    chosen = by_id(card, ids.DECISION_ACTIVITIES_INPUT)
    assert chosen["isMultiSelect"] is True and chosen["style"] == "compact"
    assert [c["value"] for c in chosen["choices"]] == ["11", "12", "13", "14"]
    # A title is cut on a word, after its goal's number; a plan's title is a plain choice title.
    assert chosen["choices"][1]["title"].startswith("1.9 Öka tillgängligheten")
    assert chosen["choices"][1]["title"].endswith("…") and len(chosen["choices"][1]["title"]) <= 85
    assert by_id(card, ids.DECISION_REASONS_INPUT)["maxLength"] == 3000
    (next_step,) = executes(card)
    assert next_step["data"] == {"action": ids.DECISION_NEXT, "p": "2024-T1", "v": 2}
    assert next_step["associatedInputs"] == "auto"
    check_golden("decision_choice_sv.json", card)


def test_the_first_step_again_keeps_what_was_chosen_and_says_why() -> None:
    card = build_decision_choice_card(
        language="en",
        period="2024-T1",
        version=2,
        activities=ACTIVITIES,
        kind="returned",
        reasons=EVIL,
        chosen=(13, 11, 999),
        result=("Choose the activities that are returned.", False),
    )
    check_card(card)
    assert by_id(card, ids.DECISION_KIND_INPUT)["value"] == "returned"
    assert by_id(card, ids.DECISION_ACTIVITIES_INPUT)["value"] == "13,11"  # 999 was not offered
    assert by_id(card, ids.DECISION_REASONS_INPUT)["value"] == EVIL
    assert "Choose the activities that are returned." in runs(card)
    assert runs(card)[0] == "The committee's decision, 2024-T1"


def test_a_plan_of_the_seeds_size_or_larger_fits_the_card() -> None:
    heavy_reasons = ('"' + "🟠") * 1500  # 3000 characters that weigh the most in JSON
    card = build_decision_choice_card(
        language="sv",
        period="2024-T1",
        version=1,
        activities=seed_sized(),
        reasons=heavy_reasons,
    )
    check_card(card)
    assert card_bytes(card) <= CARD_BUDGET
    choices = by_id(card, ids.DECISION_ACTIVITIES_INPUT)["choices"]
    assert len(choices) == 79 and all(c["title"].endswith("…") for c in choices)
    assert not any("får inte plats" in t for t in runs(card))
    # A year of 400 activities: the titles get shorter, and what still does not fit is said.
    crowded = build_decision_choice_card(
        language="sv", period="2024-T1", version=1, activities=seed_sized(400)
    )
    check_card(crowded)
    shown = len(by_id(crowded, ids.DECISION_ACTIVITIES_INPUT)["choices"])
    assert 79 < shown < 400
    assert f"{400 - shown} aktiviteter till får inte plats" in " ".join(runs(crowded))
    long, _ = activity_choices(seed_sized(5))
    assert all(len(c.title or "") <= 5 + 80 for c in long)


def test_the_second_step_of_a_return_has_a_reason_per_activity_and_the_deadline() -> None:
    card = build_decision_details_card(
        language="sv",
        zone=TZ,
        period="2024-T1",
        version=2,
        activities=ACTIVITIES,
        kind="returned",
        reasons="Komplettera med tidsplan.",
        chosen=[14, 13, 999],
    )
    check_card(card)
    text = runs(card)
    assert "Beslut: Återremitteras för komplettering" in text
    assert "1.20 " + EVIL in text  # the plan's title, as typed, in a TextRun
    reasons = [n for n in walk(card) if str(n.get("id", "")).startswith("reason_")]
    assert [r["id"] for r in reasons] == ["reason_14", "reason_13"]
    assert all(r["isMultiline"] and r["maxLength"] == 3000 for r in reasons)
    assert by_id(card, ids.DECISION_REASONS_INPUT)["value"] == "Komplettera med tidsplan."
    assert by_id(card, ids.DECISION_DATE_INPUT)["type"] == "Input.Date"
    assert by_id(card, ids.DECISION_TIME_INPUT)["value"] == "16:00"
    assert by_id(card, ids.DECISION_CONFIRM_INPUT)["value"] == "false"
    assert not [n for n in walk(card) if n.get("id") in (ids.DECISION_BOARD_INPUT,)]
    save, back = executes(card)
    assert save["data"] == {
        "action": ids.SAVE_DECISION,
        "p": "2024-T1",
        "v": 2,
        "k": "returned",
        "ids": [14, 13],
    }
    assert back["data"] == {**save["data"], "action": ids.OPEN_DECISION}
    check_golden("decision_returned_sv.json", card)


def test_the_second_step_of_a_referral_or_an_approval() -> None:
    referred = build_decision_details_card(
        language="sv",
        zone=TZ,
        period="2024-T1",
        version=2,
        activities=ACTIVITIES,
        kind="referred",
        chosen=[13],  # chosen before the decision changed: not a return, not carried
    )
    check_card(referred)
    assert by_id(referred, ids.DECISION_BOARD_INPUT)["type"] == "Input.Date"
    presenter = by_id(referred, ids.DECISION_PRESENTER_INPUT)
    assert presenter["placeholder"] == "utskottets ordförande" and presenter["maxLength"] == 200
    assert "ids" not in executes(referred)[0]["data"]
    assert not [n for n in walk(referred) if str(n.get("id", "")).startswith("reason_")]
    approved = build_decision_details_card(
        language="en", zone=TZ, period="2024-T1", version=2, activities=ACTIVITIES, kind="approved"
    )
    check_card(approved)
    inputs = [n["id"] for n in walk(approved) if str(n.get("type", "")).startswith("Input.")]
    assert inputs == [ids.DECISION_REASONS_INPUT]
    assert "Decision: Approved: the case is closed" in runs(approved)


def test_a_refused_save_shows_the_reason_and_keeps_every_input() -> None:
    card = build_decision_details_card(
        language="sv",
        zone=TZ,
        period="2024-T1",
        version=2,
        activities=ACTIVITIES,
        kind="returned",
        reasons="Helheten.",
        chosen=[11, 13],
        activity_reasons={11: "Vad är försenat?", 13: ""},
        deadline=("2024-09-30", "12:00"),
        confirmed=True,
        result=("Skriv utskottets skäl för varje återremitterad aktivitet.", False),
    )
    check_card(card)
    assert "Skriv utskottets skäl för varje återremitterad aktivitet." in runs(card)
    assert by_id(card, "reason_11")["value"] == "Vad är försenat?"
    assert "value" not in by_id(card, "reason_13")
    assert by_id(card, ids.DECISION_DATE_INPUT)["value"] == "2024-09-30"
    assert by_id(card, ids.DECISION_TIME_INPUT)["value"] == "12:00"
    assert by_id(card, ids.DECISION_CONFIRM_INPUT)["value"] == "true"
    # Twenty returned activities with the longest titles fit the step Next draws, whatever the
    # reasons for the whole report weigh; and again with reasons of a few sentences each.
    many = seed_sized(20)
    chosen = [a for a, _g, _t in many]
    first = build_decision_details_card(
        language="sv",
        zone=TZ,
        period="2024-T1",
        version=2,
        activities=many,
        kind="returned",
        reasons=('"' + "🟠") * 1500,
        chosen=chosen,
    )
    check_card(first)
    assert card_bytes(first) <= CARD_BUDGET
    assert len([n for n in walk(first) if str(n.get("id", "")).startswith("reason_")]) == 20
    again = build_decision_details_card(
        language="sv",
        zone=TZ,
        period="2024-T1",
        version=2,
        activities=many,
        kind="returned",
        reasons="Komplettera. " * 40,
        chosen=chosen,
        activity_reasons={a: "Skälet är att tidsplanen saknas. " * 10 for a in chosen},
    )
    check_card(again)


def test_what_replaces_the_form_holds_no_inputs() -> None:
    stale = build_decision_note_card(
        language="sv",
        period="2024-T1",
        message="Version 1 är inte den senaste (den senaste är version 2).",
        good=False,
        offer_latest=True,
    )
    check_card(stale)
    assert [a["data"] for a in executes(stale)] == [{"action": ids.OPEN_DECISION, "p": "2024-T1"}]
    recorded = build_decision_recorded_card(
        language="sv",
        period="2024-T1",
        version=2,
        kind="returned",
        new_deadline=datetime(2024, 9, 30, 16, 0, tzinfo=TZ),
        returned=["Anlägga fiber Mellanleringen - Kassjöviken", EVIL],
        notes=["En anteckning."],
    )
    check_card(recorded)
    assert not executes(recorded)
    assert not [n for n in walk(recorded) if str(n.get("type", "")).startswith("Input.")]
    text = runs(recorded)
    assert text[1].startswith("Beslutet är registrerat: rapporten för 2024-T1 (version 2)")
    assert "Ny deadline: 2024-09-30 kl. 16:00." in text and f"• {EVIL}" in text
    check_golden("decision_recorded_sv.json", recorded)
    approved = build_decision_recorded_card(
        language="en",
        period="2024-T1",
        version=1,
        kind="approved",
        new_deadline=None,
        returned=[],
    )
    check_card(approved)
    assert runs(approved)[1].startswith("The decision is recorded: the report for 2024-T1")
