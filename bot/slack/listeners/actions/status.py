"""A status chosen in a reminder's select, and the button that opens the status modal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.domain.actors import SLACK
from bot.domain.reporting import StatusInput
from bot.domain.status import COMMENT_REQUIRED, Status
from bot.services.errors import Refused
from bot.services.inbox import Submission, journal_submission
from bot.services.status import MessageRef, status_form
from bot.slack.blocks.modal import build_status_modal
from bot.slack.blocks.reminder import decode_status_choice
from bot.slack.context import SlackContext, acted_at, tell
from bot.slack.ids import ActivityRef, ModalMetadata, decode_activity_ref
from bot.slack.views import journalled

logger = logging.getLogger(__name__)


def message_of(body: dict[str, Any]) -> MessageRef | None:
    """The message an action came from (Slack signs the container), if it was one."""
    container = body.get("container")
    if not isinstance(container, dict) or container.get("type") != "message":
        return None
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if isinstance(channel, str) and isinstance(ts, str) and channel and ts:
        return MessageRef(SLACK, channel, ts)
    return None


def first_action(body: dict[str, Any]) -> dict[str, Any]:
    """The action of a block_actions payload; ValueError if the payload is not Slack's shape."""
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        raise ValueError("no action")
    return actions[0]


def _open_modal(
    ctx: SlackContext,
    client: WebClient,
    body: dict[str, Any],
    ref: ActivityRef,
    initial_status: Status | None,
) -> None:
    """Check the right to report, then open the modal prefilled (current or last tertial)."""
    user = ctx.user((body.get("user") or {}).get("id"))
    form = status_form(ctx.core, user=user, activity_id=ref.activity_id, period=ref.period)
    message = message_of(body)
    view = build_status_modal(
        item=form.item,
        metadata=ModalMetadata(
            ref, message.channel if message else None, message.ts if message else None
        ),
        period=form.period,
        language=ctx.language,
        initial_status=initial_status,
    )
    trigger_id = body.get("trigger_id")
    if not isinstance(trigger_id, str) or not trigger_id:
        raise ValueError("no trigger id")
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except Exception as error:  # Slack refused or did not answer: the person is told
        logger.warning("views.open failed: %s", type(error).__name__)
        raise Refused("modal_failed") from None


def make_handle_status_select(ctx: SlackContext) -> Callable[..., None]:
    """A status picked in the select is stored at once; one that needs a comment opens the modal."""

    def handle_status_select(
        ack: Callable[..., None],
        body: dict[str, Any],
        respond: Any,
        client: WebClient,
        request: Any = None,
    ) -> None:
        ack()
        try:
            action = first_action(body)
            option = action.get("selected_option")
            value = option.get("value") if isinstance(option, dict) else None
            ref, status = decode_status_choice(value if isinstance(value, str) else None)
            if status in COMMENT_REQUIRED:
                _open_modal(ctx, client, body, ref, status)
                return
            user = ctx.user((body.get("user") or {}).get("id"))
            # Journalled before the ack and stored right after it, like a modal's save.
            journal_submission(
                ctx.core,
                Submission(
                    user=user,
                    activity_id=ref.activity_id,
                    unit_id=ref.unit_id,
                    period=ref.period,
                    status_input=StatusInput(status, None),
                    acted_at=acted_at(body, request),
                    message=message_of(body),
                ),
            )
        except Refused as refused:
            tell(ctx, body, respond, ctx.refusal(refused))
            return
        except (ValueError, AttributeError, TypeError):
            tell(ctx, body, respond, ctx.text("bad_request"))
            return
        journalled(ctx)

    return handle_status_select


def make_handle_open_modal(ctx: SlackContext) -> Callable[..., None]:
    """The "Status och kommentar" button: open the modal (the trigger_id lives 3 s)."""

    def handle_open_modal(
        ack: Callable[..., None], body: dict[str, Any], respond: Any, client: WebClient
    ) -> None:
        ack()
        try:
            value = first_action(body).get("value")
            ref = decode_activity_ref(value if isinstance(value, str) else None)
            _open_modal(ctx, client, body, ref, None)
        except Refused as refused:
            tell(ctx, body, respond, ctx.refusal(refused))
        except (ValueError, AttributeError, TypeError):
            tell(ctx, body, respond, ctx.text("bad_request"))

    return handle_open_modal
