"""Build the Bolt app: one client, one set of services, every listener registered."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.slack.context import SlackServices
from bot.slack.inbox import schedule_drain
from bot.slack.listeners import register_listeners
from bot.slack.notifier import SlackNotifier, make_client

logger = logging.getLogger(__name__)


def build_app(
    settings: Settings,
    engine: Engine,
    *,
    client: WebClient | None = None,
    socket_mode: bool = False,
    process_before_response: bool = False,
) -> tuple[App, SlackServices]:
    """The Bolt app for these settings; `auth.test` is called once here to check the token."""
    client = client or make_client(settings)
    notifier = SlackNotifier(client, language=settings.language, committee=settings.committee)
    services = SlackServices(settings=settings, engine=engine, notifier=notifier)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or None,
        request_verification_enabled=not socket_mode,
        process_before_response=process_before_response,
        raise_error_for_unhandled_request=False,
        listener_executor=ThreadPoolExecutor(max_workers=16, thread_name_prefix="uppsikt-listener"),
        logger=logging.getLogger("uppsikt.slack"),
    )
    register_listeners(app, services)
    # Submissions acked before a crash or restart are stored now.
    schedule_drain(services, client)

    @app.error
    def log_errors(error: Exception) -> None:
        logger.error("unhandled error in a listener: %s", type(error).__name__, exc_info=error)

    return app, services
