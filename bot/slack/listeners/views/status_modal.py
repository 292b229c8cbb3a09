"""The status modal's submission: validate, check the right, store, close, update the message."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.domain.reporting import InputError, validate_status_input
from bot.services.status import Refused, record_status
from bot.slack import ids
from bot.slack.blocks.modal import parse_status_submission
from bot.slack.context import SlackServices, refresh_home, update_reminder_message
from bot.slack.ids import decode_modal_metadata

logger = logging.getLogger(__name__)

# Refusals shown next to the comment field; every other one next to the status.
_COMMENT_KEYS = {"comment_required", "comment_too_long"}


def make_handle_status_submission(services: SlackServices) -> Callable[..., None]:
    """Answer the submission within Slack's 3 s: errors in the modal, or close it."""

    def handle_status_submission(
        ack: Callable[..., None], body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = (body.get("user") or {}).get("id", "")
        try:
            metadata = decode_modal_metadata(view.get("private_metadata"))
        except ValueError:
            ack(response_action="errors", errors={ids.STATUS_BLOCK: services.text("bad_request")})
            return
        status_text, comment = parse_status_submission(view)
        try:
            status_input = validate_status_input(status_text, comment or "", require_comment=True)
        except InputError as error:
            block = ids.COMMENT_BLOCK if error.field == "comment" else ids.STATUS_BLOCK
            ack(
                response_action="errors",
                errors={block: services.text(error.key, **error.params)},
            )
            return
        try:
            record_status(
                services.engine,
                actor=services.actor(user_id),
                activity_id=metadata.ref.activity_id,
                period=metadata.ref.period,
                status_input=status_input,
                source="slack",
            )
        except Refused as refused:
            block = ids.COMMENT_BLOCK if refused.key in _COMMENT_KEYS else ids.STATUS_BLOCK
            ack(response_action="errors", errors={block: services.refusal(refused)})
            return
        ack()
        try:
            if metadata.channel and metadata.message_ts and metadata.ref.unit_id is not None:
                update_reminder_message(
                    services,
                    client,
                    channel=metadata.channel,
                    ts=metadata.message_ts,
                    unit_id=metadata.ref.unit_id,
                    period_key=str(metadata.ref.period),
                    activity_id=metadata.ref.activity_id,
                )
            else:
                refresh_home(services, client, user_id)
        except Exception:
            logger.exception("could not update the message after a modal save")

    return handle_status_submission
