"""The tertial round in Slack: `uppsikt run` (HTTP mode) as a real process, the Slack emulator,
signed requests, a real database (SQLite file and PostgreSQL)."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

from sqlmodel import col, select

from bot.config import load_settings
from bot.slack import ids
from storage.db import make_engine, session_scope
from storage.models import Activity, ChatAccount, Person, ReminderMessage, StatusReport
from tests.helpers import ON_POSTGRES, ON_SQLITE
from tests.scenario.support import COMMITTEE_CHANNEL, block_action, view_submission


def _engine(database_url: str):  # type: ignore[no-untyped-def]
    return make_engine(
        load_settings(env={"DATABASE_URL": database_url}, dotenv_path="/x").database_url
    )


def _reports(database_url: str) -> list[StatusReport]:
    with session_scope(_engine(database_url)) as session:
        return list(session.exec(select(StatusReport).where(StatusReport.source == "slack")).all())


def _inbox_empty(database_url: str) -> bool:
    from storage.models import SubmissionInbox

    with session_scope(_engine(database_url)) as session:
        return not session.exec(select(SubmissionInbox)).first()


def _response_texts(emulator, since: int = 0) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.params.get("text", "") for c in emulator.calls_to("response_url")[since:]]


def _wait(predicate, timeout: float = 40.0, what: str = "condition"):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _remind(scenario) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The admin reminds; return Anna's reminder messages (Samhällsbyggnad has 24 activities)."""
    status, body, seconds = scenario.slack.command("U0ADAM", "påminn 2024-T2")
    assert status == 200 and seconds < 3
    _wait(
        lambda: any(t.startswith(("Klart:", "Done:")) for t in _response_texts(scenario.emulator)),
        what="remind_done",
    )
    return scenario.emulator.messages("DU0ANNA")


def _select_action(message: dict[str, Any], status: str) -> tuple[dict[str, Any], int]:
    for block in message["blocks"]:
        if block.get("type") == "actions" and block.get("block_id", "").startswith("uppsikt_act_"):
            for element in block["elements"]:
                if element.get("action_id") == ids.STATUS_SELECT:
                    option = next(
                        o for o in element["options"] if o["value"].endswith("#" + status)
                    )
                    action = {
                        "type": "static_select",
                        "action_id": ids.STATUS_SELECT,
                        "block_id": block["block_id"],
                        "selected_option": option,
                        "action_ts": str(time.time()),
                    }
                    return action, int(block["block_id"].rsplit("_", 1)[1])
    raise AssertionError("no status select in the message")


@ON_SQLITE
def test_health_and_refusals_before_anything(scenario) -> None:  # type: ignore[no-untyped-def]
    with urllib.request.urlopen(scenario.bot.health_url, timeout=5) as response:
        assert response.status == 200 and json.loads(response.read())["ok"] is True
    # Forged: wrong secret, stale timestamp; oversized: refused before Bolt reads it.
    assert scenario.slack.command("U0ADAM", "påminn 2024-T2", secret="wrong")[0] == 401
    assert (
        scenario.slack.command("U0ADAM", "påminn 2024-T2", timestamp=int(time.time()) - 600)[0]
        == 401
    )
    huge = b"payload=" + b"x" * 2_000_000
    # Refused before it is read: a 413, or the connection closed under the sender's feet.
    assert scenario.slack.post(huge, "application/x-www-form-urlencoded")[0] in (413, 0)
    with urllib.request.urlopen(scenario.bot.health_url, timeout=5) as response:
        assert response.status == 200  # and the bot is fine
    # Refused requests never reach a listener: nothing can have been sent.
    assert scenario.emulator.calls_to("chat.postMessage") == []
    # Not an admin: told so privately, nothing sent.
    assert scenario.slack.command("U0BENGT", "påminn 2024-T2")[0] == 200
    texts = _wait(lambda: _response_texts(scenario.emulator), what="refusal")
    assert "admin" in texts[0].lower()
    assert scenario.emulator.calls_to("chat.postMessage") == []
    # Secrets never reach the logs or the database.
    from sqlalchemy import inspect, text

    from tests.scenario.support import BOT_TOKEN, SIGNING_SECRET

    logs = scenario.bot.logs()
    assert BOT_TOKEN not in logs and SIGNING_SECRET not in logs
    engine = _engine(scenario.database_url)
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            dump = repr(connection.execute(text(f'SELECT * FROM "{table}"')).fetchall())
            assert BOT_TOKEN not in dump and SIGNING_SECRET not in dump, table


@ON_POSTGRES
def test_remind_select_modal_update_and_versions(scenario) -> None:  # type: ignore[no-untyped-def]
    emulator = scenario.emulator
    messages = _remind(scenario)
    assert len(messages) == 2  # 24 activities need two messages within Slack's limits
    assert all(len(m["blocks"]) <= 50 for m in messages)
    assert emulator.messages("DU0BENGT")  # Stab's reporter got his own
    # Ove has no Slack account: the admin is told, not silently skipped.
    admin_dm = _wait(lambda: emulator.messages("DU0ADAM"), what="unmatched notice")
    assert "ove@ange.se" in json.dumps(admin_dm, ensure_ascii=False)
    with session_scope(_engine(scenario.database_url)) as session:
        anna = session.exec(select(Person).where(Person.email == "anna@ange.se")).one()
        account = session.exec(select(ChatAccount).where(ChatAccount.person_id == anna.id)).one()
        assert (account.platform, account.workspace, account.user_id) == (
            "slack",
            "T0UPPSIKT",
            "U0ANNA",
        )
        logged = session.exec(select(ReminderMessage)).all()
        assert (
            len(logged) == len(emulator.calls_to("chat.postMessage")) - 1
        )  # all but the admin notice

    # Pick a status in the reminder: stored at once, the message updates in place.
    first = messages[0]
    action, activity_id = _select_action(first, "on_track")
    status, body, seconds = scenario.slack.interaction(
        block_action(
            "U0ANNA",
            action,
            response_url=emulator.response_url(),
            channel="DU0ANNA",
            message_ts=first["ts"],
            message_blocks=first["blocks"],
        )
    )
    assert status == 200 and seconds < 3
    update = emulator.wait_for("chat.update", timeout=40)[-1]
    assert update.params["ts"] == first["ts"] and update.params["channel"] == "DU0ANNA"
    reports = _reports(scenario.database_url)
    assert [(r.activity_id, r.status, r.version, r.author_name) for r in reports] == [
        (activity_id, "on_track", 1, "Anna Andersson")
    ]
    assert "Anna Andersson" in json.dumps(update.params["blocks"], ensure_ascii=False)
    assert (
        "23 av 24" in json.dumps(update.params["blocks"], ensure_ascii=False)
        or "23" in update.params["text"]
    )

    # The button opens the modal, prefilled; a deviation without comment is refused in the modal.
    button = {
        "type": "button",
        "action_id": ids.OPEN_STATUS_MODAL,
        "value": f"a{activity_id}.p2024-T2.u{_unit_id(first)}",
        "action_ts": "1",
    }
    scenario.slack.interaction(
        block_action(
            "U0ANNA",
            button,
            response_url=emulator.response_url(),
            channel="DU0ANNA",
            message_ts=first["ts"],
            message_blocks=first["blocks"],
        )
    )
    opened = emulator.wait_for("views.open", timeout=40)[-1].params["view"]
    assert opened["callback_id"] == ids.STATUS_MODAL

    def values(status_value: str | None, comment: str) -> dict[str, Any]:
        selected = (
            {
                "selected_option": {
                    "value": status_value,
                    "text": {"type": "plain_text", "text": "x"},
                }
            }
            if status_value
            else {"selected_option": None}
        )
        return {
            ids.STATUS_BLOCK: {ids.STATUS_INPUT: {"type": "static_select", **selected}},
            ids.COMMENT_BLOCK: {ids.COMMENT_INPUT: {"type": "plain_text_input", "value": comment}},
        }

    status, body, _ = scenario.slack.interaction(
        view_submission("U0ANNA", opened, values("deviating", "  "))
    )
    assert status == 200
    assert (
        json.loads(body)["response_action"] == "errors"
        and ids.COMMENT_BLOCK in json.loads(body)["errors"]
    )
    status, body, _ = scenario.slack.interaction(
        view_submission("U0ANNA", opened, values("deviating", "x" * 3001))
    )
    assert ids.COMMENT_BLOCK in json.loads(body)["errors"]
    status, body, _ = scenario.slack.interaction(
        view_submission("U0ANNA", opened, values("bogus", "text"))
    )
    assert ids.STATUS_BLOCK in json.loads(body)["errors"]
    assert len(_reports(scenario.database_url)) == 1

    hostile = "Försenat <!channel> & <@U0SARA> <https://evil.example|klicka>"
    updates_before = len(emulator.calls_to("chat.update"))
    status, body, seconds = scenario.slack.interaction(
        view_submission("U0ANNA", opened, values("deviating", hostile))
    )
    assert status == 200 and body in (b"", b"{}") and seconds < 3
    # Acked at once, stored right after (through the inbox).
    reports = _wait(
        lambda: len(_reports(scenario.database_url)) == 2 and _reports(scenario.database_url),
        what="modal save",
    )
    assert [(r.status, r.version, r.comment) for r in reports] == [
        ("on_track", 1, ""),
        ("deviating", 2, hostile),
    ]
    update = _wait(
        lambda: emulator.calls_to("chat.update")[updates_before:], what="update after modal"
    )[-1]
    shown = json.dumps(update.params["blocks"], ensure_ascii=False)
    assert "<!channel>" not in shown and "<@U0SARA>" not in shown and "<https://evil" not in shown
    assert "&lt;!channel&gt;" in shown

    # Unchanged re-save stores no new version (wait until the inbox is drained).
    scenario.slack.interaction(view_submission("U0ANNA", opened, values("deviating", hostile)))
    _wait(lambda: _inbox_empty(scenario.database_url), what="inbox drained")
    assert len(_reports(scenario.database_url)) == 2


def _unit_id(message: dict[str, Any]) -> int:
    for block in message["blocks"]:
        for element in block.get("elements", []) or []:
            if element.get("action_id") == ids.OPEN_STATUS_MODAL:
                return int(element["value"].rsplit(".u", 1)[1])
    raise AssertionError("no modal button")


@ON_POSTGRES
def test_forbidden_and_tampered_actions_store_nothing(scenario) -> None:  # type: ignore[no-untyped-def]
    emulator = scenario.emulator
    messages = _remind(scenario)
    first = messages[0]
    action, activity_id = _select_action(first, "done")
    unit_id = _unit_id(first)

    def answers(user: str, before: int, dms: int) -> list[str]:
        """Private answers: through response_url, or (when the refusal comes from storing the
        journalled save, after the ack) as a direct message."""
        direct = [m["text"] for m in emulator.messages(f"D{user}")[dms:]]
        return _response_texts(emulator, before) + direct

    def select(user: str, value: str) -> str:
        before = len(emulator.calls_to("response_url"))
        dms = len(emulator.messages(f"D{user}"))
        tampered = dict(
            action, selected_option={"value": value, "text": {"type": "plain_text", "text": "x"}}
        )
        status, _, seconds = scenario.slack.interaction(
            block_action(
                user,
                tampered,
                response_url=emulator.response_url(),
                channel=f"D{user}",
                message_ts=first["ts"],
            )
        )
        assert status == 200 and seconds < 3
        return _wait(lambda: answers(user, before, dms), what=f"answer to {value}")[0]

    with session_scope(_engine(scenario.database_url)) as session:
        other = session.exec(select_other_unit_activity(unit_id)).first()
    assert "rapportör" in select("U0BENGT", f"a{activity_id}.p2024-T2.u{unit_id}#done").lower()
    assert "rapportör" in select("U0ANNA", f"a{other}.p2024-T2.u{unit_id}#done").lower()
    assert select("U0ANNA", f"a999999.p2024-T2.u{unit_id}#done")
    assert "stängd" in select("U0ANNA", f"a{activity_id}.p2024-T1.u{unit_id}#done").lower()
    assert select("U0ANNA", f"a{activity_id}.p2024-T2.u{unit_id}#exploded")
    assert select("U0ANNA", "'; DROP TABLE status_report; --#done")
    assert select("U0SARA", f"a{activity_id}.p2024-T2.u{unit_id}#done")  # secretary, not a reporter
    assert _reports(scenario.database_url) == []
    # A modal submission with forged metadata is refused inside the modal.
    fake_view = {
        "type": "modal",
        "callback_id": ids.STATUS_MODAL,
        "private_metadata": "a1.p2024-T2|evil",
        "blocks": [],
    }
    status, body, _ = scenario.slack.interaction(view_submission("U0ANNA", fake_view, {}))
    assert json.loads(body)["response_action"] == "errors"
    assert _reports(scenario.database_url) == []


def select_other_unit_activity(unit_id: int):  # type: ignore[no-untyped-def]
    """An activity that is not the given unit's (for the tampering test)."""
    from storage.models import ActivityUnit

    mine = select(ActivityUnit.activity_id).where(ActivityUnit.unit_id == unit_id)
    return select(Activity.id).where(col(Activity.id).not_in(mine))


@ON_SQLITE
def test_secretary_publishes_the_report_file(scenario) -> None:  # type: ignore[no-untyped-def]
    emulator = scenario.emulator
    # Someone reports first, so the report has content from this period.
    messages = _remind(scenario)
    action, _activity_id = _select_action(messages[0], "done")
    scenario.slack.interaction(
        block_action(
            "U0ANNA",
            action,
            response_url=emulator.response_url(),
            channel="DU0ANNA",
            message_ts=messages[0]["ts"],
        )
    )
    emulator.wait_for("chat.update", timeout=40)

    before = len(emulator.calls_to("response_url"))
    assert scenario.slack.command("U0BENGT", "rapport 2024-T2")[0] == 200
    assert (
        "sekreterare" in _wait(lambda: _response_texts(emulator, before), what="refusal")[0].lower()
    )

    before = len(emulator.calls_to("response_url"))
    assert scenario.slack.command("U0SARA", "rapport 2024-T2")[0] == 200
    summary = _wait(lambda: emulator.calls_to("response_url")[before:], what="summary")[0]
    publish = next(
        e
        for b in summary.params["blocks"]
        for e in (b.get("elements") or [b.get("accessory") or {}])
        if e.get("action_id") == ids.PUBLISH_REPORT
    )
    # Someone who is not a secretary presses the button: refused, nothing posted.
    press = {
        "type": "button",
        "action_id": ids.PUBLISH_REPORT,
        "value": publish["value"],
        "action_ts": "1",
    }
    before = len(emulator.calls_to("response_url"))
    scenario.slack.interaction(block_action("U0ANNA", press, response_url=emulator.response_url()))
    _wait(lambda: _response_texts(emulator, before), what="publish refusal")
    assert emulator.messages(COMMITTEE_CHANNEL) == []

    status, _, seconds = scenario.slack.interaction(
        block_action("U0SARA", press, response_url=emulator.response_url())
    )
    assert status == 200 and seconds < 3
    emulator.wait_for("files.completeUploadExternal", timeout=30)
    ((file_id, content),) = emulator.uploaded_files.items()
    # The committee gets the PDF; read it back.
    from io import BytesIO

    from pypdf import PdfReader

    assert content.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    assert "Uppsiktsrapport" in text and "2024" in text
    assert "Avslutad enligt plan" in text
    posted = json.dumps(emulator.messages(COMMITTEE_CHANNEL), ensure_ascii=False)
    for mention in ("<!channel>", "<!here>", "<!everyone>", "<@"):
        assert mention not in posted
    complete = emulator.calls_to("files.completeUploadExternal")[-1]
    assert complete.params.get("channel_id") == COMMITTEE_CHANNEL

    # "Publicera PDF och Word-fil": both files, one upload, the Word file readable.
    word = next(
        e
        for b in summary.params["blocks"]
        for e in (b.get("elements") or [])
        if e.get("action_id") == ids.PUBLISH_REPORT_WITH_WORD
    )
    press_word = dict(press, action_id=ids.PUBLISH_REPORT_WITH_WORD, value=word["value"])
    scenario.slack.interaction(
        block_action("U0SARA", press_word, response_url=emulator.response_url())
    )
    emulator.wait_for("files.completeUploadExternal", count=2, timeout=60)
    contents = list(emulator.uploaded_files.values())
    assert len(contents) == 3 and contents[2].startswith(b"PK")
    from docx import Document

    document = Document(BytesIO(contents[2]))
    assert any(
        "Avslutad enligt plan" in p.text
        for t in document.tables
        for r in t.rows
        for c in r.cells
        for p in c.paragraphs
    ) or any("Avslutad enligt plan" in p.text for p in document.paragraphs)


@ON_POSTGRES
def test_app_home_and_retried_event_handled_once(scenario) -> None:  # type: ignore[no-untyped-def]
    emulator = scenario.emulator
    event = {"type": "app_home_opened", "user": "U0ANNA", "channel": "DU0ANNA", "tab": "home"}
    assert scenario.slack.event(event, "Ev0001")[0] == 200
    emulator.wait_for("views.publish", timeout=40)
    assert (
        scenario.slack.event(
            event,
            "Ev0001",
            headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
        )[0]
        == 200
    )
    # The retry is seen and dropped (the bot says so); only then is the count final.
    _wait(lambda: "already handled (a retry)" in scenario.bot.logs(), what="retry dropped")
    assert len(emulator.calls_to("views.publish")) == 1
    home = emulator.calls_to("views.publish")[0].params["view"]
    assert home["type"] == "home" and len(home["blocks"]) <= 100
    assert "2024-T2" in json.dumps(home, ensure_ascii=False)


def _modal_values(status_value: str, comment: str) -> dict[str, Any]:
    return {
        ids.STATUS_BLOCK: {
            ids.STATUS_INPUT: {"type": "static_select", "selected_option": {"value": status_value}}
        },
        ids.COMMENT_BLOCK: {ids.COMMENT_INPUT: {"type": "plain_text_input", "value": comment}},
    }


@ON_SQLITE
def test_modal_from_someone_who_may_not_report_is_refused_privately(scenario) -> None:  # type: ignore[no-untyped-def]
    emulator = scenario.emulator
    messages = _remind(scenario)
    _action, activity_id = _select_action(messages[0], "done")
    view = {
        "type": "modal",
        "callback_id": ids.STATUS_MODAL,
        "private_metadata": f"a{activity_id}.p2024-T2.u1",
        "blocks": [],
    }
    status, body, _ = scenario.slack.interaction(
        view_submission("U0BENGT", view, _modal_values("done", "Klart"))
    )
    assert status == 200 and body in (b"", b"{}")
    refusal = _wait(
        lambda: (
            emulator.messages("DU0BENGT")[len(messages) - 1 :]
            and [m for m in emulator.messages("DU0BENGT") if "rapportör" in m.get("text", "")]
        ),
        what="DM refusal",
    )
    assert refusal
    # A closed period: refused the same way.
    closed = dict(view, private_metadata=f"a{activity_id}.p2024-T1.u1")
    scenario.slack.interaction(view_submission("U0ANNA", closed, _modal_values("done", "Klart")))
    _wait(
        lambda: [m for m in emulator.messages("DU0ANNA") if "stängd" in m.get("text", "")],
        what="closed refusal",
    )
    assert _reports(scenario.database_url) == []


def test_acked_submission_survives_a_restart(database_url: str, emulator, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A submission journalled (and acked) when the process died is stored at the next start."""
    from storage.models import SubmissionInbox
    from tests.scenario.support import BotProcess, prepare_database

    prepare_database(database_url, tmp_path)
    with session_scope(_engine(database_url)) as session:
        activity = session.exec(
            select(Activity).where(Activity.title == "Avyttra mark för etableringar")
        ).one()
        session.add(
            SubmissionInbox(
                user_id="U0ANNA",
                activity_id=activity.id,
                period="2024-T2",
                status="on_hold",
                comment="Väntar på beslut",
            )
        )
    bot = BotProcess(database_url, tmp_path, emulator.base_url)
    try:
        reports = _wait(lambda: _reports(database_url), what="inbox drained at start")
        assert [(r.status, r.comment, r.author_name) for r in reports] == [
            ("on_hold", "Väntar på beslut", "Anna Andersson")
        ]
        assert _wait(lambda: _inbox_empty(database_url), what="inbox emptied")
    finally:
        bot.stop()
