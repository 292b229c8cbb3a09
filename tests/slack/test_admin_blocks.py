"""The admin's App Home section and modals: content, Slack's limits, parsing, both languages."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain.periods import PeriodKey
from bot.domain.reminder_policy import ReminderSchedule
from bot.domain.reporting import AdminPeriodRow, PeriodInfo, UnitProgress
from bot.slack import ids
from bot.slack.blocks import build_home
from bot.slack.blocks.admin import (
    ADMIN_PERIODS_SHOWN,
    PeriodForm,
    ScheduleChange,
    build_period_modal,
    build_schedule_modal,
    days_list,
    parse_period_submission,
    parse_schedule_submission,
    schedule_line,
)
from tests.slack.test_blocks import (
    EVIL,
    EVIL_ESCAPED,
    OPEN,
    check_golden,
    check_view,
    many_items,
    progress_of,
    texts,
    walk,
)

TZ = ZoneInfo("Europe/Stockholm")
SCHEDULE = ReminderSchedule()
T2 = AdminPeriodRow("2024-T2", "open", datetime(2024, 9, 10, 16, 0, tzinfo=TZ), 12, 79)
T1 = AdminPeriodRow("2024-T1", "closed", datetime(2024, 5, 10, 16, 0, tzinfo=TZ), 79, 79)
T3 = AdminPeriodRow("2023-T3", "closed", datetime(2024, 1, 12, 12, 0, tzinfo=TZ), 70, 81)


def admin_home(language: str = "sv", **overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "language": language,
        "person_name": "Adam Admin",
        "period": OPEN,
        "units": [],
        "all_units": [UnitProgress(8, "Social verksamhet", 10, 10)],
        "is_admin": True,
        "is_secretary": False,
        "admin_periods": [T3, T1, T2],
        "schedule": SCHEDULE,
    }
    arguments.update(overrides)
    view = build_home(**arguments)
    check_view(view)
    return view


def buttons(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [obj for obj in walk(view["blocks"]) if obj.get("type") == "button"]


def input_block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def submitted(metadata: str, **values: Any) -> dict[str, Any]:
    """A view as Slack sends it back, with the given state values by block id."""
    return {"private_metadata": metadata, "state": {"values": values}}


def period_values(
    *, key: str | None = None, day: str | None, clock: str | None, state: str | None = "open"
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
                "selected_option": {"value": state} if state is not None else None,
            }
        },
    }
    if key is not None:
        values[ids.PERIOD_KEY_BLOCK] = {
            ids.PERIOD_KEY_INPUT: {"type": "plain_text_input", "value": key}
        }
    return values


def schedule_values(days: str | None, clock: str | None) -> dict[str, Any]:
    return {
        ids.SCHEDULE_DAYS_BLOCK: {ids.SCHEDULE_DAYS_INPUT: {"value": days}},
        ids.SCHEDULE_TIME_BLOCK: {ids.SCHEDULE_TIME_INPUT: {"selected_time": clock}},
    }


# --- the schedule as a sentence -----------------------------------------------------------------


def test_schedule_line_in_both_languages() -> None:
    assert schedule_line(SCHEDULE, "sv") == "*Påminnelser:* 28, 14, 7, 2 och 0 dagar före kl. 09:00"
    assert schedule_line(ReminderSchedule((14, 2), time(10, 30)), "en") == (
        "*Reminders:* 14 and 2 days before the deadline at 10:30"
    )
    assert days_list((7,), "sv") == "7" and days_list((), "sv") == ""


# --- App Home -----------------------------------------------------------------------------------


def test_admin_home_lists_periods_newest_first_with_buttons() -> None:
    view = admin_home()
    lines = texts(view["blocks"])
    start = lines.index("*Administration*")
    assert lines[start + 1] == (
        ":large_green_circle: *2024-T2*, öppen: deadline 2024-09-10 kl. 16:00, "
        "12 av 79 rapporterade"
    )
    assert lines[start + 3].startswith(":lock: *2024-T1*, stängd: deadline 2024-05-10 kl. 16:00")
    assert "*2023-T3*, stängd" in lines[start + 5]
    edit = [b for b in buttons(view) if b["action_id"] == ids.EDIT_PERIOD]
    assert [b["value"] for b in edit] == ["2024-T2", "2024-T1", "2023-T3"]
    assert {b["text"]["text"] for b in edit} == {"Ändra"}
    assert [ids.decode_period(b["value"]) for b in edit][0] == PeriodKey(2024, 2)
    schedule = next(b for b in buttons(view) if b["action_id"] == ids.EDIT_SCHEDULE)
    assert schedule["text"]["text"] == "Ändra påminnelser"
    assert "*Påminnelser:* 28, 14, 7, 2 och 0 dagar före kl. 09:00" in lines
    new = next(b for b in buttons(view) if b["action_id"] == ids.NEW_PERIOD)
    assert new["text"]["text"] == "Ny period"
    # The admin section comes after the secretary's list and before the commands footer.
    assert lines.index("*Alla enheter, 2024-T2*") < start
    assert lines[-1].startswith("Kommandon:")


def test_home_without_admin_periods_has_no_admin_section() -> None:
    view = admin_home(admin_periods=None, schedule=None)
    assert "*Administration*" not in texts(view["blocks"])
    admin_ids = {ids.EDIT_PERIOD, ids.NEW_PERIOD, ids.EDIT_SCHEDULE}
    assert not [b for b in buttons(view) if b["action_id"] in admin_ids]


def test_admin_home_without_periods_still_offers_a_new_one() -> None:
    view = admin_home(admin_periods=[])
    assert "Inga perioder ännu." in texts(view["blocks"])
    assert [b["action_id"] for b in buttons(view)][-2:] == [ids.EDIT_SCHEDULE, ids.NEW_PERIOD]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_admin_home_with_many_periods_activities_and_units_stays_within_100_blocks(
    language: str,
) -> None:
    items = many_items(300)
    units = [
        (progress_of(items[n : n + 100], unit_id=n, path=f"Enhet {n} " * 40), items[n : n + 100])
        for n in range(0, 300, 100)
    ]
    periods = [
        AdminPeriodRow(
            f"{year}-T{tertial}",
            "closed",
            datetime(year, 4 * tertial, 10, 16, 0, tzinfo=TZ),
            10,
            20,
        )
        for year in range(2015, 2025)
        for tertial in (1, 2, 3)
    ]
    view = admin_home(
        language,
        units=units,
        all_units=[UnitProgress(n, f"Enhet {n} " * 5, 10, n % 11) for n in range(500)],
        is_secretary=True,
        admin_periods=periods,
    )
    assert len(view["blocks"]) <= 100
    edit = [b["value"] for b in buttons(view) if b["action_id"] == ids.EDIT_PERIOD]
    assert len(edit) == ADMIN_PERIODS_SHOWN and edit[0] == "2024-T3" and edit[-1] == "2021-T3"
    note = "De 10 senaste perioderna visas" if language == "sv" else "The 10 latest periods"
    assert note in json.dumps(view, ensure_ascii=False)
    assert {ids.EDIT_SCHEDULE, ids.NEW_PERIOD} <= {b["action_id"] for b in buttons(view)}
    # The reporter's own activities still show, cut short to leave room.
    assert any(ids.OPEN_STATUS_MODAL == b["action_id"] for b in buttons(view))


def test_admin_home_escapes_what_it_shows() -> None:
    evil = AdminPeriodRow(f"2024-T2 {EVIL}", "open", T2.deadline, 1, 2)
    view = admin_home(admin_periods=[evil])
    dumped = json.dumps(view["blocks"], ensure_ascii=False)
    assert f"*2024-T2 {EVIL_ESCAPED}*" in dumped
    assert "<!" not in json.dumps(texts(view["blocks"]), ensure_ascii=False)


def test_admin_home_in_english() -> None:
    dumped = json.dumps(admin_home("en"), ensure_ascii=False)
    for phrase in (
        "*2024-T2*, open: deadline 2024-09-10 at 16:00",
        "Change reminders",
        "New period",
    ):
        assert phrase in dumped
    assert " kl. " not in dumped and "Ändra" not in dumped and "öppen" not in dumped


# --- the period modal ---------------------------------------------------------------------------


def test_period_modal_for_an_existing_period() -> None:
    closed = PeriodInfo("2024-T2", datetime(2024, 9, 10, 14, 0, tzinfo=UTC), "closed")
    view = build_period_modal(language="sv", period=closed, zone=TZ)
    check_view(view)
    check_golden("period_modal_sv.json", view)
    assert view["callback_id"] == ids.PERIOD_MODAL
    assert view["private_metadata"] == "edit:2024-T2"
    assert ids.decode_period_modal(view["private_metadata"]) == PeriodKey(2024, 2)
    assert view["title"]["text"] == "Ändra period"
    # The key is shown, not editable.
    assert view["blocks"][0]["type"] == "section"
    assert view["blocks"][0]["text"]["text"] == "Period *2024-T2*, stängd"
    assert ids.PERIOD_KEY_BLOCK not in {b.get("block_id") for b in view["blocks"]}
    # The deadline in local time (14:00 UTC is 16:00 in Stockholm in September).
    date_input = input_block(view, ids.DEADLINE_DATE_BLOCK)["element"]
    time_input = input_block(view, ids.DEADLINE_TIME_BLOCK)
    assert date_input == {
        "type": "datepicker",
        "action_id": ids.DEADLINE_DATE_INPUT,
        "initial_date": "2024-09-10",
    }
    assert time_input["element"]["type"] == "timepicker"
    assert time_input["element"]["initial_time"] == "16:00"
    assert "Europe/Stockholm" in time_input["hint"]["text"]
    state = input_block(view, ids.PERIOD_STATE_BLOCK)["element"]
    assert [o["value"] for o in state["options"]] == ["open", "closed"]
    assert state["initial_option"]["value"] == "closed"


def test_period_modal_for_a_new_period() -> None:
    view = build_period_modal(language="en", period=None, zone=TZ)
    check_view(view)
    assert view["private_metadata"] == "new"
    assert ids.decode_period_modal("new") is None
    assert view["title"]["text"] == "New period"
    key = input_block(view, ids.PERIOD_KEY_BLOCK)
    assert key["element"]["type"] == "plain_text_input" and "initial_value" not in key["element"]
    assert "initial_date" not in input_block(view, ids.DEADLINE_DATE_BLOCK)["element"]
    state = input_block(view, ids.PERIOD_STATE_BLOCK)["element"]
    assert state["initial_option"]["value"] == "open"
    assert "Öppen" not in json.dumps(view, ensure_ascii=False)


def test_period_modal_metadata_codec_refuses_garbage() -> None:
    for garbage in (
        None,
        "",
        "edit:",
        "edit:2024-T4",
        "edit:2024-T2|x",
        "new\n",
        "NEW",
        "x" * 5000,
    ):
        with pytest.raises(ValueError):
            ids.decode_period_modal(garbage)
    for garbage in (None, "", "2024-T4", "2024-T2\n", "2024T2", " 2024-T2", "x" * 300):
        with pytest.raises(ValueError):
            ids.decode_period(garbage)
    assert ids.decode_period(ids.encode_period(PeriodKey(2025, 3))) == PeriodKey(2025, 3)
    ids.check_schedule_modal("schedule")
    for garbage in (None, "", "Schedule", "schedule "):
        with pytest.raises(ValueError):
            ids.check_schedule_modal(garbage)


def test_parse_period_submission_gives_the_local_date_and_time() -> None:
    view = submitted("edit:2024-T2", **period_values(day="2024-09-12", clock="12:00"))
    change = parse_period_submission(view, editing=PeriodKey(2024, 2), zone=TZ, language="sv")
    assert change == PeriodForm(PeriodKey(2024, 2), date(2024, 9, 12), time(12, 0), "open", False)
    assert isinstance(change, PeriodForm) and not change.confirmed

    new = submitted("new", **period_values(key=" 2024-t3 ", day="2024-12-10", clock="16:00"))
    change = parse_period_submission(new, editing=None, zone=TZ, language="sv")
    assert isinstance(change, PeriodForm)
    assert change.period == PeriodKey(2024, 3) and change.is_new
    closed = period_values(day="2024-09-12", clock="12:00", state="closed")
    change = parse_period_submission(
        submitted("edit:2024-T2", **closed), editing=PeriodKey(2024, 2), zone=TZ, language="sv"
    )
    assert isinstance(change, PeriodForm) and change.state == "closed"


@pytest.mark.parametrize(
    ("values", "block", "message"),
    [
        (period_values(day=None, clock="12:00"), ids.DEADLINE_DATE_BLOCK, "Välj ett datum."),
        (
            period_values(day="2024-02-30", clock="12:00"),
            ids.DEADLINE_DATE_BLOCK,
            "Datumet är inte giltigt.",
        ),
        (
            period_values(day="10/9/2024", clock="12:00"),
            ids.DEADLINE_DATE_BLOCK,
            "Datumet är inte giltigt.",
        ),
        (
            period_values(day="2024-09-12", clock=None),
            ids.DEADLINE_TIME_BLOCK,
            "Välj ett klockslag.",
        ),
        (
            period_values(day="2024-09-12", clock="25:00"),
            ids.DEADLINE_TIME_BLOCK,
            "Klockslaget är inte giltigt.",
        ),
        (
            period_values(day="2024-09-12", clock="12:00", state="paused"),
            ids.PERIOD_STATE_BLOCK,
            "Välj om perioden är öppen eller stängd.",
        ),
        (
            period_values(day="2024-09-12", clock="12:00", state=None),
            ids.PERIOD_STATE_BLOCK,
            "Välj om perioden är öppen eller stängd.",
        ),
    ],
)
def test_parse_period_submission_errors(values: dict[str, Any], block: str, message: str) -> None:
    view = submitted("edit:2024-T2", **values)
    errors = parse_period_submission(view, editing=PeriodKey(2024, 2), zone=TZ, language="sv")
    assert errors == {block: message}


def test_parse_period_submission_for_a_new_period_needs_a_key() -> None:
    for key in ("", "2024-T4", "T2", "<!channel>"):
        view = submitted("new", **period_values(key=key, day="2024-12-10", clock="16:00"))
        errors = parse_period_submission(view, editing=None, zone=TZ, language="en")
        assert errors == {ids.PERIOD_KEY_BLOCK: "Write the period as 2024-T1, 2024-T2 or 2024-T3."}


@pytest.mark.parametrize("garbage", [None, 42, "x", {}, {"state": []}, {"state": {"values": 7}}])
def test_parse_period_submission_tolerates_garbage(garbage: object) -> None:
    errors = parse_period_submission(garbage, editing=None, zone=TZ, language="sv")
    assert isinstance(errors, dict)
    assert set(errors) == {
        ids.PERIOD_KEY_BLOCK,
        ids.DEADLINE_DATE_BLOCK,
        ids.DEADLINE_TIME_BLOCK,
        ids.PERIOD_STATE_BLOCK,
    }


# --- the schedule modal -------------------------------------------------------------------------


def test_schedule_modal() -> None:
    view = build_schedule_modal(language="en", schedule=SCHEDULE, zone=TZ)
    check_view(view)
    check_golden("schedule_modal_en.json", view)
    assert view["callback_id"] == ids.SCHEDULE_MODAL
    assert view["private_metadata"] == ids.SCHEDULE_METADATA
    days = input_block(view, ids.SCHEDULE_DAYS_BLOCK)["element"]
    assert days["type"] == "plain_text_input" and days["initial_value"] == "28,14,7,2,0"
    clock = input_block(view, ids.SCHEDULE_TIME_BLOCK)["element"]
    assert clock["type"] == "timepicker" and clock["initial_time"] == "09:00"
    changed = build_schedule_modal(
        language="sv", schedule=ReminderSchedule((14, 2), time(10, 30)), zone=TZ
    )
    check_view(changed)
    assert input_block(changed, ids.SCHEDULE_DAYS_BLOCK)["element"]["initial_value"] == "14,2"
    assert input_block(changed, ids.SCHEDULE_TIME_BLOCK)["element"]["initial_time"] == "10:30"
    assert changed["title"]["text"] == "Påminnelser"


def test_parse_schedule_submission() -> None:
    view = submitted("schedule", **schedule_values(" 14, 2 ", "10:30"))
    assert parse_schedule_submission(view, language="sv") == ScheduleChange("14, 2", "10:30")


@pytest.mark.parametrize(
    ("days", "clock", "blocks"),
    [
        ("14,x", "10:30", {ids.SCHEDULE_DAYS_BLOCK}),
        ("14,14", "10:30", {ids.SCHEDULE_DAYS_BLOCK}),
        ("400", "10:30", {ids.SCHEDULE_DAYS_BLOCK}),
        ("", "10:30", {ids.SCHEDULE_DAYS_BLOCK}),
        (None, "10:30", {ids.SCHEDULE_DAYS_BLOCK}),
        ("14,2", "21:00", {ids.SCHEDULE_TIME_BLOCK}),
        ("14,2", "02:30", {ids.SCHEDULE_TIME_BLOCK}),
        ("14,2", None, {ids.SCHEDULE_TIME_BLOCK}),
        ("-1", "06:59", {ids.SCHEDULE_DAYS_BLOCK, ids.SCHEDULE_TIME_BLOCK}),
    ],
)
def test_parse_schedule_submission_errors(
    days: str | None, clock: str | None, blocks: set[str]
) -> None:
    errors = parse_schedule_submission(
        submitted("schedule", **schedule_values(days, clock)), language="sv"
    )
    assert isinstance(errors, dict) and set(errors) == blocks
    if ids.SCHEDULE_TIME_BLOCK in errors and clock:
        assert errors[ids.SCHEDULE_TIME_BLOCK].startswith(
            "Välj ett klockslag från 07:00 till 19:59"
        )
    if ids.SCHEDULE_DAYS_BLOCK in errors:
        assert "28,14,7,2,0" in errors[ids.SCHEDULE_DAYS_BLOCK]


@pytest.mark.parametrize("garbage", [None, 42, "x", {}, {"state": {"values": []}}])
def test_parse_schedule_submission_tolerates_garbage(garbage: object) -> None:
    errors = parse_schedule_submission(garbage, language="en")
    assert isinstance(errors, dict)
    assert set(errors) == {ids.SCHEDULE_DAYS_BLOCK, ids.SCHEDULE_TIME_BLOCK}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_admin_views_show_only_our_own_text_and_speak_the_language(language: str) -> None:
    views = [
        build_period_modal(language=language, period=OPEN, zone=TZ),
        build_period_modal(language=language, period=None, zone=TZ),
        build_schedule_modal(language=language, schedule=SCHEDULE, zone=TZ),
        admin_home(language),
    ]
    for view in views:
        check_view(view)
        dumped = json.dumps(view, ensure_ascii=False)
        assert "<" not in dumped and ">" not in dumped
    dumped = json.dumps(views, ensure_ascii=False)
    if language == "sv":
        assert "Dagar före deadline" in dumped and "Days before" not in dumped
    else:
        assert "Days before the deadline" in dumped and "Dagar före" not in dumped
