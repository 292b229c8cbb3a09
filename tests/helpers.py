"""Building the core the way the composition root does, for in-process tests."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.config import Settings
from bot.services.core import Core
from bot.services.database import open_database
from bot.slack.notifier import SlackNotifier

TEAM_ID = "T0UPPSIKT"


def slack_core(settings: Settings, *, client: WebClient | None = None, **notifier_options) -> Core:  # type: ignore[no-untyped-def]
    """A core on the settings' database with the Slack notifier attached (emulator's team)."""
    core = Core(settings=settings, engine=open_database(settings))
    client = client or WebClient(
        token=settings.slack_bot_token or "xoxb-test", base_url=settings.slack_api_url
    )
    core.attach(SlackNotifier(client, settings=settings, workspace=TEAM_ID, **notifier_options))
    return core


def plain_core(database_url: str) -> Core:
    """A core on a database, with no chat platform attached."""
    from bot.config import load_settings

    settings = load_settings(env={"DATABASE_URL": database_url}, dotenv_path="/nonexistent")
    return Core(settings=settings, engine=open_database(settings))
