"""Events API: the App Home, handled once even when Slack retries."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.slack.context import SlackServices, refresh_home
from storage.db import session_scope
from storage.models import SlackEvent, utcnow

logger = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    app.event("app_home_opened")(make_handle_app_home_opened(services))


def first_time(services: SlackServices, event_id: str | None) -> bool:
    """Record an event id; False if it was handled already (a retry)."""
    if not event_id:
        return True
    try:
        with session_scope(services.engine, write=True) as session:
            session.add(SlackEvent(event_id=event_id[:64]))
            # Slack retries within minutes; a day of ids is plenty.
            session.exec(
                delete(SlackEvent).where(SlackEvent.received_at < utcnow() - timedelta(days=1))
            )  # type: ignore[call-overload]
    except IntegrityError:
        return False
    return True


def make_handle_app_home_opened(services: SlackServices) -> Callable[..., None]:
    """Publish the person's App Home when they open it."""

    def handle_app_home_opened(
        body: dict[str, Any], event: dict[str, Any], client: WebClient
    ) -> None:
        if event.get("tab", "home") != "home":
            return
        if not first_time(services, body.get("event_id")):
            logger.info("event %s already handled (retry)", body.get("event_id"))
            return
        refresh_home(services, client, event["user"])

    return handle_app_home_opened
