"""What every Slack listener needs: settings, database, notifier, and shared helpers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.config import Settings
from bot.domain.periods import parse_period
from bot.domain.reporting import AdminPeriodRow
from bot.services import periods as period_admin
from bot.services.access import Actor, link_chat_user, resolve_actor
from bot.services.status import Refused, open_period, period_info, unit_overview
from bot.slack.blocks.admin import ADMIN_PERIODS_SHOWN
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
    # Work after the ack (message updates, App Home) runs here, so listener threads free up
    # at once for the next user's request.
    background: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(
            max_workers=4, thread_name_prefix="uppsikt-after"
        )
    )

    _pending: set[str] = field(default_factory=set)
    _pending_lock: threading.Lock = field(default_factory=threading.Lock)

    def later(
        self, key: str, function: Callable[..., object], *args: object, **kwargs: object
    ) -> None:
        """Run after the ack; work for a key already waiting is not queued twice (it will read
        the newest data when it runs). Failures are logged, never lost silently."""
        with self._pending_lock:
            if key in self._pending:
                return
            self._pending.add(key)

        def run() -> None:
            with self._pending_lock:
                self._pending.discard(key)
            try:
                function(*args, **kwargs)
            except Exception:
                logger.exception("work after the ack failed: %s", key)

        self.background.submit(run)

    @property
    def language(self) -> str:
        return self.settings.language

    def text(self, key: str, **params: object) -> str:
        return msg(self.language, key, **params)

    def refusal(self, refused: Refused) -> str:
        return msg(self.language, refused.key, **refused.params)

    def actor(self, user_id: str) -> Actor:
        """The person behind a Slack user, linked by e-mail the first time."""
        links: list[tuple[int, str]] = []
        with session_scope(self.engine) as session:
            actor = resolve_actor(
                session,
                user_id=user_id,
                settings=self.settings,
                directory=self.notifier,
                link=lambda person_id, chat_id: links.append((person_id, chat_id)),  # type: ignore[arg-type]
            )
        for person_id, chat_id in links:
            try:
                with session_scope(self.engine, write=True) as session:
                    link_chat_user(session, person_id=person_id, user_id=chat_id)
            except IntegrityError:
                logger.warning("could not remember a chat id (a concurrent link won)")
        return actor


def tell(client: WebClient, body: dict[str, Any], respond: Any, text: str) -> None:
    """Answer privately: through response_url when there is one, else a DM."""
    if body.get("response_url") and respond is not None:
        respond(text=text, response_type="ephemeral", replace_original=False)
        return
    user_id = (body.get("user") or {}).get("id") or body.get("user_id")
    if user_id:
        client.chat_postMessage(channel=user_id, text=text)


def admin_period_rows(services: SlackServices) -> list[AdminPeriodRow]:
    """The newest periods with their local deadline and progress, for the admin's App Home."""
    zone = services.settings.timezone
    return [
        AdminPeriodRow(
            key=status.key,
            state=status.state,
            deadline=status.deadline.astimezone(zone),
            reported=status.reported,
            total=status.total,
        )
        # One more than the home shows, so that it can say there are older ones.
        for status in period_admin.list_periods(services.engine, newest=ADMIN_PERIODS_SHOWN + 1)
    ]


def refresh_home(services: SlackServices, client: WebClient, user_id: str) -> None:
    """Publish the person's App Home: their units' activities, every unit for a secretary, and
    the periods and reminder schedule for an admin."""
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
    admin_periods = admin_period_rows(services) if actor.is_admin else None
    schedule = (
        period_admin.effective_schedule(services.engine, services.settings)
        if actor.is_admin
        else None
    )
    view = build_home(
        language=services.language,
        person_name=actor.name or None,
        period=info,
        units=units,
        all_units=all_units,
        is_admin=actor.is_admin,
        is_secretary=actor.is_secretary,
        admin_periods=admin_periods,
        schedule=schedule,
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
