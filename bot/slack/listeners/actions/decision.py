"""The secretary's decision: open the modal, grow a reason field per returned activity."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.domain.actors import ChatUser
from bot.domain.periods import PeriodKey
from bot.services.decisions import decision_form
from bot.services.errors import Refused
from bot.slack import ids
from bot.slack.blocks.decision import build_decision_modal, chosen_activities
from bot.slack.context import SlackContext, tell
from bot.slack.ids import decode_decision, decode_publish
from bot.slack.listeners.actions.status import first_action

logger = logging.getLogger(__name__)


def open_decision_modal(
    ctx: SlackContext, client: WebClient, user: ChatUser, period: PeriodKey, trigger_id: object
) -> None:
    """Open the decision modal for the latest published version; Refused if there is none."""
    form = decision_form(ctx.core, who=user, period=period)
    if form.version is None:
        raise Refused("decision_no_version", period=str(period))
    if form.decided is not None:
        raise Refused("decision_exists", version=form.version)
    if not isinstance(trigger_id, str) or not trigger_id:
        raise ValueError("no trigger id")
    view = build_decision_modal(
        language=ctx.language,
        period=form.period,
        version=form.version,
        activities=list(form.activities),
    )
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except Exception as error:
        logger.warning("could not open the decision modal: %s", type(error).__name__)
        raise Refused("modal_failed") from None


def make_handle_open_decision(ctx: SlackContext) -> Callable[..., None]:
    """The "Registrera beslut" button in the report's summary."""

    def handle(
        ack: Callable[..., None], body: dict[str, Any], respond: Any, client: WebClient
    ) -> None:
        ack()
        try:
            value = first_action(body).get("value")
            period = decode_publish(value if isinstance(value, str) else None)
            user = ctx.user((body.get("user") or {}).get("id"))
            open_decision_modal(ctx, client, user, period, body.get("trigger_id"))
        except Refused as refused:
            tell(ctx, body, respond, ctx.refusal(refused))
        except (ValueError, AttributeError, TypeError):
            tell(ctx, body, respond, ctx.text("bad_request"))

    return handle


def make_handle_decision_activities(ctx: SlackContext) -> Callable[..., None]:
    """Activities chosen in the modal: show a reason field for each (values typed are kept)."""

    def handle(ack: Callable[..., None], body: dict[str, Any], client: WebClient) -> None:
        ack()
        view = body.get("view")
        if not isinstance(view, dict):
            return
        try:
            period, version = decode_decision(view.get("private_metadata"))
            user = ctx.user((body.get("user") or {}).get("id"))
            form = decision_form(ctx.core, who=user, period=period)
        except (Refused, ValueError, AttributeError):
            return
        updated = build_decision_modal(
            language=ctx.language,
            period=str(period),
            version=version,
            activities=list(form.activities),
            chosen=chosen_activities(view),
        )
        try:
            client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=updated)
        except Exception as error:  # an older view (another change came first): fine
            logger.info("the decision modal was not updated: %s", type(error).__name__)

    return handle


__all__ = [
    "ids",
    "make_handle_decision_activities",
    "make_handle_open_decision",
    "open_decision_modal",
]
