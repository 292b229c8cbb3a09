"""Block actions: the status select, the modal button, publishing, the admin's buttons."""

from __future__ import annotations

from slack_bolt import App

from bot.slack import ids
from bot.slack.context import SlackServices
from bot.slack.listeners.actions.admin import (
    make_handle_edit_period,
    make_handle_edit_schedule,
    make_handle_new_period,
)
from bot.slack.listeners.actions.publish import make_handle_publish
from bot.slack.listeners.actions.status import make_handle_open_modal, make_handle_status_select


def register(app: App, services: SlackServices) -> None:
    app.action(ids.STATUS_SELECT)(make_handle_status_select(services))
    app.action(ids.OPEN_STATUS_MODAL)(make_handle_open_modal(services))
    app.action(ids.PUBLISH_REPORT)(make_handle_publish(services))
    app.action(ids.PUBLISH_REPORT_WITH_WORD)(make_handle_publish(services, include_docx=True))
    app.action(ids.HOME_REFRESH)(make_handle_home_refresh(services))
    app.action(ids.EDIT_PERIOD)(make_handle_edit_period(services))
    app.action(ids.NEW_PERIOD)(make_handle_new_period(services))
    app.action(ids.EDIT_SCHEDULE)(make_handle_edit_schedule(services))


def make_handle_home_refresh(services: SlackServices):  # type: ignore[no-untyped-def]
    """Re-publish the App Home on request."""
    from bot.slack.context import refresh_home

    def handle_home_refresh(ack, body, client) -> None:  # type: ignore[no-untyped-def]
        ack()
        refresh_home(services, client, body["user"]["id"])

    return handle_home_refresh
