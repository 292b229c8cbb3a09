"""The admin's App Home buttons: change a period, open a new one, change the reminder schedule."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.domain.reporting import PeriodInfo
from bot.services import periods as period_admin
from bot.services.status import Refused, period_info
from bot.slack.blocks.admin import build_period_modal, build_schedule_modal
from bot.slack.context import SlackServices, tell
from bot.slack.ids import decode_period
from storage.db import session_scope
from storage.queries import get_period

logger = logging.getLogger(__name__)


def _require_admin(services: SlackServices, body: dict[str, Any]) -> None:
    if not services.actor(body["user"]["id"]).is_admin:
        raise Refused("not_admin")


def _period_info(services: SlackServices, value: str | None) -> PeriodInfo:
    """The period an "Ändra" button names, with its local deadline; Refused if it is gone."""
    key = decode_period(value)
    with session_scope(services.engine) as session:
        period = get_period(session, year=key.year, tertial=key.tertial)
        if period is None:
            raise Refused("unknown_period", period=str(key))
        # No progress here: the trigger_id lives 3 s, and counting a large plan takes a while.
        return period_info(period, services.settings.timezone)


def _make_opener(
    services: SlackServices, build: Callable[[dict[str, Any]], dict[str, Any]], what: str
) -> Callable[..., None]:
    """A button handler: ack, check that the person is an admin, open the modal `build` makes."""

    def handle(
        ack: Callable[..., None],
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Any,
        client: WebClient,
    ) -> None:
        ack()
        try:
            _require_admin(services, body)
            view = build(action)
            client.views_open(trigger_id=body["trigger_id"], view=view)
        except Refused as refused:
            tell(client, body, respond, services.refusal(refused))
        except ValueError:
            tell(client, body, respond, services.text("bad_request"))
        except Exception:
            logger.exception("could not open the %s modal", what)
            tell(client, body, respond, services.text("bad_request"))

    return handle


def make_handle_edit_period(services: SlackServices) -> Callable[..., None]:
    """The "Ändra" button next to a period: the period modal, prefilled."""

    def build(action: dict[str, Any]) -> dict[str, Any]:
        return build_period_modal(
            language=services.language,
            period=_period_info(services, action.get("value")),
            zone=services.settings.timezone,
        )

    return _make_opener(services, build, "period")


def make_handle_new_period(services: SlackServices) -> Callable[..., None]:
    """The "Ny period" button: the period modal, empty."""

    def build(_action: dict[str, Any]) -> dict[str, Any]:
        return build_period_modal(
            language=services.language, period=None, zone=services.settings.timezone
        )

    return _make_opener(services, build, "new period")


def make_handle_edit_schedule(services: SlackServices) -> Callable[..., None]:
    """The "Ändra påminnelser" button: the schedule modal with the schedule in force."""

    def build(_action: dict[str, Any]) -> dict[str, Any]:
        return build_schedule_modal(
            language=services.language,
            schedule=period_admin.effective_schedule(services.engine, services.settings),
            zone=services.settings.timezone,
        )

    return _make_opener(services, build, "schedule")
