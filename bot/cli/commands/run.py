"""`uppsikt run`: the bot, through the composition root."""

from __future__ import annotations

import argparse

from bot.cli.context import CommandContext, CommandError
from bot.logs import configure_logging
from bot.runtime import StartError, run


def run_bot(context: CommandContext, _args: argparse.Namespace) -> None:
    configure_logging(context.settings)
    try:
        run(context.settings, context.say)
    except StartError as error:
        raise CommandError(str(error)) from None
