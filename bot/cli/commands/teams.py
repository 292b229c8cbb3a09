"""`uppsikt teams package -o uppsikt-teams.zip`: the Teams app package to upload."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.context import CommandContext, CommandError


def package(context: CommandContext, args: argparse.Namespace) -> None:
    """Write the app package (manifest with the bot and its commands, icons) for TEAMS_APP_ID."""
    from bot.teams.manifest import build_package

    settings = context.settings
    if not settings.teams_app_id:
        raise CommandError(context.tr("cli_teams_package_needs_app_id"))
    output = Path(args.output)
    output.write_bytes(build_package(settings))
    context.say(context.tr("cli_teams_package_written", path=output, app_id=settings.teams_app_id))
