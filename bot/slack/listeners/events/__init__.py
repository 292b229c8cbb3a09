"""Events API: the App Home, handled once even when Slack retries."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot.services.events import first_time
from bot.slack.context import SlackContext
from bot.slack.views import refresh_home

logger = logging.getLogger(__name__)


def register(app: App, ctx: SlackContext) -> None:
    app.event("app_home_opened")(make_handle_app_home_opened(ctx))


def make_handle_app_home_opened(ctx: SlackContext) -> Callable[..., None]:
    """Publish the person's App Home when they open it."""

    def handle_app_home_opened(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        event_id = body.get("event_id")
        if not first_time(
            ctx.core, platform="slack", event_id=event_id if isinstance(event_id, str) else None
        ):
            logger.info("an event was already handled (a retry)")
            return
        try:
            user = ctx.user(event.get("user"))
        except ValueError:
            return
        ctx.later(f"home:{user.user_id}", refresh_home, ctx, user)

    return handle_app_home_opened
