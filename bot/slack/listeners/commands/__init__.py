"""Slash commands."""

from __future__ import annotations

from slack_bolt import App

from bot.slack import ids
from bot.slack.context import SlackContext
from bot.slack.listeners.commands.uppsikt import make_handle_uppsikt_command


def register(app: App, ctx: SlackContext) -> None:
    app.command(ids.COMMAND)(make_handle_uppsikt_command(ctx))
