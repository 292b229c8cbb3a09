"""The Teams app package: manifest.json (the bot, its commands, personal and team scopes) and
the two icons Teams wants, drawn here (a 192x192 colour icon, a 32x32 white-on-transparent
outline), in one zip to upload in the Teams admin center."""

from __future__ import annotations

import io
import json
import math
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from bot import __version__
from bot.config import Settings
from bot.i18n import t

MANIFEST_VERSION = "1.29"
SCHEMA = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ACCENT = (0x1F, 0x5C, 0x99)
PLACEHOLDER_URL = "https://uppsikt.example.se"
COLOR_SIZE = 192
OUTLINE_SIZE = 32

# The commands Teams suggests in the compose box, per scope (title, description key).
PERSONAL_COMMANDS = {
    "sv": [
        ("status", "teams_help_status"),
        ("rapport", "teams_help_report"),
        ("beslut", "teams_help_decision"),
        ("påminn", "teams_help_remind"),
        ("deadline", "teams_help_deadline"),
        ("admin", "teams_help_admin"),
        ("ersättare", "teams_help_substitute"),
        ("hjälp", "teams_help_help"),
    ],
    "en": [
        ("status", "teams_help_status"),
        ("report", "teams_help_report"),
        ("decision", "teams_help_decision"),
        ("remind", "teams_help_remind"),
        ("deadline", "teams_help_deadline"),
        ("admin", "teams_help_admin"),
        ("substitute", "teams_help_substitute"),
        ("help", "teams_help_help"),
    ],
}
TEAM_COMMANDS = {
    "sv": [("kanal", "teams_help_channel"), ("styrelsekanal", "teams_help_board_channel")],
    "en": [("channel", "teams_help_channel"), ("board", "teams_help_board_channel")],
}
DESCRIPTIONS = {
    "sv": (
        "Tertialrapportering av verksamhetens aktiviteter, direkt i Teams.",
        "Uppsikt påminner varje enhets rapportörer inför deadline och tar emot status och kommentar "
        "för varje aktivitet direkt i påminnelsen. Utskottssekreteraren förhandsgranskar "
        "uppsiktsrapporten och publicerar den i utskottets kanal.",
    ),
    "en": (
        "Tertial reporting on the units' planned activities, right in Teams.",
        "Uppsikt reminds each unit's reporters before the deadline and takes the status and comment "
        "of every activity right in the reminder. The committee secretary previews the follow-up "
        "report and publishes it to the committee's channel.",
    ),
}


def _command(title: str, key: str, language: str) -> dict[str, str]:
    description = t(language, key, example="2024-T2").split(": ", 1)[-1]
    if len(description) > 128:
        description = description[:127].rstrip() + "…"
    return {"title": title, "description": description}


def build_manifest(settings: Settings) -> dict[str, Any]:
    """The manifest for TEAMS_APP_ID (the Teams app and its bot share the Entra app id)."""
    language = settings.language
    public = settings.teams_public_url or PLACEHOLDER_URL
    short, full = DESCRIPTIONS[language]
    manifest: dict[str, Any] = {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": __version__,
        "id": settings.teams_app_id,
        "developer": {
            "name": (settings.municipality or "Uppsikt")[:32],
            "websiteUrl": public,
            "privacyUrl": public,
            "termsOfUseUrl": public,
        },
        "name": {"short": "Uppsikt", "full": "Uppsikt"},
        "description": {"short": short[:80], "full": full[:4000]},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": settings.teams_app_id,
                "scopes": ["personal", "team"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": ["personal"],
                        "commands": [
                            _command(n, k, language) for n, k in PERSONAL_COMMANDS[language]
                        ],
                    },
                    {
                        "scopes": ["team"],
                        "commands": [_command(n, k, language) for n, k in TEAM_COMMANDS[language]],
                    },
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }
    if settings.teams_public_url:
        manifest["validDomains"] = [urlsplit(settings.teams_public_url).netloc]
    return manifest


# --- icons -------------------------------------------------------------------------------------


def png(
    width: int, height: int, pixel: Callable[[float, float], tuple[int, int, int, int]]
) -> bytes:
    """An RGBA PNG; `pixel(x, y)` gives each pixel's colour at its centre."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # no filter
        for x in range(width):
            rows.extend(pixel(x + 0.5, y + 0.5))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _segment_distance(x: float, y: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    along = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (ax + along * dx), y - (ay + along * dy))


def _mark(x: float, y: float, size: float) -> float:
    """How much of the mark (a ring with a check inside) covers this point, 0 to 1."""
    s = size
    ring = abs(math.hypot(x - s / 2, y - s / 2) - s * 0.38) - s * 0.045
    check = (
        min(
            _segment_distance(x, y, (s * 0.31, s * 0.52), (s * 0.45, s * 0.65)),
            _segment_distance(x, y, (s * 0.45, s * 0.65), (s * 0.70, s * 0.37)),
        )
        - s * 0.05
    )
    return max(0.0, min(1.0, 0.5 - min(ring, check)))


def color_icon() -> bytes:
    """192x192: the white mark on the accent colour, edge to edge."""

    def pixel(x: float, y: float) -> tuple[int, int, int, int]:
        cover = _mark(x, y, COLOR_SIZE)
        r, g, b = (round(c + (255 - c) * cover) for c in ACCENT)
        return r, g, b, 255

    return png(COLOR_SIZE, COLOR_SIZE, pixel)


def outline_icon() -> bytes:
    """32x32: the mark in white on transparent (only white and transparency, as Teams asks)."""

    def pixel(x: float, y: float) -> tuple[int, int, int, int]:
        return 255, 255, 255, round(255 * _mark(x, y, OUTLINE_SIZE))

    return png(OUTLINE_SIZE, OUTLINE_SIZE, pixel)


def build_package(settings: Settings) -> bytes:
    """The zip: manifest.json, color.png and outline.png at its root."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "manifest.json", json.dumps(build_manifest(settings), ensure_ascii=False, indent=2)
        )
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return buffer.getvalue()
