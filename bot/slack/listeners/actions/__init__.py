"""Block actions: the status select, the modal button, publishing, the admin's buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot.slack import ids
from bot.slack.context import SlackContext
from bot.slack.listeners.actions.admin import (
    make_handle_edit_period,
    make_handle_edit_schedule,
    make_handle_new_period,
)
from bot.slack.listeners.actions.decision import (
    make_handle_decision_activities,
    make_handle_open_decision,
)
from bot.slack.listeners.actions.publish import make_handle_publish
from bot.slack.listeners.actions.status import make_handle_open_modal, make_handle_status_select
from bot.slack.views import refresh_home


def register(app: App, ctx: SlackContext) -> None:
    app.action(ids.STATUS_SELECT)(make_handle_status_select(ctx))
    app.action(ids.OPEN_STATUS_MODAL)(make_handle_open_modal(ctx))
    app.action(ids.PUBLISH_REPORT)(make_handle_publish(ctx))
    app.action(ids.PUBLISH_REPORT_WITH_WORD)(make_handle_publish(ctx, include_docx=True))
    app.action(ids.HOME_REFRESH)(make_handle_home_refresh(ctx))
    app.action(ids.EDIT_PERIOD)(make_handle_edit_period(ctx))
    app.action(ids.NEW_PERIOD)(make_handle_new_period(ctx))
    app.action(ids.EDIT_SCHEDULE)(make_handle_edit_schedule(ctx))
    app.action(ids.OPEN_DECISION)(make_handle_open_decision(ctx))
    app.action(ids.DECISION_ACTIVITIES_INPUT)(make_handle_decision_activities(ctx))


def make_handle_home_refresh(ctx: SlackContext) -> Callable[..., None]:
    """Re-publish the App Home on request."""

    def handle_home_refresh(ack: Callable[..., None], body: dict[str, Any]) -> None:
        ack()
        try:
            user = ctx.user((body.get("user") or {}).get("id"))
        except (ValueError, AttributeError):
            return
        ctx.later(f"home:{user.user_id}", refresh_home, ctx, user)

    return handle_home_refresh
