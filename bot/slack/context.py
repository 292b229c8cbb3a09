"""What every Slack listener needs: settings, database, notifier, and shared helpers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain.periods import parse_period
from bot.services.access import Actor, resolve_actor
from bot.services.status import Refused, open_period, period_info, unit_overview
from bot.slack.blocks.home import build_home
from bot.slack.blocks.reminder import activity_ids_in_message, build_reminder_messages
from bot.slack.messages import msg
from bot.slack.notifier import SlackNotifier
from storage.db import session_scope
from storage.queries import get_period

logger = logging.getLogger(__name__)


@dataclass
class SlackServices:
    """Closed over by every listener factory."""

    settings: Settings
    engine: Engine
    notifier: SlackNotifier

    @property
    def language(self) -> str:
        return self.settings.language

    def text(self, key: str, **params: object) -> str:
        return msg(self.language, key, **params)

    def refusal(self, refused: Refused) -> str:
        return msg(self.language, refused.key, **refused.params)

    def actor(self, user_id: str) -> Actor:
        """The person behind a Slack user, linked by e-mail the first time."""
        with session_scope(self.engine) as session:
            return resolve_actor(
                session, user_id=user_id, settings=self.settings, directory=self.notifier
            )


def tell(client: WebClient, body: dict[str, Any], respond: Any, text: str) -> None:
    """Answer privately: through response_url when there is one, else a DM."""
    if body.get("response_url") and respond is not None:
        respond(text=text, response_type="ephemeral", replace_original=False)
        return
    user_id = (body.get("user") or {}).get("id") or body.get("user_id")
    if user_id:
        client.chat_postMessage(channel=user_id, text=text)


def refresh_home(services: SlackServices, client: WebClient, user_id: str) -> None:
    """Publish the person's App Home: their units' activities, or every unit for a secretary."""
    actor = services.actor(user_id)
    with session_scope(services.engine) as session:
        period = open_period(session)
        info = period_info(period, services.settings.timezone) if period else None
        units: list = []
        all_units = None
        if period is not None:
            if actor.reporter_unit_ids:
                units = [
                    (progress, items)
                    for _unit, progress, items in unit_overview(
                        session,
                        period=period,
                        unit_ids=sorted(actor.reporter_unit_ids),
                        include_subunits=True,
                    )
                ]
            if actor.is_secretary or actor.is_admin:
                all_units = [progress for _u, progress, _i in unit_overview(session, period=period)]
    view = build_home(
        language=services.language,
        person_name=actor.name or None,
        period=info,
        units=units,
        all_units=all_units,
        is_admin=actor.is_admin,
        is_secretary=actor.is_secretary,
    )
    client.views_publish(user_id=user_id, view=view)


def update_reminder_message(
    services: SlackServices,
    client: WebClient,
    *,
    channel: str,
    ts: str,
    unit_id: int,
    period_key: str,
    activity_id: int,
) -> None:
    """Re-render, in place, the part of a unit's reminder that shows this activity."""
    key = parse_period(period_key)
    with session_scope(services.engine) as session:
        period = get_period(session, year=key.year, tertial=key.tertial)
        if period is None:
            return
        overview = unit_overview(session, period=period, unit_ids=[unit_id], include_subunits=True)
        info = period_info(period, services.settings.timezone)
    if not overview:
        return
    unit, progress, items = overview[0]
    messages = build_reminder_messages(
        unit_id=unit_id,
        unit_path=unit.path,
        period=info,
        items=items,
        progress=progress,
        language=services.language,
    )
    for message in messages:
        if activity_id in activity_ids_in_message(message["blocks"]):
            client.chat_update(
                channel=channel, ts=ts, text=message["text"], blocks=message["blocks"]
            )
            return
