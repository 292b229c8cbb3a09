"""The decision modal's submission: recorded at once (errors inside the modal), followed up
(the committee told, reminders, the board) after the ack."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.services.decisions import DecisionInput, follow_up_decision, record_decision
from bot.services.errors import Refused
from bot.slack import ids
from bot.slack.blocks.decision import parse_decision_submission
from bot.slack.context import SlackContext

logger = logging.getLogger(__name__)

_BLOCKS = {
    "decision_deadline_required": ids.DECISION_DEADLINE_DATE_BLOCK,
    "deadline_nonexistent": ids.DECISION_DEADLINE_TIME_BLOCK,
    "deadline_format": ids.DECISION_DEADLINE_DATE_BLOCK,
    "deadline_past": ids.DECISION_CONFIRM_BLOCK,
    "deadline_outside": ids.DECISION_CONFIRM_BLOCK,
    "decision_board_meeting_required": ids.DECISION_BOARD_BLOCK,
    "decision_return_needs_activities": ids.DECISION_ACTIVITIES_BLOCK,
}


def make_handle_decision_submission(ctx: SlackContext) -> Callable[..., None]:
    def handle(ack: Callable[..., None], body: dict[str, Any], view: dict[str, Any]) -> None:
        try:
            period, version = ids.decode_decision(view.get("private_metadata"))
            user = ctx.user((body.get("user") or {}).get("id"))
        except (ValueError, AttributeError, TypeError):
            ack(response_action="errors", errors={ids.DECISION_KIND_BLOCK: ctx.text("bad_request")})
            return
        form = parse_decision_submission(view, language=ctx.language)
        if isinstance(form, dict):
            ack(response_action="errors", errors=form)
            return
        try:
            recorded = record_decision(
                ctx.core,
                who=user,
                period=period,
                decision=DecisionInput(
                    kind=form.kind,
                    reasons=form.reasons,
                    returned=form.returned,
                    deadline_day=form.deadline_day,
                    deadline_time=form.deadline_time,
                    board_meeting=form.board_meeting,
                    presenter=form.presenter,
                    version=version,
                    confirmed=form.confirmed,
                ),
            )
        except Refused as refused:
            block = _BLOCKS.get(refused.key, ids.DECISION_KIND_BLOCK)
            ack(response_action="errors", errors={block: ctx.refusal(refused)})
            return
        ack()
        ctx.notifier.tell_user(
            user.user_id,
            ctx.text(
                f"decision_recorded_{recorded.kind}",
                period=recorded.period,
                version=recorded.version,
            ),
        )
        ctx.later(f"decision:{period}", follow_up_decision, ctx.core, period=period)

    return handle
