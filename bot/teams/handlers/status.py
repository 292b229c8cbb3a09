"""Save from a card: validate, store a new version through the one service, refresh the card.

Answered within the invoke: the refreshed card (what was saved, by whom, how many are still
missing) replaces the one clicked. A status that needs a comment but has none is refused in
the card, with the person's choice kept; nothing is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.domain.actors import TEAMS, ChatUser
from bot.domain.reporting import InputError, validate_status_input
from bot.services import overview
from bot.services.errors import Refused
from bot.services.notifier import ReminderContent
from bot.services.status import MessageRef, SaveOutcome, record_status, reminder_view
from bot.teams import ids
from bot.teams.cards import (
    ActivityNote,
    build_status_overview,
    refreshed_reminder_card,
    saved_text,
)
from bot.teams.cards.common import format_datetime
from bot.teams.context import (
    TeamsContext,
    acted_at,
    card_response,
    error_response,
    message_response,
)

logger = logging.getLogger(__name__)


def _reminder_card(
    ctx: TeamsContext,
    content: ReminderContent,
    request: ids.SaveRequest,
    activity_note: ActivityNote,
) -> dict[str, Any] | None:
    return refreshed_reminder_card(
        unit_id=content.unit_id,
        unit_path=content.unit_path,
        period=content.period,
        items=list(content.items),
        progress=content.progress,
        language=ctx.language,
        activity_id=request.activity_id,
        card_ids=request.card_activity_ids,
        part=request.part,
        parts=request.parts,
        activity_note=activity_note,
    )


def _overview_card(
    ctx: TeamsContext, user: ChatUser, request: ids.SaveRequest, activity_note: ActivityNote
) -> dict[str, Any]:
    data = overview.status_overview(ctx.core, user=user)
    return build_status_overview(
        language=ctx.language,
        period=data.period,
        units=[(p, list(i)) for p, i in data.units],
        activity_note=(request.activity_id, activity_note),
    )


def _refused_in_card(
    ctx: TeamsContext,
    user: ChatUser,
    request: ids.SaveRequest,
    message: MessageRef | None,
    reason: str,
) -> dict[str, Any]:
    """The card again with the reason under the activity and the person's input kept."""
    activity_note = ActivityNote(
        reason, good=False, status=request.status or None, comment=request.comment
    )
    if request.source == ids.FROM_OVERVIEW:
        return card_response(_overview_card(ctx, user, request, activity_note))
    content = (
        reminder_view(ctx.core, user=user, message=message, period=request.period)
        if message
        else None
    )
    card = _reminder_card(ctx, content, request, activity_note) if content is not None else None
    return card_response(card) if card is not None else message_response(reason)


def _saved_note(ctx: TeamsContext, outcome: SaveOutcome) -> ActivityNote:
    when = format_datetime(datetime.now(ctx.core.settings.timezone), ctx.language)
    return ActivityNote(
        saved_text(
            status=outcome.status.value,
            author=outcome.author_name,
            when=when,
            version=outcome.version,
            stored=outcome.stored,
            language=ctx.language,
        ),
        good=True,
    )


def save(
    ctx: TeamsContext,
    user: ChatUser,
    request: ids.SaveRequest,
    message: MessageRef | None,
    moment: datetime | None,
) -> dict[str, Any]:
    """In the service pool: the whole save, and the invoke's answer."""
    try:
        status_input = validate_status_input(request.status, request.comment, require_comment=True)
    except InputError as problem:
        return _refused_in_card(
            ctx, user, request, message, ctx.text(problem.key, **problem.params)
        )
    from_reminder = request.source == ids.FROM_REMINDER
    try:
        outcome = record_status(
            ctx.core,
            user=user,
            activity_id=request.activity_id,
            period=request.period,
            status_input=status_input,
            source=TEAMS,
            acted_at=moment,
            message=message if from_reminder else None,
            with_view=from_reminder,
        )
    except Refused as refused:
        return message_response(ctx.refusal(refused))
    if outcome.superseded:
        return message_response(ctx.text("save_superseded"))
    activity_note = _saved_note(ctx, outcome)
    if from_reminder and outcome.view is not None:
        card = _reminder_card(ctx, outcome.view, request, activity_note)
        if card is not None:
            return card_response(card)
    if request.source == ids.FROM_OVERVIEW:
        try:
            return card_response(_overview_card(ctx, user, request, activity_note))
        except Refused:
            pass
    return message_response(activity_note.text)


def make_handle_save(ctx: TeamsContext) -> Callable[..., Awaitable[dict[str, Any]]]:
    """The Save of one activity on a reminder or `status` card."""

    async def handle_save(actx: Any) -> dict[str, Any]:
        activity = actx.activity
        try:
            user, address = ctx.note_sender(activity)
            request = ids.parse_save(activity.value.action.data)
        except (ValueError, AttributeError, TypeError):
            return error_response(ctx.text("bad_request"))
        card_id = getattr(activity, "reply_to_id", None)
        message = (
            MessageRef(TEAMS, address["conversation_id"], str(card_id))
            if card_id and address["conversation_id"]
            else None
        )
        try:
            return await ctx.loop.call(save, ctx, user, request, message, acted_at(activity))
        except Exception:
            logger.exception("a status save from Teams failed")
            return message_response(ctx.text("try_again"))

    return handle_save
