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


def backup(context: CommandContext, args: argparse.Namespace) -> None:
    """A consistent copy of the live database."""
    from bot.services.backup import backup_database

    done = backup_database(context.settings, path=args.file)
    context.say(context.tr("cli_backup_done", path=done.path, size=done.size, kind=done.kind))


def restore(context: CommandContext, args: argparse.Namespace) -> None:
    """A backup put onto an empty database, then upgraded."""
    from bot.services.backup import restore_database

    done = restore_database(context.settings, path=args.file)
    context.say(
        context.tr("cli_restore_done", path=done.path, url=done.url, revision=done.revision_after)
    )
