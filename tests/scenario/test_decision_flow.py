"""The committee's decision over the real process and the Slack emulator: publish, return two
named activities with reasons and a new deadline, only their reporters reminded (with the
reason), the answer, version 2 with the answers marked, approval; a decision by someone who is
not the secretary, and one on a version that is not the latest, refused with nothing stored."""

from __future__ import annotations

import json
from io import BytesIO
from typing import Any

from pypdf import PdfReader

from bot.slack import ids
from tests.scenario.support import COMMITTEE_CHANNEL, block_action, view_submission
from tests.scenario.test_slack_http import _remind, _response_texts, _select_action, _wait


def _summary(scenario, user: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    emulator = scenario.emulator
    before = len(emulator.calls_to("response_url"))
    assert scenario.slack.command(user, "rapport 2024-T2")[0] == 200
    return _wait(
        lambda: [c for c in emulator.calls_to("response_url")[before:] if c.params.get("blocks")],
        what="summary",
    )[0].params


def _button(summary: dict[str, Any], action_id: str) -> dict[str, Any]:
    element = next(
        e
        for b in summary["blocks"]
        for e in (b.get("elements") or [])
        if e.get("action_id") == action_id
    )
    return {"type": "button", "action_id": action_id, "value": element["value"]}


def _publish(scenario, expected_files: int) -> bytes:  # type: ignore[no-untyped-def]
    emulator = scenario.emulator
    press = _button(_summary(scenario, "U0SARA"), ids.PUBLISH_REPORT)
    scenario.slack.interaction(block_action("U0SARA", press, response_url=emulator.response_url()))
    emulator.wait_until(lambda emu: len(emu.uploaded_files) >= expected_files, timeout=60)
    return list(emulator.uploaded_files.values())[expected_files - 1]


def _open_decision(scenario, user: str) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]
    emulator = scenario.emulator
    opened = len(emulator.calls_to("views.open"))
    summary = _summary(scenario, "U0SARA")
    press = _button(summary, ids.OPEN_DECISION)
    scenario.slack.interaction(block_action(user, press, response_url=emulator.response_url()))
    calls = emulator.wait_until(
        lambda emu: emu.calls_to("views.open")[opened:] or _response_texts(emu)[-1:], timeout=40
    )
    first = calls[0]
    return first.params["view"] if hasattr(first, "params") else None


def _values(kind: str, chosen: list[int], reasons: dict[int, str], **extra: Any) -> dict:  # type: ignore[type-arg]
    values: dict[str, Any] = {
        ids.DECISION_KIND_BLOCK: {
            ids.DECISION_KIND_INPUT: {"type": "radio_buttons", "selected_option": {"value": kind}}
        },
        ids.DECISION_REASONS_BLOCK: {
            ids.DECISION_REASONS_INPUT: {"type": "plain_text_input", "value": extra.get("why", "")}
        },
        ids.DECISION_ACTIVITIES_BLOCK: {
            ids.DECISION_ACTIVITIES_INPUT: {
                "type": "multi_static_select",
                "selected_options": [{"value": str(a)} for a in chosen],
            }
        },
        ids.DECISION_DEADLINE_DATE_BLOCK: {
            ids.DECISION_DEADLINE_DATE_INPUT: {
                "type": "datepicker",
                "selected_date": extra.get("day"),
            }
        },
        ids.DECISION_DEADLINE_TIME_BLOCK: {
            ids.DECISION_DEADLINE_TIME_INPUT: {"type": "timepicker", "selected_time": "16:00"}
        },
        ids.DECISION_CONFIRM_BLOCK: {
            ids.DECISION_CONFIRM_INPUT: {
                "type": "checkboxes",
                "selected_options": [{"value": "confirm"}] if extra.get("confirm") else [],
            }
        },
    }
    for activity_id, reason in reasons.items():
        values[f"{ids.DECISION_REASON_PREFIX}{activity_id}"] = {
            ids.DECISION_REASON_INPUT: {"type": "plain_text_input", "value": reason}
        }
    return values


def test_publish_return_answer_publish_again_and_approve(scenario) -> None:  # type: ignore[no-untyped-def]
    emulator = scenario.emulator
    messages = _remind(scenario)
    anna_reminders = len(emulator.messages("DU0ANNA"))
    bengt_reminders = len(emulator.messages("DU0BENGT"))
    first = messages[0]
    action, activity_a = _select_action(first, "on_track")
    scenario.slack.interaction(
        block_action("U0ANNA", action, response_url=emulator.response_url(), channel="DU0ANNA",
                     message_ts=first["ts"])
    )  # fmt: skip
    emulator.wait_for("chat.update", timeout=40)
    _publish(scenario, 1)

    # Not the secretary: refused, no modal.
    refused = _open_decision(scenario, "U0ANNA")
    assert refused is None and "sekreterare" in _response_texts(emulator)[-1]

    view = _open_decision(scenario, "U0SARA")
    assert view is not None and view["private_metadata"] == "d2024-T2.v1"
    options = [
        int(o["value"])
        for b in view["blocks"]
        if b.get("block_id") == ids.DECISION_ACTIVITIES_BLOCK
        for g in b["element"]["option_groups"]
        for o in g["options"]
    ]
    activity_b = next(a for a in options if a != activity_a and a in _anna_activities(first))
    # Choosing the activities grows a reason field for each.
    updates = len(emulator.calls_to("views.update"))
    chosen = dict(
        view,
        id="V0DECISION",
        hash="h1",
        state={"values": _values("returned", [activity_a, activity_b], {})},
    )
    dispatch = {
        "type": "block_actions",
        "team": {"id": "T0UPPSIKT"},
        "user": {"id": "U0SARA"},
        "api_app_id": "A0UPPSIKT",
        "container": {"type": "view", "view_id": "V0DECISION"},
        "actions": [{"action_id": ids.DECISION_ACTIVITIES_INPUT, "block_id": ids.DECISION_ACTIVITIES_BLOCK, "type": "multi_static_select"}],
        "view": chosen,
    }  # fmt: skip
    emulator.set_handler("views.update", lambda params: {"ok": True, "view": params.get("view")})
    assert scenario.slack.interaction(dispatch)[0] == 200
    grown = emulator.wait_for("views.update", count=updates + 1, timeout=40)[-1].params["view"]
    if isinstance(grown, str):
        grown = json.loads(grown)
    reason_blocks = [
        b.get("block_id", "")
        for b in grown["blocks"]
        if b.get("block_id", "").startswith(ids.DECISION_REASON_PREFIX)
    ]
    assert reason_blocks == [f"{ids.DECISION_REASON_PREFIX}{a}" for a in (activity_a, activity_b)]

    # A missing reason is answered inside the modal; nothing is recorded.
    status, body, _ = scenario.slack.interaction(view_submission(
        "U0SARA", grown, _values("returned", [activity_a, activity_b], {activity_a: "Varför?"}, day="2027-01-15", confirm=True)
    ))  # fmt: skip
    assert (
        status == 200 and f"{ids.DECISION_REASON_PREFIX}{activity_b}" in json.loads(body)["errors"]
    )
    reasons = {activity_a: "Förklara läget <!channel>.", activity_b: "Saknar kommentar."}
    status, body, _ = scenario.slack.interaction(view_submission(
        "U0SARA", grown, _values("returned", [activity_a, activity_b], reasons, why="Komplettera.", day="2027-01-15", confirm=True)
    ))  # fmt: skip
    assert status == 200 and body in (b"", b"{}"), body
    # Only the returned activities' reporter is reminded, with the committee's reason (escaped).
    new_dms = _wait(
        lambda: emulator.messages("DU0ANNA")[anna_reminders:] or None, what="return reminder"
    )
    text = json.dumps(new_dms, ensure_ascii=False)
    assert "Utskottets skäl" in text and "&lt;!channel&gt;" in text and "<!channel>" not in text
    announced = _wait(
        lambda: [
            m for m in emulator.messages(COMMITTEE_CHANNEL) if "återremitterat" in m.get("text", "")
        ],
        what="committee line",
    )
    assert announced
    assert len(emulator.messages("DU0BENGT")) == bengt_reminders

    # Anna answers the first returned activity; version 2 marks it.
    return_message = new_dms[0]
    done, _ = _select_action(return_message, "done")
    scenario.slack.interaction(block_action("U0ANNA", done, response_url=emulator.response_url(),
                                            channel="DU0ANNA", message_ts=return_message["ts"]))  # fmt: skip
    _wait(
        lambda: any(
            c.params.get("ts") == return_message["ts"] for c in emulator.calls_to("chat.update")
        ),
        what="answer stored",
    )
    pdf = _publish(scenario, 2)
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Återremiss av version 1" in " ".join(text.split())

    # The old modal (version 1) can no longer decide; the latest can.
    status, body, _ = scenario.slack.interaction(view_submission(
        "U0SARA", grown, _values("approved", [], {})
    ))  # fmt: skip
    assert "inte den senaste" in json.dumps(json.loads(body), ensure_ascii=False)
    latest = _open_decision(scenario, "U0SARA")
    assert latest is not None and latest["private_metadata"] == "d2024-T2.v2"
    status, body, _ = scenario.slack.interaction(
        view_submission("U0SARA", latest, _values("approved", [], {}))
    )
    assert status == 200 and body in (b"", b"{}"), body
    _wait(
        lambda: [m for m in emulator.messages(COMMITTEE_CHANNEL) if "godkänt" in m.get("text", "")],
        what="approved line",
    )
    assert "Traceback" not in scenario.bot.logs()


def _anna_activities(message: dict[str, Any]) -> set[int]:
    return {
        int(b["block_id"].rsplit("_", 1)[1])
        for b in message["blocks"]
        if b.get("type") == "actions" and b.get("block_id", "").startswith("uppsikt_act_")
    }
