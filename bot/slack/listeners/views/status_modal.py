"""The status modal's submission: validate, journal, close; stored right after the ack."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.domain.actors import SLACK
from bot.domain.reporting import InputError, validate_status_input
from bot.domain.text import clean_text
from bot.services.errors import Refused
from bot.services.inbox import Submission, journal_submission
from bot.services.status import MessageRef
from bot.slack import ids
from bot.slack.blocks.modal import parse_status_submission
from bot.slack.context import SlackContext, acted_at
from bot.slack.ids import decode_modal_metadata
from bot.slack.views import journalled

logger = logging.getLogger(__name__)


def make_handle_status_submission(ctx: SlackContext) -> Callable[..., None]:
    """Answer the submission within Slack's 3 s: errors in the modal, or close it."""

    def handle_status_submission(
        ack: Callable[..., None], body: dict[str, Any], view: dict[str, Any], request: Any = None
    ) -> None:
        def error(block: str, text: str) -> None:
            ack(response_action="errors", errors={block: text})

        try:
            metadata = decode_modal_metadata(view.get("private_metadata"))
            user = ctx.user((body.get("user") or {}).get("id"))
        except (ValueError, AttributeError, TypeError):
            error(ids.STATUS_BLOCK, ctx.text("bad_request"))
            return
        status_text, comment = parse_status_submission(view)
        try:
            status_input = validate_status_input(
                status_text, clean_text(comment or ""), require_comment=True
            )
        except InputError as problem:
            block = ids.COMMENT_BLOCK if problem.field == "comment" else ids.STATUS_BLOCK
            error(block, ctx.text(problem.key, **problem.params))
            return
        message = (
            MessageRef(SLACK, metadata.channel, metadata.message_ts)
            if metadata.channel and metadata.message_ts
            else None
        )
        # Input errors and who the person is are answered inside the modal. Whether they may
        # report on this activity is checked when the journalled submission is stored, right
        # after the ack; a refusal then reaches them as a private message.
        try:
            journal_submission(
                ctx.core,
                Submission(
                    user=user,
                    activity_id=metadata.ref.activity_id,
                    unit_id=metadata.ref.unit_id,
                    period=metadata.ref.period,
                    status_input=status_input,
                    acted_at=acted_at(body, request),
                    message=message,
                ),
            )
        except Refused as refused:
            error(ids.STATUS_BLOCK, ctx.refusal(refused))
            return
        except Exception:
            logger.exception("could not journal a submission")
            error(ids.STATUS_BLOCK, ctx.text("try_again"))
            return
        ack()
        journalled(ctx)

    return handle_status_submission
