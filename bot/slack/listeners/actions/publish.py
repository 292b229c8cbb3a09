"""The secretary's publish button."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.services.publishing import publish_report
from bot.services.status import Refused
from bot.slack.context import SlackServices, tell
from bot.slack.ids import decode_publish

logger = logging.getLogger(__name__)


def make_handle_publish(
    services: SlackServices, *, include_docx: bool = False
) -> Callable[..., None]:
    """Publish the compiled report (PDF, and Word when asked) to the committee channel."""

    def handle_publish(
        ack: Callable[..., None],
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Any,
        client: WebClient,
    ) -> None:
        ack()
        try:
            period = decode_publish(action.get("value"))
            actor = services.actor(body["user"]["id"])
            if not actor.is_secretary:
                raise Refused("not_secretary")
            tell(client, body, respond, services.text("publish_started", period=str(period)))
            published = publish_report(
                services.engine,
                notifier=services.notifier,
                period=period,
                settings=services.settings,
                actor=actor,
                include_docx=include_docx,
            )
        except Refused as refused:
            tell(client, body, respond, services.refusal(refused))
            return
        except ValueError:
            tell(client, body, respond, services.text("bad_request"))
            return
        except Exception:
            logger.exception("publishing failed")
            tell(client, body, respond, services.text("publish_failed"))
            return
        tell(
            client,
            body,
            respond,
            services.text("published", period=published.period, channel=f"<#{published.channel}>"),
        )

    return handle_publish
