"""The committee's decision from Teams: the decision card's steps and its Save.

Open and Next read the decision form (secretaries only) and answer with the card's next step;
Save records the decision through the one rule Slack and the command line use, and the card
becomes the decision as recorded. Whatever the rule refuses comes back in the card with the
reason and what was typed, nothing recorded. The follow-up (the committee's channel, the board's
channel for a referral, the reminders of a return) is slow and runs after the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.domain.actors import ChatUser
from bot.domain.periods import PeriodKey
from bot.services import decisions
from bot.services.errors import Refused
from bot.teams import ids
from bot.teams.cards import (
    build_decision_choice_card,
    build_decision_details_card,
    build_decision_note_card,
    build_decision_recorded_card,
)
from bot.teams.cards.common import CARD_BUDGET, card_bytes
from bot.teams.context import TeamsContext, card_response, error_response, message_response

logger = logging.getLogger(__name__)

Answer = dict[str, Any]
# Refusals that mean the form no longer applies: the card then holds no form, only why.
STALE = frozenset({"decision_exists", "decision_no_version", "decision_not_latest"})


def _open_form(ctx: TeamsContext, user: ChatUser, period: PeriodKey) -> decisions.DecisionForm:
    """The decision form of the latest published version; Refused if there is none to decide."""
    form = decisions.decision_form(ctx.core, who=user, period=period)
    if form.version is None:
        raise Refused("decision_no_version", period=str(period))
    if form.decided is not None:
        raise Refused("decision_exists", version=form.version)
    return form


def _choice_card(
    ctx: TeamsContext,
    form: decisions.DecisionForm,
    choice: ids.DecisionChoice | None,
    result: tuple[str, bool] | None = None,
) -> dict[str, Any]:
    assert form.version is not None
    return build_decision_choice_card(
        language=ctx.language,
        period=form.period,
        version=form.version,
        activities=form.activities,
        kind=choice.kind if choice else "",
        reasons=choice.reasons if choice else "",
        chosen=choice.activity_ids if choice else (),
        result=result,
    )


def decision_card(ctx: TeamsContext, user: ChatUser, period: PeriodKey) -> dict[str, Any]:
    """The first step for the latest published version (the `beslut` command); Refused."""
    return _choice_card(ctx, _open_form(ctx, user, period), None)


def _stale_card(ctx: TeamsContext, period: PeriodKey, refused: Refused) -> Answer:
    return card_response(
        build_decision_note_card(
            language=ctx.language,
            period=str(period),
            message=ctx.refusal(refused),
            good=False,
            offer_latest=refused.key == "decision_not_latest",
        )
    )


def _open(ctx: TeamsContext, user: ChatUser, data: object) -> Answer:
    """From the summary (no version yet), or Back from the second step with its choices."""
    choice = ids.parse_decision_choice(data)
    try:
        form = _open_form(ctx, user, choice.period)
    except Refused as refused:
        if choice.version is None or refused.key not in STALE:
            return message_response(ctx.refusal(refused))  # the card clicked stays as it was
        return _stale_card(ctx, choice.period, refused)
    result = None
    if choice.version is not None and choice.version != form.version:
        result = (
            ctx.text("decision_not_latest", version=choice.version, latest=form.version),
            False,
        )
    return card_response(_choice_card(ctx, form, choice, result))


def _next(ctx: TeamsContext, user: ChatUser, data: object) -> Answer:
    """The first step's choices checked; the second step, or the first again with why."""
    choice = ids.parse_decision_choice(data)
    try:
        form = _open_form(ctx, user, choice.period)
    except Refused as refused:
        if refused.key not in STALE:
            return message_response(ctx.refusal(refused))
        return _stale_card(ctx, choice.period, refused)
    assert form.version is not None
    offered = {activity_id for activity_id, _goal, _title in form.activities}
    if any(activity_id not in offered for activity_id in choice.activity_ids):
        raise ids.BadData("an activity the card did not offer")
    problem = None
    if choice.version != form.version:
        problem = ctx.text("decision_not_latest", version=choice.version, latest=form.version)
    elif not choice.kind:
        problem = ctx.text("teams_decision_kind_required")
    elif choice.kind == "returned" and not choice.activity_ids:
        problem = ctx.text("decision_return_needs_activities")
    elif choice.kind == "returned" and len(choice.activity_ids) > ids.MAX_RETURNED:
        problem = ctx.text(
            "teams_decision_too_many", max=ids.MAX_RETURNED, count=len(choice.activity_ids)
        )
    if problem is not None:
        return card_response(_choice_card(ctx, form, choice, (problem, False)))
    return card_response(
        build_decision_details_card(
            language=ctx.language,
            zone=ctx.core.settings.timezone,
            period=form.period,
            version=form.version,
            activities=form.activities,
            kind=choice.kind,
            reasons=choice.reasons,
            chosen=choice.activity_ids,
        )
    )


def _details_again(
    ctx: TeamsContext, user: ChatUser, details: ids.DecisionDetails, reason: str
) -> Answer:
    """The second step again with what was typed and why it was not recorded. (Reading the
    form again is only for drawing it: the refusal came from the one rule.)"""
    try:
        form = _open_form(ctx, user, details.period)
    except Refused as refused:
        if refused.key not in STALE:
            return message_response(reason)
        return _stale_card(ctx, details.period, refused)
    if form.version != details.version:
        stale = Refused("decision_not_latest", version=details.version, latest=form.version)
        return _stale_card(ctx, details.period, stale)
    card = build_decision_details_card(
        language=ctx.language,
        zone=ctx.core.settings.timezone,
        period=form.period,
        version=details.version,
        activities=form.activities,
        kind=details.kind,
        reasons=details.reasons,
        chosen=[activity_id for activity_id, _reason in details.returned],
        activity_reasons=dict(details.returned),
        deadline=details.deadline_text,
        confirmed=details.confirmed,
        board_meeting=details.board_text,
        presenter=details.presenter,
        result=(reason, False),
    )
    # Reasons typed at full length may not fit a card again; the card clicked keeps them.
    return card_response(card) if card_bytes(card) <= CARD_BUDGET else message_response(reason)


def _save(ctx: TeamsContext, user: ChatUser, data: object) -> tuple[Answer, PeriodKey | None]:
    details = ids.parse_decision_save(data)
    if details.problem:
        return _details_again(ctx, user, details, ctx.text(details.problem)), None
    try:
        recorded = decisions.record_decision(
            ctx.core,
            who=user,
            period=details.period,
            decision=decisions.DecisionInput(
                kind=details.kind,
                reasons=details.reasons,
                returned=details.returned,
                deadline_day=details.deadline_day,
                deadline_time=details.deadline_time,
                board_meeting=details.board_meeting,
                presenter=details.presenter,
                version=details.version,
                confirmed=details.confirmed,
            ),
        )
    except Refused as refused:
        if refused.key == "not_secretary":
            return message_response(ctx.refusal(refused)), None
        if refused.key in STALE:
            return _stale_card(ctx, details.period, refused), None
        reason = ctx.refusal(refused)
        if refused.needs_confirmation:
            reason += " " + ctx.text("teams_decision_confirm_hint")
        return _details_again(ctx, user, details, reason), None
    zone = ctx.core.settings.timezone
    card = build_decision_recorded_card(
        language=ctx.language,
        period=recorded.period,
        version=recorded.version,
        kind=recorded.kind,
        new_deadline=recorded.new_deadline.astimezone(zone) if recorded.new_deadline else None,
        returned=recorded.returned,
        notes=[ctx.text(key, **params) for key, params in recorded.notes],
    )
    return card_response(card), details.period


def act(
    ctx: TeamsContext, user: ChatUser, verb: str, data: object
) -> tuple[Answer, PeriodKey | None]:
    """In the service pool: one step of the decision card, and the period to follow up (after a
    decision was recorded)."""
    if verb == ids.SAVE_DECISION:
        return _save(ctx, user, data)
    if verb == ids.DECISION_NEXT:
        return _next(ctx, user, data), None
    return _open(ctx, user, data), None


def make_handle_decision(ctx: TeamsContext, verb: str) -> Callable[..., Awaitable[dict[str, Any]]]:
    """One of the decision card's Action.Execute verbs."""

    async def handle_decision(actx: Any) -> dict[str, Any]:
        activity = actx.activity
        try:
            user, address, data = ctx.card_action(activity, verb)
        except (ValueError, AttributeError, TypeError):
            return error_response(ctx.text("bad_request"))
        try:
            answer, recorded = await ctx.loop.call(act, ctx, user, verb, data)
        except ids.BadData:
            return error_response(ctx.text("bad_request"))
        except Refused as refused:
            return message_response(ctx.refusal(refused))
        except Exception:
            logger.exception("a decision action from Teams failed")
            return message_response(ctx.text("try_again"))
        if recorded is not None:
            ctx.loop.background(_follow_up(ctx, address, recorded), "decision follow-up")
        return answer

    return handle_decision


async def _follow_up(ctx: TeamsContext, address: dict[str, str], period: PeriodKey) -> None:
    """The committee told, the board sent the report, the reporters reminded: after the answer."""
    try:
        await ctx.loop.call(decisions.follow_up_decision, ctx.core, period=period)
    except Exception:
        logger.exception("the follow-up of a decision from Teams failed")
        await ctx.tell(address, ctx.text("teams_decision_follow_up_failed"))
