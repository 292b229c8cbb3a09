"""Signed, expiring links to a published report's files, served by the bot itself.

Used where the tenant grants no Graph permission for the channel upload. A token names one
stored file (`<period>:v<N>`, pdf or docx) and when it expires, and carries an HMAC-SHA256 of
that; the key is derived from the app password, so it never leaves the process and changes
when the password is rotated (old links then stop working). Tokens hold no secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from dataclasses import dataclass

from bot.domain.periods import PeriodKey, parse_period

LINK_DAYS = 30
FILES_PATH = "/files/"
FORMATS = ("pdf", "docx")
_KEY_RE = re.compile(r"^(\d{4}-T[123]):v(\d{1,6})$")
_PAYLOAD_RE = re.compile(r"^(\d{4}-T[123])\.v(\d{1,6})\.(pdf|docx)\.(\d{1,12})$")
MAX_TOKEN_LENGTH = 200


def derive_key(app_password: str) -> bytes:
    """The link key: an HMAC of a fixed label under the app password (not the password)."""
    return hmac.new(
        app_password.encode("utf-8"), b"uppsikt teams file links v1", hashlib.sha256
    ).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class FileRef:
    """One stored file of a published version."""

    period: PeriodKey
    version: int
    fmt: str

    @property
    def filename(self) -> str:
        return f"uppsiktsrapport-{self.period}-v{self.version}.{self.fmt}"


def parse_version_key(key: str) -> tuple[PeriodKey, int]:
    """`2024-T2:v3` -> (2024-T2, 3); ValueError otherwise."""
    match = _KEY_RE.fullmatch(key)
    if not match:
        raise ValueError("not a version key")
    return parse_period(match.group(1)), int(match.group(2))


def make_token(key: bytes, ref: FileRef, *, now: float | None = None, days: int = LINK_DAYS) -> str:
    """A link token for one file, valid for `days`."""
    expires = int((time.time() if now is None else now) + days * 86400)
    payload = f"{ref.period}.v{ref.version}.{ref.fmt}.{expires}".encode("ascii")
    mac = hmac.new(key, payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(mac)}"


class BadToken(ValueError):
    """Not a token this bot made, tampered with, or expired."""


def read_token(key: bytes, token: str, *, now: float | None = None) -> FileRef:
    """The file a token names, if its MAC is right and it has not expired; BadToken."""
    if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
        raise BadToken("malformed")
    encoded, mac_text = token.split(".")
    try:
        payload = _unb64(encoded)
        mac = _unb64(mac_text)
    except (ValueError, TypeError):
        raise BadToken("malformed") from None
    expected = hmac.new(key, payload, hashlib.sha256).digest()
    if not hmac.compare_digest(mac, expected):
        raise BadToken("bad signature")
    match = _PAYLOAD_RE.fullmatch(payload.decode("ascii", "replace"))
    if not match:
        raise BadToken("malformed")
    if int(match.group(4)) < (time.time() if now is None else now):
        raise BadToken("expired")
    return FileRef(parse_period(match.group(1)), int(match.group(2)), match.group(3))
