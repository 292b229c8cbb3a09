"""The Slack side of the Notifier protocol: Web API calls, paced and retried."""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.config import Settings
from bot.domain.report import Summary
from bot.services.notifier import Delivered, Delivery, ReminderContent, ReportDocument
from bot.slack.blocks.overview import (
    build_committee_post,
    build_report_summary,
    build_unmatched_people,
)
from bot.slack.blocks.reminder import build_reminder_messages

logger = logging.getLogger(__name__)

# chat.postMessage allows about one message per second per channel. The interval counts from
# the moment Slack answered the previous post, so requests arrive a little more than 1 s apart.
PER_CHANNEL_INTERVAL = 1.0
MAX_SENDERS = 16
MAX_429_RETRIES = 5


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
        # Reminder rounds handle 429 themselves (re-queue, worker stays free), so their client
        # must not sleep through Retry-After inside a sending thread.
        self._delivery_client = WebClient(
            token=client.token,
            base_url=client.base_url,
            timeout=client.timeout,
            retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=2)],
        )
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
        """Post each delivery as a DM, never faster than the per-channel limit.

        Workers always take the conversation whose next message may go soonest, so a round
        takes about as long as its busiest conversation needs, not the sum of them.
        """
        queues: dict[str, deque[Delivery]] = {}
        for delivery in deliveries:
            queues.setdefault(delivery.user_id, deque()).append(delivery)
        ready: list[tuple[float, int, str]] = []
        for order, channel in enumerate(queues):
            heapq.heappush(ready, (0.0, order, channel))
        lock = threading.Lock()
        failures: list[tuple[Delivery, str]] = []
        limited: dict[str, int] = {}

        def worker() -> None:
            while True:
                with lock:
                    if not ready:
                        return
                    not_before, order, channel = heapq.heappop(ready)
                    delivery = queues[channel].popleft()
                wait = not_before - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                outcome = self._post_delivery(delivery, on_delivered)
                with lock:
                    if (
                        isinstance(outcome, float)
                        and limited.get(delivery.key, 0) < MAX_429_RETRIES
                    ):
                        # Rate limited: try the same message again after Retry-After.
                        limited[delivery.key] = limited.get(delivery.key, 0) + 1
                        queues[channel].appendleft(delivery)
                        heapq.heappush(ready, (time.monotonic() + outcome, order, channel))
                        continue
                    if outcome is not None:
                        failures.append(
                            (delivery, "ratelimited" if isinstance(outcome, float) else outcome)
                        )
                    if queues[channel]:
                        next_time = time.monotonic() + self.per_channel_interval
                        heapq.heappush(ready, (next_time, order, channel))

        workers = max(1, min(MAX_SENDERS, len(queues)))
        threads = [
            threading.Thread(target=worker, name=f"uppsikt-send-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return failures

    def _post_delivery(
        self, delivery: Delivery, on_delivered: Callable[[Delivered], None]
    ) -> str | float | None:
        """Post one message: None once Slack accepted it (and it is logged), the seconds to wait
        when rate limited, or why it failed."""
        try:
            response = self._delivery_client.chat_postMessage(
                channel=delivery.user_id,
                text=delivery.payload["text"],
                blocks=delivery.payload["blocks"],
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:  # the round goes on; the next sweep retries it
            if exc.response.status_code == 429:
                return float(exc.response.headers.get("Retry-After", 1) or 1)
            logger.warning("reminder %s not delivered: %s", delivery.key, exc.response.get("error"))
            return str(exc.response.get("error"))
        except Exception as exc:
            logger.warning("reminder %s not delivered: %s", delivery.key, type(exc).__name__)
            return type(exc).__name__
        on_delivered(Delivered(delivery.key, str(response["channel"]), str(response["ts"])))
        return None

    def secretary_payload(
        self, *, period: str, summary: Summary, with_publish: bool
    ) -> dict[str, Any]:
        return build_report_summary(
            language=self.language, period_key=period, summary=summary, can_publish=with_publish
        )

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
        documents: Sequence[ReportDocument],
    ) -> list[str]:
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
            channel=channel,
            file_uploads=[
                {"content": d.content, "filename": d.filename, "title": d.title} for d in documents
            ],
        )
        files = response.get("files") or [response.get("file") or {}]
        return [str(f.get("id", "")) for f in files]
