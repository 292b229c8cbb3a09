"""The Slack emulator, driven by the real slack_sdk WebClient."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from tests.fakes.slack_api import BOT_ID, BOT_USER_ID, TEAM_ID, SlackEmulator

USERS = {"anna.berg@kommun.se": {"id": "U0ANNA", "real_name": "Anna Berg"}}


@pytest.fixture
def emu() -> Iterator[SlackEmulator]:
    with SlackEmulator(users=USERS) as emulator:
        yield emulator


@pytest.fixture
def client(emu: SlackEmulator) -> WebClient:
    return WebClient(token="xoxb-test", base_url=emu.base_url)


def retrying_client(emu: SlackEmulator) -> WebClient:
    handler = RateLimitErrorRetryHandler(max_retry_count=3)
    return WebClient(token="xoxb-test", base_url=emu.base_url, retry_handlers=[handler])


def error_of(call, *args, **kwargs) -> str:
    with pytest.raises(SlackApiError) as info:
        call(*args, **kwargs)
    return info.value.response["error"]


def blocks(n: int) -> list[dict]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": f"rad {i}"}} for i in range(n)]


def test_urls_and_auth_test(emu: SlackEmulator, client: WebClient) -> None:
    assert emu.base_url == f"http://127.0.0.1:{emu.port}/api/"
    assert emu.url == f"http://127.0.0.1:{emu.port}"
    answer = client.auth_test()
    assert answer["ok"] is True
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == (
        TEAM_ID,
        BOT_USER_ID,
        BOT_ID,
    )
    assert answer["url"].startswith("https://") and answer["team"] and answer["user"]
    (call,) = emu.calls_to("auth.test")
    assert call.status == 200 and call.headers["authorization"] == "Bearer xoxb-test"


NO_TEXT_WARNING = "ignore:The top-level `text` argument is missing:UserWarning"


@pytest.mark.filterwarnings(NO_TEXT_WARNING)
def test_post_update_and_messages(emu: SlackEmulator, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C1", text="Hej", blocks=blocks(2))
    second = client.chat_postMessage(channel="C1", text="Två")
    assert first["channel"] == "C1"
    assert first["message"]["blocks"] == blocks(2) and first["message"]["ts"] == first["ts"]
    assert first["ts"] == "1700000000.000100"
    assert float(second["ts"]) > float(first["ts"])
    (call, _) = emu.calls_to("chat.postMessage")
    assert call.params["blocks"] == blocks(2)  # JSON body, nested lists kept

    updated = client.chat_update(channel="C1", ts=first["ts"], text="Hej igen", blocks=blocks(1))
    assert updated["ts"] == first["ts"] and updated["message"]["text"] == "Hej igen"
    now = emu.messages("C1")
    assert [m["text"] for m in now] == ["Hej igen", "Två"]
    assert now[0]["blocks"] == blocks(1) and now[1]["blocks"] == []

    assert (
        error_of(client.chat_update, channel="C1", ts="1.000000", text="x") == "message_not_found"
    )
    assert error_of(client.chat_update, channel="C2", ts=first["ts"], text="x") == (
        "message_not_found"
    )
    assert error_of(client.chat_postMessage, channel="C1") == "no_text"


def test_blocks_as_json_string_in_form_field(emu: SlackEmulator, client: WebClient) -> None:
    client.api_call("chat.postMessage", params={"channel": "C1", "blocks": json.dumps(blocks(1))})
    (call,) = emu.calls_to("chat.postMessage")
    assert call.params["blocks"] == blocks(1)
    assert emu.messages("C1")[0]["blocks"] == blocks(1)


@pytest.mark.filterwarnings(NO_TEXT_WARNING)
def test_block_limits_and_long_text(emu: SlackEmulator, client: WebClient) -> None:
    assert error_of(client.chat_postMessage, channel="C1", blocks=blocks(51)) == "invalid_blocks"
    client.chat_postMessage(channel="C1", text="x", blocks=blocks(50))
    long_section = [{"type": "section", "text": {"type": "mrkdwn", "text": "å" * 3001}}]
    assert error_of(client.chat_postMessage, channel="C1", blocks=long_section) == (
        "invalid_blocks"
    )
    client.chat_postMessage(channel="C2", text="a" * 40_010)
    assert len(emu.messages("C2")[0]["text"]) == 40_000
    assert len(emu.calls_to("chat.postMessage")[-1].params["text"]) == 40_010


def test_post_to_user_id_lands_in_dm(emu: SlackEmulator, client: WebClient) -> None:
    answer = client.chat_postMessage(channel="U0ANNA", text="Påminnelse")
    assert answer["channel"] == "DU0ANNA"
    assert emu.messages("DU0ANNA")[0]["text"] == "Påminnelse"


def test_ephemeral(emu: SlackEmulator, client: WebClient) -> None:
    answer = client.chat_postEphemeral(channel="C1", user="U0ANNA", text="Bara för dig")
    assert answer["message_ts"]
    assert emu.ephemeral_messages("C1")[0]["user"] == "U0ANNA"
    assert emu.messages("C1") == []


def test_conversations_open_is_stable(client: WebClient) -> None:
    first = client.conversations_open(users="U0ANNA")["channel"]["id"]
    again = client.conversations_open(users=["U0ANNA"])
    other = client.conversations_open(users="U0BERT")["channel"]["id"]
    assert first == again["channel"]["id"] == "DU0ANNA" and again["already_open"] is True
    assert other == "DU0BERT"
    assert error_of(client.api_call, "conversations.open") == "users_list_not_supplied"


def test_users_lookup_and_info(emu: SlackEmulator, client: WebClient) -> None:
    user = client.users_lookupByEmail(email="anna.berg@kommun.se")["user"]
    assert user["id"] == "U0ANNA" and user["profile"]["email"] == "anna.berg@kommun.se"
    assert user["real_name"] == "Anna Berg" and user["team_id"] == TEAM_ID
    assert error_of(client.users_lookupByEmail, email="ingen@kommun.se") == "users_not_found"
    emu.add_user("ny@kommun.se", "U0NY", real_name="Ny Person")
    assert client.users_info(user="U0NY")["user"]["real_name"] == "Ny Person"
    assert client.users_info(user=BOT_USER_ID)["user"]["is_bot"] is True
    assert error_of(client.users_info, user="U0NOPE") == "user_not_found"


def modal(title: str = "Uppföljning", n: int = 1) -> dict:
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": blocks(n)}


def test_views_open_update_publish(emu: SlackEmulator, client: WebClient) -> None:
    view = modal() | {"external_id": "goal-7", "private_metadata": "7"}
    opened = client.views_open(trigger_id="123.456.abc", view=view)["view"]
    assert opened["id"].startswith("V") and opened["private_metadata"] == "7"
    assert error_of(client.views_open, trigger_id="123.456.abc", view=modal()) == (
        "exchanged_trigger_id"
    )
    assert error_of(client.views_open, view=modal()) == "invalid_arguments"

    by_id = client.views_update(view_id=opened["id"], view=modal("Steg 2"))["view"]
    assert by_id["id"] == opened["id"] and by_id["title"]["text"] == "Steg 2"
    by_external = client.views_update(external_id="goal-7", view=modal("Steg 3"))
    assert by_external["view"]["id"] == opened["id"]
    assert error_of(client.views_update, view_id="V0NOPE", view=modal()) == "not_found"
    stale = error_of(client.views_update, view_id=opened["id"], hash=opened["hash"], view=modal())
    assert stale == "hash_conflict"

    home = {"type": "home", "blocks": blocks(3)}
    published = client.views_publish(user_id="U0ANNA", view=home)["view"]
    again = client.views_publish(user_id="U0ANNA", view=home)["view"]
    assert published["id"] == again["id"] and emu.home_views["U0ANNA"]["blocks"] == blocks(3)
    assert error_of(client.views_publish, user_id="U0ANNA", view=modal()) == "invalid_arguments"


def test_view_limits_and_trigger_expiry(emu: SlackEmulator, client: WebClient) -> None:
    assert error_of(client.views_open, trigger_id="1.2.a", view=modal(n=101)) == (
        "invalid_arguments"
    )
    client.views_publish(user_id="U0ANNA", view={"type": "home", "blocks": blocks(100)})
    emu.trigger_ttl = 0.05
    trigger_id = emu.issue_trigger_id()
    time.sleep(0.1)
    assert error_of(client.views_open, trigger_id=trigger_id, view=modal()) == (
        "expired_trigger_id"
    )


def test_files_upload_v2_end_to_end(emu: SlackEmulator, client: WebClient) -> None:
    content = b"<html>\xc3\xa5</html>"
    answer = client.files_upload_v2(
        channel="C1", content=content, filename="r.html", title="R", initial_comment="Rapport"
    )
    file = answer["file"]
    assert (file["title"], file["name"]) == ("R", "r.html")
    assert emu.uploaded_files[file["id"]] == content
    assert [c.method for c in emu.calls] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    assert emu.calls_to("files.getUploadURLExternal")[0].params["length"] == str(len(content))
    assert emu.calls_to("files.completeUploadExternal")[0].params["files"] == [
        {"id": file["id"], "title": "R"}
    ]
    (shared,) = emu.messages("C1")
    assert shared["text"] == "Rapport" and shared["files"][0]["id"] == file["id"]


def test_files_upload_v2_refuses_user_id_as_channel(client: WebClient) -> None:
    assert error_of(client.files_upload_v2, channel="U0ANNA", content="x", filename="a.txt") == (
        "invalid_arguments"
    )


def test_tokens(emu: SlackEmulator) -> None:
    bad = WebClient(token="xoxb-wrong", base_url=emu.base_url)
    assert error_of(bad.auth_test) == "invalid_auth"
    anonymous = WebClient(base_url=emu.base_url)
    assert error_of(anonymous.auth_test) == "not_authed"
    bot = WebClient(token="xoxb-test", base_url=emu.base_url)
    assert error_of(bot.apps_connections_open, app_token="xoxb-test") == "not_allowed_token_type"
    emu.socket_mode_url = "ws://127.0.0.1:1/link"
    assert bot.apps_connections_open(app_token="xapp-test")["url"] == "ws://127.0.0.1:1/link"
    assert [c.response["ok"] for c in emu.calls] == [False, False, False, True]


def test_unknown_method_and_malformed_body(emu: SlackEmulator, client: WebClient) -> None:
    assert error_of(client.api_call, "chat.nonsense") == "unknown_method"
    request = urllib.request.Request(
        emu.base_url + "chat.postMessage",
        data=b"{not json",
        headers={"Content-Type": "application/json", "Authorization": "Bearer xoxb-test"},
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"ok": False, "error": "invalid_form_data"}


def test_custom_handler(emu: SlackEmulator, client: WebClient) -> None:
    emu.set_handler("chat.scheduleMessage", lambda params: {"scheduled_message_id": "Q1"})
    assert client.chat_scheduleMessage(channel="C1", text="x", post_at=1)["ok"] is True


def test_response_url(emu: SlackEmulator) -> None:
    sent = WebhookClient(emu.response_url("abc")).send(text="Sparat", replace_original=True)
    assert sent.status_code == 200
    (call,) = emu.wait_for("response_url")
    assert call.params == {"text": "Sparat", "replace_original": True}
    assert call.path == "/response_url/abc"


def test_injected_429s_are_retried_after_retry_after(emu: SlackEmulator) -> None:
    emu.inject_429("chat.postMessage", times=2)
    retrying_client(emu).chat_postMessage(channel="C1", text="Påminnelse")
    calls = emu.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 429, 200]
    assert calls[0].response == {"ok": False, "error": "ratelimited"}
    assert all(b.time - a.time >= 1.0 for a, b in zip(calls, calls[1:], strict=False))
    assert len(emu.messages("C1")) == 1


def test_429_carries_retry_after_header(emu: SlackEmulator) -> None:
    emu.inject_429("auth.test", retry_after=7)
    request = urllib.request.Request(
        emu.base_url + "auth.test", data=b"", headers={"Authorization": "Bearer xoxb-test"}
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request)
    assert info.value.code == 429 and info.value.headers["Retry-After"] == "7"
    assert json.loads(info.value.read()) == {"ok": False, "error": "ratelimited"}


def test_rate_limit_per_channel(emu: SlackEmulator) -> None:
    emu.rate_limit("chat.postMessage", per_second=1.0, per="channel")
    client = retrying_client(emu)
    started = time.monotonic()
    for channel in ("C1", "C2", "C3"):
        client.chat_postMessage(channel=channel, text="x")
    assert time.monotonic() - started < 0.9
    assert [c.status for c in emu.calls] == [200, 200, 200]

    emu.clear()
    started = time.monotonic()
    for _ in range(3):
        client.chat_postMessage(channel="C4", text="x")
    assert time.monotonic() - started >= 1.9
    statuses = [c.status for c in emu.calls]
    assert statuses.count(200) == 3 and statuses.count(429) >= 2
    assert len(emu.messages("C4")) == 3


def test_rate_limit_global(emu: SlackEmulator, client: WebClient) -> None:
    emu.rate_limit("chat.postMessage", per_second=0.5, per="global")
    client.chat_postMessage(channel="C1", text="x")
    assert error_of(client.chat_postMessage, channel="C2", text="x") == "ratelimited"
    refused = emu.calls[-1]
    assert refused.status == 429 and refused.params["channel"] == "C2"


def test_wait_for(emu: SlackEmulator, client: WebClient) -> None:
    threading.Timer(0.2, client.chat_postMessage, kwargs={"channel": "C1", "text": "x"}).start()
    (call,) = emu.wait_for("chat.postMessage", timeout=5)
    assert call.params["text"] == "x"

    client.auth_test()
    with pytest.raises(AssertionError) as info:
        emu.wait_for("chat.postMessage", count=2, timeout=0.3)
    message = str(info.value)
    assert "2 successful chat.postMessage" in message and "got 1" in message
    assert "auth.test" in message and "chat.postMessage" in message


def test_calls_are_recorded_from_many_threads(emu: SlackEmulator, client: WebClient) -> None:
    threads = [
        threading.Thread(target=client.chat_postMessage, kwargs={"channel": "C1", "text": str(i)})
        for i in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(emu.wait_for("chat.postMessage", count=20)) == 20
    assert len({m["ts"] for m in emu.messages("C1")}) == 20
    emu.clear()
    assert emu.calls == []


def test_bolt_app_against_the_emulator(emu: SlackEmulator, client: WebClient) -> None:
    from slack_bolt import App, BoltRequest

    app = App(client=client, signing_secret="secret", process_before_response=True)

    @app.command("/uppsikt")
    def command(ack, respond, body, client):
        ack()
        respond("Sparat")
        client.chat_postMessage(channel=body["user_id"], text="Tack")

    payload = {
        "command": "/uppsikt",
        "text": "",
        "user_id": "U0ANNA",
        "team_id": TEAM_ID,
        "channel_id": "C1",
        "response_url": emu.response_url("cmd"),
        "trigger_id": "1.2.3",
    }
    response = app.dispatch(BoltRequest(mode="socket_mode", body=payload))
    assert response.status == 200
    assert emu.calls[0].method == "auth.test"
    assert emu.wait_for("response_url")[0].params["text"] == "Sparat"
    assert emu.messages("DU0ANNA")[0]["text"] == "Tack"


# ----------------------------------------------------------------- injected faults


def raw_post(emu: SlackEmulator, method: str, **params: str):
    """POST ``params`` form-encoded with urllib: (status, headers, body) even for HTTP errors."""
    request = urllib.request.Request(
        emu.base_url + method,
        data=urllib.parse.urlencode(params).encode(),
        headers={"Authorization": "Bearer xoxb-test"},
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def plain_client(emu: SlackEmulator) -> WebClient:
    """A WebClient that retries nothing, so the fault reaches the caller."""
    return WebClient(token="xoxb-test", base_url=emu.base_url, retry_handlers=[])


def test_fault_status_answers_without_carrying_the_call_out(emu: SlackEmulator) -> None:
    emu.inject_fault("chat.postMessage", "status", status=503)
    with pytest.raises(SlackApiError) as info:
        plain_client(emu).chat_postMessage(channel="C1", text="Hej")
    assert info.value.response.status_code == 503
    assert info.value.response["error"] == "service_unavailable"
    assert emu.messages("C1") == []
    (call,) = emu.calls
    assert (call.status, call.fault, call.ok) == (503, "status", False)

    plain_client(emu).chat_postMessage(channel="C1", text="Hej")  # used up: the next one works
    assert [c.fault for c in emu.calls] == ["status", None] and len(emu.messages("C1")) == 1

    emu.inject_fault("chat.postMessage", "status", status=502, body="<html>Bad gateway</html>")
    status, headers, body = raw_post(emu, "chat.postMessage", channel="C1", text="x")
    assert (status, body) == (502, b"<html>Bad gateway</html>")
    assert headers["Content-Type"].startswith("text/html")
    assert len(emu.messages("C1")) == 1


def test_fault_accepted_status_stores_the_message_and_fails(emu: SlackEmulator) -> None:
    emu.inject_fault("chat.postMessage", "accepted_status", status=500)
    with pytest.raises(SlackApiError) as info:
        plain_client(emu).chat_postMessage(channel="C1", text="Påminnelse")
    assert info.value.response.status_code == 500
    (stored,) = emu.messages("C1")
    assert stored["text"] == "Påminnelse"
    (call,) = emu.calls
    assert (call.status, call.fault, call.ok) == (500, "accepted_status", False)
    assert call.response["ok"] is True and call.response["ts"] == stored["ts"]  # never seen
    with pytest.raises(AssertionError):
        emu.wait_for("chat.postMessage", timeout=0.2)  # a faulted call is no success


def test_fault_unreadable_body(emu: SlackEmulator, client: WebClient) -> None:
    emu.inject_fault("chat.postMessage", "unreadable")
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C1", text="ett")
    assert "non-JSON" in info.value.response["error"]

    emu.inject_fault("chat.postMessage", "unreadable", truncate=True)
    with pytest.raises(SlackApiError):
        plain_client(emu).chat_postMessage(channel="C1", text="två")
    # The SDK's retry handlers parse a body starting with "{" themselves and let the error out.
    emu.inject_fault("chat.postMessage", "unreadable", truncate=True)
    with pytest.raises(json.JSONDecodeError):
        client.chat_postMessage(channel="C1", text="tre")

    emu.inject_fault("auth.test", "unreadable")
    status, headers, body = raw_post(emu, "auth.test")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert body.startswith(b"<!DOCTYPE html>")
    emu.inject_fault("auth.test", "unreadable", body=b'{"ok": tr')
    assert raw_post(emu, "auth.test")[2] == b'{"ok": tr'

    assert [m["text"] for m in emu.messages("C1")] == ["ett", "två", "tre"]  # carried out
    assert {c.fault for c in emu.calls} == {"unreadable"} and not any(c.ok for c in emu.calls)


def test_fault_drop_after_carrying_out(emu: SlackEmulator, client: WebClient) -> None:
    emu.inject_fault("chat.postMessage", "drop")
    with pytest.raises(ConnectionError):  # http.client.RemoteDisconnected
        plain_client(emu).chat_postMessage(channel="C1", text="ett")
    assert len(emu.messages("C1")) == 1
    (call,) = emu.calls
    assert (call.status, call.fault, call.ok) == (0, "drop", False) and call.response["ts"]

    # The SDK's default ConnectionErrorRetryHandler sends it again: Slack now has it twice.
    emu.inject_fault("chat.postMessage", "drop")
    client.chat_postMessage(channel="C1", text="två")
    assert [m["text"] for m in emu.messages("C1")] == ["ett", "två", "två"]
    assert [(c.status, c.fault) for c in emu.calls[1:]] == [(0, "drop"), (200, None)]


def test_fault_drop_before_and_reset(emu: SlackEmulator, client: WebClient) -> None:
    emu.inject_fault("chat.postMessage", "drop_before")
    with pytest.raises(ConnectionError):
        plain_client(emu).chat_postMessage(channel="C1", text="x")
    assert emu.messages("C1") == []
    emu.inject_fault("chat.postMessage", "drop_before")
    client.chat_postMessage(channel="C1", text="x")  # retried once, stored once
    assert len(emu.messages("C1")) == 1

    emu.inject_fault("auth.test", "drop_before", reset=True)
    with pytest.raises(ConnectionResetError) as info:
        raw_post(emu, "auth.test")
    assert "reset" in str(info.value).lower()
    assert client.auth_test()["ok"] is True  # the server lives on


@pytest.mark.parametrize("retry_after", ["abc", "", "-5", "1e9", 3])
def test_fault_429_sends_any_retry_after(emu: SlackEmulator, retry_after: object) -> None:
    emu.inject_fault("chat.postMessage", "429", retry_after=retry_after)
    status, headers, body = raw_post(emu, "chat.postMessage", channel="C1", text="x")
    assert status == 429 and headers["Retry-After"] == str(retry_after)
    assert json.loads(body) == {"ok": False, "error": "ratelimited"}
    (call,) = emu.calls
    assert (call.fault, call.response["error"]) == ("429", "ratelimited")
    assert emu.messages("C1") == []


def test_fault_429_without_retry_after(emu: SlackEmulator) -> None:
    emu.inject_fault("chat.postMessage", "429")
    status, headers, _ = raw_post(emu, "chat.postMessage", channel="C1", text="x")
    assert status == 429 and "Retry-After" not in headers
    emu.inject_429("chat.postMessage", retry_after=-3)  # the old helper clamps at 0
    status, headers, _ = raw_post(emu, "chat.postMessage", channel="C1", text="x")
    assert status == 429 and headers["Retry-After"] == "0"
    assert [c.fault for c in emu.calls] == ["429", "429"]


def test_faults_match_channel_and_are_used_in_order(emu: SlackEmulator) -> None:
    emu.inject_fault("chat.postMessage", "status", status=502, channel="U0ANNA")
    emu.inject_fault("chat.postMessage", "status", times=2, status=503)
    emu.inject_fault("users.info", "status")
    client = plain_client(emu)

    def status_of(channel: str) -> int:
        try:
            return client.chat_postMessage(channel=channel, text="x").status_code
        except SlackApiError as error:
            return error.response.status_code

    # C1 skips Anna's fault; her DM id matches it as her user id does.
    assert [status_of(c) for c in ("C1", "DU0ANNA", "U0ANNA", "U0ANNA")] == [503, 502, 503, 200]
    assert [c.fault for c in emu.calls] == ["status", "status", "status", None]
    assert emu.messages("DU0ANNA")[0]["text"] == "x"

    emu.inject_fault("conversations.open", "drop_before", channel="U0ANNA")
    client.conversations_open(users="U0BERT")
    with pytest.raises(ConnectionError):
        client.conversations_open(users="U0ANNA")

    emu.clear_faults()
    assert client.users_info(user="U0ANNA")["ok"] is True


def test_inject_fault_refuses_nonsense(emu: SlackEmulator) -> None:
    with pytest.raises(ValueError):
        emu.inject_fault("chat.postMessage", "explode")
    with pytest.raises(TypeError):
        emu.inject_fault("chat.postMessage", "drop", retry_after=1)
    with pytest.raises(ValueError):
        emu.inject_fault("chat.postMessage", "status", status=200)
    emu.inject_fault("chat.postMessage", "status", times=0)  # nothing to do
    assert plain_client(emu).chat_postMessage(channel="C1", text="x")["ok"] is True


def test_faults_on_upload_and_response_url(emu: SlackEmulator, client: WebClient) -> None:
    emu.inject_fault("upload", "status", status=500)
    with pytest.raises(Exception):  # noqa: B017 - the SDK's own choice of exception
        client.files_upload_v2(channel="C0REPORTS", content=b"x", filename="r.txt")
    assert emu.uploaded_files == {} and emu.messages("C0REPORTS") == []
    assert [c.fault for c in emu.calls_to("upload")] == ["status"]

    emu.inject_fault("response_url", "accepted_status", status=503)
    sent = WebhookClient(emu.response_url()).send(text="Sparat")
    assert sent.status_code == 503
    (call,) = emu.calls_to("response_url")
    assert call.params == {"text": "Sparat"} and call.fault == "accepted_status"


# ----------------------------------------------------------------- metadata and history

METADATA = {"event_type": "uppsikt_reminder", "event_payload": {"activity_id": 7, "period": "T2"}}


def test_post_and_update_keep_metadata(emu: SlackEmulator, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="Påminnelse", metadata=METADATA)
    assert posted["message"]["metadata"] == METADATA
    assert emu.messages("C1")[0]["metadata"] == METADATA

    form = {"channel": "C1", "text": "x", "metadata": json.dumps(METADATA)}
    client.api_call("chat.postMessage", data=form)  # form-posted: JSON in a field, like blocks
    assert emu.calls_to("chat.postMessage")[-1].params["metadata"] == METADATA
    assert emu.messages("C1")[1]["metadata"] == METADATA

    newer = {"event_type": "uppsikt_reminder", "event_payload": {"activity_id": 7, "done": True}}
    client.chat_update(channel="C1", ts=posted["ts"], text="Klar", metadata=newer)
    client.chat_update(channel="C1", ts=posted["ts"], text="Klar igen")  # no metadata: kept
    assert emu.messages("C1")[0]["metadata"] == newer

    bad = {"channel": "C1", "text": "x", "metadata": "{oops"}
    assert error_of(client.api_call, "chat.postMessage", data=bad) == "invalid_metadata_format"
    no_type = {"event_payload": {}}
    assert error_of(client.chat_postMessage, channel="C1", text="x", metadata=no_type) == (
        "invalid_metadata_schema"
    )


def test_history_newest_first_with_metadata_on_request(
    emu: SlackEmulator, client: WebClient
) -> None:
    first = client.chat_postMessage(channel="C1", text="ett", metadata=METADATA)["ts"]
    client.chat_postMessage(channel="C1", text="svar", thread_ts=first)  # a reply: not listed
    client.chat_postMessage(channel="C1", text="två")
    history = client.conversations_history(channel="C1")
    assert [m["text"] for m in history["messages"]] == ["två", "ett"]
    assert "metadata" not in history["messages"][1] and history["has_more"] is False
    assert history["response_metadata"]["next_cursor"] == ""
    assert all("posted_with_token" not in m for m in history["messages"])

    with_metadata = client.conversations_history(channel="C1", include_all_metadata=True)
    assert with_metadata["messages"][1]["metadata"] == METADATA
    assert emu.calls_to("conversations.history")[-1].params["include_all_metadata"] in {"1", True}

    assert error_of(client.conversations_history, channel="C0NOPE") == "channel_not_found"
    assert error_of(client.conversations_history, channel="C1", cursor="junk") == ("invalid_cursor")
    assert error_of(client.conversations_history, channel="C1", oldest="igår") == (
        "invalid_ts_oldest"
    )


def test_history_pages_and_bounds(emu: SlackEmulator, client: WebClient) -> None:
    stamps = [emu.add_message("C1", f"m{i}", user="U0ANNA")["ts"] for i in range(5)]
    page = client.conversations_history(channel="C1", limit=2)
    assert [m["text"] for m in page["messages"]] == ["m4", "m3"] and page["has_more"] is True
    cursor = page["response_metadata"]["next_cursor"]
    page = client.conversations_history(channel="C1", limit=2, cursor=cursor)
    assert [m["text"] for m in page["messages"]] == ["m2", "m1"]
    # The SDK's own paging (it reuses one response object, so read each page as it comes).
    pages = [
        [m["text"] for m in p["messages"]]
        for p in client.conversations_history(channel="C1", limit=2)
    ]
    assert pages == [["m4", "m3"], ["m2", "m1"], ["m0"]]

    def texts(**bounds: object) -> list[str]:
        return [m["text"] for m in client.conversations_history(channel="C1", **bounds)["messages"]]

    assert texts(oldest=stamps[1], latest=stamps[3]) == ["m2"]
    assert texts(oldest=stamps[1], latest=stamps[3], inclusive=True) == ["m3", "m2", "m1"]
    assert texts(oldest=stamps[3]) == ["m4"]
    assert texts(latest=stamps[1]) == ["m0"]

    emu.add_channel("C0EMPTY")
    assert client.conversations_history(channel="C0EMPTY")["messages"] == []


def test_dm_to_user_id_is_in_the_im_history(emu: SlackEmulator, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U0ANNA", text="Påminnelse", metadata=METADATA)
    opened = client.conversations_open(users="U0ANNA")
    assert opened["channel"]["id"] == posted["channel"] == "DU0ANNA"
    assert opened["already_open"] is True  # posting opened the DM
    history = client.conversations_history(channel="DU0ANNA", include_all_metadata=True)
    (message,) = history["messages"]
    assert message["ts"] == posted["ts"] and message["metadata"] == METADATA
    assert error_of(client.conversations_history, channel="U0ANNA") == "channel_not_found"

    client.conversations_open(users="U0BERT")  # open, still empty
    assert client.conversations_history(channel="DU0BERT")["messages"] == []


# ----------------------------------------------------------------- who may edit what


def test_only_the_bots_own_messages_can_be_updated(emu: SlackEmulator, client: WebClient) -> None:
    theirs = emu.add_message("C1", "Hej bot", user="U0ANNA")
    assert theirs["user"] == "U0ANNA" and "bot_id" not in theirs
    assert error_of(client.chat_update, channel="C1", ts=theirs["ts"], text="x") == (
        "cant_update_message"
    )
    assert error_of(client.chat_delete, channel="C1", ts=theirs["ts"]) == "cant_delete_message"
    assert emu.messages("C1")[0]["text"] == "Hej bot"

    earlier = emu.add_message("C1", "Förra veckan", user=BOT_USER_ID, ts="1600000000.000100")
    client.chat_update(channel="C1", ts=earlier["ts"], text="Uppdaterad")
    assert [m["text"] for m in emu.messages("C1")] == ["Uppdaterad", "Hej bot"]  # sorted by ts
    with pytest.raises(ValueError):
        emu.add_message("C1", "samma ts", ts=earlier["ts"])

    ours = client.chat_postMessage(channel="C1", text="Från boten")
    assert client.chat_update(channel="C1", ts=ours["ts"], text="Ändrad")["ok"] is True


def test_messages_record_the_token_that_posted_them() -> None:
    with SlackEmulator(valid_tokens={"xoxb-test", "xoxb-other"}) as emu:
        WebClient(token="xoxb-test", base_url=emu.base_url).chat_postMessage(channel="C1", text="a")
        other = WebClient(token="xoxb-other", base_url=emu.base_url)
        answer = other.chat_postMessage(channel="C1", text="b")
        assert "posted_with_token" not in answer["message"]
        other.files_upload_v2(channel="C1", content=b"x", filename="a.txt")
        tokens = [m.get("posted_with_token") for m in emu.messages("C1")]
        assert tokens == ["xoxb-test", "xoxb-other", "xoxb-other"]
        assert all(m["bot_id"] == BOT_ID for m in emu.messages("C1"))


# ----------------------------------------------------------------- file shares


def test_file_share_with_comment_is_one_message(emu: SlackEmulator, client: WebClient) -> None:
    answer = client.files_upload_v2(
        channel="C0REPORTS",
        initial_comment="Tertialrapport T2",
        file_uploads=[
            {"content": b"%PDF-1.7", "filename": "rapport.pdf", "title": "Rapport"},
            {"content": b"a;b", "filename": "underlag.csv"},
        ],
    )
    ids = [f["id"] for f in answer["files"]]
    (message,) = emu.messages("C0REPORTS")
    assert message["text"] == "Tertialrapport T2"
    assert [f["id"] for f in message["files"]] == ids and len(ids) == 2
    assert [f["name"] for f in message["files"]] == ["rapport.pdf", "underlag.csv"]
    assert message["files"][0]["channels"] == ["C0REPORTS"]
    assert message["bot_id"] == BOT_ID
    assert len(emu.calls_to("files.completeUploadExternal")) == 1
    listed = client.conversations_history(channel="C0REPORTS")["messages"]
    assert [m["ts"] for m in listed] == [message["ts"]]


def test_file_without_channel_stays_private(emu: SlackEmulator, client: WebClient) -> None:
    answer = client.files_upload_v2(content=b"x", filename="a.txt", initial_comment="Hemligt")
    assert answer["file"]["channels"] == []
    assert "channel_id" not in emu.calls_to("files.completeUploadExternal")[0].params
    assert emu.channels() == []


def test_file_share_in_a_thread_and_to_several_channels(
    emu: SlackEmulator, client: WebClient
) -> None:
    parent = client.chat_postMessage(channel="C1", text="Tråd")["ts"]
    client.files_upload_v2(channel="C1", thread_ts=parent, content=b"x", filename="a.txt")
    assert emu.messages("C1")[1]["thread_ts"] == parent
    client.files_upload_v2(channels=["C0A", "C0B"], content=b"y", filename="b.txt")
    assert len(emu.messages("C0A")) == len(emu.messages("C0B")) == 1
    assert emu.channels() == ["C0A", "C0B", "C1"]


# ----------------------------------------------------------------- wait_until


def test_wait_until(emu: SlackEmulator, client: WebClient) -> None:
    threading.Timer(0.2, client.chat_postMessage, kwargs={"channel": "C1", "text": "x"}).start()
    found = emu.wait_until(lambda e: e.messages("C1"), timeout=5)
    assert found[0]["text"] == "x"

    threading.Timer(0.2, emu.add_message, args=("C1", "svar"), kwargs={"user": "U0ANNA"}).start()
    emu.wait_until(lambda e: len(e.messages("C1")) == 2, timeout=5)

    def anna_was_told(e: SlackEmulator) -> bool:
        return bool(e.messages("DU0ANNA"))

    with pytest.raises(AssertionError) as info:
        emu.wait_until(anna_was_told, timeout=0.3)
    message = str(info.value)
    assert "anna_was_told" in message and "chat.postMessage" in message
    assert "C1: 2 message(s)" in message and "'svar'" in message


def test_listing_shows_faults(emu: SlackEmulator) -> None:
    emu.inject_fault("auth.test", "status", status=503)
    raw_post(emu, "auth.test")
    with pytest.raises(AssertionError) as info:
        emu.wait_for("auth.test", timeout=0.1)
    assert "503 auth.test <fault status>" in str(info.value)
