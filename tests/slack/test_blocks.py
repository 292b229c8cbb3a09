"""Block Kit builders: targeted asserts, golden files, Slack's limits, escaping, both languages."""

from __future__ import annotations

import json
import os
import string
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.domain.periods import PeriodKey
from bot.domain.report import ActivityRow, GoalRow, ReportRow, Summary, compile_report
from bot.domain.reporting import ActivityItem, PeriodInfo, UnitProgress
from bot.domain.status import STATUS_ORDER, Status
from bot.slack import ids
from bot.slack.blocks import (
    activity_ids_in_message,
    build_committee_post,
    build_help,
    build_home,
    build_reminder_message,
    build_reminder_messages,
    build_report_summary,
    build_status_modal,
    build_status_overview,
    build_unmatched_people,
    decode_status_choice,
    encode_status_choice,
    escape_mrkdwn,
    parse_status_submission,
    status_options,
    truncate,
)
from bot.slack.blocks.common import excerpt, format_datetime
from bot.slack.messages import MESSAGES, msg

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "tests" / "golden" / "slack"
SEED_FIXTURE = ROOT / "tests" / "fixtures" / "seed_2024_T1_expected.json"
TZ = ZoneInfo("Europe/Stockholm")

EVIL = "<!channel> <@U123> <https://evil|click> & <!here>"
EVIL_ESCAPED = "&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil|click&gt; &amp; &lt;!here&gt;"

OPEN = PeriodInfo("2024-T2", datetime(2024, 8, 30, 16, 0, tzinfo=TZ), "open")
CLOSED = PeriodInfo("2024-T2", datetime(2024, 8, 30, 16, 0, tzinfo=TZ), "closed")
UNIT_PATH = "Kommunstyrelsens förvaltning > Samhällsbyggnad"


# --- helpers ------------------------------------------------------------------------------------


def check_golden(name: str, data: object) -> None:
    """Compare data with tests/golden/slack/<name> as JSON; `UPDATE_GOLDEN=1` rewrites it."""
    actual = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    path = GOLDEN_DIR / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `UPDATE_GOLDEN=1 pytest tests/slack` and read it")
    assert actual == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file (UPDATE_GOLDEN=1 rewrites)"
    )


def walk(node: object) -> Iterator[dict[str, Any]]:
    """Yield every dict inside a JSON-like structure."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def texts(node: object) -> list[str]:
    """Every text object's text inside a structure."""
    return [d["text"] for d in walk(node) if isinstance(d.get("text"), str) and "type" in d]


def check_common_limits(blocks: list[dict[str, Any]]) -> None:
    for obj in walk(blocks):
        if obj.get("type") in {"mrkdwn", "plain_text"}:
            assert 1 <= len(obj["text"]) <= 3000
        if "options" in obj:
            assert len(obj["options"]) <= 100
            for option in obj["options"]:
                assert len(option["text"]["text"]) <= 75
                assert len(option["value"]) <= 150
        if obj.get("type") == "button" and "value" in obj:
            assert len(obj["value"]) <= 150  # our codecs' own limit (Slack allows 2000)
        if obj.get("type") == "actions":
            assert len(obj["elements"]) <= 25
        if obj.get("type") == "section" and "fields" in obj:
            assert len(obj["fields"]) <= 10


def check_message(message: dict[str, Any]) -> None:
    """Slack's limits for a message: every block valid, ≤ 50 blocks, a short fallback text."""
    assert set(message) == {"text", "blocks"}
    assert 0 < len(message["text"]) <= 1000
    assert 0 < len(message["blocks"]) <= 50
    for raw in message["blocks"]:
        block = Block.parse(raw)
        assert block is not None, raw
        block.validate_json()
    block_ids = [b["block_id"] for b in message["blocks"] if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    check_common_limits(message["blocks"])


def check_view(view: dict[str, Any]) -> None:
    """Slack's limits for a modal or Home view."""
    View(**view).validate_json()
    assert len(view["blocks"]) <= 100
    check_common_limits(view["blocks"])


def item(
    activity_id: int,
    title: str,
    *,
    status: Status | None = None,
    comment: str = "",
    previous_status: Status | None = None,
    previous_comment: str = "",
    goal_number: str | None = "1.20",
    goal_text: str = "Öka antalet anslutna fastigheter med fiberanslutning med minst 50 st.",
    reported_by: str = "Anna Lindqvist",
) -> ActivityItem:
    return ActivityItem(
        activity_id=activity_id,
        goal_number=goal_number,
        goal_text=goal_text,
        title=title,
        start=date(2024, 1, 29),
        end=date(2024, 11, 25),
        status=status,
        comment=comment,
        reported_by=reported_by if status else "",
        reported_at=datetime(2024, 8, 12, 10, 12, tzinfo=TZ) if status else None,
        previous_status=previous_status,
        previous_comment=previous_comment,
    )


def sample_items() -> list[ActivityItem]:
    """Four activities: reported, reported with deviation, last tertial only, nothing yet."""
    return [
        item(
            41,
            "Anlägga fiber Mellanleringen - Kassjöviken",
            status=Status.ON_TRACK,
            comment="Bidrag beviljat, införsäljning pågår.",
            previous_status=Status.ON_TRACK,
            previous_comment="Bidrag sökt.",
        ),
        item(
            42,
            "Bygga fiber Åse",
            status=Status.ON_HOLD,
            comment="Avvaktar finansiering, byggs när bidrag beviljats.",
        ),
        item(
            43,
            "Söka bidrag för fiberanslutning Kölsillre - Vassnäs",
            previous_status=Status.ON_HOLD,
            previous_comment="Avvaktar utlysning för att söka bidrag.",
        ),
        item(
            44,
            "Utbildning i ergonomi för lokalvård",
            goal_number="1.1",
            goal_text="Sjukfrånvaron ska minska",
        ),
    ]


def seed_unit_items() -> list[ActivityItem]:
    """Samhällsbyggnad's 24 activities in the seed, as T2 items with T1's status as previous."""
    seed = json.loads(SEED_FIXTURE.read_text(encoding="utf-8"))
    goals = {g["number"]: g["text"] for g in seed["goals"]}
    result = []
    for index, activity in enumerate(seed["activities"], start=1):
        if not any("Samhällsbyggnad" in u for u in activity["units"]):
            continue
        result.append(
            ActivityItem(
                activity_id=index,
                goal_number=activity["goal"],
                goal_text=goals.get(activity["goal"], ""),
                title=activity["title"],
                start=date.fromisoformat(activity["start"]),
                end=date.fromisoformat(activity["end"]),
                previous_status=Status(activity["status"]),
                previous_comment=activity["comment_starts"],
            )
        )
    return result


def many_items(count: int, **overrides: Any) -> list[ActivityItem]:
    long_title = "Genomföra en lång aktivitet med många ord i titeln " * 6
    return [
        item(
            1000 + n,
            f"{long_title} {n}",
            status=STATUS_ORDER[n % 6] if n % 3 else None,
            comment="Lång kommentar & <mer> text " * 200,
            previous_status=Status.DEVIATING,
            previous_comment="x" * 3000,
            goal_text="Ett mycket långt mål " * 50,
            **overrides,
        )
        for n in range(count)
    ]


def progress_of(items: list[ActivityItem], unit_id: int = 7, path: str = UNIT_PATH) -> UnitProgress:
    reported = sum(1 for i in items if not i.is_missing)
    return UnitProgress(unit_id=unit_id, unit_path=path, total=len(items), reported=reported)


def make_summary(
    *, deviations: int = 0, title: str = "", comment: str = "", unit: str = ""
) -> Summary:
    """A summary compiled by the domain from a handful of rows (plus `deviations` extra ones)."""
    goals = [
        GoalRow(1, "1.1", "Sjukfrånvaron ska minska", None, True, 0),
        GoalRow(
            2, "1.20", "Öka antalet anslutna fastigheter med fiberanslutning.", "Tillväxt", False
        ),
    ]
    sbf = unit or UNIT_PATH
    activities = [
        ActivityRow(1, 1, title or "Utbildning i ergonomi för lokalvård", "", None, None, (sbf,)),
        ActivityRow(2, 2, "Bygga fiber Åse", "", None, None, (sbf,)),
        ActivityRow(
            3, 2, "Söka bidrag för fiberanslutning Hallsta - Granboda", "", None, None, (sbf,)
        ),
        ActivityRow(
            4,
            1,
            "Införa hälsosamma scheman",
            "",
            None,
            None,
            ("Kommunstyrelsens förvaltning > Social verksamhet",),
        ),
    ]
    now = datetime(2024, 5, 20, 9, 0, tzinfo=TZ)
    reports = {
        1: ReportRow(
            1, Status.DONE_DEVIATING, comment or "Aktiviteten genomförd 3 april.", "Eva", now
        ),
        2: ReportRow(
            2, Status.ON_HOLD, "Avvaktar finansiering, byggs när bidrag beviljats.", "Eva", now
        ),
        3: ReportRow(3, Status.DONE, "Bidrag beviljat.", "Eva", now),
    }
    for n in range(deviations):
        activity_id = 100 + n
        activities.append(
            ActivityRow(
                activity_id,
                2,
                f"Avvikande aktivitet nummer {n} " + "med en lång titel " * 15,
                "",
                None,
                None,
                tuple(f"Förvaltning > Avdelning {k} > Enhet {n}-{k}" for k in range(8)),
            )
        )
        reports[activity_id] = ReportRow(
            activity_id, Status.DEVIATING, "Försenad. " * 300, "Eva", now
        )
        activities.append(
            ActivityRow(10_000 + n, 2, f"Saknad {n} " * 40, "", None, None, (f"Enhet {n} " * 20,))
        )
    view = compile_report(
        period="2024-T1",
        year=2024,
        tertial=1,
        goals=goals,
        area_order=["Tillväxt"],
        activities=activities,
        reports=reports,
        notes=[],
        language="sv",
        generated_at=now,
    )
    return view.summary


def all_outputs(language: str, *, evil: str = "") -> dict[str, dict[str, Any]]:
    """One output of every builder, with `evil` in every user-written string when given."""
    items = sample_items()
    if evil:
        items = [
            item(
                i.activity_id,
                f"{i.title} {evil}",
                status=i.status,
                comment=f"{i.comment} {evil}",
                previous_status=i.previous_status or Status.DEVIATING,
                previous_comment=f"{i.previous_comment} {evil}",
                goal_number=f"1.{i.activity_id} {evil}",
                goal_text=f"{i.goal_text} {evil}",
                reported_by=f"Anna {evil}",
            )
            for i in items
        ]
    path = f"{UNIT_PATH} {evil}".strip()
    progress = progress_of(items, path=path)
    metadata = ids.ModalMetadata(
        ids.ActivityRef(41, PeriodKey(2024, 2), 7), "D0123", "1712345678.000100"
    )
    summary = make_summary(
        title=f"Ergonomi {evil}".strip(), comment=f"Klar {evil}".strip(), unit=path
    )
    return {
        "reminder": build_reminder_message(
            unit_id=7,
            unit_path=path,
            period=OPEN,
            items=items,
            progress=progress,
            part=1,
            parts=2,
            language=language,
        ),
        "modal": build_status_modal(
            item=items[0], metadata=metadata, period=OPEN, language=language
        ),
        "modal_previous": build_status_modal(
            item=items[2], metadata=metadata, period=OPEN, language=language
        ),
        "home": build_home(
            language=language,
            person_name=f"Anna Lindqvist {evil}".strip(),
            period=OPEN,
            units=[(progress, items)],
            all_units=[progress, UnitProgress(8, f"Social verksamhet {evil}".strip(), 10, 10)],
            is_admin=True,
            is_secretary=True,
        ),
        "overview": build_status_overview(
            language=language, period=OPEN, units=[(progress, items)]
        ),
        "summary": build_report_summary(
            language=language, period_key="2024-T1", summary=summary, can_publish=True
        ),
        "committee": build_committee_post(
            language=language,
            period_key="2024-T1",
            summary=summary,
            committee=f"Utskottet för tillväxt {evil}".strip(),
        ),
        "help": build_help(language=language, is_admin=True, is_secretary=True),
        "unmatched": build_unmatched_people(
            language=language,
            period_key="2024-T2",
            people=[(f"Per Persson {evil}".strip(), f"per{evil}@ange.se".replace(" ", ""))],
        ),
    }


def without_input_values(view: dict[str, Any]) -> dict[str, Any]:
    """A copy of a view without its inputs' initial values (raw text, never rendered)."""
    copy = json.loads(json.dumps(view))
    for obj in walk(copy):
        obj.pop("initial_value", None)
    return copy


# --- messages -----------------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_messages_have_the_same_keys_and_placeholders_in_both_languages() -> None:
    assert set(MESSAGES["sv"]) == set(MESSAGES["en"])
    for key, text in MESSAGES["sv"].items():
        assert _placeholders(text) == _placeholders(MESSAGES["en"][key]), key


def test_msg_fills_parameters_and_falls_back_to_swedish() -> None:
    assert msg("sv", "comment_too_long", max=3000, length=3120) == (
        "Kommentaren är för lång: 3120 tecken, högst 3000 får plats."
    )
    assert msg("en", "period_closed", period="2024-T1") == (
        "Period 2024-T1 is closed, so nothing was saved."
    )
    assert msg("fi", "not_reporter") == MESSAGES["sv"]["not_reporter"]
    assert msg("sv", "not_reporter") == (
        "Du är inte rapportör för någon av aktivitetens enheter, så inget sparades."
    )
    assert msg("sv", "bad_request") == "Det gick inte att tolka förfrågan; inget sparades."
    required = {
        "status_required", "status_unknown", "comment_too_long", "comment_required",
        "not_reporter", "period_closed", "unknown_activity", "wrong_period", "unknown_period",
        "no_open_period", "not_secretary", "not_admin", "bad_request", "not_registered", "saved",
        "publish_started", "published", "publish_failed", "no_committee_channel",
        "remind_started", "remind_done", "unknown_command", "usage_report", "usage_remind",
    }  # fmt: skip
    assert required <= set(MESSAGES["sv"])
    # The true counts of a round: sent, already sent, failed, lookups that failed, unmatched.
    assert _placeholders(MESSAGES["sv"]["remind_done"]) == {
        "sent", "units", "already", "failed", "lookups", "unmatched"
    }  # fmt: skip
    assert _placeholders(MESSAGES["sv"]["published"]) == {"period", "channel", "version"}


# --- common -------------------------------------------------------------------------------------


def test_escape_mrkdwn_escapes_exactly_three_characters_ampersand_first() -> None:
    assert escape_mrkdwn(EVIL) == EVIL_ESCAPED
    assert escape_mrkdwn("&lt;") == "&amp;lt;"
    assert escape_mrkdwn("*fet* _kursiv_ `kod` \"citat\" 'x' å") == (
        "*fet* _kursiv_ `kod` \"citat\" 'x' å"
    )


def test_truncate_cuts_on_a_word_boundary_with_an_ellipsis() -> None:
    assert truncate("Bygga fiber Åse", 40) == "Bygga fiber Åse"
    assert truncate("Söka bidrag för fiberanslutning Kölsillre", 20) == "Söka bidrag för…"
    assert len(truncate("x" * 100, 10)) == 10 and truncate("x" * 100, 10).endswith("…")
    assert truncate("abc", 0) == ""
    for limit in range(1, 60):
        assert len(truncate("Söka bidrag, för fiberanslutning Kölsillre - Vassnäs", limit)) <= limit


def test_excerpt_fits_its_limit_after_escaping() -> None:
    assert len(excerpt("<" * 500, 100)) <= 100
    assert excerpt("a\n\n  b", 10) == "a b"
    assert "&" not in excerpt("&" * 3, 2)  # never half an entity


def test_format_datetime_in_both_languages() -> None:
    moment = datetime(2024, 9, 10, 16, 0, tzinfo=TZ)
    assert format_datetime(moment, "sv") == "2024-09-10 kl. 16:00"
    assert format_datetime(moment, "en") == "2024-09-10 at 16:00"


def test_status_options_take_the_value_from_the_caller() -> None:
    options = status_options("sv", lambda s: f"x#{s.value}")
    assert [o["value"] for o in options] == [f"x#{s.value}" for s in STATUS_ORDER]
    assert options[2]["text"]["text"] == ":large_orange_circle: Pågående med avvikelse"
    assert status_options("en")[5] == {
        "text": {"type": "plain_text", "text": ":double_vertical_bar: On hold", "emoji": True},
        "value": "on_hold",
    }


# --- reminder -----------------------------------------------------------------------------------


def test_reminder_golden_sv() -> None:
    items = sample_items()
    message = build_reminder_message(
        unit_id=7,
        unit_path=UNIT_PATH,
        period=OPEN,
        items=items,
        progress=progress_of(items),
        part=1,
        parts=1,
        language="sv",
    )
    check_message(message)
    check_golden("reminder_sv.json", message)


def test_reminder_golden_en_closed() -> None:
    items = sample_items()
    message = build_reminder_message(
        unit_id=7,
        unit_path=UNIT_PATH,
        period=CLOSED,
        items=items,
        progress=progress_of(items),
        part=2,
        parts=3,
        language="en",
    )
    check_message(message)
    check_golden("reminder_en_closed.json", message)


def test_reminder_content() -> None:
    items = sample_items()
    message = build_reminder_message(
        unit_id=7,
        unit_path=UNIT_PATH,
        period=OPEN,
        items=items,
        progress=progress_of(items),
        part=1,
        parts=2,
        language="sv",
    )
    blocks = message["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Dags att rapportera för 2024-T2", "emoji": True},
    }
    facts = blocks[1]["elements"][0]["text"]
    assert "2 av 4 aktiviteter saknar status" in facts
    assert "senast 2024-08-30 kl. 16:00" in facts and "Del 1 av 2" in facts
    assert "Del 1 av 2" in message["text"]

    sections = [b for b in blocks if b["type"] == "section"]
    assert sections[0]["text"]["text"] == (
        "*Anlägga fiber Mellanleringen - Kassjöviken*\n"
        "Mål 1.20 Öka antalet anslutna fastigheter med fiberanslutning med minst 50 st.\n"
        "2024-01-29 – 2024-11-25\n"
        ":large_green_circle: *Pågående enligt plan*, rapporterad av Anna Lindqvist, "
        "2024-08-12 kl. 10:12\n"
        ">Bidrag beviljat, införsäljning pågår."
    )
    assert "_Förra tertialen:_ :double_vertical_bar: Vänteläge" in sections[2]["text"]["text"]
    assert "Ingen status rapporterad ännu" in sections[3]["text"]["text"]

    actions = [b for b in blocks if b["type"] == "actions"]
    assert [a["block_id"] for a in actions] == [f"uppsikt_act_{n}" for n in (41, 42, 43, 44)]
    select, modal_button = actions[0]["elements"]
    assert select["action_id"] == ids.STATUS_SELECT
    assert select["placeholder"]["text"] == "Välj status"
    assert [o["value"] for o in select["options"]] == [
        f"a41.p2024-T2.u7#{s.value}" for s in STATUS_ORDER
    ]
    assert select["initial_option"] in select["options"]
    assert select["initial_option"]["value"].endswith("#on_track")
    assert "initial_option" not in actions[2]["elements"][0]  # last tertial is not preselected
    assert modal_button["action_id"] == ids.OPEN_STATUS_MODAL
    assert modal_button["text"]["text"] == "Status och kommentar…"
    assert ids.decode_activity_ref(modal_button["value"]) == ids.ActivityRef(
        41, PeriodKey(2024, 2), 7
    )
    ref, status = decode_status_choice(select["options"][2]["value"])
    assert (ref, status) == (ids.ActivityRef(41, PeriodKey(2024, 2), 7), Status.DEVIATING)


def test_reminder_for_a_closed_period_has_no_actions() -> None:
    items = sample_items()
    message = build_reminder_message(
        unit_id=7,
        unit_path=UNIT_PATH,
        period=CLOSED,
        items=items,
        progress=progress_of(items),
        part=1,
        parts=1,
        language="sv",
    )
    assert not [b for b in message["blocks"] if b["type"] == "actions"]
    assert "Perioden 2024-T2 är stängd" in json.dumps(message, ensure_ascii=False)
    assert "Del 1" not in json.dumps(message, ensure_ascii=False)


def test_status_choice_codec_rejects_garbage() -> None:
    ref = ids.ActivityRef(12, PeriodKey(2024, 2), 3)
    assert decode_status_choice(encode_status_choice(ref, Status.ON_HOLD)) == (ref, Status.ON_HOLD)
    for bad in [None, "", "a12.p2024-T2.u3", "a12.p2024-T2.u3#bad", "x#on_hold", "#", "a" * 200]:
        with pytest.raises(ValueError):
            decode_status_choice(bad)


def test_seed_unit_with_24_activities_gives_two_messages() -> None:
    items = seed_unit_items()
    assert len(items) == 24
    messages = build_reminder_messages(
        unit_id=7,
        unit_path=UNIT_PATH,
        period=OPEN,
        items=items,
        progress=progress_of(items),
        language="sv",
    )
    assert len(messages) == 2
    for number, message in enumerate(messages, start=1):
        check_message(message)
        assert f"Del {number} av 2" in message["blocks"][1]["elements"][0]["text"]
    ids_in_messages = [activity_ids_in_message(m["blocks"]) for m in messages]
    assert ids_in_messages[0] + ids_in_messages[1] == [i.activity_id for i in items]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("per_message", [1, 20, 1000])
def test_200_long_activities_stay_within_limits(language: str, per_message: int) -> None:
    items = many_items(200)
    messages = build_reminder_messages(
        unit_id=7,
        unit_path="Förvaltning > " * 100,
        period=OPEN,
        items=items,
        progress=progress_of(items),
        language=language,
        per_message=per_message,
    )
    for message in messages:
        check_message(message)
    seen = [n for m in messages for n in activity_ids_in_message(m["blocks"])]
    assert seen == [i.activity_id for i in items]


def test_reminder_messages_for_no_activities_is_empty() -> None:
    messages = build_reminder_messages(
        unit_id=7,
        unit_path=UNIT_PATH,
        period=OPEN,
        items=[],
        progress=UnitProgress(7, UNIT_PATH, 0, 0),
        language="sv",
    )
    assert messages == []


def test_activity_ids_in_message_ignores_garbage() -> None:
    assert activity_ids_in_message(None) == []  # type: ignore[arg-type]
    assert activity_ids_in_message("uppsikt_act_1") == []  # type: ignore[arg-type]
    garbage = [
        None,
        1,
        "uppsikt_act_1",
        {},
        {"block_id": 5},
        {"block_id": None},
        {"block_id": "uppsikt_act_"},
        {"block_id": "uppsikt_act_12\n"},
        {"block_id": "uppsikt_act_-1"},
        {"block_id": "uppsikt_act_1e3"},
        {"block_id": "uppsikt_act_٣"},
        {"block_id": "uppsikt_act_" + "9" * 13},
        {"block_id": "xuppsikt_act_4"},
        {"block_id": "uppsikt_act_4 "},
        {"block_id": "uppsikt_act_17"},
        {"block_id": "uppsikt_act_17"},
        {"type": "actions", "block_id": "uppsikt_act_3"},
    ]
    assert activity_ids_in_message(garbage) == [17, 3]  # type: ignore[arg-type]


# --- modal --------------------------------------------------------------------------------------


def _modal(item_: ActivityItem, language: str = "sv", **kwargs: Any) -> dict[str, Any]:
    metadata = ids.ModalMetadata(
        ids.ActivityRef(item_.activity_id, PeriodKey(2024, 2), 7), "D0123", "1712345678.000100"
    )
    return build_status_modal(
        item=item_, metadata=metadata, period=OPEN, language=language, **kwargs
    )


def _input(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def test_modal_golden() -> None:
    items = sample_items()
    for name, view in [
        ("modal_sv.json", _modal(items[1])),
        ("modal_en_previous.json", _modal(items[2], "en")),
    ]:
        check_view(view)
        check_golden(name, view)


def test_modal_content() -> None:
    items = sample_items()
    view = _modal(items[1])
    assert view["type"] == "modal"
    assert view["callback_id"] == ids.STATUS_MODAL
    assert ids.decode_modal_metadata(view["private_metadata"]) == ids.ModalMetadata(
        ids.ActivityRef(42, PeriodKey(2024, 2), 7), "D0123", "1712345678.000100"
    )
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == (
        "Rapportera status",
        "Spara",
        "Avbryt",
    )
    status_input = _input(view, ids.STATUS_BLOCK)
    select = status_input["element"]
    assert select["action_id"] == ids.STATUS_INPUT
    assert [o["value"] for o in select["options"]] == [s.value for s in STATUS_ORDER]
    assert select["initial_option"]["value"] == "on_hold"
    assert select["initial_option"] in select["options"]
    comment = _input(view, ids.COMMENT_BLOCK)
    assert comment["optional"] is True
    assert comment["element"] == {
        "type": "plain_text_input",
        "action_id": ids.COMMENT_INPUT,
        "multiline": True,
        "max_length": 3000,
        "initial_value": "Avvaktar finansiering, byggs när bidrag beviljats.",
    }
    assert comment["hint"]["text"] == (
        "Kommentar krävs för Pågående med avvikelse, Avslutad med avvikelse och Vänteläge."
    )
    assert "Förifyllt" not in json.dumps(view, ensure_ascii=False)
    assert "*Bygga fiber Åse*" in view["blocks"][0]["text"]["text"]


def test_modal_initial_values() -> None:
    reported, _, previous_only, nothing = sample_items()
    assert (
        _input(_modal(reported, initial_status=Status.DEVIATING), ids.STATUS_BLOCK)["element"][
            "initial_option"
        ]["value"]
        == "deviating"
    )

    view = _modal(previous_only)
    assert _input(view, ids.STATUS_BLOCK)["element"]["initial_option"]["value"] == "on_hold"
    assert _input(view, ids.COMMENT_BLOCK)["element"]["initial_value"] == (
        "Avvaktar utlysning för att söka bidrag."
    )
    assert "Förifyllt från förra tertialen" in json.dumps(view, ensure_ascii=False)

    view = _modal(nothing)
    assert "initial_option" not in _input(view, ids.STATUS_BLOCK)["element"]
    assert "initial_value" not in _input(view, ids.COMMENT_BLOCK)["element"]

    long_comment = item(9, "Lång", status=Status.DEVIATING, comment="ord " * 2000)
    view = _modal(long_comment)
    check_view(view)
    assert len(_input(view, ids.COMMENT_BLOCK)["element"]["initial_value"]) <= 3000


def test_modal_keeps_the_comment_raw_in_the_input_and_escapes_it_elsewhere() -> None:
    evil = item(5, f"Titel {EVIL}", status=Status.DEVIATING, comment=f"Kommentar {EVIL}")
    view = _modal(evil)
    check_view(view)
    # An input's value is not rendered; escaping it would alter the comment on every save.
    assert _input(view, ids.COMMENT_BLOCK)["element"]["initial_value"] == f"Kommentar {EVIL}"
    rendered = json.dumps(without_input_values(view), ensure_ascii=False)
    assert "<" not in rendered and ">" not in rendered.replace("&gt;", "")
    assert EVIL_ESCAPED in rendered


def test_parse_status_submission() -> None:
    view = {
        "id": "V0123",
        "type": "modal",
        "callback_id": ids.STATUS_MODAL,
        "private_metadata": "a42.p2024-T2.u7|D0123|1712345678.000100",
        "state": {
            "values": {
                ids.STATUS_BLOCK: {
                    ids.STATUS_INPUT: {
                        "type": "static_select",
                        "selected_option": {
                            "text": {"type": "plain_text", "text": "Vänteläge", "emoji": True},
                            "value": "on_hold",
                        },
                    }
                },
                ids.COMMENT_BLOCK: {
                    ids.COMMENT_INPUT: {"type": "plain_text_input", "value": "Avvaktar <!here>"}
                },
            }
        },
    }
    assert parse_status_submission(view) == ("on_hold", "Avvaktar <!here>")
    empty = json.loads(json.dumps(view))
    empty["state"]["values"][ids.STATUS_BLOCK][ids.STATUS_INPUT]["selected_option"] = None
    empty["state"]["values"][ids.COMMENT_BLOCK][ids.COMMENT_INPUT]["value"] = None
    assert parse_status_submission(empty) == (None, None)


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        "view",
        [],
        {},
        {"state": None},
        {"state": []},
        {"state": {"values": "x"}},
        {"state": {"values": {ids.STATUS_BLOCK: []}}},
        {"state": {"values": {ids.STATUS_BLOCK: {ids.STATUS_INPUT: {"selected_option": 5}}}}},
        {
            "state": {
                "values": {
                    ids.STATUS_BLOCK: {ids.STATUS_INPUT: {"selected_option": {"value": 3}}},
                    ids.COMMENT_BLOCK: {ids.COMMENT_INPUT: {"value": ["x"]}},
                }
            }
        },
    ],
)
def test_parse_status_submission_tolerates_garbage(garbage: object) -> None:
    assert parse_status_submission(garbage) == (None, None)  # type: ignore[arg-type]


# --- home ---------------------------------------------------------------------------------------


def test_home_golden() -> None:
    items = sample_items()
    progress = progress_of(items)
    view = build_home(
        language="sv",
        person_name="Anna Lindqvist",
        period=OPEN,
        units=[(progress, items)],
        all_units=[
            UnitProgress(8, "Kommunstyrelsens förvaltning > Social verksamhet", 19, 19),
            progress,
            UnitProgress(9, "Kommunstyrelsens förvaltning > Utbildning", 12, 3),
        ],
        is_admin=False,
        is_secretary=True,
    )
    check_view(view)
    check_golden("home_sv.json", view)


def test_home_content() -> None:
    items = sample_items()
    progress = progress_of(items)
    view = build_home(
        language="sv",
        person_name="Anna",
        period=OPEN,
        units=[(progress, items)],
        all_units=None,
        is_admin=False,
        is_secretary=False,
    )
    assert view["type"] == "home"
    dumped = json.dumps(view, ensure_ascii=False)
    assert "Hej Anna!" in dumped and "senast 2024-08-30 kl. 16:00" in dumped
    assert f"*{escape_mrkdwn(UNIT_PATH)}*\\n2 av 4 rapporterade" in dumped
    buttons = [
        b["accessory"] for b in view["blocks"] if b.get("accessory", {}).get("type") == "button"
    ]
    assert [ids.decode_activity_ref(b["value"]).activity_id for b in buttons] == [43, 44, 41, 42]
    assert {b["action_id"] for b in buttons} == {ids.OPEN_STATUS_MODAL}
    assert "Alla enheter" not in dumped and "påminn" not in dumped

    closed = build_home(
        language="en",
        person_name="Anna",
        period=CLOSED,
        units=[(progress, items)],
        all_units=None,
        is_admin=False,
        is_secretary=False,
    )
    check_view(closed)
    assert not [b for b in closed["blocks"] if "accessory" in b]
    assert "No period is open right now (latest: 2024-T2)." in json.dumps(closed)


def test_home_for_an_unknown_person() -> None:
    view = build_home(
        language="sv",
        person_name=None,
        period=OPEN,
        units=[],
        all_units=None,
        is_admin=False,
        is_secretary=False,
    )
    check_view(view)
    assert "Du finns inte med som rapportör i Uppsikt" in json.dumps(view, ensure_ascii=False)


def test_home_without_a_period() -> None:
    view = build_home(
        language="sv",
        person_name="Anna",
        period=None,
        units=[],
        all_units=None,
        is_admin=False,
        is_secretary=False,
    )
    check_view(view)
    dumped = json.dumps(view, ensure_ascii=False)
    assert "Ingen period är öppen" in dumped and "inte rapportör för någon enhet" in dumped


@pytest.mark.parametrize("language", ["sv", "en"])
def test_home_with_300_activities_and_500_units_stays_within_limits(language: str) -> None:
    items = many_items(300)
    units = [
        (progress_of(items[n : n + 100], unit_id=n, path=f"Enhet {n} " * 40), items[n : n + 100])
        for n in range(0, 300, 100)
    ]
    all_units = [UnitProgress(n, f"Förvaltning > Enhet {n} " * 5, 10, n % 11) for n in range(500)]
    view = build_home(
        language=language,
        person_name="Anna " * 100,
        period=OPEN,
        units=units,
        all_units=all_units,
        is_admin=True,
        is_secretary=True,
    )
    check_view(view)
    dumped = json.dumps(view, ensure_ascii=False)
    expected = "; skriv /uppsikt status" if language == "sv" else "; type /uppsikt status"
    assert expected in dumped
    # The secretary's list is there too, cut short with a note, units with missing ones first.
    heading = "*Alla enheter, 2024-T2*" if language == "sv" else "*All units, 2024-T2*"
    start = texts(view["blocks"]).index(heading)
    listed = texts(view["blocks"])[start + 1 :]
    assert listed[0].startswith(":red_circle: ")
    assert ":white_check_mark: Förvaltning" not in "\n".join(listed)
    assert ("enheter till" if language == "sv" else "more units") in listed[-2]


# --- overview, summary, committee post, help, unmatched -----------------------------------------


def test_status_overview_golden_and_content() -> None:
    items = sample_items()
    message = build_status_overview(language="sv", period=OPEN, units=[(progress_of(items), items)])
    check_message(message)
    check_golden("status_overview_sv.json", message)
    assert message["text"] == "Din rapportering för 2024-T2: 2 av 4 aktiviteter saknar status."
    sections = [b for b in message["blocks"] if "accessory" in b]
    assert [ids.decode_activity_ref(s["accessory"]["value"]).activity_id for s in sections] == [
        43,
        44,
        41,
        42,
    ]
    assert sections[0]["accessory"]["text"]["text"] == "Rapportera"


def test_status_overview_without_period_or_units() -> None:
    assert build_status_overview(language="sv", period=None, units=[])["text"] == (
        "Ingen period är öppen för rapportering just nu."
    )
    message = build_status_overview(language="en", period=OPEN, units=[])
    check_message(message)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_status_overview_with_300_activities_stays_within_limits(language: str) -> None:
    items = many_items(300)
    message = build_status_overview(
        language=language, period=OPEN, units=[(progress_of(items), items)]
    )
    check_message(message)
    assert "/uppsikt status" in message["blocks"][-1]["elements"][0]["text"]


def test_report_summary_golden_and_content() -> None:
    message = build_report_summary(
        language="sv", period_key="2024-T1", summary=make_summary(), can_publish=True
    )
    check_message(message)
    check_golden("report_summary_sv.json", message)
    actions = message["blocks"][-1]
    publish = actions["elements"][0]
    assert publish["action_id"] == ids.PUBLISH_REPORT
    assert publish["style"] == "primary"
    assert ids.decode_publish(publish["value"]) == PeriodKey(2024, 1)
    assert publish["confirm"]["text"]["text"] == "Publicera rapporten i utskottets kanal?"
    dumped = json.dumps(message, ensure_ascii=False)
    # Deviations and on-hold come before the missing reports.
    assert dumped.index("Bygga fiber Åse") < dumped.index("Införa hälsosamma scheman")
    assert dumped.index("Avvikelser och vänteläge (2)") < dumped.index("Saknade rapporter")

    no_button = build_report_summary(
        language="en", period_key="2024-T1", summary=make_summary(), can_publish=False
    )
    check_message(no_button)
    assert ids.PUBLISH_REPORT not in json.dumps(no_button)
    assert "Deviations and on hold (2)" in json.dumps(no_button)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_report_summary_with_100_deviations_stays_within_limits(language: str) -> None:
    summary = make_summary(deviations=100)
    assert len(summary.attention) == 102
    for message in [
        build_report_summary(
            language=language, period_key="2024-T1", summary=summary, can_publish=True
        ),
        build_committee_post(
            language=language, period_key="2024-T1", summary=summary, committee="Utskottet"
        ),
    ]:
        check_message(message)
        assert "… " in json.dumps(message, ensure_ascii=False)  # the "and N more" note


def test_committee_post_golden_and_no_mentions() -> None:
    message = build_committee_post(
        language="sv", period_key="2024-T1", summary=make_summary(), committee="Tillväxtutskottet"
    )
    check_message(message)
    check_golden("committee_post_sv.json", message)
    assert ids.PUBLISH_REPORT not in json.dumps(message)
    evil = build_committee_post(
        language="sv",
        period_key="2024-T1",
        summary=make_summary(title=EVIL, comment=EVIL, unit=EVIL),
        committee=EVIL,
    )
    check_message(evil)
    dumped = json.dumps(evil, ensure_ascii=False)
    assert "<" not in dumped
    # Slack adds no automatic links or mentions to verbatim text.
    assert all(obj.get("verbatim") is True for obj in walk(evil) if obj.get("type") == "mrkdwn")


def test_help_lists_what_the_person_may_use() -> None:
    reporter = json.dumps(
        build_help(language="sv", is_admin=False, is_secretary=False), ensure_ascii=False
    )
    assert "/uppsikt status" in reporter and "/uppsikt hjälp" in reporter
    assert "rapport PERIOD" not in reporter and "påminn PERIOD" not in reporter
    secretary = build_help(language="sv", is_admin=False, is_secretary=True)
    check_message(secretary)
    assert "/uppsikt rapport 2024-T1" in json.dumps(secretary, ensure_ascii=False)
    everyone = build_help(language="en", is_admin=True, is_secretary=True)
    check_message(everyone)
    check_golden("help_en.json", everyone)
    dumped = json.dumps(everyone, ensure_ascii=False)
    assert "`/uppsikt remind PERIOD`" in dumped and "(also `påminn`)" in dumped
    assert "`/uppsikt deadline PERIOD DATE TIME`" in dumped  # an admin's command, listed
    assert "`/uppsikt decision PERIOD`" in dumped and "`/uppsikt substitute" in dumped
    assert "deadline PERIOD" not in reporter and "beslut PERIOD" not in reporter


def test_completed_with_deviation_is_not_marked_as_a_success() -> None:
    from bot.slack.blocks.common import status_marker

    assert status_marker(Status.DONE_DEVIATING) not in (
        status_marker(Status.DONE),
        ":heavy_check_mark:",
        ":white_check_mark:",
        ":ballot_box_with_check:",
    )


def test_unmatched_people() -> None:
    message = build_unmatched_people(
        language="sv",
        period_key="2024-T2",
        people=[("Per Persson", "per.persson@ange.se"), ("Eva Ek", "")],
    )
    check_message(message)
    check_golden("unmatched_sv.json", message)
    assert message["text"] == "2 personer fick ingen påminnelse för 2024-T2."
    many = build_unmatched_people(
        language="en",
        period_key="2024-T2",
        people=[(f"Person {n} " * 10, f"person{n}@ange.se") for n in range(2000)],
    )
    check_message(many)
    assert "more." in many["blocks"][-1]["elements"][0]["text"]
    assert build_unmatched_people(language="en", period_key="2024-T2", people=[])["blocks"]


# --- every builder: escaping and both languages -------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_builder_escapes_user_text(language: str) -> None:
    outputs = all_outputs(language, evil=EVIL)
    for name, output in outputs.items():
        if name.startswith("modal"):
            check_view(output)
            output = without_input_values(output)
        elif name == "home":
            check_view(output)
        else:
            check_message(output)
        dumped = json.dumps(output, ensure_ascii=False)
        assert "<!" not in dumped, name
        assert "<@" not in dumped and "<http" not in dumped and "<#" not in dumped, name
        if name != "help":
            assert "&lt;!channel&gt;" in dumped, name
    # Every place a user-written string shows up, it shows up escaped (names may be shortened).
    start = "&lt;!channel&gt; &lt;@U123&gt;"
    home = json.dumps(outputs["home"], ensure_ascii=False)
    for written in ("Anna Lindqvist", "Social verksamhet", "Samhällsbyggnad", "Bygga fiber Åse"):
        assert f"{written} {start}" in home, written
    reminder = json.dumps(outputs["reminder"], ensure_ascii=False)
    for written in (
        "Bygga fiber Åse",
        "Avvaktar finansiering, byggs när bidrag beviljats.",
        "Anna",
    ):
        assert f"{written} {start}" in reminder, written
    assert "1.41" in reminder and f"50 st. {start}" in reminder
    summary = json.dumps(outputs["summary"], ensure_ascii=False)
    assert f"Ergonomi {EVIL_ESCAPED}" in summary and f"Klar {EVIL_ESCAPED}" in summary
    assert f"Samhällsbyggnad {EVIL_ESCAPED}" in summary
    assert f"Utskottet för tillväxt {start}" in json.dumps(outputs["committee"], ensure_ascii=False)
    assert f"Per Persson {start}" in json.dumps(outputs["unmatched"], ensure_ascii=False)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_builder_speaks_the_language(language: str) -> None:
    outputs = all_outputs(language)
    dumped = json.dumps(outputs, ensure_ascii=False)
    if language == "sv":
        for phrase in ("Dags att rapportera", "Rapportera status", "Hej Anna", "Saknade rapporter"):
            assert phrase in dumped
        assert "Time to report" not in dumped and "Missing reports" not in dumped
    else:
        for phrase in ("Time to report", "Report status", "Hello Anna", "Missing reports"):
            assert phrase in dumped
        assert "Dags att rapportera" not in dumped and "Saknade rapporter" not in dumped
        assert "Pågående" not in dumped and " kl. " not in dumped
    for output in outputs.values():
        if output.get("type") in {"modal", "home"}:
            check_view(output)
        else:
            check_message(output)
