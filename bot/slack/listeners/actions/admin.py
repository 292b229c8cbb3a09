"""The admin's App Home buttons: change a period, open a new one, change the reminder schedule."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.domain.actors import ChatUser
from bot.services import overview
from bot.services.errors import Refused
from bot.services.periods import effective_schedule, period_state
from bot.slack.blocks.admin import build_period_modal, build_schedule_modal
from bot.slack.context import SlackContext, tell
from bot.slack.ids import decode_period
from bot.slack.listeners.actions.status import first_action

logger = logging.getLogger(__name__)


def _make_opener(
    ctx: SlackContext,
    build: Callable[[ChatUser, dict[str, Any]], dict[str, Any]],
    what: str,
) -> Callable[..., None]:
    """A button handler: ack, check that the person is an admin, open the modal `build` makes."""

    def handle(
        ack: Callable[..., None], body: dict[str, Any], respond: Any, client: WebClient
    ) -> None:
        ack()
        try:
            user = ctx.user((body.get("user") or {}).get("id"))
            if not overview.who_is(ctx.core, user=user).is_admin:
                raise Refused("not_admin")
            view = build(user, first_action(body))
            trigger_id = body.get("trigger_id")
            if not isinstance(trigger_id, str) or not trigger_id:
                raise ValueError("no trigger id")
            try:
                client.views_open(trigger_id=trigger_id, view=view)
            except Exception as error:  # the person is told
                logger.warning("could not open the %s modal: %s", what, type(error).__name__)
                raise Refused("modal_failed") from None
        except Refused as refused:
            tell(ctx, body, respond, ctx.refusal(refused))
        except (ValueError, AttributeError, TypeError):
            tell(ctx, body, respond, ctx.text("bad_request"))

    return handle


def make_handle_edit_period(ctx: SlackContext) -> Callable[..., None]:
    """The "Ändra" button next to a period: the period modal, prefilled."""

    def build(_user: ChatUser, action: dict[str, Any]) -> dict[str, Any]:
        value = action.get("value")
        period = decode_period(value if isinstance(value, str) else None)
        # No progress here: the trigger_id lives 3 s, and counting a large plan takes a while.
        return build_period_modal(
            language=ctx.language,
            period=period_state(ctx.core, period=period),
            zone=ctx.core.settings.timezone,
        )

    return _make_opener(ctx, build, "period")


def make_handle_new_period(ctx: SlackContext) -> Callable[..., None]:
    """The "Ny period" button: the period modal, empty."""

    def build(_user: ChatUser, _action: dict[str, Any]) -> dict[str, Any]:
        return build_period_modal(
            language=ctx.language, period=None, zone=ctx.core.settings.timezone
        )

    return _make_opener(ctx, build, "new period")


def make_handle_edit_schedule(ctx: SlackContext) -> Callable[..., None]:
    """The "Ändra påminnelser" button: the schedule modal with the schedule in force."""

    def build(_user: ChatUser, _action: dict[str, Any]) -> dict[str, Any]:
        return build_schedule_modal(
            language=ctx.language,
            schedule=effective_schedule(ctx.core),
            zone=ctx.core.settings.timezone,
        )

    return _make_opener(ctx, build, "schedule")
