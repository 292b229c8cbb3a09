"""A fake of the Microsoft side of a Teams bot, for tests: one HTTP(S) server on 127.0.0.1.

It plays four parts, each at its own path on the same port:

* the **Bot Framework channel's key server** (``openid_metadata_url`` -> ``jwks_url``, keys with
  ``endorsements: ["msteams"]``), plus :meth:`MicrosoftFake.issue_token` to sign inbound activity
  tokens the way the channel does (RS256, ``iss`` https://api.botframework.com, ``aud`` the app id,
  ``serviceurl``) and :meth:`MicrosoftFake.forge_token` for the ones a bot must refuse;
* **Entra ID** for the bot's own tokens: ``/{tenant}/v2.0/.well-known/openid-configuration`` and
  ``/{tenant}/oauth2/v2.0/token`` (client credentials, as MSAL calls them), answering JWTs it signs
  itself and counting them (:meth:`MicrosoftFake.tokens_issued`);
* the **Bot Connector** at ``service_url`` (``/v3/conversations...``): create a 1:1, send, reply,
  update, delete, members. It wants a bot token from the fake's token endpoint and keeps every
  conversation's activities for the test to read;
* **Microsoft Graph**, the two calls a channel file upload needs (``filesFolder`` and a simple
  ``PUT .../content``), wanting a Graph token.

MSAL accepts only https authorities, so the server speaks HTTPS by default with a CA it makes; point
``REQUESTS_CA_BUNDLE`` (requests, so MSAL) and ``SSL_CERT_FILE`` (httpx, urllib, PyJWT's key client)
at :attr:`MicrosoftFake.ca_file` (:meth:`MicrosoftFake.client_env` gives both)::

    with MicrosoftFake(users=["anna.berg@kommun.se"]) as ms:
        anna = ms.user("anna.berg@kommun.se")
        status, body = ms.post_activity(bot_url, ms.conversation_update_installed(anna))
        ms.wait_for("send")
        card = ms.last_card(ms.personal_conversation(anna))

Every request, refused ones included, is recorded as a :class:`Call`. Faults:
:meth:`MicrosoftFake.inject` (429/5xx on the next N calls of a kind or path, optionally after the
activity was stored, the "5xx may still mean delivered" case), :meth:`MicrosoftFake.rate_limit`
(429 with ``Retry-After`` per conversation), :meth:`MicrosoftFake.set_graph_permission` (403) and
:meth:`MicrosoftFake.uninstall` (403 ``BotNotInConversationRoster``).

Standard library plus ``cryptography`` and ``PyJWT``. Error bodies follow the shapes Microsoft
documents (``{"error": {"code", "message"}}`` for the connector and Graph, OAuth2 errors with
``AADSTS`` codes for Entra); the exact messages are the fake's own.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import functools
import hashlib
import hmac
import ipaddress
import json
import math
import mimetypes
import operator
import os
import re
import shutil
import socket
import ssl
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# ------------------------------------------------------------------ identities the fake knows

APP_ID = "5b0e7c3a-1d2f-4e6a-9b8c-0a1b2c3d4e5f"
APP_SECRET = "fake-secret~uppsikt-test"
APP_NAME = "Uppsikt"
TENANT_ID = "8f3d2a1b-4c5e-4f60-a7b8-c9d0e1f2a3b4"
TEAM_ID = "3c9a7e51-2b4d-4f68-8a0c-1e2f3a4b5c6d"  # a team is a Microsoft 365 group: a GUID
CHANNEL_ID = "19:d6b1c8e2f3a44b5c9d0e1f2a3b4c5d6e@thread.tacv2"
CHANNEL_NAME = "Allmänt"
BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
BOT_RESOURCE = "https://api.botframework.com"
GRAPH_RESOURCE = "https://graph.microsoft.com"
BOT_SCOPE = f"{BOT_RESOURCE}/.default"
GRAPH_SCOPE = f"{GRAPH_RESOURCE}/.default"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
GRAPH_FILE_ROLES = frozenset(
    {"Files.ReadWrite.All", "Files.Read.All", "Sites.ReadWrite.All", "Sites.Selected"}
)
# Teams refuses a message above about 28 KB (Microsoft's documented limit, measured on the JSON).
MAX_ACTIVITY_BYTES = 28 * 1024
SHAREPOINT = "https://uppsikt-test.sharepoint.com"  # appears in webUrl only; never contacted

# Kinds of request, for Call.kind, wait_for() and inject().
KINDS = (
    "openid",  # GET the channel's OpenID metadata
    "keys",  # GET the channel's JWKS
    "tenant_discovery",  # GET /{tenant}/v2.0/.well-known/openid-configuration
    "tenant_keys",  # GET /{tenant}/discovery/v2.0/keys
    "token",  # POST /{tenant}/oauth2/v2.0/token
    "create_conversation",  # POST /v3/conversations
    "send",  # POST /v3/conversations/{id}/activities
    "reply",  # POST /v3/conversations/{id}/activities/{activityId}
    "update",  # PUT /v3/conversations/{id}/activities/{activityId}
    "delete",  # DELETE /v3/conversations/{id}/activities/{activityId}
    "members",  # GET /v3/conversations/{id}/members
    "member",  # GET /v3/conversations/{id}/members/{userId}
    "graph_files_folder",  # GET /v1.0/teams/{team}/channels/{channel}/filesFolder
    "graph_upload",  # PUT /v1.0/drives/{drive}/items/{folder}:/{name}:/content
    "unknown",
)
ACTIVITY_KINDS = ("send", "reply", "update")
CONNECTOR_KINDS = ("create_conversation", *ACTIVITY_KINDS, "delete", "member", "members")


# ------------------------------------------------------------------ key material

_KEYS: dict[str, rsa.RSAPrivateKey] = {}
_KEYS_LOCK = threading.Lock()


def _rsa_key(name: str) -> rsa.RSAPrivateKey:
    """A 2048-bit RSA key, made once per process for each name (key generation is the slow part)."""
    with _KEYS_LOCK:
        if name not in _KEYS:
            _KEYS[name] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return _KEYS[name]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_b64url(value: int) -> str:
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime | None = None) -> str:
    return (moment or _now()).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class _CertificateAuthority:
    """A CA and one server certificate for 127.0.0.1 / localhost / ::1."""

    def __init__(self) -> None:
        self.key = _rsa_key("ca")
        self.server_key = _rsa_key("tls-server")
        now = _now() - dt.timedelta(minutes=5)
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Uppsikt test CA (fake)")])
        ca_ski = x509.SubjectKeyIdentifier.from_public_key(self.key.public_key())
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(ca_ski, critical=False)
            .sign(self.key, hashes.SHA256())
        )
        self.server_cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name)
            .public_key(self.server_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(
                x509.SubjectAlternativeName(
                    [
                        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                        x509.IPAddress(ipaddress.ip_address("::1")),
                        x509.DNSName("localhost"),
                    ]
                ),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=True,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.server_key.public_key()),
                critical=False,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )

    def sign_key_certificate(self, key: rsa.RSAPrivateKey, name: str) -> x509.Certificate:
        """A certificate for a token signing key (for the ``x5c``/``x5t`` members of a JWK)."""
        now = _now() - dt.timedelta(minutes=5)
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=2))
            .sign(self.key, hashes.SHA256())
        )

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def server_context(self, directory: str) -> ssl.SSLContext:
        cert_path = os.path.join(directory, "server.pem")
        key_path = os.path.join(directory, "server.key")
        with open(cert_path, "wb") as handle:
            handle.write(self.server_cert.public_bytes(serialization.Encoding.PEM))
            handle.write(self.pem())
        with open(key_path, "wb") as handle:
            handle.write(
                self.server_key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        return context


@dataclass(frozen=True)
class SigningKey:
    """A token signing key the fake publishes (or, for forgeries, does not)."""

    kid: str
    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    def jwk(self, endorsements: Iterable[str] | None = None) -> dict[str, Any]:
        numbers = self.private_key.public_key().public_numbers()
        der = self.certificate.public_bytes(serialization.Encoding.DER)
        key = {
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "x5t": _b64url(hashlib.sha1(der).digest()),
            "n": _int_b64url(numbers.n),
            "e": _int_b64url(numbers.e),
            "x5c": [base64.b64encode(der).decode("ascii")],
        }
        if endorsements is not None:
            key["endorsements"] = list(endorsements)
        return key


def _signing_key(ca: _CertificateAuthority, name: str, *, fresh: bool = False) -> SigningKey:
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048) if fresh else _rsa_key(name)
    )
    certificate = ca.sign_key_certificate(key, name)
    der = certificate.public_bytes(serialization.Encoding.DER)
    return SigningKey(_b64url(hashlib.sha1(der).digest()), key, certificate)


def quick_xor_hash(data: bytes) -> str:
    """OneDrive's quickXorHash (base64), from Microsoft's published algorithm.

    160-bit state; byte ``i`` is XORed in at bit ``(i * 11) % 160`` (wrapping), then the length as
    64-bit little-endian is XORed into the last 8 of the 20 bytes. Not checked against SharePoint.
    """
    state = 0
    for start in range(min(160, len(data))):
        # Bytes 160 apart land on the same bit position: XOR them together first.
        byte = functools.reduce(operator.xor, data[start::160], 0)
        shifted = byte << ((start * 11) % 160)
        state ^= (shifted & ((1 << 160) - 1)) | (shifted >> 160)
    digest = bytearray(state.to_bytes(20, "little"))
    for index, value in enumerate(len(data).to_bytes(8, "little")):
        digest[12 + index] ^= value
    return base64.b64encode(bytes(digest)).decode("ascii")


# ------------------------------------------------------------------ records


@dataclass(frozen=True)
class Call:
    """One request as the fake saw it. ``status`` is the HTTP status it answered."""

    kind: str
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any  # parsed JSON, the form fields (token endpoint), or {"bytes": n} for uploads
    status: int
    response: Any
    time: float
    conversation_id: str | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True)
class IssuedToken:
    """An access token the fake's token endpoint handed out."""

    client_id: str
    tenant_id: str
    scope: str
    access_token: str
    time: float


@dataclass
class TeamsUser:
    """A person in the fake tenant. ``id`` is the bot-specific ``29:`` id Teams gives the bot."""

    email: str
    name: str
    id: str
    aad_object_id: str
    given_name: str
    surname: str
    user_principal_name: str
    tenant_id: str = TENANT_ID
    installed: bool = True

    def member(self) -> dict[str, Any]:
        """The TeamsChannelAccount the connector answers for this user."""
        return {
            "id": self.id,
            "name": self.name,
            "aadObjectId": self.aad_object_id,
            "givenName": self.given_name,
            "surname": self.surname,
            "email": self.email,
            "userPrincipalName": self.user_principal_name,
            "tenantId": self.tenant_id,
            "userRole": "user",
        }

    def account(self) -> dict[str, Any]:
        """The ``from`` of an activity this user sends."""
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad_object_id}


@dataclass
class _Conversation:
    id: str
    kind: str  # "personal" or "channel"
    tenant_id: str
    members: list[str] = field(default_factory=list)  # user ids (29:...)
    activities: list[dict[str, Any]] = field(default_factory=list)
    history: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    team_id: str | None = None
    channel_id: str | None = None


@dataclass
class _Fault:
    target: str
    status: int
    retry_after: float | None
    stored: bool
    body: Any

    def matches(self, kind: str, path: str) -> bool:
        if self.target in KINDS:
            return self.target == kind
        return re.search(self.target, path) is not None


class _Bucket:
    """Token bucket: ``rate`` tokens a second, at most ``capacity`` saved up."""

    def __init__(self, rate: float, capacity: float) -> None:
        self.rate, self.capacity = rate, capacity
        self.tokens, self.updated = capacity, time.monotonic()

    def take(self) -> float:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class _Reply(Exception):
    """Raised inside a handler to answer at once (errors, refusals)."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def _connector_error(status: int, code: str, message: str) -> _Reply:
    return _Reply(status, {"error": {"code": code, "message": message}})


def _graph_error(status: int, code: str, message: str) -> _Reply:
    inner = {"date": _iso()[:-5], "request-id": str(uuid.uuid4())}
    return _Reply(status, {"error": {"code": code, "message": message, "innerError": inner}})


def _oauth_error(status: int, error: str, code: int, description: str) -> _Reply:
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    return _Reply(
        status,
        {
            "error": error,
            "error_description": f"AADSTS{code}: {description} Trace ID: {trace} "
            f"Correlation ID: {correlation} Timestamp: {_iso()[:-5]}Z",
            "error_codes": [code],
            "timestamp": _iso()[:-5] + "Z",
            "trace_id": trace,
            "correlation_id": correlation,
        },
    )


# ------------------------------------------------------------------ the fake


class MicrosoftFake:
    """Bot Framework keys, Entra token endpoint, Bot Connector and a little Graph. Thread-safe."""

    def __init__(
        self,
        *,
        https: bool = True,
        port: int = 0,
        app_id: str = APP_ID,
        app_secret: str = APP_SECRET,
        app_name: str = APP_NAME,
        tenant_id: str = TENANT_ID,
        users: Iterable[str] | dict[str, dict[str, Any]] | None = None,
        openid_path: str = "/v1/.well-known/openidconfiguration",
        connector_path: str = "/teams/",
        token_lifetime: int = 3599,
        max_activity_bytes: int | None = MAX_ACTIVITY_BYTES,
    ) -> None:
        """``users`` are e-mail addresses (or e-mail -> fields for :meth:`add_user`).

        ``openid_path`` must end in ``/openidconfiguration``: the Teams SDK finds the keys by
        replacing that last segment with ``/keys`` rather than reading ``jwks_uri``.
        """
        if not openid_path.startswith("/") or not openid_path.endswith("/openidconfiguration"):
            raise ValueError("openid_path must be an absolute path ending in /openidconfiguration")
        if not connector_path.startswith("/") or not connector_path.endswith("/"):
            raise ValueError("connector_path must start and end with '/'")
        self.https = https
        self.port = port
        self.app_id, self.app_name, self.tenant_id = app_id, app_name, tenant_id
        self.openid_path = openid_path
        self.keys_path = openid_path[: -len("openidconfiguration")] + "keys"
        self.connector_path = connector_path
        self.token_lifetime = token_lifetime
        self.max_activity_bytes = max_activity_bytes
        self.channel_issuer = BOT_FRAMEWORK_ISSUER
        self.endorsements: list[str] = ["msteams"]
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._dir = tempfile.mkdtemp(prefix="microsoft-fake-")
        self._ca = _CertificateAuthority()
        self.ca_file = os.path.join(self._dir, "ca.pem")
        with open(self.ca_file, "wb") as handle:
            handle.write(self._ca.pem())
        self._channel_keys: list[SigningKey] = [_signing_key(self._ca, "botframework-channel")]
        self._entra_key = _signing_key(self._ca, "entra-tenant")
        self.forger_key = _signing_key(self._ca, "forger")  # never published
        self._apps: dict[str, str] = {app_id: app_secret}
        self._tenants: set[str] = {tenant_id, "botframework.com"}
        self._graph_granted = True
        self._limits: tuple[float, float] | None = None
        self._faults: list[_Fault] = []
        self.users: dict[str, TeamsUser] = {}
        self._channels: dict[tuple[str, str], dict[str, Any]] = {}
        self.reset()
        self.add_channel(TEAM_ID, CHANNEL_ID, CHANNEL_NAME)
        if isinstance(users, dict):
            for email_address, fields in users.items():
                self.add_user(email_address, **fields)
        else:
            for email_address in users or ():
                self.add_user(email_address)

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> MicrosoftFake:
        server = _Server(("127.0.0.1", self.port), _RequestHandler)
        server.fake = self  # type: ignore[attr-defined]
        server.tls = self._ca.server_context(self._dir) if self.https else None  # type: ignore[attr-defined]
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> MicrosoftFake:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ----------------------------------------------------------------- addresses

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("MicrosoftFake is not started")
        return f"{'https' if self.https else 'http'}://127.0.0.1:{self.port}"

    @property
    def openid_metadata_url(self) -> str:
        """The channel's OpenID metadata (the Teams SDK's ``openid_metadata_url``)."""
        return self.url + self.openid_path

    @property
    def jwks_url(self) -> str:
        return self.url + self.keys_path

    @property
    def login_url(self) -> str:
        """The Entra host (the Teams SDK's ``login_endpoint``); authorities are ``{this}/{tenant}``."""
        return self.url

    def authority(self, tenant_id: str | None = None) -> str:
        """What MSAL's ``authority=`` wants (use it with ``instance_discovery=False``)."""
        return f"{self.url}/{tenant_id or self.tenant_id}"

    @property
    def service_url(self) -> str:
        """The Bot Connector's base URL, with the trailing slash Teams sends in ``serviceUrl``."""
        return self.url + self.connector_path

    @property
    def graph_url(self) -> str:
        """Like https://graph.microsoft.com/v1.0 (no trailing slash)."""
        return self.url + "/v1.0"

    def client_env(self) -> dict[str, str]:
        """Environment variables that make requests/MSAL, httpx and urllib trust the fake's CA."""
        return {"REQUESTS_CA_BUNDLE": self.ca_file, "SSL_CERT_FILE": self.ca_file}

    def ssl_context(self) -> ssl.SSLContext:
        """A client context trusting only the fake's CA (for urllib, httpx ``verify=``...)."""
        return ssl.create_default_context(cafile=self.ca_file)

    # ----------------------------------------------------------------- setup

    def add_app(self, client_id: str, secret: str) -> None:
        """Register another app (client id and secret) with the token endpoint."""
        with self._lock:
            self._apps[client_id] = secret

    def add_tenant(self, tenant_id: str) -> None:
        with self._lock:
            self._tenants.add(tenant_id)

    def add_user(
        self,
        email: str,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - the connector's field name
        aad_object_id: str | None = None,
        given_name: str | None = None,
        surname: str | None = None,
        user_principal_name: str | None = None,
        tenant_id: str | None = None,
        installed: bool = True,
    ) -> TeamsUser:
        """Put a person in the tenant (with the bot installed for them unless ``installed=False``)."""
        local = email.split("@")[0]
        parts = [p.capitalize() for p in re.split(r"[._-]+", local) if p]
        given = given_name or (parts[0] if parts else local)
        family = surname or (" ".join(parts[1:]) if len(parts) > 1 else "")
        seed = hashlib.sha256(f"{tenant_id or self.tenant_id}/{email.lower()}".encode()).digest()
        user = TeamsUser(
            email=email,
            name=name or " ".join(p for p in (given, family) if p),
            id=id or "29:1" + _b64url(seed * 2)[:60],
            aad_object_id=aad_object_id or str(uuid.UUID(bytes=seed[:16], version=4)),
            given_name=given,
            surname=family,
            user_principal_name=user_principal_name or email,
            tenant_id=tenant_id or self.tenant_id,
            installed=installed,
        )
        with self._lock:
            self.users[email.lower()] = user
        return user

    def user(self, email_or_id: str) -> TeamsUser:
        """A user by e-mail, ``29:`` id or AAD object id (KeyError if unknown)."""
        with self._lock:
            found = self._find_user(email_or_id)
        if found is None:
            raise KeyError(email_or_id)
        return found

    def uninstall(self, user: TeamsUser | str) -> None:
        """The user removed the app: sends to their 1:1 answer 403 BotNotInConversationRoster."""
        with self._lock:
            self._as_user(user).installed = False

    def install(self, user: TeamsUser | str) -> None:
        with self._lock:
            self._as_user(user).installed = True

    def add_channel(self, team_id: str, channel_id: str, name: str) -> dict[str, Any]:
        """A team channel: a connector conversation and a Graph files folder."""
        drive_id = "b!" + _b64url(hashlib.sha256(f"drive/{team_id}".encode()).digest())
        folder_id = "01" + hashlib.sha1(f"{team_id}/{channel_id}".encode()).hexdigest()[:32].upper()
        site = f"{SHAREPOINT}/sites/{team_id[:8]}"
        channel = {
            "team_id": team_id,
            "channel_id": channel_id,
            "name": name,
            "drive_id": drive_id,
            "folder_id": folder_id,
            "web_url": f"{site}/Delade%20dokument/{quote(name)}",
        }
        with self._lock:
            self._channels[(team_id, channel_id)] = channel
            self._conversations.setdefault(
                channel_id,
                _Conversation(
                    channel_id,
                    "channel",
                    self.tenant_id,
                    team_id=team_id,
                    channel_id=channel_id,
                ),
            )
        return dict(channel)

    def set_graph_permission(self, granted: bool) -> None:
        """``False``: the tenant granted the app no Graph permission; every Graph call is 403."""
        with self._lock:
            self._graph_granted = granted

    def rate_limit(self, per_second: float | None = 1.0, burst: float = 1.0) -> None:
        """Refuse sends, replies and updates beyond ``per_second`` per conversation with 429.

        ``per_second=None`` removes the limit.
        """
        with self._lock:
            self._limits = None if per_second is None else (per_second, burst)
            self._buckets = {}

    def inject(
        self,
        target: str,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: float | None = None,
        stored: bool = False,
        body: Any = None,
    ) -> None:
        """Answer the next ``times`` requests of ``target`` with ``status``.

        ``target`` is a kind from :data:`KINDS` ("send", "token", "graph_upload"...) or else a
        regular expression searched in the path. ``retry_after`` adds the header (429 gets 1 s by
        default). ``stored=True`` first does the work (the activity is stored, the file written)
        and then answers the fault: Microsoft's "a 5xx may still have been delivered".
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._lock:
            for _ in range(times):
                self._faults.append(_Fault(target, status, retry_after, stored, body))

    def rotate_signing_key(self, *, keep_old: bool = True) -> SigningKey:
        """Sign channel tokens with a new key (published at once); ``keep_old=False`` drops the old."""
        new = _signing_key(self._ca, "botframework-channel-rotated", fresh=True)
        with self._lock:
            self._channel_keys = [new, *self._channel_keys] if keep_old else [new]
        return new

    # ----------------------------------------------------------------- inbound tokens

    @property
    def signing_key(self) -> SigningKey:
        with self._lock:
            return self._channel_keys[0]

    def issue_token(
        self,
        *,
        app_id: str | None = None,
        service_url: str | None = None,
        issuer: str | None = None,
        audience: str | None = None,
        expires_in: float = 3600,
        not_before: float | None = None,
        kid: str | None = None,
        key: rsa.RSAPrivateKey | SigningKey | None = None,
        tenant_id: str | None = None,
        **claims: Any,
    ) -> str:
        """A token as the Bot Framework channel signs it for an activity to ``app_id``'s bot.

        Claims: ``iss`` https://api.botframework.com, ``aud`` the app id, ``serviceurl`` (the fake
        connector's by default; pass ``service_url=""`` to leave it out), ``nbf``/``iat`` now - 5 min
        (as the channel does), ``exp``. ``tenant_id`` adds ``tid``; ``claims`` add or override.
        """
        now = int(time.time())
        signing = self.signing_key
        private_key = signing.private_key
        if isinstance(key, SigningKey):
            private_key, kid = key.private_key, kid or key.kid
        elif key is not None:
            private_key = key
        payload: dict[str, Any] = {
            "serviceurl": self.service_url if service_url is None else service_url,
            "nbf": int(now - 300 if not_before is None else not_before),
            "exp": int(now + expires_in),
            "iss": issuer or self.channel_issuer,
            "aud": audience or app_id or self.app_id,
            "iat": now - 300,
        }
        if not payload["serviceurl"]:
            del payload["serviceurl"]
        if tenant_id:
            payload["tid"] = tenant_id
        payload.update(claims)
        headers = {"kid": kid or signing.kid, "x5t": kid or signing.kid, "typ": "JWT"}
        return jwt.encode(payload, private_key, algorithm="RS256", headers=headers)

    def forge_token(self, how: str, **overrides: Any) -> str:
        """A channel token a bot must refuse. ``how`` is one of:

        ``other_key`` (signed by a key not in the JWKS, with the real kid), ``unknown_kid``,
        ``expired`` (an hour ago, beyond any leeway), ``not_yet_valid`` (nbf in an hour),
        ``wrong_audience``, ``wrong_issuer``, ``wrong_service_url``, ``no_service_url``,
        ``unsigned`` (alg none), ``hs256`` (HMAC keyed with the public key: the old confusion trick).
        """
        if how == "other_key":
            return self.issue_token(
                key=self.forger_key.private_key, kid=self.signing_key.kid, **overrides
            )
        if how == "unknown_kid":
            return self.issue_token(key=self.forger_key, **overrides)
        if how == "expired":
            now = time.time()
            return self.issue_token(
                expires_in=-3600, not_before=now - 7200, iat=int(now - 7200), **overrides
            )
        if how == "not_yet_valid":
            return self.issue_token(not_before=time.time() + 3600, expires_in=7200, **overrides)
        if how == "wrong_audience":
            return self.issue_token(audience=str(uuid.uuid4()), **overrides)
        if how == "wrong_issuer":
            return self.issue_token(issuer="https://api.botframework.evil", **overrides)
        if how == "wrong_service_url":
            return self.issue_token(service_url="https://smba.evil.example/teams/", **overrides)
        if how == "no_service_url":
            return self.issue_token(service_url="", **overrides)
        if how in {"unsigned", "hs256"}:
            genuine = jwt.decode(self.issue_token(**overrides), options={"verify_signature": False})
            if how == "unsigned":
                head = _b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
                return f"{head}.{_b64url(json.dumps(genuine).encode())}."
            public_pem = self.signing_key.private_key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            head = _b64url(
                json.dumps({"alg": "HS256", "typ": "JWT", "kid": self.signing_key.kid}).encode()
            )
            body = _b64url(json.dumps(genuine).encode())
            mac = hmac.new(public_pem, f"{head}.{body}".encode(), hashlib.sha256).digest()
            return f"{head}.{body}.{_b64url(mac)}"
        raise ValueError(f"unknown forgery {how!r}")

    def jwks(self) -> dict[str, Any]:
        with self._lock:
            return {"keys": [k.jwk(self.endorsements) for k in self._channel_keys]}

    def openid_metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.channel_issuer,
            "authorization_endpoint": "https://invalid.botframework.com",
            "jwks_uri": self.jwks_url,
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        }

    # ----------------------------------------------------------------- outbound (bot) tokens

    def _mint_access_token(
        self,
        scope: str,
        *,
        client_id: str,
        tenant_id: str,
        roles: list[str] | None = None,
    ) -> str:
        """An access token as Entra signs it (v1 claims, as for client credentials)."""
        resource = scope.removesuffix("/.default")
        tenant = tenant_id
        now = int(time.time())
        payload: dict[str, Any] = {
            "aud": resource,
            "iss": f"https://sts.windows.net/{tenant}/",
            "iat": now - 300,
            "nbf": now - 300,
            "exp": now + int(self.token_lifetime),
            "appid": client_id,
            "appidacr": "1",
            "idtyp": "app",
            "oid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"sp/{tenant}/{client_id}")),
            "tid": tenant,
            "ver": "1.0",
            "uti": _b64url(os.urandom(16)),
        }
        if resource == GRAPH_RESOURCE:
            payload["roles"] = (
                sorted(GRAPH_FILE_ROLES - {"Sites.Selected"}) if roles is None else roles
            )
        headers = {"kid": self._entra_key.kid, "x5t": self._entra_key.kid, "typ": "JWT"}
        return jwt.encode(payload, self._entra_key.private_key, algorithm="RS256", headers=headers)

    def tokens_issued(self, scope: str | None = None) -> int:
        """How many access tokens the token endpoint handed out (for ``scope``, or all)."""
        with self._lock:
            return sum(1 for t in self._issued if scope is None or t.scope == scope)

    @property
    def issued_tokens(self) -> list[IssuedToken]:
        with self._lock:
            return list(self._issued)

    def revoke_access_tokens(self) -> None:
        """Make every token issued so far fail with 401 (as if it had expired)."""
        with self._lock:
            self._revoked.update(t.access_token for t in self._issued)

    # ----------------------------------------------------------------- inspection

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, kind: str) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if c.kind == kind]

    def clear(self) -> None:
        """Forget the recorded calls (conversations, files and tokens stay)."""
        with self._lock:
            self._calls.clear()

    def reset(self) -> None:
        """Forget calls, activities, uploads, tokens, faults and limits (users and channels stay)."""
        with self._lock:
            self._calls: list[Call] = []
            self._issued: list[IssuedToken] = []
            self._revoked: set[str] = set()
            self._faults = []
            self._limits = None
            self._buckets: dict[str, _Bucket] = {}
            self._files: dict[tuple[str, str, str], dict[str, Any]] = {}
            self._last_activity_id = 0
            old = getattr(self, "_conversations", {})
            self._conversations: dict[str, _Conversation] = {
                cid: _Conversation(
                    cid,
                    c.kind,
                    c.tenant_id,
                    list(c.members),
                    team_id=c.team_id,
                    channel_id=c.channel_id,
                )
                for cid, c in old.items()
                if c.kind == "channel"
            }

    def conversation_ids(self) -> list[str]:
        with self._lock:
            return list(self._conversations)

    def activities(self, conversation_id: str) -> list[dict[str, Any]]:
        """The conversation's activities as they are now (after updates and deletes), oldest first."""
        with self._lock:
            conversation = self._conversations.get(conversation_id)
            return copy.deepcopy(conversation.activities) if conversation else []

    def history(self, conversation_id: str) -> list[tuple[str, dict[str, Any]]]:
        """Every accepted write to the conversation in order: ("send"|"reply"|"update"|"delete", body)."""
        with self._lock:
            conversation = self._conversations.get(conversation_id)
            return copy.deepcopy(conversation.history) if conversation else []

    def activity(self, conversation_id: str, activity_id: str) -> dict[str, Any]:
        for item in self.activities(conversation_id):
            if item["id"] == activity_id:
                return item
        raise KeyError(activity_id)

    @staticmethod
    def cards_of(activity: dict[str, Any]) -> list[dict[str, Any]]:
        """The Adaptive Card contents among an activity's attachments."""
        return [
            a.get("content")
            for a in activity.get("attachments") or []
            if isinstance(a, dict) and a.get("contentType") == ADAPTIVE_CARD
        ]

    def last_cards(self, conversation_id: str) -> list[dict[str, Any]]:
        """The Adaptive Cards of the last activity in the conversation ([] if none)."""
        items = self.activities(conversation_id)
        return self.cards_of(items[-1]) if items else []

    def last_card(self, conversation_id: str) -> dict[str, Any]:
        """The one Adaptive Card of the last activity (AssertionError unless exactly one)."""
        cards = self.last_cards(conversation_id)
        if len(cards) != 1:
            raise AssertionError(
                f"expected one Adaptive Card in the last activity of {conversation_id}, got "
                f"{len(cards)}. Recorded calls:\n{self._listing()}"
            )
        return cards[0]

    def uploaded_files(self) -> dict[str, bytes]:
        """File name -> bytes of every Graph upload (the latest version of each)."""
        with self._lock:
            return {name: f["content"] for (_, _, name), f in self._files.items()}

    def uploaded_file(self, name: str) -> bytes:
        files = self.uploaded_files()
        if name not in files:
            raise KeyError(f"{name!r} was not uploaded; uploaded: {sorted(files)}")
        return files[name]

    def uploaded_item(self, name: str) -> dict[str, Any]:
        """The driveItem the upload of ``name`` answered."""
        with self._lock:
            for (_, _, file_name), stored in self._files.items():
                if file_name == name:
                    return copy.deepcopy(stored["item"])
        raise KeyError(name)

    def wait_until(
        self, condition: Callable[[], Any], timeout: float = 10, what: str = "condition"
    ) -> Any:
        """Block until ``condition()`` is truthy (checked on every change); return its value."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = condition()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"waited {timeout} s for {what}. Recorded calls:\n{self._listing()}"
                    )
                self._changed.wait(min(remaining, 0.1))

    def wait_for(
        self,
        kind: str,
        count: int = 1,
        timeout: float = 10,
        *,
        ok: bool | None = True,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until ``count`` calls of ``kind`` were answered (2xx unless ``ok`` says otherwise:
        ``False`` counts refusals only, ``None`` counts all); return them all."""

        def matching() -> list[Call] | None:
            found = [
                c
                for c in self._calls
                if c.kind == kind and (ok is None or c.ok == ok) and (where is None or where(c))
            ]
            return found if len(found) >= count else None

        label = {True: "successful ", False: "refused ", None: ""}[ok]
        return self.wait_until(matching, timeout, f"{count} {label}{kind} call(s)")

    def wait_for_activities(
        self, conversation_id: str, count: int = 1, timeout: float = 10
    ) -> list[dict[str, Any]]:
        """Block until the conversation holds at least ``count`` activities; return them."""

        def enough() -> list[dict[str, Any]] | None:
            conversation = self._conversations.get(conversation_id)
            if conversation and len(conversation.activities) >= count:
                return copy.deepcopy(conversation.activities)
            return None

        return self.wait_until(enough, timeout, f"{count} activities in {conversation_id}")

    def _listing(self) -> str:
        if not self._calls:
            return "  (none)"
        start = self._calls[0].time
        lines = []
        for c in self._calls:
            summary = json.dumps(c.body, ensure_ascii=False, default=repr)
            summary = summary if len(summary) <= 160 else summary[:157] + "..."
            lines.append(
                f"  +{c.time - start:7.3f}s {c.status} {c.kind} {c.method} {c.path} {summary}"
            )
        return "\n".join(lines)

    # ----------------------------------------------------------------- inbound activities

    def post_activity(
        self,
        bot_url: str,
        activity: dict[str, Any],
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
        context: ssl.SSLContext | None = None,
    ) -> tuple[int, Any]:
        """POST an activity to a bot's messaging endpoint as the Teams channel does.

        ``token=None`` mints a valid one (its ``serviceurl`` = the activity's ``serviceUrl``);
        ``token=""`` sends no Authorization header. Returns (status, body): JSON when it parses,
        else the text, ``None`` when empty.
        """
        if token is None:
            token = self.issue_token(service_url=activity.get("serviceUrl") or self.service_url)
        request_headers = {"Content-Type": "application/json; charset=utf-8"}
        if token:
            request_headers["Authorization"] = f"Bearer {token}"
        request_headers.update(headers or {})
        data = json.dumps(activity, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(bot_url, data=data, headers=request_headers, method="POST")
        if context is None and bot_url.startswith("https://"):
            context = self.ssl_context()
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        if not raw:
            return status, None
        try:
            return status, json.loads(raw.decode("utf-8"))
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def personal_conversation(self, user: TeamsUser | str) -> str:
        """The id of the bot's 1:1 chat with ``user`` (the same one ``POST /v3/conversations`` gives)."""
        with self._lock:
            return self._personal(self._as_user(user)).id

    def _activity_base(
        self,
        kind: str,
        user: TeamsUser | str,
        conversation_id: str | None,
        *,
        activity_id: str | None = None,
        locale: str = "sv-SE",
    ) -> dict[str, Any]:
        with self._lock:
            person = self._as_user(user)
            if conversation_id is None:
                conversation = self._personal(person)
            else:
                conversation = self._conversations.get(conversation_id.split(";")[0])
                if conversation is None:
                    raise KeyError(f"unknown conversation {conversation_id!r}")
            conversation_id = conversation_id or conversation.id
            if person.id not in conversation.members:
                conversation.members.append(person.id)
        now = _now()
        local = now.astimezone(dt.timezone(dt.timedelta(hours=1)))
        conversation_account: dict[str, Any] = {
            "conversationType": conversation.kind,
            "tenantId": conversation.tenant_id,
            "id": conversation_id,
        }
        channel_data: dict[str, Any] = {"tenant": {"id": conversation.tenant_id}}
        if conversation.kind == "channel":
            conversation_account["isGroup"] = True
            channel_data.update(
                team={"id": conversation.channel_id, "aadGroupId": conversation.team_id},
                channel={"id": conversation.channel_id},
            )
        return {
            "type": kind,
            "id": activity_id or f"f:{uuid.uuid4().int % 10**19}",
            "timestamp": _iso(now),
            "localTimestamp": local.isoformat(timespec="milliseconds"),
            "localTimezone": "Europe/Stockholm",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": person.account(),
            "conversation": conversation_account,
            "recipient": {"id": f"28:{self.app_id}", "name": self.app_name},
            "entities": [
                {
                    "type": "clientInfo",
                    "locale": locale,
                    "country": locale.split("-")[-1],
                    "platform": "Web",
                    "timezone": "Europe/Stockholm",
                }
            ],
            "channelData": channel_data,
            "locale": locale,
        }

    def conversation_update_installed(
        self, user: TeamsUser | str, *, conversation_id: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """The ``conversationUpdate`` Teams sends when ``user`` installs the app (personal scope)."""
        person = self._as_user(user)
        activity = self._activity_base("conversationUpdate", person, conversation_id, **kwargs)
        activity["membersAdded"] = [
            {"id": person.id, "aadObjectId": person.aad_object_id},
            {"id": f"28:{self.app_id}"},
        ]
        return activity

    def installation_update(
        self,
        user: TeamsUser | str,
        action: str = "add",
        *,
        conversation_id: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The ``installationUpdate`` that comes with an install (``add``) or removal (``remove``)."""
        activity = self._activity_base("installationUpdate", user, conversation_id, **kwargs)
        activity["action"] = action
        if action == "add":
            activity["channelData"]["source"] = {"name": "message"}
        return activity

    def message(
        self,
        text: str,
        user: TeamsUser | str,
        *,
        conversation_id: str | None = None,
        reply_to_id: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """A ``message`` from ``user`` (in their 1:1 unless ``conversation_id`` says otherwise)."""
        activity = self._activity_base("message", user, conversation_id, **kwargs)
        activity.update(textFormat="plain", text=text, attachments=[])
        if reply_to_id:
            activity["replyToId"] = reply_to_id
        return activity

    def adaptive_card_invoke(
        self,
        verb: str,
        data: dict[str, Any] | None,
        user: TeamsUser | str,
        *,
        inputs: dict[str, Any] | None = None,
        conversation_id: str | None = None,
        reply_to_id: str | None = None,
        action_id: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The ``invoke`` (``adaptiveCard/action``) a click on an ``Action.Execute`` sends.

        ``inputs`` (the card's input ids -> values) are merged into ``data`` as Teams does.
        ``reply_to_id`` defaults to the last activity with a card in that conversation.
        """
        activity = self._activity_base("invoke", user, conversation_id, **kwargs)
        if reply_to_id is None:
            cid = activity["conversation"]["id"]
            with_cards = [a for a in self.activities(cid) if self.cards_of(a)]
            reply_to_id = with_cards[-1]["id"] if with_cards else None
        action: dict[str, Any] = {
            "type": "Action.Execute",
            "verb": verb,
            "data": {**(data or {}), **(inputs or {})},
        }
        if action_id:
            action["id"] = action_id
        activity.update(name="adaptiveCard/action", value={"action": action, "trigger": "manual"})
        if reply_to_id:
            activity["replyToId"] = reply_to_id
        return activity

    # ----------------------------------------------------------------- internals: users, conversations

    def _find_user(self, key: str) -> TeamsUser | None:
        found = self.users.get(key.lower())
        if found:
            return found
        return next((u for u in self.users.values() if key in {u.id, u.aad_object_id}), None)

    def _as_user(self, user: TeamsUser | str) -> TeamsUser:
        if isinstance(user, TeamsUser):
            return user
        found = self._find_user(user)
        if found is None:
            raise KeyError(f"unknown user {user!r}: add it with add_user()")
        return found

    def _personal(self, user: TeamsUser) -> _Conversation:
        seed = hashlib.sha256(
            f"{self.app_id}/{user.tenant_id}/{user.aad_object_id}".encode()
        ).digest()
        conversation_id = "a:1" + _b64url(seed * 3)[:100]
        conversation = self._conversations.get(conversation_id)
        if conversation is None:
            conversation = _Conversation(conversation_id, "personal", user.tenant_id, [user.id])
            self._conversations[conversation_id] = conversation
        return conversation

    def _next_activity_id(self) -> str:
        # Teams' activity ids in chats are epoch milliseconds; keep them unique and increasing.
        self._last_activity_id = max(self._last_activity_id + 1, int(time.time() * 1000))
        return str(self._last_activity_id)

    # ----------------------------------------------------------------- HTTP dispatch

    _TENANT_ROUTES = (
        (
            "GET",
            re.compile(r"^/([^/]+)/v2\.0/\.well-known/openid-configuration$"),
            "tenant_discovery",
        ),
        ("GET", re.compile(r"^/([^/]+)/discovery/v2\.0/keys$"), "tenant_keys"),
        ("POST", re.compile(r"^/([^/]+)/oauth2/v2\.0/token$"), "token"),
    )
    _CONNECTOR_ROUTES = (
        ("POST", re.compile(r"^v3/conversations/?$"), "create_conversation"),
        ("GET", re.compile(r"^v3/conversations/([^/]+)/members/?$"), "members"),
        ("GET", re.compile(r"^v3/conversations/([^/]+)/members/([^/]+)$"), "member"),
        ("POST", re.compile(r"^v3/conversations/([^/]+)/activities/?$"), "send"),
        ("POST", re.compile(r"^v3/conversations/([^/]+)/activities/([^/]+)$"), "reply"),
        ("PUT", re.compile(r"^v3/conversations/([^/]+)/activities/([^/]+)$"), "update"),
        ("DELETE", re.compile(r"^v3/conversations/([^/]+)/activities/([^/]+)$"), "delete"),
    )
    _GRAPH_ROUTES = (
        (
            "GET",
            re.compile(r"^/v1\.0/teams/([^/]+)/channels/([^/]+)/filesFolder$"),
            "graph_files_folder",
        ),
        (
            "PUT",
            re.compile(r"^/v1\.0/drives/([^/]+)/items/([^/:]+):/(.+):/content$"),
            "graph_upload",
        ),
    )

    def _route(self, verb: str, path: str) -> tuple[str, tuple[str, ...]]:
        if verb == "GET" and path == self.openid_path:
            return "openid", ()
        if verb == "GET" and path == self.keys_path:
            return "keys", ()
        if path.startswith(self.connector_path):
            rest = path[len(self.connector_path) :]
            for method, pattern, kind in self._CONNECTOR_ROUTES:
                match = pattern.match(rest)
                if match and method == verb:
                    return kind, tuple(unquote(g) for g in match.groups())
        for method, pattern, kind in self._GRAPH_ROUTES:
            match = pattern.match(path)
            if match and method == verb:
                return kind, tuple(unquote(g) for g in match.groups())
        for method, pattern, kind in self._TENANT_ROUTES:
            match = pattern.match(path)
            if match and method == verb:
                return kind, tuple(unquote(g) for g in match.groups())
        return "unknown", ()

    def _handle(self, verb: str, target: str, headers: dict[str, str], raw: bytes):
        """Return (status, extra headers, body bytes) and record the call."""
        parts = urlsplit(target)
        path, query = parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))
        kind, args = self._route(verb, path)
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        body: Any
        if kind == "graph_upload":
            body = {"bytes": len(raw), "content_type": content_type}
        elif kind == "token" or content_type == "application/x-www-form-urlencoded":
            body = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        elif raw:
            try:
                body = json.loads(raw.decode("utf-8"))
            except ValueError:
                body = {"unparsed": raw[:2000].decode("utf-8", "replace")}
        else:
            body = None
        conversation_id = args[0] if kind in CONNECTOR_KINDS[1:] else None
        status, answer, extra = self._dispatch(kind, args, verb, path, query, headers, body, raw)
        if isinstance(answer, dict) and kind == "create_conversation" and "id" in answer:
            conversation_id = answer["id"]
        call = Call(
            kind, verb, path, query, headers, body, status, answer, time.time(), conversation_id
        )
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()
        if answer is None:
            payload = b""
        else:
            payload = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            extra = {"Content-Type": "application/json; charset=utf-8", **extra}
        return status, extra, payload

    def _dispatch(self, kind, args, verb, path, query, headers, body, raw):
        with self._lock:
            fault = next((f for f in self._faults if f.matches(kind, path)), None)
            if fault is not None:
                self._faults.remove(fault)
        try:
            if fault is not None and not fault.stored:
                raise self._fault_reply(fault, kind)
            with self._lock:
                status, answer = self._serve(kind, args, verb, query, headers, body, raw)
            if fault is not None:
                raise self._fault_reply(fault, kind)
            return status, answer, {}
        except _Reply as reply:
            return reply.status, reply.body, reply.headers
        except Exception as error:  # a bug in the fake: answer 500 and show it in the listing
            return 500, {"error": {"code": "FakeInternalError", "message": repr(error)}}, {}

    @staticmethod
    def _fault_reply(fault: _Fault, kind: str) -> _Reply:
        extra = {}
        if fault.retry_after is not None:
            extra["Retry-After"] = str(math.ceil(fault.retry_after))
        if fault.body is not None:
            body = fault.body
        elif kind == "token" or kind.startswith("tenant"):
            body = {
                "error": "temporarily_unavailable",
                "error_description": f"AADSTS90033: Injected fault {fault.status}.",
                "error_codes": [90033],
            }
        elif fault.status == 429:
            body = {"error": {"code": "Throttled", "message": "Too many requests (injected)."}}
        else:
            body = {"error": {"code": "ServiceError", "message": f"Injected fault {fault.status}."}}
        return _Reply(fault.status, body, extra)

    def _serve(self, kind, args, verb, query, headers, body, raw) -> tuple[int, Any]:
        if kind == "openid":
            return 200, self.openid_metadata()
        if kind == "keys":
            return 200, self.jwks()
        if kind == "tenant_discovery":
            return 200, self._tenant_discovery(args[0])
        if kind == "tenant_keys":
            return 200, {"keys": [self._entra_key.jwk()]}
        if kind == "token":
            return 200, self._token(args[0], headers, body or {})
        if kind in CONNECTOR_KINDS:
            self._check_access_token(headers, BOT_RESOURCE)
            return getattr(self, "_connector_" + kind)(args, body)
        if kind in {"graph_files_folder", "graph_upload"}:
            self._check_access_token(headers, GRAPH_RESOURCE)
            if not self._graph_granted:
                raise _graph_error(
                    403,
                    "accessDenied",
                    "Either scp or roles claim need to be present in the token.",
                )
            return getattr(self, "_" + kind)(args, headers, raw)
        raise _Reply(
            404, {"error": {"code": "NotFound", "message": "No such endpoint in the fake."}}
        )

    # ----------------------------------------------------------------- Entra

    def _check_tenant(self, tenant: str) -> None:
        if tenant not in self._tenants:
            raise _oauth_error(
                400,
                "invalid_tenant",
                90002,
                f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID.",
            )

    def _tenant_discovery(self, tenant: str) -> dict[str, Any]:
        self._check_tenant(tenant)
        base = f"{self.url}/{tenant}"
        return {
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "token_endpoint_auth_methods_supported": [
                "client_secret_post",
                "private_key_jwt",
                "client_secret_basic",
            ],
            "jwks_uri": f"{base}/discovery/v2.0/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": f"{self.url}/{tenant}/v2.0",
            "request_uri_parameter_supported": False,
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
            "tenant_region_scope": "EU",
        }

    def _token(self, tenant: str, headers: dict[str, str], form: dict[str, str]) -> dict[str, Any]:
        self._check_tenant(tenant)
        client_id, secret = form.get("client_id"), form.get("client_secret")
        auth = headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                user, _, password = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
            except ValueError:
                raise _oauth_error(
                    401, "invalid_client", 7000215, "Invalid client secret provided."
                ) from None
            client_id, secret = unquote(user.replace("+", " ")), unquote(password.replace("+", " "))
        if form.get("grant_type") != "client_credentials":
            raise _oauth_error(
                400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type."
            )
        if not client_id or client_id not in self._apps:
            raise _oauth_error(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{client_id}' was not found in the directory.",
            )
        if not secret or secret != self._apps[client_id]:
            raise _oauth_error(
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the "
                "client secret value, not the client secret ID.",
            )
        scopes = (form.get("scope") or "").split()
        scope = next((s for s in scopes if s.endswith("/.default")), None)
        if scope not in {BOT_SCOPE, GRAPH_SCOPE}:
            raise _oauth_error(
                400,
                "invalid_scope",
                1002012,
                f"The provided value for scope {form.get('scope')!r} is not valid. Client "
                "credential flows must have a scope value with /.default suffixed to the resource "
                "identifier (application ID URI).",
            )
        roles = None
        if scope == GRAPH_SCOPE and not self._graph_granted:
            roles = []
        token = self._mint_access_token(scope, client_id=client_id, tenant_id=tenant, roles=roles)
        self._issued.append(IssuedToken(client_id, tenant, scope, token, time.time()))
        return {
            "token_type": "Bearer",
            "expires_in": self.token_lifetime,
            "ext_expires_in": self.token_lifetime,
            "access_token": token,
        }

    def _check_access_token(self, headers: dict[str, str], resource: str) -> dict[str, Any]:
        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        graph = resource == GRAPH_RESOURCE

        def refuse(why: str) -> _Reply:
            if graph:
                return _graph_error(401, "InvalidAuthenticationToken", why)
            return _Reply(401, {"message": "Authorization has been denied for this request."})

        if not token:
            raise refuse("Access token is empty.")
        if token in self._revoked:
            raise refuse("Lifetime validation failed, the token is expired.")
        if not any(t.access_token == token for t in self._issued):
            raise refuse("The token was not issued by this tenant's token endpoint.")
        try:
            claims = jwt.decode(
                token,
                self._entra_key.private_key.public_key(),
                algorithms=["RS256"],
                audience=resource,
                options={"require": ["exp", "aud", "iss", "appid"]},
            )
        except jwt.InvalidTokenError as error:
            raise refuse(f"Access token validation failure: {error}.") from None
        if claims.get("appid") not in self._apps:
            raise refuse("Unknown application.")
        return claims

    # ----------------------------------------------------------------- Bot Connector

    def _conversation(self, conversation_id: str) -> _Conversation:
        conversation = self._conversations.get(conversation_id.split(";")[0])
        if conversation is None:
            raise _connector_error(404, "ConversationNotFound", "Conversation not found.")
        if conversation.kind == "personal":
            user = self._find_user(conversation.members[0]) if conversation.members else None
            if user is not None and not user.installed:
                raise _connector_error(
                    403,
                    "BotNotInConversationRoster",
                    "The bot is not part of the conversation roster.",
                )
        return conversation

    def _connector_create_conversation(self, args, body) -> tuple[int, Any]:
        if not isinstance(body, dict):
            raise _connector_error(400, "BadSyntax", "Request body must be a JSON object.")
        members = body.get("members") or []
        tenant = body.get("tenantId") or ((body.get("channelData") or {}).get("tenant") or {}).get(
            "id"
        )
        bot = body.get("bot") or {}
        if bot and bot.get("id") not in {f"28:{self.app_id}", self.app_id}:
            raise _connector_error(400, "BadArgument", "Bot id does not match the token's app.")
        if body.get("isGroup") or len(members) != 1 or not isinstance(members[0], dict):
            raise _connector_error(400, "BadArgument", "Exactly one member is required for a 1:1.")
        if not tenant:
            raise _connector_error(400, "BadArgument", "A tenant id is required (tenantId).")
        user = self._find_user(str(members[0].get("id") or ""))
        if user is None or user.tenant_id != tenant:
            raise _connector_error(400, "BadArgument", "Failed to decrypt pairwise id.")
        if not user.installed:
            raise _connector_error(403, "Forbidden", "The bot is not installed for this user.")
        conversation = self._personal(user)
        answer: dict[str, Any] = {"id": conversation.id}
        if isinstance(body.get("activity"), dict):
            stored = self._store(conversation, "send", body["activity"])
            answer["activityId"] = stored["id"]
        return 201, answer

    def _check_activity(self, activity: Any) -> None:
        if not isinstance(activity, dict):
            raise _connector_error(400, "BadSyntax", "Request body must be a JSON object.")
        if not activity.get("type"):
            raise _connector_error(400, "BadArgument", "Activity type is required.")
        if activity["type"] == "message":
            attachments = activity.get("attachments") or []
            if (
                not activity.get("text")
                and not attachments
                and not activity.get("suggestedActions")
            ):
                raise _connector_error(400, "BadArgument", "A message needs text or attachments.")
            for attachment in attachments:
                if not isinstance(attachment, dict) or not attachment.get("contentType"):
                    raise _connector_error(
                        400, "BadArgument", "Attachment contentType is required."
                    )
                if attachment["contentType"] == ADAPTIVE_CARD:
                    card = attachment.get("content")
                    if not isinstance(card, dict) or card.get("type") != "AdaptiveCard":
                        raise _connector_error(400, "BadArgument", "Invalid Adaptive Card content.")
                    if not isinstance(card.get("version"), str):
                        raise _connector_error(
                            400, "BadArgument", "Adaptive Card version is required."
                        )
        size = len(json.dumps(activity, ensure_ascii=False).encode("utf-8"))
        if self.max_activity_bytes is not None and size > self.max_activity_bytes:
            raise _connector_error(413, "MessageSizeTooBig", "Message size too large.")

    def _throttle(self, conversation_id: str) -> None:
        if self._limits is None:
            return
        rate, burst = self._limits
        bucket = self._buckets.setdefault(conversation_id, _Bucket(rate, burst))
        wait = bucket.take()
        if wait:
            raise _Reply(
                429,
                {"error": {"code": "Throttled", "message": "Too many requests."}},
                {"Retry-After": str(max(1, math.ceil(wait)))},
            )

    def _store(
        self, conversation: _Conversation, how: str, activity: dict[str, Any]
    ) -> dict[str, Any]:
        stored = copy.deepcopy(activity)
        stored["id"] = self._next_activity_id()
        stored.setdefault("timestamp", _iso())
        stored.setdefault("from", {"id": f"28:{self.app_id}", "name": self.app_name})
        stored["conversation"] = {**(stored.get("conversation") or {}), "id": conversation.id}
        conversation.activities.append(stored)
        conversation.history.append((how, copy.deepcopy(stored)))
        return stored

    def _connector_send(self, args, body) -> tuple[int, Any]:
        conversation = self._conversation(args[0])
        self._check_activity(body)
        self._throttle(conversation.id)
        stored = self._store(conversation, "send", body)
        return 201, {"id": stored["id"]}

    def _connector_reply(self, args, body) -> tuple[int, Any]:
        conversation = self._conversation(args[0])
        self._check_activity(body)
        self._throttle(conversation.id)
        stored = self._store(conversation, "reply", {**body, "replyToId": args[1]})
        return 201, {"id": stored["id"]}

    def _find_activity(self, conversation: _Conversation, activity_id: str) -> int:
        for index, item in enumerate(conversation.activities):
            if item["id"] == activity_id:
                return index
        raise _connector_error(404, "ActivityNotFoundInConversation", "Unknown activity.")

    def _connector_update(self, args, body) -> tuple[int, Any]:
        conversation = self._conversation(args[0])
        index = self._find_activity(conversation, args[1])
        self._check_activity(body)
        self._throttle(conversation.id)
        old = conversation.activities[index]
        updated = copy.deepcopy(body)
        updated.update(id=old["id"], timestamp=old["timestamp"], lastUpdated=_iso())
        updated.setdefault("from", old.get("from"))
        updated["conversation"] = old["conversation"]
        if old.get("replyToId"):
            updated.setdefault("replyToId", old["replyToId"])
        conversation.activities[index] = updated
        conversation.history.append(("update", copy.deepcopy(updated)))
        return 200, {"id": old["id"]}

    def _connector_delete(self, args, body) -> tuple[int, Any]:
        conversation = self._conversation(args[0])
        index = self._find_activity(conversation, args[1])
        removed = conversation.activities.pop(index)
        conversation.history.append(("delete", {"id": removed["id"]}))
        return 200, None

    def _connector_members(self, args, body) -> tuple[int, Any]:
        conversation = self._conversation(args[0])
        people = [self._find_user(uid) for uid in conversation.members]
        return 200, [p.member() for p in people if p is not None]

    def _connector_member(self, args, body) -> tuple[int, Any]:
        conversation = self._conversation(args[0])
        user = self._find_user(args[1])
        if user is None or user.id not in conversation.members:
            raise _connector_error(404, "MemberNotFoundInConversation", "The member was not found.")
        return 200, user.member()

    # ----------------------------------------------------------------- Graph

    def _graph_files_folder(self, args, headers, raw) -> tuple[int, Any]:
        channel = self._channels.get((args[0], args[1]))
        if channel is None:
            raise _graph_error(404, "NotFound", "Channel not found.")
        children = sum(
            1 for key in self._files if key[:2] == (channel["drive_id"], channel["folder_id"])
        )
        return 200, {
            "@odata.context": f"{self.graph_url}/$metadata#teams('{args[0]}')/channels('{args[1]}')"
            "/filesFolder/$entity",
            "id": channel["folder_id"],
            "createdDateTime": "2024-01-15T08:00:00Z",
            "lastModifiedDateTime": _iso(),
            "name": channel["name"],
            "webUrl": channel["web_url"],
            "size": sum(
                len(f["content"])
                for key, f in self._files.items()
                if key[:2] == (channel["drive_id"], channel["folder_id"])
            ),
            "parentReference": {"driveId": channel["drive_id"], "driveType": "documentLibrary"},
            "folder": {"childCount": children},
        }

    def _graph_upload(self, args, headers, raw) -> tuple[int, Any]:
        drive_id, folder_id, name = args
        channel = next(
            (
                c
                for c in self._channels.values()
                if (c["drive_id"], c["folder_id"]) == (drive_id, folder_id)
            ),
            None,
        )
        if channel is None:
            raise _graph_error(404, "itemNotFound", "The resource could not be found.")
        if not name or re.search(r'["*:<>?/\\|]', name) or name.strip() != name:
            raise _graph_error(400, "invalidRequest", "Invalid file name.")
        key = (drive_id, folder_id, name)
        existing = self._files.get(key)
        item_id = existing["item"]["id"] if existing else "01" + uuid.uuid4().hex[:32].upper()
        now = _iso()
        content_type = headers.get("content-type", "").split(";")[0].strip()
        if not content_type or content_type == "application/octet-stream":
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        item = {
            "id": item_id,
            "name": name,
            "size": len(raw),
            "webUrl": f"{channel['web_url']}/{quote(name)}",
            "eTag": f'"{{{uuid.uuid4()}}},1"',
            "cTag": f'"c:{{{uuid.uuid4()}}},1"',
            "createdDateTime": existing["item"]["createdDateTime"] if existing else now,
            "lastModifiedDateTime": now,
            "parentReference": {
                "driveId": drive_id,
                "driveType": "documentLibrary",
                "id": folder_id,
            },
            "file": {"mimeType": content_type, "hashes": {"quickXorHash": quick_xor_hash(raw)}},
        }
        self._files[key] = {"content": bytes(raw), "item": item}
        return (200 if existing else 201), copy.deepcopy(item)


# ------------------------------------------------------------------ HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    tls: ssl.SSLContext | None = None

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = self.socket.accept()
        if self.tls is not None:
            # The handshake happens in the request's own thread (finish_request), not here.
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def finish_request(self, request: Any, client_address: Any) -> None:
        if isinstance(request, ssl.SSLSocket):
            request.settimeout(10)
            try:
                request.do_handshake()
            except (ssl.SSLError, OSError):
                return  # a client that does not trust the CA: nothing to answer
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # closed keep-alive connections and the like


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MicrosoftFake/1.0"
    timeout = 30

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        body = self._read_body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        fake: MicrosoftFake = self.server.fake  # type: ignore[attr-defined]
        status, extra, payload = fake._handle(self.command, self.path, headers, body)
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass
