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


# End-to-end tests that exercise no database-specific behaviour run on one backend each (half
# on PostgreSQL, half on the SQLite file), to keep the suite quick; the storage and service
# tests, and every end-to-end test of once-only delivery, concurrency or crashes, run on both.
def _one_backend(name: str):  # type: ignore[no-untyped-def]
    import pytest

    return pytest.mark.parametrize("database_url", [name], indirect=True)


ON_SQLITE = _one_backend("sqlite")
ON_POSTGRES = _one_backend("postgres")
