"""The reminder card: targeted asserts, golden files, Teams' limits, plain text, the split."""

from __future__ import annotations

import pytest

from bot.domain.status import Status
from bot.teams import ids
from bot.teams.cards import (
    ActivityNote,
    build_reminder_card,
    build_reminder_cards,
    refreshed_reminder_card,
)
from bot.teams.cards.common import CARD_BUDGET, card_bytes
from tests.teams.support import (
    CLOSED,
    EVIL,
    OPEN,
    UNIT_PATH,
    check_card,
    check_golden,
    executes,
    item,
    progress,
    runs,
    sample_items,
    walk,
)


def reminder(language: str = "sv", period=OPEN, items=None, **kwargs):  # type: ignore[no-untyped-def]
    items = items if items is not None else sample_items()
    return build_reminder_card(
        unit_id=3,
        unit_path=UNIT_PATH,
        period=period,
        items=items,
        progress=progress(items),
        part=1,
        parts=1,
        language=language,
        **kwargs,
    )


def test_reminder_shows_each_activity_with_its_status_and_a_form() -> None:
    card = reminder()
    check_card(card)
    text = runs(card)
    assert text[0] == "Dags att rapportera för 2024-T2"
    assert UNIT_PATH in text
    assert any("2 av 4 aktiviteter saknar status" in t for t in text)
    assert any("senast 2024-08-30 kl. 16:00" in t for t in text)
    assert any(t.startswith("🟢 Pågående enligt plan, rapporterad av Anna Andersson") for t in text)
    # Last tertial's status is marked as such, not shown as this tertial's.
    assert "Förra tertialen: " in text and "⏸️ Vänteläge" in text
    assert any("Ingen status rapporterad ännu" in t for t in text)
    choices = [n for n in walk(card) if n.get("type") == "Input.ChoiceSet"]
    assert [c["id"] for c in choices] == ["status_41", "status_42", "status_43", "status_44"]
    assert [c.get("value") for c in choices] == ["on_track", "on_hold", None, None]
    assert [c["value"] for c in choices[0]["choices"]] == [s.value for s in Status]
    comments = [n for n in walk(card) if n.get("type") == "Input.Text"]
    assert comments[0]["maxLength"] == 3000 and comments[0]["value"] == "Bidrag beviljat."
    saves = executes(card)
    assert len(saves) == 4
    assert saves[2]["data"] == {
        "action": ids.SAVE_STATUS,
        "a": 43,
        "p": "2024-T2",
        "src": "reminder",
        "u": 3,
        "ids": [41, 42, 43, 44],
        "part": [1, 1],
    }
    check_golden("reminder_sv.json", card)


def test_reminder_in_english_and_for_a_closed_period() -> None:
    card = reminder("en", CLOSED)
    check_card(card)
    text = runs(card)
    assert text[0] == "Reporting for 2024-T2"
    assert any("Period 2024-T2 is closed" in t for t in text)
    assert not executes(card) and not [n for n in walk(card) if "Input" in str(n.get("type"))]
    assert not any("Mål" in t or "rapporterad" in t for t in text)
    check_golden("reminder_en_closed.json", card)


def test_user_text_is_shown_as_typed_never_as_markdown_or_a_mention() -> None:
    items = [item(7, EVIL, status=Status.DEVIATING, comment=EVIL, reported_by=EVIL, goal_text=EVIL)]
    card = reminder(items=items)
    check_card(card)
    assert EVIL in runs(card)  # the title, verbatim, in a TextRun
    assert any(EVIL in t for t in runs(card) if t != EVIL)  # the goal and who reported it
    assert [n["value"] for n in walk(card) if n.get("type") == "Input.Text"] == [EVIL]
    assert not [n for n in walk(card) if n.get("type") == "TextBlock"]


def test_a_note_is_shown_under_its_activity_and_keeps_the_persons_choice() -> None:
    note = ActivityNote("Skriv en kommentar.", good=False, status="deviating", comment="")
    card = reminder(notes={43: note})
    check_card(card)
    containers = [n for n in walk(card) if n.get("type") == "Container" and n.get("style")]
    assert len(containers) == 1 and containers[0]["style"] == "attention"
    choice = next(n for n in walk(card) if n.get("id") == "status_43")
    assert choice["value"] == "deviating"


def test_many_activities_are_split_in_order_each_card_under_the_limit() -> None:
    items = [
        item(i, f"Aktivitet {i:03d}", status=Status.DONE, comment="Klart.") for i in range(1, 41)
    ]
    cards = build_reminder_cards(
        unit_id=3,
        unit_path=UNIT_PATH,
        period=OPEN,
        items=items,
        progress=progress(items),
        language="sv",
    )
    assert len(cards) == 4  # at most 12 a card
    seen = []
    for number, card in enumerate(cards, start=1):
        check_card(card)
        assert any(f"Kort {number} av 4" in t for t in runs(card))
        on_card = [s["data"]["a"] for s in executes(card)]
        assert all(
            s["data"]["ids"] == on_card and s["data"]["part"] == [number, 4] for s in executes(card)
        )
        seen += on_card
    assert seen == list(range(1, 41))


def test_long_comments_make_more_cards_never_a_card_over_28_kb() -> None:
    # 3000 characters that weigh the most in JSON: four-byte emoji and escaped quotes.
    heavy = ('"' + "🟠") * 1500
    items = [
        item(i, "Å" * 300, status=Status.DEVIATING, comment=heavy, goal_text="Ö" * 150)
        for i in range(1, 13)
    ]
    cards = build_reminder_cards(
        unit_id=3,
        unit_path="Ä" * 300,
        period=OPEN,
        items=items,
        progress=progress(items),
        language="sv",
    )
    assert len(cards) > 2
    assert [s["data"]["a"] for c in cards for s in executes(c)] == list(range(1, 13))
    for card in cards:
        check_card(card)
        assert card_bytes(card) <= CARD_BUDGET


def test_the_same_activity_twice_is_shown_once() -> None:
    items = sample_items()
    cards = build_reminder_cards(
        unit_id=3,
        unit_path=UNIT_PATH,
        period=OPEN,
        items=items + items[:2],
        progress=progress(items),
        language="sv",
    )
    assert len(cards) == 1 and len(executes(cards[0])) == 4
    assert (
        build_reminder_cards(
            unit_id=3,
            unit_path=UNIT_PATH,
            period=OPEN,
            items=[],
            progress=progress([]),
            language="sv",
        )
        == []
    )


@pytest.mark.parametrize("grow", [False, True])
def test_a_refreshed_card_shows_the_same_activities_or_the_part_that_holds_the_saved_one(
    grow: bool,
) -> None:
    items = [item(i, f"Aktivitet {i}", comment="kort") for i in range(1, 25)]
    first = build_reminder_cards(
        unit_id=3,
        unit_path=UNIT_PATH,
        period=OPEN,
        items=items,
        progress=progress(items),
        language="sv",
    )
    on_second = [s["data"]["a"] for s in executes(first[1])]
    if grow:  # comments grew so much since that the card's activities no longer fit together
        items = [
            item(i, f"Aktivitet {i}", status=Status.DEVIATING, comment="x" * 3000)
            for i in range(1, 25)
        ]
    note = ActivityNote("Sparat.", good=True)
    card = refreshed_reminder_card(
        unit_id=3,
        unit_path=UNIT_PATH,
        period=OPEN,
        items=items,
        progress=progress(items),
        language="sv",
        activity_id=on_second[0],
        card_ids=on_second,
        part=2,
        parts=2,
        activity_note=note,
    )
    assert card is not None
    check_card(card)
    shown = [s["data"]["a"] for s in executes(card)]
    assert on_second[0] in shown and "Sparat." in runs(card)
    assert (shown == on_second) is (not grow)
    assert (
        refreshed_reminder_card(
            unit_id=3,
            unit_path=UNIT_PATH,
            period=OPEN,
            items=items,
            progress=progress(items),
            language="sv",
            activity_id=999,
            card_ids=[999],
            part=1,
            parts=1,
            activity_note=note,
        )
        is None
    )


def test_a_returned_activity_shows_the_committees_reason_first() -> None:
    from dataclasses import replace

    answered = replace(
        item(51, "Bygga fiber Åse", status=Status.DEVIATING, comment="Försenat."),
        return_reason="Vad är försenat, och till när?",
    )
    waiting = replace(
        item(52, "Söka bidrag", previous_status=Status.ON_HOLD, previous_comment="Avvaktar."),
        return_reason=EVIL + " " + "å" * 400,
    )
    items = [answered, waiting, item(53, "Inte återremitterad", previous_status=Status.DONE)]
    card = reminder(items=items)
    check_card(card)
    text = runs(card)
    first = text.index("Utskottets skäl: ")
    assert text[first + 1] == "Vad är försenat, och till när?"
    assert text[first + 2].startswith("🟠 Pågående med avvikelse, rapporterad av Anna Andersson")
    second = text.index("Utskottets skäl: ", first + 1)
    reason = text[second + 1]
    assert reason.startswith(EVIL) and reason.endswith("…") and len(reason) <= 200
    assert text[second + 2 : second + 4] == ["Vid återremissen: ", "⏸️ Vänteläge"]
    # An activity the committee did not return keeps last tertial's label.
    assert text.count("Utskottets skäl: ") == 2 and "Förra tertialen: " in text
    check_golden("reminder_returned_sv.json", card)
    english = runs(reminder("en", items=items[:1]))
    assert "The committee's reason: " in english
