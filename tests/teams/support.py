"""Shared pieces of the Teams tests: card checks, sample items, settings against the fake."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from microsoft_teams.cards import AdaptiveCard

from bot.domain.reporting import ActivityItem, PeriodInfo, UnitProgress
from bot.domain.status import Status
from bot.teams import ids
from bot.teams.cards.common import MAX_CARD_BYTES, card_bytes

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "tests" / "golden" / "teams"
TZ = ZoneInfo("Europe/Stockholm")
OPEN = PeriodInfo("2024-T2", datetime(2024, 8, 30, 16, 0, tzinfo=TZ), "open")
CLOSED = PeriodInfo("2024-T2", datetime(2024, 8, 30, 16, 0, tzinfo=TZ), "closed")
UNIT_PATH = "Kommunstyrelsens förvaltning > Samhällsbyggnad"
EVIL = "[klicka här](https://evil.example) <at>Alla</at> **fet** @team <script>x</script>"

# The elements and actions of Adaptive Cards 1.5 that Teams renders.
SCHEMA_15_TYPES = {
    "AdaptiveCard",
    "TextBlock",
    "RichTextBlock",
    "TextRun",
    "Image",
    "Container",
    "ColumnSet",
    "Column",
    "FactSet",
    "ActionSet",
    "Input.Text",
    "Input.ChoiceSet",
    "Input.Date",
    "Input.Time",
    "Input.Toggle",
    "Input.Number",
    "Action.Execute",
    "Action.OpenUrl",
    "Action.ShowCard",
    "Action.ToggleVisibility",
}


def clean_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment for an `uppsikt` process: none of the caller's Uppsikt, Slack, Teams or
    SDK settings (CLIENT_ID, CLIENT_SECRET, ... are read by the Teams SDK) leak in."""
    sdk = {"CLIENT_ID", "CLIENT_SECRET", "TENANT_ID", "SERVICE_URL", "CLOUD", "PORT"}
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("UPPSIKT_", "SLACK_", "TEAMS_", "DATABASE_URL", "MANAGED_IDENTITY"))
        and k not in sdk
        and not k.startswith("DANGEROUSLY_")
    }
    env.update({"DATABASE_URL": database_url, "UPPSIKT_LANGUAGE": "sv", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def walk(node: object) -> Iterator[dict[str, Any]]:
    """Every dict inside a JSON-like structure."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def runs(card: object) -> list[str]:
    """The text of every TextRun, in order."""
    return [n["text"] for n in walk(card) if n.get("type") == "TextRun"]


def executes(card: object) -> list[dict[str, Any]]:
    return [n for n in walk(card) if n.get("type") == "Action.Execute"]


def check_card(card: dict[str, Any]) -> None:
    """Teams' limits and Uppsikt's rules for every card."""
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card_bytes(card) <= MAX_CARD_BYTES
    AdaptiveCard.model_validate(card)  # the SDK's own models accept it
    for node in walk(card):
        kind = node.get("type")
        if isinstance(kind, str) and (kind[0].isupper()):
            assert kind in SCHEMA_15_TYPES, kind
        # User text is never markdown: no TextBlock at all, and nobody is ever mentioned.
        assert kind != "TextBlock"
        assert "entities" not in node
        if kind == "Action.Execute":
            assert node["verb"] == node["data"]["action"]
            assert node["verb"] in ids.VERBS
        if kind == "Input.Text" and "maxLength" in node:
            assert isinstance(node["maxLength"], int)
        assert not any(isinstance(v, float) for v in node.values())
    input_ids = [n["id"] for n in walk(card) if str(n.get("type", "")).startswith("Input.")]
    assert len(input_ids) == len(set(input_ids))
    assert "$schema" not in card and "schema" not in card


def check_golden(name: str, data: object) -> None:
    """Compare with tests/golden/teams/<name>; `UPDATE_GOLDEN=1` rewrites it."""
    actual = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    path = GOLDEN_DIR / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `UPDATE_GOLDEN=1 pytest tests/teams` and read it")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs (UPDATE_GOLDEN=1 rewrites)"


def item(
    activity_id: int,
    title: str,
    *,
    status: Status | None = None,
    comment: str = "",
    previous_status: Status | None = None,
    previous_comment: str = "",
    goal_number: str | None = "1.20",
    goal_text: str = "Öka antalet anslutna fastigheter med fiberanslutning med minst 50 st.",
    reported_by: str = "Anna Andersson",
) -> ActivityItem:
    return ActivityItem(
        activity_id=activity_id,
        goal_number=goal_number,
        goal_text=goal_text,
        title=title,
        start=date(2024, 1, 29),
        end=date(2024, 11, 25),
        status=status,
        comment=comment,
        reported_by=reported_by if status else "",
        reported_at=datetime(2024, 8, 12, 10, 12, tzinfo=TZ) if status else None,
        previous_status=previous_status,
        previous_comment=previous_comment,
    )


def sample_items() -> list[ActivityItem]:
    """Reported, reported on hold, last tertial only, nothing yet."""
    return [
        item(
            41,
            "Anlägga fiber Mellanleringen - Kassjöviken",
            status=Status.ON_TRACK,
            comment="Bidrag beviljat.",
        ),
        item(42, "Bygga fiber Åse", status=Status.ON_HOLD, comment="Avvaktar finansiering."),
        item(
            43,
            "Söka bidrag för fiberanslutning Kölsillre - Vassnäs",
            previous_status=Status.ON_HOLD,
            previous_comment="Avvaktar utlysning.",
        ),
        item(
            44,
            "Utbildning i ergonomi för lokalvård",
            goal_number="1.1",
            goal_text="Sjukfrånvaron ska minska",
        ),
    ]


def progress(items: list[ActivityItem], unit_id: int = 3) -> UnitProgress:
    return UnitProgress(
        unit_id=unit_id,
        unit_path=UNIT_PATH,
        total=len(items),
        reported=sum(1 for i in items if not i.is_missing),
    )


# --- an adapter against the fake Microsoft side ---------------------------------------------------

TEAMS_PEOPLE = ["anna@ange.se", "bengt@ange.se", "sara@ange.se", "adam@ange.se", "okand@ange.se"]
OTHER_TENANT = "0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b"


def fake_env(ms: Any, database_url: str, **extra: str) -> dict[str, str]:
    """Uppsikt's settings for Teams at the fake (and for nothing else)."""
    from tests.fakes.microsoft import APP_ID, APP_SECRET, BOT_FRAMEWORK_ISSUER, TENANT_ID

    env = {
        "DATABASE_URL": database_url,
        "UPPSIKT_LANGUAGE": "sv",
        "UPPSIKT_ADMINS": "adam@ange.se",
        "UPPSIKT_SECRETARIES": "sara@ange.se",
        "UPPSIKT_SCHEDULER": "off",
        "TEAMS_APP_ID": APP_ID,
        "TEAMS_APP_PASSWORD": APP_SECRET,
        "TEAMS_TENANT_ID": TENANT_ID,
        "TEAMS_OPENID_METADATA_URL": ms.openid_metadata_url,
        "TEAMS_TOKEN_ISSUER": BOT_FRAMEWORK_ISSUER,
        "TEAMS_AUTHORITY_HOST": ms.login_url,
        "TEAMS_SERVICE_URL": ms.service_url,
        "TEAMS_GRAPH_URL": ms.graph_url,
        "TEAMS_HOST": "127.0.0.1",
        "TEAMS_PORT": "0",
    }
    env.update(extra)
    return env


def seed_database(database_url: str, tmp: Path) -> None:
    """Last tertial's report, the people with their roles, 2024-T2 open: in this process."""
    from bot.config import load_settings
    from bot.domain.periods import PeriodKey
    from bot.services import periods
    from bot.services.core import Core
    from bot.services.database import close_database, open_database
    from bot.services.plan_import import import_plan
    from bot.services.report_import import import_report
    from tests.scenario.support import PEOPLE, SEED

    settings = load_settings(env={"DATABASE_URL": database_url}, dotenv_path=tmp / "none")
    core = Core(settings=settings, engine=open_database(settings))
    try:
        import_report(core.engine, path=SEED, period=PeriodKey(2024, 1), settings=settings)
        activities = tmp / "activities.csv"
        activities.write_text(
            "Mål nr,Mål,Målområde,Aktivitet,Syfte,Startdatum,Slutdatum,Ansvariga enheter\n", "utf-8"
        )
        people = tmp / "people.csv"
        lines = ["Namn,E-post,Enhet,Roll"] + [f"{n},{e},{u},{r}" for n, e, _s, u, r in PEOPLE]
        people.write_text("\n".join(lines) + "\n", "utf-8")
        import_plan(core.engine, path=activities, people_path=people, year=2024, settings=settings)
        periods.change_period(
            core,
            who=None,
            change=periods.PeriodChange(
                period=PeriodKey(2024, 2),
                action=periods.OPEN,
                deadline_text="2024-09-10 16:00",
                confirmed=True,
            ),
        )
    finally:
        close_database(core.engine)


def fake_users() -> dict[str, dict[str, Any]]:
    """The fake tenant's people: names as Uppsikt knows them, plus one Uppsikt does not."""
    names = {
        "anna@ange.se": "Anna Andersson",
        "bengt@ange.se": "Bengt Berg",
        "sara@ange.se": "Sara Sekreterare",
        "adam@ange.se": "Adam Admin",
        "okand@ange.se": "Olle Okänd",
    }
    return {email: {"name": name} for email, name in names.items()}
