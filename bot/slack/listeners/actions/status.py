"""A status chosen in a reminder's select, and the button that opens the status modal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.domain.reporting import StatusInput
from bot.domain.status import COMMENT_REQUIRED, Status
from bot.services.status import (
    Refused,
    activity_items,
    check_can_report,
    period_info,
    record_status,
)
from bot.slack.blocks.modal import build_status_modal
from bot.slack.context import SlackServices, refresh_home, tell, update_reminder_message
from bot.slack.ids import ActivityRef, ModalMetadata, decode_activity_ref
from storage.db import session_scope

logger = logging.getLogger(__name__)


def _container(body: dict[str, Any]) -> tuple[str | None, str | None]:
    container = body.get("container") or {}
    if container.get("type") == "message":
        return container.get("channel_id"), container.get("message_ts")
    return None, None


def _open_modal(
    services: SlackServices,
    client: WebClient,
    body: dict[str, Any],
    ref: ActivityRef,
    initial_status: Status | None,
) -> None:
    """Check the right to report, then open the modal prefilled (current or last tertial)."""
    actor = services.actor(body["user"]["id"])
    with session_scope(services.engine) as session:
        period, _activity, _units = check_can_report(
            session, actor=actor, activity_id=ref.activity_id, period=ref.period
        )
        item = activity_items(session, period=period, activity_ids=[ref.activity_id])[
            ref.activity_id
        ]
        info = period_info(period, services.settings.timezone)
    channel, ts = _container(body)
    view = build_status_modal(
        item=item,
        metadata=ModalMetadata(ref, channel, ts),
        period=info,
        language=services.language,
        initial_status=initial_status,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def make_handle_status_select(services: SlackServices) -> Callable[..., None]:
    """A status picked in the select is stored at once; one that needs a comment opens the modal."""

    def handle_status_select(
        ack: Callable[..., None],
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Any,
        client: WebClient,
    ) -> None:
        ack()
        try:
            value = (action.get("selected_option") or {}).get("value") or ""
            ref_text, _, status_text = value.partition("#")
            ref = decode_activity_ref(ref_text)
            if status_text not in {s.value for s in Status}:
                raise Refused("status_unknown")
            status = Status(status_text)
            if status in COMMENT_REQUIRED:
                _open_modal(services, client, body, ref, status)
                return
            actor = services.actor(body["user"]["id"])
            record_status(
                services.engine,
                actor=actor,
                activity_id=ref.activity_id,
                period=ref.period,
                status_input=StatusInput(status, None),
                source="slack",
            )
        except Refused as refused:
            tell(client, body, respond, services.refusal(refused))
            return
        except ValueError:
            tell(client, body, respond, services.text("bad_request"))
            return
        channel, ts = _container(body)
        key = f"message:{channel}:{ts}" if channel and ts else f"home:{body['user']['id']}"
        services.later(key, _after_save, services, client, body, ref)

    return handle_status_select


def _after_save(
    services: SlackServices, client: WebClient, body: dict[str, Any], ref: ActivityRef
) -> None:
    """Update the message the save came from (or the App Home) in place."""
    channel, ts = _container(body)
    try:
        if channel and ts and ref.unit_id is not None:
            update_reminder_message(
                services,
                client,
                channel=channel,
                ts=ts,
                unit_id=ref.unit_id,
                period_key=str(ref.period),
                activity_id=ref.activity_id,
            )
        else:
            refresh_home(services, client, body["user"]["id"])
    except Exception:
        logger.exception("could not update the message after a save")


def make_handle_open_modal(services: SlackServices) -> Callable[..., None]:
    """The "Status och kommentar" button: open the modal (the trigger_id lives 3 s)."""

    def handle_open_modal(
        ack: Callable[..., None],
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Any,
        client: WebClient,
    ) -> None:
        ack()
        try:
            ref = decode_activity_ref(action.get("value"))
            _open_modal(services, client, body, ref, None)
        except Refused as refused:
            tell(client, body, respond, services.refusal(refused))
        except ValueError:
            tell(client, body, respond, services.text("bad_request"))

    return handle_open_modal
