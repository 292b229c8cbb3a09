"""Everything that reaches /api/messages: refused with a 4xx before it changes anything, or a
person's install remembered and matched by e-mail."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

import pytest

from tests.fakes.microsoft import TENANT_ID
from tests.teams.conftest import Stack
from tests.teams.support import OTHER_TENANT, runs

FORGERIES = [
    "other_key",
    "unknown_kid",
    "expired",
    "not_yet_valid",
    "wrong_audience",
    "wrong_issuer",
    "wrong_service_url",
    "no_service_url",
    "unsigned",
    "hs256",
]


def raw_post(stack: Stack, body: bytes, **headers: str) -> int:
    request = urllib.request.Request(stack.url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_personal_install_is_remembered_and_matched_by_email(stack: Stack) -> None:
    anna = stack.ms.user("anna@ange.se")
    status, _body = stack.install(anna)
    assert status == 200
    account = stack.account(anna)
    assert account is not None and account.workspace == TENANT_ID
    assert json.loads(account.address) == {
        "conversation_id": stack.ms.personal_conversation(anna),
        "service_url": stack.ms.service_url.rstrip("/"),
    }
    assert stack.texts(anna) == [stack.teams.context.text("teams_welcome", name="Anna Andersson")]
    # The installationUpdate that comes with it changes nothing more and says nothing.
    assert stack.post(stack.ms.installation_update(anna))[0] == 200
    assert len(stack.texts(anna)) == 1


def test_someone_uppsikt_does_not_know_is_listed_to_the_admins(stack: Stack) -> None:
    adam, okand = stack.ms.user("adam@ange.se"), stack.ms.user("okand@ange.se")
    stack.install(adam)
    stack.install(okand)
    assert stack.account(okand) is None
    assert stack.texts(okand) == [stack.teams.context.text("teams_welcome_unknown")]
    (card,) = [c for _id, c in stack.cards(adam)]
    assert "• Olle Okänd (okand@ange.se)" in runs(card)
    stack.install(okand)  # told once, not at every install
    assert len(stack.cards(adam)) == 1


@pytest.mark.parametrize("how", FORGERIES)
def test_forged_tokens_are_refused_and_change_nothing(stack: Stack, how: str) -> None:
    bengt = stack.ms.user("bengt@ange.se")
    before = len(stack.ms.calls)
    status, _ = stack.post(
        stack.ms.conversation_update_installed(bengt), token=stack.ms.forge_token(how)
    )
    assert status == 401
    assert stack.account(bengt) is None
    assert [c.kind for c in stack.ms.calls[before:] if c.kind not in ("keys", "openid")] == []


def test_another_tenant_gets_401_before_anything_reads_it(stack: Stack) -> None:
    stranger = stack.ms.add_user("x@annan.se", tenant_id=OTHER_TENANT)
    before = len(stack.ms.calls)
    status, _ = stack.post(stack.ms.conversation_update_installed(stranger))
    assert status == 401
    status, _ = stack.post(stack.ms.message("påminn", stranger))
    assert status == 401
    assert stack.account(stranger) is None and stack.ms.calls[before:] == []


def test_malformed_oversized_and_unsigned_requests_get_4xx_never_a_traceback(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    anna = stack.ms.user("anna@ange.se")
    good = stack.ms.message("status", anna)
    token = stack.ms.issue_token()
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    caplog.set_level(logging.DEBUG)
    assert raw_post(stack, b"{not json", **auth) == 400
    assert raw_post(stack, b"\xff\xfe", **auth) == 400
    assert raw_post(stack, b"[1, 2]", **auth) == 400
    assert raw_post(stack, json.dumps({"type": "message"}).encode(), **auth) == 400
    broken = {**good, "from": "nobody", "timestamp": "yesterday"}
    assert raw_post(stack, json.dumps(broken).encode(), **auth) == 400
    huge = {**good, "text": "x" * 2_000_000}
    assert raw_post(stack, json.dumps(huge).encode(), **auth) == 413
    assert raw_post(stack, json.dumps(good).encode(), **{"Content-Type": "application/json"}) == 401
    assert raw_post(stack, json.dumps(good).encode(), Authorization="Basic x") == 401
    request = urllib.request.Request(stack.url, method="GET")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 405
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert token not in caplog.text


def test_health_and_readiness_answer_beside_the_endpoint(stack: Stack) -> None:
    for path in ("/healthz", "/readyz"):
        with urllib.request.urlopen(stack.base + path, timeout=10) as response:
            assert response.status == 200
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(stack.base + "/files/nonsense", timeout=10)
    assert missing.value.code == 403
