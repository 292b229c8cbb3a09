"""Build the Bolt app: one client, the Slack notifier attached to the core, every listener."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot import metrics
from bot.services.core import Core
from bot.services.identity import adopt_workspace
from bot.slack.context import SlackContext
from bot.slack.listeners import register_listeners
from bot.slack.notifier import SlackNotifier, make_client
from bot.slack.views import schedule_drain

logger = logging.getLogger(__name__)


def _kind(body: dict[str, object]) -> str:
    if "command" in body:
        return "command"
    kind = body.get("type")
    return kind if isinstance(kind, str) and len(kind) < 40 else "other"


def _measure_ack(req: BoltRequest, next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002
    """Time every request from dispatch to its answer (the ack, listeners acking at once)."""
    started = time.perf_counter()
    try:
        return next()
    finally:
        metrics.ACK_SECONDS.labels("slack", _kind(req.body)).observe(time.perf_counter() - started)


def build_app(
    core: Core,
    *,
    client: WebClient | None = None,
    process_before_response: bool = False,
) -> tuple[App, SlackContext]:
    """The Bolt app; `auth.test` is called once here to check the token and learn the team."""
    settings = core.settings
    client = client or make_client(settings)
    identity = client.auth_test()
    workspace = str(identity.get("team_id") or "")
    notifier = SlackNotifier(client, settings=settings, workspace=workspace)
    core.attach(notifier)
    adopt_workspace(core, platform="slack", workspace=workspace)
    ctx = SlackContext(core=core, client=client, notifier=notifier)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or None,
        # HTTP mode: bot.slack.server checks the signature over the raw bytes before Bolt sees
        # the request (and Socket Mode needs none), so Bolt does not check it a second time.
        request_verification_enabled=False,
        token_verification_enabled=False,
        process_before_response=process_before_response,
        raise_error_for_unhandled_request=False,
        listener_executor=ThreadPoolExecutor(max_workers=16, thread_name_prefix="uppsikt-listener"),
        logger=logging.getLogger("uppsikt.slack"),
    )
    app.use(_measure_ack)
    register_listeners(app, ctx)
    # Submissions acked before a crash or restart are stored now.
    schedule_drain(ctx)

    @app.error
    def log_errors(error: Exception) -> None:
        logger.error("unhandled error in a listener: %s", type(error).__name__, exc_info=error)

    return app, ctx
