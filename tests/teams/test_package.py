"""`uppsikt teams package`: a zip Teams' admin center takes, checked as it would check it."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

from PIL import Image

from bot.config import load_settings
from bot.teams.manifest import build_manifest
from tests.scenario.support import uppsikt_command
from tests.teams.support import clean_env

APP_ID = "5b0e7c3a-1d2f-4e6a-9b8c-0a1b2c3d4e5f"
TENANT = "8f3d2a1b-4c5e-4f60-a7b8-c9d0e1f2a3b4"


def test_the_package_has_the_manifest_and_valid_icons(tmp_path: Path) -> None:
    env = clean_env(f"sqlite:///{tmp_path / 'u.db'}", TEAMS_APP_ID=APP_ID, TEAMS_TENANT_ID=TENANT)
    env["TEAMS_PUBLIC_URL"] = "https://uppsikt.ange.se"
    result = subprocess.run(
        [*uppsikt_command(), "teams", "package", "-o", "uppsikt-teams.zip"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "uppsikt-teams.zip" in result.stdout and APP_ID in result.stdout
    with zipfile.ZipFile(tmp_path / "uppsikt-teams.zip") as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color = Image.open(io.BytesIO(archive.read("color.png")))
        outline = Image.open(io.BytesIO(archive.read("outline.png")))
    version = manifest["manifestVersion"]
    assert manifest["$schema"].endswith(f"/teams/v{version}/MicrosoftTeams.schema.json")
    assert tuple(int(p) for p in version.split(".")) >= (1, 29)
    assert manifest["id"] == APP_ID and re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert re.fullmatch(r"#[0-9A-F]{6}", manifest["accentColor"])
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80
    assert all(
        manifest["developer"][k].startswith("https://")
        for k in ("websiteUrl", "privacyUrl", "termsOfUseUrl")
    )
    assert manifest["validDomains"] == ["uppsikt.ange.se"]
    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID and bot["scopes"] == ["personal", "team"]
    commands = {
        tuple(c["scopes"]): [k["title"] for k in c["commands"]] for c in bot["commandLists"]
    }
    assert commands == {
        ("personal",): [
            "status",
            "rapport",
            "beslut",
            "påminn",
            "deadline",
            "admin",
            "ersättare",
            "hjälp",
        ],
        ("team",): ["kanal", "styrelsekanal"],
    }
    for command_list in bot["commandLists"]:
        assert len(command_list["commands"]) <= 10
        for command in command_list["commands"]:
            assert len(command["title"]) <= 32 and 0 < len(command["description"]) <= 128
    assert color.size == (192, 192) and outline.size == (32, 32)
    raw = outline.convert("RGBA").tobytes()
    pixels = [tuple(raw[i : i + 4]) for i in range(0, len(raw), 4)]
    # Only white and transparency in the outline icon, and both of them.
    assert all(p[3] == 0 or p[:3] == (255, 255, 255) for p in pixels)
    assert any(p[3] == 0 for p in pixels) and any(p[3] == 255 for p in pixels)
    assert color.convert("RGBA").getpixel((2, 2))[3] == 255


def test_the_manifest_speaks_english_when_asked_and_needs_the_app_id(tmp_path: Path) -> None:
    settings = load_settings(
        env={"TEAMS_APP_ID": APP_ID, "TEAMS_TENANT_ID": TENANT, "UPPSIKT_LANGUAGE": "en"},
        dotenv_path=tmp_path / "none",
    )
    manifest = build_manifest(settings)
    titles = [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert titles == [
        "status",
        "report",
        "decision",
        "remind",
        "deadline",
        "admin",
        "substitute",
        "help",
    ]
    assert manifest["validDomains"] == []
    result = subprocess.run(
        [*uppsikt_command(), "teams", "package"],
        cwd=tmp_path,
        env=clean_env(f"sqlite:///{tmp_path / 'u.db'}"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "TEAMS_APP_ID" in result.stderr
    assert not (tmp_path / "uppsikt-teams.zip").exists()
