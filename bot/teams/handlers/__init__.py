"""The Teams routing table: one handler per activity or verb, registered on the SDK's app.

Specific card actions first, then the catch-all that refuses any other Action.Execute.
"""

from __future__ import annotations

from typing import Any, cast

from microsoft_teams.apps import App

from bot.teams import ids
from bot.teams.context import TeamsContext, error_response
from bot.teams.handlers.admin import make_handle_admin
from bot.teams.handlers.commands import make_handle_message
from bot.teams.handlers.decision import make_handle_decision
from bot.teams.handlers.install import (
    make_handle_conversation_update,
    make_handle_installation_update,
)
from bot.teams.handlers.publish import make_handle_publish
from bot.teams.handlers.status import make_handle_save


def card_actions(ctx: TeamsContext) -> dict[str, Any]:
    """Every Action.Execute verb the cards send, with its handler."""
    publish = make_handle_publish(ctx)
    actions: dict[str, Any] = {ids.SAVE_STATUS: make_handle_save(ctx)}
    actions[ids.PUBLISH] = actions[ids.PUBLISH_WITH_WORD] = publish
    for verb in (ids.EDIT_PERIOD, ids.NEW_PERIOD, ids.EDIT_SCHEDULE, ids.REFRESH_ADMIN):
        actions[verb] = make_handle_admin(ctx, verb)
    for verb in (ids.OPEN_DECISION, ids.DECISION_NEXT, ids.SAVE_DECISION):
        actions[verb] = make_handle_decision(ctx, verb)
    return actions


def register_handlers(app: App, ctx: TeamsContext) -> None:
    """Register every handler of the app."""
    app.on_message(make_handle_message(ctx))
    app.on_conversation_update(make_handle_conversation_update(ctx))
    app.on_installation_update(make_handle_installation_update(ctx))
    # Handlers answer with the invoke response's dict form ({status, body}), which the SDK
    # passes through as it is.
    for verb, handler in card_actions(ctx).items():
        app.on_card_action_execute(verb, cast(Any, handler))

    async def refuse_unknown(_actx: Any) -> dict[str, Any]:
        return error_response(ctx.text("bad_request"))

    app.on_card_action_execute(cast(Any, refuse_unknown))
