"""`uppsikt db upgrade`."""

from __future__ import annotations

import argparse

from bot.cli.context import CommandContext
from bot.services.database import upgrade_database


def upgrade(context: CommandContext, _args: argparse.Namespace) -> None:
    """Apply every migration to the configured database."""
    done = upgrade_database(context.settings)
    key = "cli_db_current" if done.before == done.after else "cli_db_upgraded"
    context.say(context.tr(key, url=done.url, before=done.before, after=done.after))
