"""The admin card's actions: change a period, open a new one, change the reminder schedule.

Each is one service call by the one period rule (the same as Slack's forms and the command
line); the card then comes back as it now stands, with what was saved at the top. A refusal
(not an admin, a deadline that needs confirmation) is answered as a message and the form keeps
what the admin typed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.domain.actors import ChatUser
from bot.services import overview, periods
from bot.services.errors import Refused
from bot.teams import ids
from bot.teams.cards import build_admin_card
from bot.teams.cards.admin import days_list
from bot.teams.cards.common import format_datetime
from bot.teams.context import TeamsContext, card_response, error_response, message_response

logger = logging.getLogger(__name__)


def admin_card(
    ctx: TeamsContext, user: ChatUser, result: tuple[str, bool] | None
) -> dict[str, Any]:
    data = overview.home(ctx.core, user=user)
    if not data.actor.is_admin:
        raise Refused("not_admin")
    return build_admin_card(
        language=ctx.language,
        zone=ctx.core.settings.timezone,
        admin_periods=list(data.admin_periods or ()),
        schedule=data.schedule,
        period=data.period,
        all_units=list(data.all_units) if data.all_units is not None else None,
        result=result,
    )


def _period(ctx: TeamsContext, user: ChatUser, data: object) -> tuple[str, bool]:
    form = ids.parse_period_form(data)
    changed = periods.change_period(
        ctx.core,
        who=user,
        change=periods.PeriodChange(
            period=form.period,
            action=periods.NEW if form.is_new else periods.EDIT,
            deadline_day=form.day,
            deadline_time=form.clock,
            state=form.state,
            confirmed=form.confirmed,
        ),
    )
    info = changed.period
    if not changed.changed and not changed.created:
        text = ctx.text("teams_admin_unchanged_period", period=info.key)
    else:
        state = ctx.text("teams_state_open" if info.is_open else "teams_state_closed")
        text = ctx.text(
            "teams_admin_saved_period",
            period=info.key,
            state=state,
            deadline=format_datetime(info.deadline, ctx.language),
        )
    notes = [ctx.text(key, **params) for key, params in changed.notes]
    return " ".join([text, *notes]), True


def _schedule(ctx: TeamsContext, user: ChatUser, data: object) -> tuple[str, bool]:
    days_text, time_text = ids.parse_schedule_form(data)
    schedule = periods.save_schedule(ctx.core, who=user, days_text=days_text, time_text=time_text)
    return (
        ctx.text(
            "teams_admin_saved_schedule",
            days=days_list(schedule.days_before, ctx.language),
            time=f"{schedule.at:%H:%M}",
        ),
        True,
    )


def act(ctx: TeamsContext, user: ChatUser, verb: str, data: object) -> dict[str, Any]:
    """In the service pool: one admin action and the invoke's answer."""
    try:
        result: tuple[str, bool] | None = None
        if verb in (ids.EDIT_PERIOD, ids.NEW_PERIOD):
            result = _period(ctx, user, data)
        elif verb == ids.EDIT_SCHEDULE:
            result = _schedule(ctx, user, data)
        return card_response(admin_card(ctx, user, result))
    except ids.FormError as problem:
        return message_response(ctx.text(problem.key))
    except Refused as refused:
        answer = ctx.refusal(refused)
        if refused.needs_confirmation:
            answer += " " + ctx.text("teams_deadline_confirm_option") + "."
        return message_response(answer)


def make_handle_admin(ctx: TeamsContext, verb: str) -> Callable[..., Awaitable[dict[str, Any]]]:
    """One of the admin card's Action.Execute verbs."""

    async def handle_admin(actx: Any) -> dict[str, Any]:
        activity = actx.activity
        try:
            user, _address, data = ctx.card_action(activity, verb)
        except (ValueError, AttributeError, TypeError):
            return error_response(ctx.text("bad_request"))
        try:
            return await ctx.loop.call(act, ctx, user, verb, data)
        except ids.BadData:
            return error_response(ctx.text("bad_request"))
        except Exception:
            logger.exception("an admin action from Teams failed")
            return message_response(ctx.text("try_again"))

    return handle_admin
