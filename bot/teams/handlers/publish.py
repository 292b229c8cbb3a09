"""The secretary's Publish (and Publish with the Word file) from the report card."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.domain.actors import ChatUser
from bot.domain.periods import PeriodKey
from bot.services.errors import Refused
from bot.services.publishing import publish_report
from bot.teams import ids
from bot.teams.context import TeamsContext, error_response, message_response

logger = logging.getLogger(__name__)


def make_handle_publish(ctx: TeamsContext) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Answer at once; compiling, rendering and posting run after, and the secretary is told."""

    async def handle_publish(actx: Any) -> dict[str, Any]:
        activity = actx.activity
        try:
            user, address = ctx.note_sender(activity)
            period, with_word = ids.parse_publish(activity.value.action.data)
        except (ValueError, AttributeError, TypeError):
            return error_response(ctx.text("bad_request"))
        ctx.loop.background(_publish(ctx, user, address, period, with_word), "publishing")
        return message_response(ctx.text("teams_publish_started", period=str(period)))

    return handle_publish


async def _publish(
    ctx: TeamsContext, user: ChatUser, address: dict[str, str], period: PeriodKey, with_word: bool
) -> None:
    try:
        published = await ctx.loop.call(
            publish_report, ctx.core, who=user, period=period, include_docx=with_word
        )
    except Refused as refused:
        await ctx.tell(address, ctx.refusal(refused))
        return
    except Exception:
        logger.exception("publishing from Teams failed")
        await ctx.tell(address, ctx.text("publish_failed"))
        return
    await ctx.tell(
        address, ctx.text("teams_published", period=published.period, version=published.version)
    )
