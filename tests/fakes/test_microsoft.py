"""The Microsoft fake, driven over real HTTPS with urllib, PyJWT and MSAL."""

from __future__ import annotations

import base64
import json
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

pytest.importorskip("cryptography", reason="the Microsoft fake needs cryptography")
jwt = pytest.importorskip("jwt", reason="the Microsoft fake needs PyJWT")

from tests.fakes.microsoft import (  # noqa: E402 - after the importorskip guards
    ADAPTIVE_CARD,
    APP_ID,
    APP_SECRET,
    BOT_FRAMEWORK_ISSUER,
    BOT_SCOPE,
    CHANNEL_ID,
    GRAPH_SCOPE,
    TEAM_ID,
    TENANT_ID,
    MicrosoftFake,
    quick_xor_hash,
)

ANNA = "anna.berg@kommun.se"
BO = "bo.ek@kommun.se"


@pytest.fixture
def ms() -> Iterator[MicrosoftFake]:
    with MicrosoftFake(users=[ANNA, BO]) as fake:
        yield fake


@pytest.fixture
def ca_env(ms: MicrosoftFake, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make requests (MSAL), urllib and PyJWT's key client trust the fake's CA."""
    for name, value in ms.client_env().items():
        monkeypatch.setenv(name, value)


def request(
    ms: MicrosoftFake,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> tuple[int, dict[str, str], Any]:
    """One HTTPS request to the fake; ``path`` is a full URL or a path under ``ms.url``."""
    url = path if path.startswith("http") else ms.url + path
    sent = dict(headers or {})
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    if token:
        sent["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, headers=sent, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10, context=ms.ssl_context()) as response:
            status, answer_headers, payload = (
                response.status,
                dict(response.headers),
                response.read(),
            )
    except urllib.error.HTTPError as error:
        status, answer_headers, payload = error.code, dict(error.headers), error.read()
    return status, answer_headers, json.loads(payload) if payload else None


def fetch_token(ms: MicrosoftFake, scope: str = BOT_SCOPE, **form: str) -> tuple[int, dict]:
    """Client credentials as MSAL posts them (secret in the body)."""
    fields = {
        "grant_type": "client_credentials",
        "client_id": APP_ID,
        "client_secret": APP_SECRET,
        "scope": scope,
        **form,
    }
    req = urllib.request.Request(
        f"{ms.authority()}/oauth2/v2.0/token",
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=10, context=ms.ssl_context()) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def bot_token(ms: MicrosoftFake) -> str:
    status, answer = fetch_token(ms)
    assert status == 200, answer
    return answer["access_token"]


@pytest.fixture
def graph_token(ms: MicrosoftFake) -> str:
    status, answer = fetch_token(ms, GRAPH_SCOPE)
    assert status == 200, answer
    return answer["access_token"]


def card(text: str = "Hej", **extra: Any) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": text, "wrap": True}],
        **extra,
    }


def card_message(text: str = "Hej") -> dict[str, Any]:
    return {
        "type": "message",
        "attachments": [{"contentType": ADAPTIVE_CARD, "content": card(text)}],
    }


def create_1to1(ms: MicrosoftFake, token: str, email: str = ANNA) -> str:
    user = ms.user(email)
    status, _, answer = request(
        ms,
        "POST",
        f"{ms.connector_path}v3/conversations",
        {
            "bot": {"id": f"28:{APP_ID}"},
            "members": [{"id": user.id}],
            "tenantId": TENANT_ID,
            "channelData": {"tenant": {"id": TENANT_ID}},
            "isGroup": False,
        },
        token=token,
    )
    assert status == 201, answer
    return answer["id"]


def activities_path(ms: MicrosoftFake, conversation_id: str, activity_id: str = "") -> str:
    quoted = urllib.parse.quote(conversation_id, safe=":@;=")
    tail = f"/{activity_id}" if activity_id else ""
    return f"{ms.connector_path}v3/conversations/{quoted}/activities{tail}"


def validate_like_a_bot(ms: MicrosoftFake, token: str, service_url: str) -> dict:
    """What a bot does with an inbound token: JWKS signature, RS256, issuer, audience, serviceurl."""
    client = jwt.PyJWKClient(ms.jwks_url, ssl_context=ms.ssl_context())
    key = client.get_signing_key_from_jwt(token).key
    claims = jwt.decode(
        token,
        key,
        algorithms=["RS256"],
        audience=[APP_ID, f"api://{APP_ID}"],
        issuer=BOT_FRAMEWORK_ISSUER,
        leeway=300,
        options={"require": ["exp", "nbf", "iss", "aud"]},
    )
    if claims.get("serviceurl", "").rstrip("/") != service_url.rstrip("/"):
        raise jwt.InvalidTokenError("serviceurl claim does not match the activity")
    return claims


# ----------------------------------------------------------------- OpenID metadata, keys, tokens


def test_openid_metadata_and_keys_over_https(ms: MicrosoftFake) -> None:
    assert ms.url.startswith("https://127.0.0.1:")
    assert ms.openid_metadata_url == f"{ms.url}/v1/.well-known/openidconfiguration"
    status, _, metadata = request(ms, "GET", ms.openid_metadata_url)
    assert status == 200
    assert metadata["issuer"] == "https://api.botframework.com"
    assert metadata["jwks_uri"] == ms.jwks_url == f"{ms.url}/v1/.well-known/keys"
    assert metadata["id_token_signing_alg_values_supported"] == ["RS256"]
    status, _, jwks = request(ms, "GET", metadata["jwks_uri"])
    assert status == 200
    (key,) = jwks["keys"]
    assert key["kty"] == "RSA" and key["use"] == "sig" and key["e"] == "AQAB"
    assert key["kid"] == ms.signing_key.kid and key["endorsements"] == ["msteams"]
    assert key["x5c"] and key["x5t"] == key["kid"]
    assert [c.kind for c in ms.calls] == ["openid", "keys"]


def test_a_client_that_does_not_trust_the_ca_is_refused(ms: MicrosoftFake) -> None:
    with pytest.raises(urllib.error.URLError) as info:
        urllib.request.urlopen(
            ms.openid_metadata_url, timeout=10, context=ssl.create_default_context()
        )
    assert isinstance(info.value.reason, ssl.SSLCertVerificationError)
    # and the server still answers the next, trusting, client
    assert request(ms, "GET", ms.jwks_url)[0] == 200


def test_plain_http_mode() -> None:
    with MicrosoftFake(https=False) as fake:
        assert fake.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(fake.jwks_url, timeout=10) as response:
            assert json.loads(response.read())["keys"][0]["endorsements"] == ["msteams"]


def test_openid_path_must_end_like_the_sdk_expects() -> None:
    with pytest.raises(ValueError):
        MicrosoftFake(openid_path="/metadata.json")
    fake = MicrosoftFake(openid_path="/sovereign/openidconfiguration")
    assert fake.keys_path == "/sovereign/keys"


def test_issued_token_verifies_against_the_jwks(ms: MicrosoftFake) -> None:
    before = int(time.time())
    token = ms.issue_token(tenant_id=TENANT_ID)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256" and header["kid"] == ms.signing_key.kid
    claims = validate_like_a_bot(ms, token, ms.service_url)
    assert claims["iss"] == "https://api.botframework.com"
    assert claims["aud"] == APP_ID
    assert claims["serviceurl"] == ms.service_url
    assert claims["tid"] == TENANT_ID
    assert claims["nbf"] <= before and claims["iat"] <= before
    assert claims["exp"] >= before + 3600
    other = ms.issue_token(app_id="another-app", service_url="https://x.example/", role="x")
    claims = jwt.decode(other, options={"verify_signature": False})
    assert (claims["aud"], claims["serviceurl"], claims["role"]) == (
        "another-app",
        "https://x.example/",
        "x",
    )


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


@pytest.mark.parametrize("how", FORGERIES)
def test_forged_tokens_are_refused_by_a_proper_validator(ms: MicrosoftFake, how: str) -> None:
    token = ms.forge_token(how)
    with pytest.raises(jwt.PyJWTError):
        validate_like_a_bot(ms, token, ms.service_url)


def test_unknown_forgery_kind() -> None:
    with pytest.raises(ValueError):
        MicrosoftFake().forge_token("sloppy")


def test_key_rotation_publishes_the_new_key(ms: MicrosoftFake) -> None:
    old = ms.signing_key
    old_token = ms.issue_token()
    new = ms.rotate_signing_key()
    assert new.kid != old.kid and ms.signing_key == new
    kids = [k["kid"] for k in request(ms, "GET", ms.jwks_url)[2]["keys"]]
    assert kids == [new.kid, old.kid]
    validate_like_a_bot(ms, ms.issue_token(), ms.service_url)
    validate_like_a_bot(ms, old_token, ms.service_url)
    ms.rotate_signing_key(keep_old=False)
    with pytest.raises(jwt.PyJWTError):
        validate_like_a_bot(ms, old_token, ms.service_url)


# ----------------------------------------------------------------- token endpoint, with MSAL


def test_msal_acquires_and_caches_the_bot_token(ms: MicrosoftFake, ca_env: None) -> None:
    msal = pytest.importorskip("msal")
    app = msal.ConfidentialClientApplication(
        APP_ID, client_credential=APP_SECRET, authority=ms.authority(), instance_discovery=False
    )
    first = app.acquire_token_for_client(scopes=[BOT_SCOPE])
    assert first.get("access_token"), first
    assert first["token_type"] == "Bearer" and first["expires_in"] == 3599
    second = app.acquire_token_for_client(scopes=[BOT_SCOPE])
    assert second["access_token"] == first["access_token"] and second["token_source"] == "cache"
    assert ms.tokens_issued() == ms.tokens_issued(BOT_SCOPE) == 1
    assert [c.kind for c in ms.calls] == ["tenant_discovery", "token"]
    (call,) = ms.calls_to("token")
    assert call.body["grant_type"] == "client_credentials" and call.body["scope"] == BOT_SCOPE
    # The access token is an Entra-style JWT, verifiable with the tenant's published keys.
    discovery = ms.calls_to("tenant_discovery")[0].response
    assert discovery["token_endpoint"] == f"{ms.authority()}/oauth2/v2.0/token"
    keys = jwt.PyJWKClient(discovery["jwks_uri"], ssl_context=ms.ssl_context())
    token = first["access_token"]
    claims = jwt.decode(
        token,
        keys.get_signing_key_from_jwt(token).key,
        algorithms=["RS256"],
        audience="https://api.botframework.com",
    )
    assert (claims["appid"], claims["tid"]) == (APP_ID, TENANT_ID)
    assert claims["iss"] == f"https://sts.windows.net/{TENANT_ID}/"
    # A Graph token is another scope: one more token from the endpoint.
    graph = app.acquire_token_for_client(scopes=[GRAPH_SCOPE])
    assert jwt.decode(graph["access_token"], options={"verify_signature": False})["aud"] == (
        "https://graph.microsoft.com"
    )
    assert ms.tokens_issued(GRAPH_SCOPE) == 1 and ms.tokens_issued() == 2


def test_msal_refuses_a_plain_http_authority() -> None:
    msal = pytest.importorskip("msal")
    with MicrosoftFake(https=False) as fake:
        with pytest.raises(ValueError, match="https"):
            msal.ConfidentialClientApplication(
                APP_ID,
                client_credential=APP_SECRET,
                authority=fake.authority(),
                instance_discovery=False,
            )
        assert fake.calls == []


def test_msal_sees_the_token_endpoint_errors(ms: MicrosoftFake, ca_env: None) -> None:
    msal = pytest.importorskip("msal")

    def acquire(client_id: str = APP_ID, secret: str = APP_SECRET, scope: str = BOT_SCOPE):
        app = msal.ConfidentialClientApplication(
            client_id, client_credential=secret, authority=ms.authority(), instance_discovery=False
        )
        return app.acquire_token_for_client(scopes=[scope])

    wrong_secret = acquire(secret="guess")
    assert wrong_secret["error"] == "invalid_client"
    assert "AADSTS7000215" in wrong_secret["error_description"]
    assert acquire(client_id="00000000-0000-0000-0000-000000000000")["error"] == (
        "unauthorized_client"
    )
    assert acquire(scope="https://api.botframework.com/Other.Scope")["error"] == "invalid_scope"
    with pytest.raises(ValueError):  # MSAL's tenant discovery fails at construction
        msal.ConfidentialClientApplication(
            APP_ID,
            client_credential=APP_SECRET,
            authority=ms.authority("no-such-tenant"),
            instance_discovery=False,
        )
    assert ms.tokens_issued() == 0
    ms.add_app("11111111-2222-3333-4444-555555555555", "another-secret")
    assert acquire("11111111-2222-3333-4444-555555555555", "another-secret").get("access_token")


def test_msal_gets_an_exception_for_an_injected_5xx_and_then_throttles_itself(
    ms: MicrosoftFake, ca_env: None
) -> None:
    msal = pytest.importorskip("msal")
    app = msal.ConfidentialClientApplication(
        APP_ID, client_credential=APP_SECRET, authority=ms.authority(), instance_discovery=False
    )
    ms.inject("token", status=503, retry_after=30)
    with pytest.raises(msal.exceptions.MsalServiceError, match="503"):
        app.acquire_token_for_client(scopes=[BOT_SCOPE])
    # MSAL remembers a 429/5xx for Retry-After seconds: the retry never reaches the fake.
    with pytest.raises(msal.exceptions.MsalServiceError, match="503"):
        app.acquire_token_for_client(scopes=[BOT_SCOPE])
    assert [c.status for c in ms.calls_to("token")] == [503]
    # A 429 is not raised: MSAL hands back the error body.
    ms.inject("token", status=429, retry_after=1)
    other = msal.ConfidentialClientApplication(
        APP_ID, client_credential=APP_SECRET, authority=ms.authority(), instance_discovery=False
    )
    assert other.acquire_token_for_client(scopes=[BOT_SCOPE])["error"] == "temporarily_unavailable"
    # A fresh client application (a fresh MSAL HTTP cache) gets a token.
    fresh = msal.ConfidentialClientApplication(
        APP_ID, client_credential=APP_SECRET, authority=ms.authority(), instance_discovery=False
    )
    assert fresh.acquire_token_for_client(scopes=[BOT_SCOPE]).get("access_token")


def test_token_endpoint_over_urllib_with_basic_auth(ms: MicrosoftFake) -> None:
    basic = base64.b64encode(f"{APP_ID}:{APP_SECRET}".encode()).decode()
    req = urllib.request.Request(
        f"{ms.authority()}/oauth2/v2.0/token",
        data=urllib.parse.urlencode(
            {"grant_type": "client_credentials", "scope": BOT_SCOPE}
        ).encode(),
        headers={"Authorization": f"Basic {basic}"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10, context=ms.ssl_context()) as response:
        answer = json.loads(response.read())
    assert answer["token_type"] == "Bearer" and answer["access_token"].count(".") == 2
    status, refusal = fetch_token(ms, grant_type="password")
    assert (status, refusal["error"]) == (400, "unsupported_grant_type")
    assert ms.tokens_issued() == 1


# ----------------------------------------------------------------- Bot Connector


def test_connector_wants_an_issued_bot_token(
    ms: MicrosoftFake, bot_token: str, graph_token: str
) -> None:
    path = f"{ms.connector_path}v3/conversations"
    body = {"members": [{"id": ms.user(ANNA).id}], "tenantId": TENANT_ID}
    assert request(ms, "POST", path, body)[0] == 401
    assert request(ms, "POST", path, body, token="garbage")[0] == 401
    assert request(ms, "POST", path, body, token=graph_token)[0] == 401  # wrong audience
    assert request(ms, "POST", path, body, token=ms.issue_token())[0] == 401  # a channel token
    status, _, refusal = request(ms, "POST", path, body, token=bot_token)
    assert status == 201, refusal
    ms.revoke_access_tokens()
    status, _, refusal = request(ms, "POST", path, body, token=bot_token)
    assert (status, refusal) == (
        401,
        {"message": "Authorization has been denied for this request."},
    )
    assert [c.status for c in ms.calls_to("create_conversation")] == [401, 401, 401, 401, 201, 401]


def test_create_send_update_reply_delete_and_read_back(ms: MicrosoftFake, bot_token: str) -> None:
    anna = ms.user(ANNA)
    conversation_id = create_1to1(ms, bot_token)
    assert conversation_id.startswith("a:") and conversation_id == ms.personal_conversation(anna)
    assert create_1to1(ms, bot_token) == conversation_id  # a 1:1 is the same every time
    (created,) = ms.wait_for("create_conversation", count=2)[:1]
    assert created.conversation_id == conversation_id

    status, _, sent = request(
        ms,
        "POST",
        activities_path(ms, conversation_id),
        card_message("Påminnelse"),
        token=bot_token,
    )
    assert status == 201 and sent["id"].isdigit()
    assert ms.last_card(conversation_id)["body"][0]["text"] == "Påminnelse"

    status, _, updated = request(
        ms,
        "PUT",
        activities_path(ms, conversation_id, sent["id"]),
        card_message("Klart, tack!"),
        token=bot_token,
    )
    assert (status, updated) == (200, {"id": sent["id"]})
    (only,) = ms.activities(conversation_id)
    assert only["id"] == sent["id"] and "lastUpdated" in only
    assert ms.last_card(conversation_id)["body"][0]["text"] == "Klart, tack!"

    status, _, reply = request(
        ms,
        "POST",
        activities_path(ms, conversation_id, sent["id"]),
        {"type": "message", "text": "Svar"},
        token=bot_token,
    )
    assert status == 201 and int(reply["id"]) > int(sent["id"])
    # The Teams SDK replies by posting to .../activities with replyToId in the body.
    status, _, sdk_reply = request(
        ms,
        "POST",
        activities_path(ms, conversation_id),
        {"type": "message", "text": "Svar 2", "replyToId": sent["id"]},
        token=bot_token,
    )
    assert status == 201
    texts = [(a.get("text"), a.get("replyToId")) for a in ms.activities(conversation_id)]
    assert texts == [(None, None), ("Svar", sent["id"]), ("Svar 2", sent["id"])]
    assert ms.last_cards(conversation_id) == []
    assert ms.activity(conversation_id, sdk_reply["id"])["from"]["id"] == f"28:{APP_ID}"

    status, _, _ = request(
        ms, "DELETE", activities_path(ms, conversation_id, reply["id"]), token=bot_token
    )
    assert status == 200
    assert [a["id"] for a in ms.activities(conversation_id)] == [sent["id"], sdk_reply["id"]]
    assert [how for how, _ in ms.history(conversation_id)] == [
        "send",
        "update",
        "reply",
        "send",
        "delete",
    ]
    assert [c.kind for c in ms.calls] == [
        "token",
        "create_conversation",
        "create_conversation",
        "send",
        "update",
        "reply",
        "send",
        "delete",
    ]
    assert all(c.conversation_id == conversation_id for c in ms.calls[1:])


def test_members_and_member_lookup(ms: MicrosoftFake, bot_token: str) -> None:
    anna = ms.user(ANNA)
    conversation_id = create_1to1(ms, bot_token)
    members_path = f"{ms.connector_path}v3/conversations/{conversation_id}/members"
    status, _, member = request(ms, "GET", f"{members_path}/{anna.id}", token=bot_token)
    assert status == 200
    assert member == {
        "id": anna.id,
        "name": "Anna Berg",
        "aadObjectId": anna.aad_object_id,
        "givenName": "Anna",
        "surname": "Berg",
        "email": ANNA,
        "userPrincipalName": ANNA,
        "tenantId": TENANT_ID,
        "userRole": "user",
    }
    assert request(ms, "GET", f"{members_path}/{anna.aad_object_id}", token=bot_token)[2] == member
    status, _, refusal = request(ms, "GET", f"{members_path}/{ms.user(BO).id}", token=bot_token)
    assert status == 404 and refusal["error"]["code"] == "MemberNotFoundInConversation"
    status, _, everyone = request(ms, "GET", members_path, token=bot_token)
    assert (status, everyone) == (200, [member])


def test_connector_refusals(ms: MicrosoftFake, bot_token: str) -> None:
    path = f"{ms.connector_path}v3/conversations"
    status, _, answer = request(
        ms, "POST", path, {"members": [{"id": "29:nobody"}], "tenantId": TENANT_ID}, token=bot_token
    )
    assert status == 400 and answer["error"]["code"] == "BadArgument"
    status, _, answer = request(
        ms, "POST", path, {"members": [{"id": ms.user(ANNA).id}]}, token=bot_token
    )
    assert status == 400  # no tenant
    status, _, answer = request(
        ms,
        "POST",
        activities_path(ms, "a:1unknown"),
        {"type": "message", "text": "x"},
        token=bot_token,
    )
    assert (status, answer["error"]["code"]) == (404, "ConversationNotFound")
    conversation_id = create_1to1(ms, bot_token)
    for body, expected in [
        ({"text": "no type"}, 400),
        ({"type": "message"}, 400),
        ({"type": "message", "attachments": [{"contentType": ADAPTIVE_CARD, "content": {}}]}, 400),
        (
            {
                "type": "message",
                "attachments": [
                    {"contentType": ADAPTIVE_CARD, "content": {"type": "AdaptiveCard", "body": []}}
                ],
            },
            400,
        ),
        ({"type": "message", "text": "x" * 40_000}, 413),
        ({"type": "typing"}, 201),
    ]:
        status, _, answer = request(
            ms, "POST", activities_path(ms, conversation_id), body, token=bot_token
        )
        assert status == expected, (body, answer)
    status, _, answer = request(
        ms,
        "PUT",
        activities_path(ms, conversation_id, "999"),
        {"type": "message", "text": "x"},
        token=bot_token,
    )
    assert (status, answer["error"]["code"]) == (404, "ActivityNotFoundInConversation")
    assert [a["type"] for a in ms.activities(conversation_id)] == ["typing"]


def test_an_uninstalled_user_cannot_be_reached(ms: MicrosoftFake, bot_token: str) -> None:
    conversation_id = create_1to1(ms, bot_token)
    ms.uninstall(ANNA)
    status, _, answer = request(
        ms,
        "POST",
        activities_path(ms, conversation_id),
        {"type": "message", "text": "x"},
        token=bot_token,
    )
    assert (status, answer["error"]["code"]) == (403, "BotNotInConversationRoster")
    status, _, _ = request(
        ms,
        "POST",
        f"{ms.connector_path}v3/conversations",
        {"members": [{"id": ms.user(ANNA).id}], "tenantId": TENANT_ID},
        token=bot_token,
    )
    assert status == 403
    ms.install(ANNA)
    assert create_1to1(ms, bot_token) == conversation_id


def test_channel_conversations_take_threaded_ids(ms: MicrosoftFake, bot_token: str) -> None:
    status, _, top = request(
        ms, "POST", activities_path(ms, CHANNEL_ID), card_message("Veckorapport"), token=bot_token
    )
    assert status == 201
    threaded = f"{CHANNEL_ID};messageid={top['id']}"
    status, _, _ = request(
        ms,
        "POST",
        activities_path(ms, threaded),
        {"type": "message", "text": "i tråden"},
        token=bot_token,
    )
    assert status == 201
    assert [a.get("text") for a in ms.activities(CHANNEL_ID)] == [None, "i tråden"]


# ----------------------------------------------------------------- faults and limits


def test_injected_500_without_storing(ms: MicrosoftFake, bot_token: str) -> None:
    conversation_id = create_1to1(ms, bot_token)
    ms.inject("send", status=500)
    path = activities_path(ms, conversation_id)
    status, _, answer = request(ms, "POST", path, card_message(), token=bot_token)
    assert status == 500 and answer["error"]["code"] == "ServiceError"
    assert ms.activities(conversation_id) == []
    assert request(ms, "POST", path, card_message(), token=bot_token)[0] == 201
    assert len(ms.activities(conversation_id)) == 1


def test_injected_503_after_storing_means_delivered_anyway(
    ms: MicrosoftFake, bot_token: str
) -> None:
    conversation_id = create_1to1(ms, bot_token)
    ms.inject("send", status=503, stored=True, times=2)
    path = activities_path(ms, conversation_id)
    assert request(ms, "POST", path, card_message("1"), token=bot_token)[0] == 503
    assert request(ms, "POST", path, card_message("2"), token=bot_token)[0] == 503
    assert request(ms, "POST", path, card_message("3"), token=bot_token)[0] == 201
    texts = [ms.cards_of(a)[0]["body"][0]["text"] for a in ms.activities(conversation_id)]
    assert texts == ["1", "2", "3"]
    assert [c.status for c in ms.calls_to("send")] == [503, 503, 201]
    assert ms.wait_for("send", ok=False, count=2)[0].status == 503


def test_injected_429_with_retry_after_by_path_pattern(ms: MicrosoftFake, bot_token: str) -> None:
    conversation_id = create_1to1(ms, bot_token)
    ms.inject(r"/activities/\d+$", status=429, retry_after=7)  # a path pattern: only PUTs/replies
    path = activities_path(ms, conversation_id)
    status, _, sent = request(ms, "POST", path, card_message(), token=bot_token)
    assert status == 201
    status, headers, _ = request(
        ms,
        "PUT",
        activities_path(ms, conversation_id, sent["id"]),
        card_message("x"),
        token=bot_token,
    )
    assert (status, headers["Retry-After"]) == (429, "7")
    assert (
        request(
            ms,
            "PUT",
            activities_path(ms, conversation_id, sent["id"]),
            card_message("x"),
            token=bot_token,
        )[0]
        == 200
    )


def test_injected_faults_on_graph_and_discovery(ms: MicrosoftFake, graph_token: str) -> None:
    ms.inject("graph_files_folder", status=503, retry_after=2)
    path = f"/v1.0/teams/{TEAM_ID}/channels/{urllib.parse.quote(CHANNEL_ID)}/filesFolder"
    status, headers, _ = request(ms, "GET", path, token=graph_token)
    assert (status, headers["Retry-After"]) == (503, "2")
    assert request(ms, "GET", path, token=graph_token)[0] == 200
    ms.inject("keys", status=500)
    assert request(ms, "GET", ms.jwks_url)[0] == 500
    assert request(ms, "GET", ms.jwks_url)[0] == 200


def test_rate_limit_per_conversation(ms: MicrosoftFake, bot_token: str) -> None:
    anna_chat = create_1to1(ms, bot_token, ANNA)
    bo_chat = create_1to1(ms, bot_token, BO)
    ms.rate_limit(per_second=0.5, burst=1)
    assert (
        request(ms, "POST", activities_path(ms, anna_chat), card_message(), token=bot_token)[0]
        == 201
    )
    status, headers, answer = request(
        ms, "POST", activities_path(ms, anna_chat), card_message(), token=bot_token
    )
    assert status == 429 and int(headers["Retry-After"]) >= 1
    assert answer["error"]["code"] == "Throttled"
    assert (
        request(ms, "POST", activities_path(ms, bo_chat), card_message(), token=bot_token)[0] == 201
    )
    ms.rate_limit(None)
    assert (
        request(ms, "POST", activities_path(ms, anna_chat), card_message(), token=bot_token)[0]
        == 201
    )
    assert len(ms.activities(anna_chat)) == 2


# ----------------------------------------------------------------- Graph


def test_channel_file_upload(ms: MicrosoftFake, graph_token: str, bot_token: str) -> None:
    folder_path = f"/v1.0/teams/{TEAM_ID}/channels/{urllib.parse.quote(CHANNEL_ID)}/filesFolder"
    assert request(ms, "GET", folder_path, token=bot_token)[0] == 401  # a bot token is not Graph's
    status, _, folder = request(ms, "GET", folder_path, token=graph_token)
    assert status == 200
    assert folder["name"] == "Allmänt" and folder["webUrl"].startswith("https://")
    drive_id, folder_id = folder["parentReference"]["driveId"], folder["id"]
    name = "Veckorapport vecka 3 åäö.pdf"
    content = b"%PDF-1.7\n" + bytes(range(256)) * 40
    upload = f"/v1.0/drives/{drive_id}/items/{folder_id}:/{urllib.parse.quote(name)}:/content"
    status, _, item = request(
        ms,
        "PUT",
        upload,
        raw=content,
        token=graph_token,
        headers={"Content-Type": "application/pdf"},
    )
    assert status == 201
    assert (item["name"], item["size"]) == (name, len(content))
    assert item["file"]["mimeType"] == "application/pdf"
    assert item["file"]["hashes"]["quickXorHash"] == quick_xor_hash(content)
    assert item["webUrl"].startswith(folder["webUrl"]) and item["id"]
    assert ms.uploaded_file(name) == content and ms.uploaded_item(name) == item
    status, _, again = request(ms, "PUT", upload, raw=b"v2", token=graph_token)
    assert status == 200 and again["id"] == item["id"] and again["size"] == 2
    assert ms.uploaded_files() == {name: b"v2"}
    assert ms.wait_for("graph_upload", count=2)[0].body == {
        "bytes": len(content),
        "content_type": "application/pdf",
    }
    bad = f"/v1.0/drives/{drive_id}/items/NOPE:/x.pdf:/content"
    assert request(ms, "PUT", bad, raw=b"x", token=graph_token)[0] == 404
    unknown = f"/v1.0/teams/{TEAM_ID}/channels/19:nope@thread.tacv2/filesFolder"
    assert request(ms, "GET", unknown, token=graph_token)[0] == 404


def test_graph_without_permission_is_403(ms: MicrosoftFake, graph_token: str) -> None:
    folder_path = f"/v1.0/teams/{TEAM_ID}/channels/{urllib.parse.quote(CHANNEL_ID)}/filesFolder"
    ms.set_graph_permission(False)
    status, _, answer = request(ms, "GET", folder_path, token=graph_token)
    assert (status, answer["error"]["code"]) == (403, "accessDenied")
    status, new_token = fetch_token(ms, GRAPH_SCOPE)
    assert status == 200
    assert jwt.decode(new_token["access_token"], options={"verify_signature": False})["roles"] == []
    ms.set_graph_permission(True)
    assert request(ms, "GET", folder_path, token=graph_token)[0] == 200


def test_quick_xor_hash_basics() -> None:
    assert quick_xor_hash(b"") == base64.b64encode(bytes(20)).decode()
    assert len(base64.b64decode(quick_xor_hash(b"x" * 1000))) == 20
    assert quick_xor_hash(b"ab") != quick_xor_hash(b"ba")
    # The length is folded in: two zero bytes differ from three.
    assert quick_xor_hash(bytes(2)) != quick_xor_hash(bytes(3))


# ----------------------------------------------------------------- inbound activities to a bot


class _TinyBot:
    """A bot's messaging endpoint on loopback that validates tokens like a real one."""

    def __init__(self, ms: MicrosoftFake) -> None:
        self.ms = ms
        self.received: list[dict[str, Any]] = []
        bot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                activity = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                auth = self.headers.get("Authorization", "")
                try:
                    validate_like_a_bot(
                        bot.ms, auth.removeprefix("Bearer "), activity["serviceUrl"]
                    )
                except Exception:
                    self._answer(401, {"error": "Unauthorized"})
                    return
                bot.received.append(activity)
                if activity["type"] == "invoke":
                    self._answer(
                        200,
                        {
                            "statusCode": 200,
                            "type": "application/vnd.microsoft.card.adaptive",
                            "value": card("Tack!"),
                        },
                    )
                else:
                    self._answer(200, None)

            def _answer(self, status: int, body: Any) -> None:
                payload = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/messages"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tiny_bot(ms: MicrosoftFake) -> Iterator[_TinyBot]:
    bot = _TinyBot(ms)
    yield bot
    bot.close()


def test_activity_builders_look_like_teams(ms: MicrosoftFake) -> None:
    anna = ms.user(ANNA)
    install = ms.conversation_update_installed(anna)
    conversation_id = ms.personal_conversation(anna)
    assert install["type"] == "conversationUpdate" and install["channelId"] == "msteams"
    assert install["serviceUrl"] == ms.service_url
    assert install["from"] == {
        "id": anna.id,
        "name": "Anna Berg",
        "aadObjectId": anna.aad_object_id,
    }
    assert anna.id.startswith("29:")
    assert install["recipient"] == {"id": f"28:{APP_ID}", "name": "Uppsikt"}
    assert install["conversation"] == {
        "conversationType": "personal",
        "tenantId": TENANT_ID,
        "id": conversation_id,
    }
    assert install["channelData"]["tenant"] == {"id": TENANT_ID}
    assert {"id": anna.id, "aadObjectId": anna.aad_object_id} in install["membersAdded"]
    assert {"id": f"28:{APP_ID}"} in install["membersAdded"]

    text = ms.message("hjälp", ANNA)
    assert (text["type"], text["text"]) == ("message", "hjälp")
    assert text["conversation"]["id"] == conversation_id and text["id"] != install["id"]

    invoke = ms.adaptive_card_invoke(
        "report_done", {"action": "report_done", "id": 7}, anna, inputs={"comment": "Klart"}
    )
    assert (invoke["type"], invoke["name"]) == ("invoke", "adaptiveCard/action")
    assert invoke["value"] == {
        "action": {
            "type": "Action.Execute",
            "verb": "report_done",
            "data": {"action": "report_done", "id": 7, "comment": "Klart"},
        },
        "trigger": "manual",
    }
    assert "replyToId" not in invoke  # no card in the conversation yet

    update = ms.installation_update(anna, "remove")
    assert (update["type"], update["action"]) == ("installationUpdate", "remove")
    channel = ms.message("hej", anna, conversation_id=CHANNEL_ID)
    assert channel["conversation"]["conversationType"] == "channel"
    assert channel["channelData"]["team"]["aadGroupId"] == TEAM_ID
    with pytest.raises(KeyError):
        ms.message("x", "nobody@kommun.se")
    with pytest.raises(KeyError):
        ms.message("x", anna, conversation_id="a:1unknown")


def test_post_activity_to_a_bot(ms: MicrosoftFake, tiny_bot: _TinyBot, bot_token: str) -> None:
    anna = ms.user(ANNA)
    assert ms.post_activity(tiny_bot.url, ms.conversation_update_installed(anna)) == (200, None)
    assert ms.post_activity(tiny_bot.url, ms.message("hej", anna)) == (200, None)
    # The bot sends a card; a click on it comes back as an invoke that replies to the card.
    conversation_id = ms.personal_conversation(anna)
    status, _, sent = request(
        ms, "POST", activities_path(ms, conversation_id), card_message(), token=bot_token
    )
    assert status == 201
    invoke = ms.adaptive_card_invoke("done", {"action": "done"}, anna)
    assert invoke["replyToId"] == sent["id"]
    status, body = ms.post_activity(tiny_bot.url, invoke)
    assert status == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert [a["type"] for a in tiny_bot.received] == ["conversationUpdate", "message", "invoke"]

    for token in ["", "not-a-jwt", *(ms.forge_token(how) for how in FORGERIES)]:
        assert ms.post_activity(tiny_bot.url, ms.message("x", anna), token=token)[0] == 401, token
    # A genuine token minted for another service URL is refused too (serviceurl check).
    other = ms.issue_token(service_url="https://smba.trafficmanager.net/emea/")
    assert ms.post_activity(tiny_bot.url, ms.message("x", anna), token=other)[0] == 401
    assert len(tiny_bot.received) == 3


# ----------------------------------------------------------------- waiting, concurrency, reset


def test_wait_for_wakes_on_a_call_from_another_thread(ms: MicrosoftFake, bot_token: str) -> None:
    conversation_id = create_1to1(ms, bot_token)
    go = threading.Event()

    def later() -> None:
        go.wait(10)
        request(
            ms, "POST", activities_path(ms, conversation_id), card_message("sen"), token=bot_token
        )

    worker = threading.Thread(target=later)
    worker.start()
    go.set()
    (call,) = ms.wait_for("send")
    assert call.status == 201 and call.body["attachments"][0]["contentType"] == ADAPTIVE_CARD
    (activity,) = ms.wait_for_activities(conversation_id)
    assert ms.cards_of(activity)[0]["body"][0]["text"] == "sen"
    worker.join(10)
    with pytest.raises(AssertionError, match="Recorded calls"):
        ms.wait_for("update", timeout=0.2)
    assert ms.wait_until(lambda: ms.tokens_issued() == 1, what="one token") is True


def test_concurrent_sends_are_all_kept(ms: MicrosoftFake, bot_token: str) -> None:
    conversation_id = create_1to1(ms, bot_token)
    statuses: list[int] = []

    def send(i: int) -> None:
        body = {"type": "message", "text": f"nr {i}"}
        statuses.append(
            request(ms, "POST", activities_path(ms, conversation_id), body, token=bot_token)[0]
        )

    threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert statuses == [201] * 20
    activities = ms.wait_for_activities(conversation_id, count=20)
    assert len({a["id"] for a in activities}) == 20
    assert sorted(a["text"] for a in activities) == sorted(f"nr {i}" for i in range(20))


def test_reset_and_clear(ms: MicrosoftFake, bot_token: str) -> None:
    conversation_id = create_1to1(ms, bot_token)
    request(ms, "POST", activities_path(ms, conversation_id), card_message(), token=bot_token)
    ms.inject("send", status=500, times=5)
    ms.clear()
    assert ms.calls == [] and len(ms.activities(conversation_id)) == 1
    ms.reset()
    assert ms.calls == [] and ms.activities(conversation_id) == [] and ms.tokens_issued() == 0
    assert CHANNEL_ID in ms.conversation_ids() and ms.user(ANNA).email == ANNA
    # Tokens from before the reset are forgotten; injected faults too.
    assert (
        request(ms, "POST", activities_path(ms, CHANNEL_ID), card_message(), token=bot_token)[0]
        == 401
    )
    status, fresh = fetch_token(ms)
    assert (
        request(
            ms, "POST", activities_path(ms, CHANNEL_ID), card_message(), token=fresh["access_token"]
        )[0]
        == 201
    )


def test_unknown_paths_are_404_and_recorded(ms: MicrosoftFake) -> None:
    status, _, answer = request(ms, "GET", "/v3/nothing")
    assert status == 404 and answer["error"]["code"] == "NotFound"
    assert ms.calls_to("unknown")[0].path == "/v3/nothing"
