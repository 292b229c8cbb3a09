"""The Slack side of the Notifier protocol: Web API calls, paced and retried."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.config import Settings
from bot.domain.report import Summary
from bot.services.notifier import Delivered, Delivery, ReminderContent
from bot.slack.blocks.overview import build_committee_post, build_unmatched_people
from bot.slack.blocks.reminder import build_reminder_messages

logger = logging.getLogger(__name__)

# chat.postMessage allows about one message per second per channel.
PER_CHANNEL_INTERVAL = 1.0
MAX_PARALLEL_CHANNELS = 16


def make_client(settings: Settings) -> WebClient:
    """A WebClient for the configured API URL that retries on 429 (Retry-After) and resets."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=30,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=5),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


class SlackNotifier:
    """Sends what the services ask for through the Slack Web API."""

    def __init__(
        self,
        client: WebClient,
        *,
        language: str,
        committee: str,
        per_channel_interval: float = PER_CHANNEL_INTERVAL,
    ) -> None:
        self.client = client
        self.language = language
        self.committee = committee
        self.per_channel_interval = per_channel_interval
        self._emails: OrderedDict[str, str | None] = OrderedDict()
        self._lock = threading.Lock()

    # --- people ---------------------------------------------------------------------------

    def lookup_user_by_email(self, email: str) -> str | None:
        try:
            response = self.client.users_lookupByEmail(email=email)
        except SlackApiError as exc:
            if exc.response.get("error") == "users_not_found":
                return None
            raise
        user = response.get("user") or {}
        if user.get("deleted") or user.get("is_bot"):
            return None
        return user.get("id")

    def user_email(self, user_id: str) -> str | None:
        with self._lock:
            if user_id in self._emails:
                return self._emails[user_id]
        try:
            response = self.client.users_info(user=user_id)
            email = ((response.get("user") or {}).get("profile") or {}).get("email")
        except SlackApiError as exc:
            logger.warning("users.info failed: %s", exc.response.get("error"))
            return None
        with self._lock:
            self._emails[user_id] = email
            while len(self._emails) > 10_000:
                self._emails.popitem(last=False)
        return email

    # --- reminders ------------------------------------------------------------------------

    def reminder_payloads(self, content: ReminderContent) -> list[dict[str, Any]]:
        return build_reminder_messages(
            unit_id=content.unit_id,
            unit_path=content.unit_path,
            period=content.period,
            items=list(content.items),
            progress=content.progress,
            language=content.language,
        )

    def deliver(
        self, deliveries: list[Delivery], on_delivered: Callable[[Delivered], None]
    ) -> list[tuple[Delivery, str]]:
        """Post each delivery as a DM; channels in parallel, each paced to its rate limit."""
        by_channel: OrderedDict[str, list[Delivery]] = OrderedDict()
        for delivery in deliveries:
            by_channel.setdefault(delivery.user_id, []).append(delivery)
        failures: list[tuple[Delivery, str]] = []
        failures_lock = threading.Lock()

        def run_channel(queue: list[Delivery]) -> None:
            last = 0.0
            for delivery in queue:
                wait = last + self.per_channel_interval - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                try:
                    response = self.client.chat_postMessage(
                        channel=delivery.user_id,
                        text=delivery.payload["text"],
                        blocks=delivery.payload["blocks"],
                        unfurl_links=False,
                        unfurl_media=False,
                    )
                except Exception as exc:  # the round goes on; the next sweep retries it
                    error = (
                        exc.response.get("error") if isinstance(exc, SlackApiError) else repr(exc)
                    )
                    logger.warning("reminder %s not delivered: %s", delivery.key, error)
                    with failures_lock:
                        failures.append((delivery, str(error)))
                    last = time.monotonic()
                    continue
                last = time.monotonic()
                on_delivered(Delivered(delivery.key, str(response["channel"]), str(response["ts"])))

        workers = max(1, min(MAX_PARALLEL_CHANNELS, len(by_channel)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="uppsikt-send") as pool:
            for future in [pool.submit(run_channel, q) for q in by_channel.values()]:
                future.result()
        return failures

    def tell_unmatched(self, user_id: str, period: str, people: list[tuple[str, str]]) -> None:
        message = build_unmatched_people(language=self.language, period_key=period, people=people)
        self.client.chat_postMessage(
            channel=user_id, text=message["text"], blocks=message["blocks"]
        )

    # --- publishing -----------------------------------------------------------------------

    def publish_report(
        self,
        channel: str,
        *,
        period: str,
        summary: Summary,
        document: bytes,
        filename: str,
        title: str,
    ) -> str:
        message = build_committee_post(
            language=self.language, period_key=period, summary=summary, committee=self.committee
        )
        self.client.chat_postMessage(
            channel=channel,
            text=message["text"],
            blocks=message["blocks"],
            unfurl_links=False,
            unfurl_media=False,
        )
        response = self.client.files_upload_v2(
            channel=channel, content=document, filename=filename, title=title
        )
        files = response.get("files") or [response.get("file") or {}]
        return str(files[0].get("id", ""))
