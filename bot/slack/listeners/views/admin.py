"""The admin's period and schedule modals: validate, apply by the one rule, refresh App Home."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.services import periods
from bot.services.errors import Refused
from bot.slack import ids
from bot.slack.blocks.admin import parse_period_submission, parse_schedule_submission
from bot.slack.context import SlackContext
from bot.slack.views import refresh_home

logger = logging.getLogger(__name__)

# Which block a refusal from the period rule belongs to.
_PERIOD_ERROR_BLOCKS = {
    "deadline_nonexistent": ids.DEADLINE_TIME_BLOCK,
    "deadline_ambiguous": ids.DEADLINE_TIME_BLOCK,
    "deadline_format": ids.DEADLINE_DATE_BLOCK,
    "deadline_past": ids.DEADLINE_CONFIRM_BLOCK,
    "deadline_outside": ids.DEADLINE_CONFIRM_BLOCK,
}


def _tell_refused(ctx: SlackContext, ack: Callable[..., None], user_id: str, key: str) -> None:
    """Close the modal and say privately why nothing changed."""
    ack()
    ctx.notifier.tell_user(user_id, ctx.text(key))


def make_handle_period_submission(ctx: SlackContext) -> Callable[..., None]:
    """The period modal: errors inside it, or store the change, close it and refresh App Home."""

    def handle_period_submission(
        ack: Callable[..., None], body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        try:
            editing = ids.decode_period_modal(view.get("private_metadata"))
            user = ctx.user((body.get("user") or {}).get("id"))
        except (ValueError, AttributeError, TypeError):
            ack(response_action="errors", errors={ids.DEADLINE_DATE_BLOCK: ctx.text("bad_request")})
            return
        form = parse_period_submission(
            view, editing=editing, zone=ctx.core.settings.timezone, language=ctx.language
        )
        if isinstance(form, dict):
            ack(response_action="errors", errors=form)
            return
        change = periods.PeriodChange(
            period=form.period,
            action=periods.NEW if form.is_new else periods.EDIT,
            deadline_day=form.day,
            deadline_time=form.clock,
            state=form.state,
            confirmed=form.confirmed,
        )
        try:
            periods.change_period(ctx.core, who=user, change=change)
        except Refused as refused:
            if refused.key == "not_admin":
                _tell_refused(ctx, ack, user.user_id, "not_admin")
                return
            default = ids.PERIOD_KEY_BLOCK if form.is_new else ids.DEADLINE_DATE_BLOCK
            block = _PERIOD_ERROR_BLOCKS.get(refused.key, default)
            ack(response_action="errors", errors={block: ctx.refusal(refused)})
            return
        ack()
        ctx.later(f"home:{user.user_id}", refresh_home, ctx, user)

    return handle_period_submission


def make_handle_schedule_submission(ctx: SlackContext) -> Callable[..., None]:
    """The schedule modal: errors inside it, or store the schedule, close it, refresh App Home."""

    def handle_schedule_submission(
        ack: Callable[..., None], body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        try:
            ids.check_schedule_modal(view.get("private_metadata"))
            user = ctx.user((body.get("user") or {}).get("id"))
        except (ValueError, AttributeError, TypeError):
            ack(response_action="errors", errors={ids.SCHEDULE_DAYS_BLOCK: ctx.text("bad_request")})
            return
        change = parse_schedule_submission(view, language=ctx.language)
        if isinstance(change, dict):
            ack(response_action="errors", errors=change)
            return
        try:
            periods.save_schedule(
                ctx.core, who=user, days_text=change.days_text, time_text=change.time_text
            )
        except Refused as refused:
            if refused.key == "not_admin":
                _tell_refused(ctx, ack, user.user_id, "not_admin")
                return
            block = (
                ids.SCHEDULE_TIME_BLOCK
                if refused.params.get("field") == "time"
                else ids.SCHEDULE_DAYS_BLOCK
            )
            ack(response_action="errors", errors={block: ctx.refusal(refused)})
            return
        ack()
        ctx.later(f"home:{user.user_id}", refresh_home, ctx, user)

    return handle_schedule_submission
