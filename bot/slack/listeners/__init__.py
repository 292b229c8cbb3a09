"""One routing table per Slack surface; `register_listeners` wires them all."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.context import SlackServices
from bot.slack.listeners import actions, commands, events, views


def register_listeners(app: App, services: SlackServices) -> None:
    """Register every listener of the app."""
    commands.register(app, services)
    actions.register(app, services)
    views.register(app, services)
    events.register(app, services)
