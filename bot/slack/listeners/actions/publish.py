"""The secretary's publish buttons."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.services.errors import Refused
from bot.services.publishing import publish_report
from bot.slack.context import SlackContext, tell
from bot.slack.ids import decode_publish
from bot.slack.listeners.actions.status import first_action

logger = logging.getLogger(__name__)


def make_handle_publish(ctx: SlackContext, *, include_docx: bool = False) -> Callable[..., None]:
    """Publish the compiled report (PDF, and Word when asked) to the committee channel."""

    def handle_publish(ack: Callable[..., None], body: dict[str, Any], respond: Any) -> None:
        ack()
        try:
            value = first_action(body).get("value")
            period = decode_publish(value if isinstance(value, str) else None)
            user = ctx.user((body.get("user") or {}).get("id"))
        except (ValueError, AttributeError, TypeError):
            tell(ctx, body, respond, ctx.text("bad_request"))
            return
        # Compiling and rendering take seconds: after the ack, off the listener thread.
        ctx.later(f"publish:{period}:{user.user_id}", _publish, ctx, body, respond, user, period)

    def _publish(ctx: SlackContext, body: dict[str, Any], respond: Any, user, period) -> None:
        tell(ctx, body, respond, ctx.text("publish_started", period=str(period)))
        try:
            published = publish_report(ctx.core, who=user, period=period, include_docx=include_docx)
        except Refused as refused:
            tell(ctx, body, respond, ctx.refusal(refused))
            return
        tell(
            ctx,
            body,
            respond,
            ctx.text(
                "published",
                period=published.period,
                version=published.version,
                channel=f"<#{published.channel}>",
            ),
        )

    return handle_publish
