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
from bot.teams.handlers.install import (
    make_handle_conversation_update,
    make_handle_installation_update,
)
from bot.teams.handlers.publish import make_handle_publish
from bot.teams.handlers.status import make_handle_save

REGISTERED_VERBS = (
    ids.SAVE_STATUS,
    ids.PUBLISH,
    ids.PUBLISH_WITH_WORD,
    ids.EDIT_PERIOD,
    ids.NEW_PERIOD,
    ids.EDIT_SCHEDULE,
    ids.REFRESH_ADMIN,
)


def register_handlers(app: App, ctx: TeamsContext) -> None:
    """Register every handler of the app."""
    app.on_message(make_handle_message(ctx))
    app.on_conversation_update(make_handle_conversation_update(ctx))
    app.on_installation_update(make_handle_installation_update(ctx))
    app.on_card_action_execute(ids.SAVE_STATUS, cast(Any, make_handle_save(ctx)))
    # Handlers answer with the invoke response's dict form ({status, body}), which the SDK
    # passes through as it is.
    publish = cast(Any, make_handle_publish(ctx))
    app.on_card_action_execute(ids.PUBLISH, publish)
    app.on_card_action_execute(ids.PUBLISH_WITH_WORD, publish)
    for verb in (ids.EDIT_PERIOD, ids.NEW_PERIOD, ids.EDIT_SCHEDULE, ids.REFRESH_ADMIN):
        app.on_card_action_execute(verb, cast(Any, make_handle_admin(ctx, verb)))

    async def refuse_unknown(_actx: Any) -> dict[str, Any]:
        return error_response(ctx.text("bad_request"))

    app.on_card_action_execute(cast(Any, refuse_unknown))
