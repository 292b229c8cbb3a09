"""Modal submissions are journalled before the ack and stored right after it.

Slack must have its answer within 3 s, and a burst of submissions must not wait for one
another's permission checks and saves. So a submission whose input is valid is written to the
inbox (one small insert) and acknowledged; one worker then stores the inbox in order, tells
the person privately if they may not report, and updates what they see. A crash between the
ack and the save loses nothing: the inbox is drained again when the bot starts.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from sqlalchemy import delete
from sqlmodel import col, select

from bot.domain.periods import parse_period
from bot.domain.reporting import StatusInput
from bot.domain.status import Status
from bot.services.status import Refused, record_status
from bot.slack.context import SlackServices, refresh_home, update_reminder_message
from bot.slack.ids import ModalMetadata
from storage.db import session_scope
from storage.models import SubmissionInbox

logger = logging.getLogger(__name__)

DRAIN_KEY = "inbox"


def enqueue(
    services: SlackServices, *, user_id: str, metadata: ModalMetadata, status_input: StatusInput
) -> None:
    """Journal a validated submission (before the ack)."""
    with session_scope(services.engine, write=True) as session:
        session.add(
            SubmissionInbox(
                user_id=user_id,
                activity_id=metadata.ref.activity_id,
                unit_id=metadata.ref.unit_id,
                period=str(metadata.ref.period),
                status=status_input.status.value,
                comment=status_input.comment or "",
                channel=metadata.channel,
                message_ts=metadata.message_ts,
            )
        )


def schedule_drain(services: SlackServices, client: WebClient) -> None:
    """Have the worker store whatever is in the inbox (one pending pass is enough)."""
    services.later(DRAIN_KEY, drain, services, client)


def drain(services: SlackServices, client: WebClient) -> int:
    """Store every journalled submission, oldest first; return how many were handled."""
    handled = 0
    while True:
        with session_scope(services.engine) as session:
            batch = session.exec(
                select(SubmissionInbox).order_by(col(SubmissionInbox.id)).limit(100)
            ).all()
        if not batch:
            return handled
        for entry in batch:
            _store(services, client, entry)
            with session_scope(services.engine, write=True) as session:
                session.exec(delete(SubmissionInbox).where(SubmissionInbox.id == entry.id))  # type: ignore[call-overload]
            handled += 1


def _store(services: SlackServices, client: WebClient, entry: SubmissionInbox) -> None:
    period = parse_period(entry.period)
    try:
        record_status(
            services.engine,
            actor=services.actor(entry.user_id),
            activity_id=entry.activity_id,
            period=period,
            status_input=StatusInput(Status(entry.status), entry.comment),
            source="slack",
        )
    except Refused as refused:
        _tell(client, entry.user_id, services.refusal(refused))
        return
    except Exception:
        logger.exception("could not store a submission; the person is told")
        _tell(client, entry.user_id, services.text("bad_request"))
        return
    # Queued behind the rest of the inbox and merged per message or person, so a burst of
    # saves leads to one update each, with the newest data.
    key = (
        f"message:{entry.channel}:{entry.message_ts}"
        if entry.channel and entry.message_ts
        else f"home:{entry.user_id}"
    )
    services.later(key, _update_view, services, client, entry)


def _update_view(services: SlackServices, client: WebClient, entry: SubmissionInbox) -> None:
    if entry.channel and entry.message_ts and entry.unit_id is not None:
        update_reminder_message(
            services,
            client,
            channel=entry.channel,
            ts=entry.message_ts,
            unit_id=entry.unit_id,
            period_key=entry.period,
            activity_id=entry.activity_id,
        )
    else:
        refresh_home(services, client, entry.user_id)


def _tell(client: WebClient, user_id: str, text: str) -> None:
    try:
        client.chat_postMessage(channel=user_id, text=text)
    except Exception:
        logger.exception("could not tell a person why their report was not stored")
