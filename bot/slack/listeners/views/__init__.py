"""Modal submissions: a status, and the admin's period and schedule modals."""

from __future__ import annotations

from slack_bolt import App

from bot.slack import ids
from bot.slack.context import SlackContext
from bot.slack.listeners.views.admin import (
    make_handle_period_submission,
    make_handle_schedule_submission,
)
from bot.slack.listeners.views.decision import make_handle_decision_submission
from bot.slack.listeners.views.status_modal import make_handle_status_submission


def register(app: App, ctx: SlackContext) -> None:
    app.view(ids.STATUS_MODAL)(make_handle_status_submission(ctx))
    app.view(ids.PERIOD_MODAL)(make_handle_period_submission(ctx))
    app.view(ids.SCHEDULE_MODAL)(make_handle_schedule_submission(ctx))
    app.view(ids.DECISION_MODAL)(make_handle_decision_submission(ctx))
