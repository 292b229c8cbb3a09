"""What every Slack listener closes over: the core, the client, and work after the ack."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient

from bot.domain.actors import SLACK, ChatUser
from bot.services.core import Core
from bot.services.errors import Refused
from bot.slack.messages import msg
from bot.slack.notifier import SlackNotifier

logger = logging.getLogger(__name__)

# Work after the ack waits while submissions keep arriving (acks first: each has 3 s, a save is
# stored and shown a moment later), pausing until none came for SETTLE_SECONDS, but never more
# than MAX_SETTLE_SECONDS in one go: under a stream that never pauses, a save waits at most that
# long before it is stored, and the drain takes one more whenever it has waited so long.
SETTLE_SECONDS = 0.1
MAX_SETTLE_SECONDS = 2.0


@dataclass
class SlackContext:
    """Closed over by every listener factory."""

    core: Core
    client: WebClient
    notifier: SlackNotifier
    # Work after the ack (saving journalled submissions, message updates, App Home, publishing)
    # runs here, so listener threads are free at once for the next person's request.
    background: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(
            max_workers=4, thread_name_prefix="uppsikt-after"
        )
    )
    # When the last submission was journalled (time.monotonic()): work after the ack gives way
    # while they keep coming, so a burst of saves is acknowledged first and stored right after.
    last_journalled: float = 0.0
    _pending: set[str] = field(default_factory=set)
    _pending_lock: threading.Lock = field(default_factory=threading.Lock)
    _closed: bool = False

    @property
    def language(self) -> str:
        return self.core.settings.language

    @property
    def workspace(self) -> str:
        return self.notifier.workspace

    def user(self, user_id: object) -> ChatUser:
        """The chat user behind a Slack user id from a (signed) payload; ValueError if malformed."""
        if not isinstance(user_id, str) or not user_id or len(user_id) > 40:
            raise ValueError("bad user id")
        return ChatUser(SLACK, self.workspace, user_id)

    def text(self, key: str, **params: object) -> str:
        return msg(self.language, key, **params)

    def refusal(self, refused: Refused) -> str:
        return msg(self.language, refused.key, **refused.params)

    def later(
        self, key: str, function: Callable[..., object], *args: object, **kwargs: object
    ) -> None:
        """Run after the ack; work for a key already waiting is not queued twice (it reads the
        newest data when it runs). Failures are logged, never lost silently."""
        with self._pending_lock:
            if key in self._pending or self._closed:
                return
            self._pending.add(key)

        def run() -> None:
            self.give_way()
            with self._pending_lock:
                self._pending.discard(key)
            try:
                function(*args, **kwargs)
            except Exception:
                logger.exception("work after the ack failed: %s", key.split(":", 1)[0])

        try:
            self.background.submit(run)
        except RuntimeError:  # shutting down: the inbox keeps what was acked
            with self._pending_lock:
                self._pending.discard(key)

    def give_way(self) -> None:
        """While acks are coming in, let them have the CPU and the database: wait until none
        came for SETTLE_SECONDS, but never more than MAX_SETTLE_SECONDS in one go, so a steady
        stream still gets its work done."""
        started = time.monotonic()
        while not self._closed:
            now = time.monotonic()
            quiet = now - self.last_journalled
            if quiet >= SETTLE_SECONDS or now - started >= MAX_SETTLE_SECONDS:
                return
            time.sleep(min(SETTLE_SECONDS - quiet, MAX_SETTLE_SECONDS - (now - started)))

    def shutdown(self) -> None:
        """Finish the work already queued; take no more."""
        with self._pending_lock:
            self._closed = True
        self.background.shutdown(wait=True)


def acted_at(body: dict[str, Any], request: Any = None) -> datetime | None:
    """When the person acted, from what Slack signed: the action's `action_ts`, else the
    request timestamp; None in Socket Mode without either."""
    actions = body.get("actions")
    if isinstance(actions, list) and actions and isinstance(actions[0], dict):
        value = actions[0].get("action_ts")
        moment = _timestamp(value)
        if moment is not None:
            return moment
    headers = getattr(request, "headers", None) or {}
    values = headers.get("x-slack-request-timestamp") or []
    return _timestamp(values[0] if isinstance(values, list) and values else values)


def _timestamp(value: object) -> datetime | None:
    if not isinstance(value, str | int | float):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    if not 1e9 <= seconds <= 1e11:
        return None
    return datetime.fromtimestamp(seconds, UTC)


def tell(context: SlackContext, body: dict[str, Any], respond: Any, text: str) -> bool:
    """Answer privately: through response_url when there is one, else a DM. Never raises;
    returns whether it was delivered."""
    try:
        if body.get("response_url") and respond is not None:
            respond(text=text, response_type="ephemeral", replace_original=False)
            return True
    except Exception:
        logger.warning("could not answer through response_url; trying a direct message")
    user_id = (body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else None
    user_id = user_id or body.get("user_id")
    if not isinstance(user_id, str) or not user_id:
        return False
    return context.notifier.tell_user(user_id, text)
