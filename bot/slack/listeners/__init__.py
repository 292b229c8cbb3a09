"""One routing table per Slack surface; `register_listeners` wires them all."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.context import SlackContext
from bot.slack.listeners import actions, commands, events, views


def register_listeners(app: App, ctx: SlackContext) -> None:
    """Register every listener of the app.

    Bolt tries the listeners in this order for every request, so the hot paths come first:
    the status modal (the first view), then the status select (the first action).
    """
    views.register(app, ctx)
    actions.register(app, ctx)
    commands.register(app, ctx)
    events.register(app, ctx)
