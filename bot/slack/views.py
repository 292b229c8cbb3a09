"""What the Slack adapter shows after something changed: App Home, a reminder message updated
in place, and the journalled submissions stored and answered."""

from __future__ import annotations

import logging
import threading
import time

from bot.domain.actors import ChatUser
from bot.domain.periods import PeriodKey, parse_period
from bot.services import inbox, overview
from bot.services.errors import Refused
from bot.services.status import MessageRef, reminder_view
from bot.slack.blocks.home import build_home
from bot.slack.blocks.reminder import activity_ids_in_message, build_reminder_messages
from bot.slack.context import SlackContext

logger = logging.getLogger(__name__)

DRAIN_KEY = "inbox"
RETRY_DRAIN_SECONDS = 1.0


def refresh_home(ctx: SlackContext, user: ChatUser) -> None:
    """Publish the person's App Home."""
    try:
        data = overview.home(ctx.core, user=user)
    except Refused as refused:
        logger.warning("App Home not refreshed: %s", refused.key)
        return
    view = build_home(
        language=ctx.language,
        person_name=data.actor.name or None if data.actor.is_known else None,
        period=data.period,
        units=[(progress, list(items)) for progress, items in data.units],
        all_units=list(data.all_units) if data.all_units is not None else None,
        is_admin=data.actor.is_admin,
        is_secretary=data.actor.is_secretary,
        admin_periods=list(data.admin_periods) if data.admin_periods is not None else None,
        schedule=data.schedule,
    )
    ctx.client.views_publish(user_id=user.user_id, view=view)


def update_reminder(
    ctx: SlackContext, user: ChatUser, message: MessageRef, period: PeriodKey, activity_id: int
) -> None:
    """Re-render, in place, the part of a reminder that shows this activity: only a reminder
    Uppsikt sent this person, for a unit they report for."""
    content = reminder_view(ctx.core, user=user, message=message, period=period)
    if content is None:
        return
    messages = build_reminder_messages(
        unit_id=content.unit_id,
        unit_path=content.unit_path,
        period=content.period,
        items=list(content.items),
        progress=content.progress,
        language=ctx.language,
    )
    for part in messages:
        if activity_id in activity_ids_in_message(part["blocks"]):
            ctx.client.chat_update(
                channel=message.channel, ts=message.ts, text=part["text"], blocks=part["blocks"]
            )
            return


def after_save(
    ctx: SlackContext,
    user: ChatUser,
    message: MessageRef | None,
    period: PeriodKey,
    activity_id: int,
) -> None:
    """Queue what a save changes on screen, merged per message (or per person's home)."""
    if message is not None:
        key = f"message:{message.channel}:{message.ts}"
        ctx.later(key, update_reminder, ctx, user, message, period, activity_id)
    else:
        ctx.later(f"home:{user.user_id}", refresh_home, ctx, user)


def schedule_drain(ctx: SlackContext) -> None:
    """Have the worker store whatever is in the inbox (one pending pass is enough)."""
    ctx.later(DRAIN_KEY, drain, ctx)


def journalled(ctx: SlackContext) -> None:
    """A submission was journalled and acknowledged: store it soon."""
    ctx.last_journalled = time.monotonic()
    schedule_drain(ctx)


def drain(ctx: SlackContext) -> int:
    """Store the journalled submissions and tell or show each person what became of theirs."""

    def answered(drained: inbox.Drained) -> None:
        _tell(drained)
        ctx.give_way()

    def _tell(drained: inbox.Drained) -> None:
        if drained.refused is not None:
            text = ctx.refusal(drained.refused)
            if not ctx.notifier.tell_user(drained.user.user_id, text):
                logger.error("a person could not be told their report was not stored")
            return
        outcome = drained.outcome
        if outcome is None:
            return
        if outcome.superseded:  # a replayed or late request: the newer status stands
            ctx.notifier.tell_user(drained.user.user_id, ctx.text("save_superseded"))
            return
        period = parse_period(outcome.period)
        after_save(ctx, drained.user, outcome.message, period, outcome.activity_id)

    handled = inbox.drain_inbox(ctx.core, platform="slack", on_drained=answered)
    if handled is None:
        return 0  # the running drain takes what was added
    if inbox.pending_submissions(ctx.core, platform="slack"):
        # Added just as the drain finished, or left by a database that was busy (then wait a
        # moment rather than spin).
        if handled:
            schedule_drain(ctx)
        else:
            timer = threading.Timer(RETRY_DRAIN_SECONDS, schedule_drain, args=(ctx,))
            timer.daemon = True
            timer.start()
    return handled
