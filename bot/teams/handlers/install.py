"""The app installed for a person: remember how to write to them, match them by e-mail."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.services.events import first_time
from bot.services.identity import account_seen
from bot.teams.connector import text_activity
from bot.teams.context import TeamsContext

logger = logging.getLogger(__name__)


def _bot_added(activity: Any) -> bool:
    recipient = getattr(getattr(activity, "recipient", None), "id", None)
    for member in getattr(activity, "members_added", None) or []:
        if getattr(member, "id", None) == recipient:
            return True
    return False


def seen(ctx: TeamsContext, activity: Any) -> str | None:
    """Store the person's address and match them (in the service pool); their name if matched,
    "" if not, None if the activity names no person."""
    try:
        user, address = ctx.note_sender(activity)
    except ValueError:
        return None
    if not ctx.is_personal(activity) or not address["conversation_id"]:
        return None
    email = ctx.notifier.user_email(user)
    name = str(getattr(getattr(activity, "from_", None), "name", "") or "")[:200]
    result = account_seen(ctx.core, user=user, email=email, address=address, name=name)
    ctx.mark_seen(user)
    return (result.person_name or name or "–") if result.matched else ""


def make_handle_conversation_update(ctx: TeamsContext) -> Callable[..., Awaitable[None]]:
    """conversationUpdate: the bot was added to a person's 1:1 (personal install)."""

    async def handle_conversation_update(actx: Any) -> None:
        activity = actx.activity
        if not _bot_added(activity) or not ctx.is_personal(activity):
            return
        conversation = ctx.address(activity)["conversation_id"]
        event_id = f"install:{conversation}:{activity.id}"
        if not await ctx.loop.call(first_time, ctx.core, platform="teams", event_id=event_id):
            return
        try:
            name = await ctx.loop.call(seen, ctx, activity)
        except Exception:
            logger.exception("an install could not be recorded")
            return
        if name is None:
            return
        text = ctx.text("teams_welcome", name=name) if name else ctx.text("teams_welcome_unknown")
        await actx.send(text_activity(text))

    return handle_conversation_update


def make_handle_installation_update(ctx: TeamsContext) -> Callable[..., Awaitable[None]]:
    """installationUpdate (add): the same person and address again; no second welcome."""

    async def handle_installation_update(actx: Any) -> None:
        activity = actx.activity
        if getattr(activity, "action", None) != "add" or not ctx.is_personal(activity):
            return
        try:
            await ctx.loop.call(seen, ctx, activity)
        except Exception:
            logger.exception("an install could not be recorded")

    return handle_installation_update
