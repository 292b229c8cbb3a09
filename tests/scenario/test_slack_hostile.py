"""Hostile and broken input over real HTTP, against one running bot: every refusal is a clean 4xx
or a friendly private answer, nothing is stored that should not be, and no traceback is logged."""

from __future__ import annotations

import json
import time
import urllib.parse
from typing import Any

from sqlmodel import select

from bot.slack import ids
from storage.db import session_scope
from storage.models import Activity, StatusReport
from tests.helpers import ON_SQLITE
from tests.scenario.support import SAMHALLSBYGGNAD, block_action, view_submission
from tests.scenario.test_slack_http import (
    _engine,
    _remind,
    _reports,
    _response_texts,
    _select_action,
    _wait,
)


def _raw(scenario, body: bytes, content_type: str, timestamp: str | None) -> int:  # type: ignore[no-untyped-def]
    """Post with a timestamp header that may be anything (and no valid signature)."""
    import urllib.error
    import urllib.request

    headers = {"Content-Type": content_type, "X-Slack-Signature": "v0=" + "0" * 64}
    if timestamp is not None:
        headers["X-Slack-Request-Timestamp"] = timestamp
    request = urllib.request.Request(scenario.bot.url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _signed_bytes(scenario, body: bytes) -> int:  # type: ignore[no-untyped-def]
    """A correctly signed body that is not UTF-8 (the SDK's signer only takes text)."""
    import hashlib
    import hmac
    import urllib.error
    import urllib.request

    from tests.scenario.support import SIGNING_SECRET

    stamp = str(int(time.time()))
    digest = hmac.new(
        SIGNING_SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }
    request = urllib.request.Request(scenario.bot.url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _signed_form(scenario, form: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
    body = urllib.parse.urlencode(form).encode()
    return scenario.slack.post(body, "application/x-www-form-urlencoded")[0]


def _payload(scenario, raw_json: str) -> int:  # type: ignore[no-untyped-def]
    return _signed_form(scenario, {"payload": raw_json})


@ON_SQLITE
def test_hostile_requests_are_refused_cleanly_and_leave_nothing(scenario) -> None:  # type: ignore[no-untyped-def]
    emulator = scenario.emulator
    # --- unsigned, with timestamps that are not times: 401, never a 500 ----------------------
    for timestamp in ("abc", "", "1e9", "-1", "9" * 40, None):
        assert (
            _raw(scenario, b"command=/uppsikt", "application/x-www-form-urlencoded", timestamp)
            == 401
        )

    # --- signed, but not what Slack sends: 400 -------------------------------------------------
    messages = _remind(scenario)
    first = messages[0]
    action, activity_id = _select_action(first, "on_track")
    action["action_ts"] = f"{time.time() - 3:.6f}"  # Slack signs when the person acted
    good = block_action(
        "U0ANNA", action, response_url=emulator.response_url(), channel="DU0ANNA",
        message_ts=first["ts"],
    )  # fmt: skip
    as_json = json.dumps(good)
    for broken in (
        as_json[: len(as_json) // 2],  # truncated
        "[1, 2, 3]",
        "null",
        json.dumps({**good, "actions": None}),
        json.dumps({**good, "user": "U0ANNA"}),
        json.dumps({"type": "view_submission", "user": {"id": "U0ANNA"}, "view": None}),
    ):
        assert _payload(scenario, broken) == 400, broken[:80]
    assert _signed_form(scenario, {"text": "no command"}) == 400
    assert _signed_bytes(scenario, b"\xff\xfe not utf-8") == 400

    # --- signed and well formed, but impossible: a friendly refusal, nothing stored ------------
    before = len(_response_texts(emulator))
    strange = [
        {**action, "selected_option": "on_track"},  # a string, not an option
        {**action, "selected_option": {"value": "a999999999999.p2024-T2.u1#on_track"}},
        {**action, "selected_option": {"value": f"a{activity_id}.p2024-T2#finished"}},
        {**action, "selected_option": {"value": "a0.p2024-T2#on_track"}},
    ]
    for bad in strange:
        payload = block_action("U0ANNA", bad, response_url=emulator.response_url())
        assert scenario.slack.interaction(payload)[0] == 200
    _wait(lambda: len(_response_texts(emulator)) >= before + len(strange), what="refusals")
    answers = _response_texts(emulator)[before:]
    assert all("inget sparades" in a or "finns inte" in a for a in answers), answers
    assert _reports(scenario.database_url) == []

    # --- a real save, then a replay of the same signed request: nothing reverts ---------------
    body = urllib.parse.urlencode({"payload": json.dumps(good)}).encode()
    stamp = int(time.time())
    assert scenario.slack.post(body, "application/x-www-form-urlencoded", timestamp=stamp)[0] == 200
    _wait(lambda: len(_reports(scenario.database_url)) == 1, what="first save")
    done, _ = _select_action(first, "done")
    later = block_action(
        "U0ANNA", {**done, "action_ts": f"{time.time():.6f}"}, response_url=emulator.response_url(),
        channel="DU0ANNA", message_ts=first["ts"],
    )  # fmt: skip
    assert scenario.slack.interaction(later)[0] == 200
    _wait(lambda: len(_reports(scenario.database_url)) == 2, what="second save")
    replay = scenario.slack.post(body, "application/x-www-form-urlencoded", timestamp=stamp)
    assert replay[0] == 200
    _wait(
        lambda: any("nyare status" in m["text"] for m in emulator.messages("DU0ANNA")),
        what="replay answered",
    )
    assert [r.status for r in _reports(scenario.database_url)] == ["on_track", "done"]

    # --- a modal whose metadata points at someone else's messages ------------------------------
    updates = len(emulator.calls_to("chat.update"))
    with session_scope(_engine(scenario.database_url)) as session:
        other = session.exec(select(Activity).where(Activity.title.is_not(None))).all()  # type: ignore[union-attr]
    opened = _open_modal(scenario, first, activity_id)
    for channel, ts in (("C0COMMITTEE", "1.000001"), ("DU0BENGT", "1700000000.000100")):
        forged = dict(opened, private_metadata=f"a{activity_id}.p2024-T2|{channel}|{ts}")
        status, answer, _ = scenario.slack.interaction(
            view_submission("U0ANNA", forged, _values("deviating", f"Fel kanal {channel}"))
        )
        assert status == 200 and answer in (b"", b"{}")
    _wait(lambda: len(_reports(scenario.database_url)) == 4, what="forged-metadata saves stored")
    # Stored (Anna may report), but only Anna's own reminder could have been rewritten.
    for call in emulator.calls_to("chat.update")[updates:]:
        assert call.params["channel"] == "DU0ANNA"
    assert other  # the database was read

    # --- a tampered unit id in the button renders nothing of another unit ---------------------
    button = {
        "action_id": ids.OPEN_STATUS_MODAL,
        "type": "button",
        "value": f"a{activity_id}.p2024-T2.u1",
    }
    assert scenario.slack.interaction(
        block_action("U0ANNA", button, response_url=emulator.response_url(), channel="DU0ANNA",
                     message_ts=first["ts"])
    )[0] == 200  # fmt: skip

    # --- Slack itself failing: the person is always told the truth ----------------------------
    emulator.inject_fault("views.open", "status", times=1, status=500)
    before = len(_response_texts(emulator))
    assert scenario.slack.interaction(
        block_action("U0ANNA", button, response_url=emulator.response_url(), channel="DU0ANNA",
                     message_ts=first["ts"])
    )[0] == 200  # fmt: skip
    _wait(lambda: any("kunde inte öppnas" in t for t in _response_texts(emulator)[before:]),
          what="views.open failure told")  # fmt: skip
    # users.info 500 for someone not yet linked: "try again", never "you are not a reporter".
    emulator.inject_fault("users.info", "status", times=1, status=500)
    before = len(_response_texts(emulator))
    assert scenario.slack.command("U0SARA", "status")[0] == 200
    _wait(lambda: _response_texts(emulator)[before:], what="status answered")
    answer = _response_texts(emulator)[before]
    assert "Försök igen" in answer and "inte med som rapportör" not in answer

    # --- nothing above left a traceback in the log ---------------------------------------------
    assert "Traceback" not in scenario.bot.logs(), scenario.bot.logs()[-3000:]


def _open_modal(scenario, message: dict[str, Any], activity_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    emulator = scenario.emulator
    opened = len(emulator.calls_to("views.open"))
    button = {
        "action_id": ids.OPEN_STATUS_MODAL,
        "type": "button",
        "value": next(
            e["value"]
            for b in message["blocks"]
            if b.get("type") == "actions"
            for e in b.get("elements", [])
            if e.get("action_id") == ids.OPEN_STATUS_MODAL
            and e["value"].startswith(f"a{activity_id}.")
        ),
    }
    payload = block_action(
        "U0ANNA", button, response_url=emulator.response_url(), channel="DU0ANNA",
        message_ts=message["ts"],
    )  # fmt: skip
    assert scenario.slack.interaction(payload)[0] == 200
    calls = emulator.wait_for("views.open", count=opened + 1, timeout=40)
    return calls[-1].params["view"]


def _values(status: str, comment: str) -> dict[str, Any]:
    return {
        ids.STATUS_BLOCK: {
            ids.STATUS_INPUT: {
                "type": "static_select",
                "selected_option": {"value": status, "text": {"type": "plain_text", "text": "x"}},
            }
        },
        ids.COMMENT_BLOCK: {ids.COMMENT_INPUT: {"type": "plain_text_input", "value": comment}},
    }


def test_a_locked_database_gets_a_timely_truthful_answer_and_stores_nothing(
    sqlite_scenario,
) -> None:  # type: ignore[no-untyped-def]
    """SQLite held by another writer: the modal is answered within Slack's 3 s, says to try
    again, and nothing is stored once the lock is gone."""
    import sqlite3

    scenario = sqlite_scenario
    messages = _remind(scenario)
    first = messages[0]
    _action, activity_id = _select_action(first, "on_track")
    opened = _open_modal(scenario, first, activity_id)
    path = scenario.database_url.removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, timeout=1)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        status, answer, seconds = scenario.slack.interaction(
            view_submission("U0ANNA", opened, _values("deviating", "Låst databas"))
        )
    finally:
        blocker.rollback()
        blocker.close()
    assert status == 200 and seconds < 3
    errors = json.loads(answer)["errors"]
    assert "Försök igen" in errors[ids.STATUS_BLOCK]
    with session_scope(_engine(scenario.database_url)) as session:
        assert not session.exec(
            select(StatusReport).where(StatusReport.comment == "Låst databas")
        ).all()
    assert SAMHALLSBYGGNAD
