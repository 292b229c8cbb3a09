"""The Slack emulator, driven by the real slack_sdk WebClient."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
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
