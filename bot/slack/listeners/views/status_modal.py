"""The status modal's submission: validate, check the right, store, close, update the message."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.domain.reporting import InputError, validate_status_input
from bot.slack import ids
from bot.slack.blocks.modal import parse_status_submission
from bot.slack.context import SlackServices
from bot.slack.ids import decode_modal_metadata
from bot.slack.inbox import enqueue, schedule_drain

logger = logging.getLogger(__name__)


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
        # Input errors are answered inside the modal. Who may report and whether the period
        # is open need the database and perhaps Slack: the submission is journalled, acked, and
        # stored right after; a refusal reaches the person as a private message.
        try:
            enqueue(services, user_id=user_id, metadata=metadata, status_input=status_input)
        except Exception:
            logger.exception("could not journal a submission")
            ack(response_action="errors", errors={ids.STATUS_BLOCK: services.text("bad_request")})
            return
        ack()
        schedule_drain(services, client)

    return handle_status_submission
