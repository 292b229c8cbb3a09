"""The Slack side of the Notifier protocol: Web API calls, paced, retried and never doubled.

A reminder carries its log key in Slack's message metadata. When a post's outcome is unknown
(a 5xx, an unreadable answer, a connection that dropped after sending), the DM's history is
read before trying again: a message Slack already has is logged, not sent a second time.
"""

from __future__ import annotations

import heapq
import logging
import math
import re
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

from bot import metrics
from bot.config import Settings
from bot.domain.actors import SLACK, ChatUser, Recipient
from bot.domain.report import Summary
from bot.domain.text import escape_mrkdwn
from bot.services.notifier import (
    Delivered,
    Delivery,
    FoundUser,
    PlatformUnavailable,
    PublishedPost,
    ReminderContent,
    ReportDocument,
)
from bot.slack.blocks.overview import (
    build_committee_comment,
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
MAX_UNCERTAIN_RETRIES = 3
BACKOFF_SECONDS = (1.0, 2.0, 4.0)
MAX_RETRY_AFTER = 60.0
METADATA_EVENT = "uppsikt_reminder"
HISTORY_LOOKBACK = 50


def make_client(settings: Settings) -> WebClient:
    """A WebClient for the configured API URL that retries on 429 (Retry-After) and resets.

    For calls that change nothing, or change nothing twice (views, updates): reminders and
    publishing go through clients that never resend on their own.
    """
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=30,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=5),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def retry_after_seconds(value: object) -> float:
    """Read a Retry-After header; anything malformed means one second, and never over a minute."""
    try:
        seconds = float(str(value).strip())
    except (TypeError, ValueError):
        return 1.0
    if math.isnan(seconds) or seconds < 0:
        return 1.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class _Outcome:
    ACCEPTED = "accepted"
    LIMITED = "limited"
    UNCERTAIN = "uncertain"
    REFUSED = "refused"


class SlackNotifier:
    """Sends what the services ask for through the Slack Web API."""

    platform = SLACK

    def __init__(
        self,
        client: WebClient,
        *,
        settings: Settings,
        workspace: str,
        per_channel_interval: float = PER_CHANNEL_INTERVAL,
        backoff: Sequence[float] = BACKOFF_SECONDS,
    ) -> None:
        self.client = client
        self.settings = settings
        self.language = settings.language
        self.committee = settings.committee
        self.committee_channel = settings.committee_channel
        self._workspace = workspace
        self.per_channel_interval = per_channel_interval
        self.backoff = tuple(backoff)
        # Never resends by itself: a resend after a dropped connection could double a message.
        self._once_client = WebClient(
            token=client.token, base_url=client.base_url, timeout=client.timeout, retry_handlers=[]
        )
        self._emails: OrderedDict[str, str | None] = OrderedDict()
        self._lock = threading.Lock()
        # Keys this process has posted at least once: before posting one again, the DM's history
        # is read, so a post whose answer was lost is logged rather than repeated.
        self._attempted: set[str] = set()

    @property
    def workspace(self) -> str:
        return self._workspace

    # --- people ---------------------------------------------------------------------------

    def find_user(self, email: str) -> FoundUser | None:
        try:
            response = self.client.users_lookupByEmail(email=email)
        except SlackApiError as exc:
            if _error(exc) == "users_not_found":
                return None
            raise PlatformUnavailable(_error(exc) or "error") from None
        except Exception as exc:
            raise PlatformUnavailable(type(exc).__name__) from None
        user = response.get("user") or {}
        if not isinstance(user, dict) or user.get("deleted") or user.get("is_bot"):
            return None
        user_id = user.get("id")
        if not isinstance(user_id, str) or not user_id:
            return None
        return FoundUser(ChatUser(SLACK, self.workspace, user_id))

    def user_email(self, user: ChatUser) -> str | None:
        with self._lock:
            if user.user_id in self._emails:
                return self._emails[user.user_id]
        try:
            response = self.client.users_info(user=user.user_id)
        except SlackApiError as exc:
            if _error(exc) in ("user_not_found", "account_inactive"):
                return None
            logger.warning("users.info failed: %s", _error(exc))
            raise PlatformUnavailable(_error(exc) or "error") from None
        except Exception as exc:
            raise PlatformUnavailable(type(exc).__name__) from None
        profile = ((response.get("user") or {}).get("profile")) or {}
        email = profile.get("email") if isinstance(profile, dict) else None
        email = email if isinstance(email, str) else None
        with self._lock:
            self._emails[user.user_id] = email
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
        self,
        deliveries: Sequence[Delivery],
        on_delivered: Callable[[Delivered], None],
        on_attempt: Callable[[Delivery], None] | None = None,
    ) -> list[tuple[Delivery, str]]:
        """Post each delivery as a DM, never faster than the per-channel limit.

        Workers always take the conversation whose next message may go soonest, so a round
        takes about as long as its busiest conversation needs, not the sum of them.
        """
        queues: dict[str, deque[Delivery]] = {}
        for delivery in deliveries:
            queues.setdefault(delivery.recipient.user.user_id, deque()).append(delivery)
        ready: list[tuple[float, int, str]] = []
        for order, channel in enumerate(queues):
            heapq.heappush(ready, (0.0, order, channel))
        lock = threading.Lock()
        failures: list[tuple[Delivery, str]] = []
        limited: dict[str, int] = {}
        uncertain: dict[str, int] = {}
        dm_channels: dict[str, str] = {}

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
                outcome, detail = self._post(delivery, on_delivered, on_attempt, dm_channels)
                with lock:
                    retry_in: float | None = None
                    if (
                        outcome == _Outcome.LIMITED
                        and limited.get(delivery.key, 0) < MAX_429_RETRIES
                    ):
                        limited[delivery.key] = limited.get(delivery.key, 0) + 1
                        retry_in = float(detail) if isinstance(detail, int | float) else 1.0
                    elif outcome == _Outcome.UNCERTAIN and uncertain.get(delivery.key, 0) < len(
                        self.backoff
                    ):
                        retry_in = self.backoff[uncertain.get(delivery.key, 0)]
                        uncertain[delivery.key] = uncertain.get(delivery.key, 0) + 1
                    if retry_in is not None:
                        queues[channel].appendleft(delivery)
                        heapq.heappush(ready, (time.monotonic() + retry_in, order, channel))
                        continue
                    if outcome != _Outcome.ACCEPTED:
                        failures.append((delivery, str(detail)))
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
        metrics.REMINDERS.labels(SLACK, "sent").inc(len(deliveries) - len(failures))
        metrics.REMINDERS.labels(SLACK, "failed").inc(len(failures))
        return failures

    def _post(
        self,
        delivery: Delivery,
        on_delivered: Callable[[Delivered], None],
        on_attempt: Callable[[Delivery], None] | None,
        dm_channels: dict[str, str],
    ) -> tuple[str, object]:
        """Post one message unless Slack has it already; (outcome, seconds to wait or why)."""
        user_id = delivery.recipient.user.user_id
        channel = dm_channels.get(user_id) or delivery.recipient.address.get("channel")
        with self._lock:
            attempted = delivery.key in self._attempted or delivery.maybe_sent
        if attempted:
            found = self._find_sent(delivery, channel, user_id, dm_channels)
            if not isinstance(found, Delivered | None):
                return _Outcome.UNCERTAIN, "history_unavailable"
            if found is not None:
                on_delivered(found)
                return _Outcome.ACCEPTED, ""
        with self._lock:
            first = delivery.key not in self._attempted
            self._attempted.add(delivery.key)
        if first and on_attempt is not None:
            on_attempt(delivery)
        try:
            response = self._once_client.chat_postMessage(
                channel=user_id,
                text=delivery.payload["text"],
                blocks=delivery.payload["blocks"],
                metadata={"event_type": METADATA_EVENT, "event_payload": {"key": delivery.key}},
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            status = exc.response.status_code
            if status == 429:
                metrics.RATE_LIMITED.labels(SLACK).inc()
                with self._lock:
                    self._attempted.discard(delivery.key)  # a 429 is never delivered
                return _Outcome.LIMITED, retry_after_seconds(
                    exc.response.headers.get("Retry-After", exc.response.headers.get("retry-after"))
                )
            data = exc.response.data
            # Slack's errors are codes (`channel_not_found`); the SDK puts a sentence there when
            # the body was not JSON at all.
            readable = isinstance(data, dict) and bool(
                re.fullmatch(r"[a-z0-9_]+", str(data.get("error") or ""))
            )
            if status >= 500 or not readable:  # Slack's answer was lost or garbled
                logger.warning("reminder post: Slack answered %s; checking before a retry", status)
                return _Outcome.UNCERTAIN, f"http_{status}"
            error = _error(exc) or "error"
            logger.warning("reminder not delivered: %s", error)
            return _Outcome.REFUSED, error
        except Exception as exc:  # connection dropped, timeout, unreadable body
            logger.warning("reminder post: %s; checking before a retry", type(exc).__name__)
            return _Outcome.UNCERTAIN, type(exc).__name__
        posted_channel = str(response.get("channel") or "")
        ts = str(response.get("ts") or "")
        if not posted_channel or not ts:
            return _Outcome.UNCERTAIN, "unreadable"
        address = None
        if posted_channel != delivery.recipient.address.get("channel"):
            address = {"channel": posted_channel}
        dm_channels[user_id] = posted_channel
        on_delivered(Delivered(delivery.key, posted_channel, ts, address))
        return _Outcome.ACCEPTED, ""

    def _find_sent(
        self, delivery: Delivery, channel: str | None, user_id: str, dm_channels: dict[str, str]
    ) -> Delivered | None | object:
        """The message with this delivery's key in the DM's recent history, None if it is not
        there, or _UNKNOWN if Slack cannot tell now."""
        try:
            if not channel:
                opened = self._once_client.conversations_open(users=user_id)
                channel = str((opened.get("channel") or {}).get("id") or "")
                if not channel:
                    return _UNKNOWN
                dm_channels[user_id] = channel
            history = self._once_client.conversations_history(
                channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
            )
        except Exception:
            return _UNKNOWN
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == METADATA_EVENT and payload.get("key") == delivery.key:
                address = None
                if channel != delivery.recipient.address.get("channel"):
                    address = {"channel": channel}
                return Delivered(delivery.key, channel, str(message.get("ts") or ""), address)
        return None

    def secretary_payload(
        self, *, period: str, summary: Summary, with_publish: bool
    ) -> dict[str, Any]:
        return build_report_summary(
            language=self.language,
            period_key=period,
            summary=summary,
            can_publish=with_publish and bool(self.committee_channel),
        )

    def tell(self, recipient: Recipient, text: str) -> None:
        self.client.chat_postMessage(channel=recipient.user.user_id, text=text)

    def tell_user(self, user_id: str, text: str) -> bool:
        """A private message that never raises: True if Slack took it."""
        try:
            self.client.chat_postMessage(channel=user_id, text=text)
            return True
        except Exception:
            logger.exception("could not send a private message")
            return False

    def tell_unmatched(
        self, recipient: Recipient, period: str, people: list[tuple[str, str]]
    ) -> None:
        message = build_unmatched_people(language=self.language, period_key=period, people=people)
        self.client.chat_postMessage(
            channel=recipient.user.user_id, text=message["text"], blocks=message["blocks"]
        )

    # --- publishing -----------------------------------------------------------------------

    def announce(self, channel: str, text: str) -> None:
        """One line in a channel; escaped, so nothing in it can ping anyone."""
        self._once_client.chat_postMessage(
            channel=channel, text=escape_mrkdwn(text), unfurl_links=False, unfurl_media=False
        )

    def publish_report(
        self,
        channel: str,
        *,
        key: str,
        period: str,
        summary: Summary,
        documents: Sequence[ReportDocument],
    ) -> PublishedPost:
        """Share the files with the summary as their comment: one message, or none."""
        comment = build_committee_comment(
            language=self.language, period_key=period, summary=summary, committee=self.committee
        )
        response = self._once_client.files_upload_v2(
            channel=channel,
            initial_comment=comment,
            file_uploads=[
                {"content": d.content, "filename": d.filename, "title": d.title} for d in documents
            ],
        )
        files = response.get("files") or [response.get("file") or {}]
        return PublishedPost(
            channel=channel, message="", files=tuple(str(f.get("id", "")) for f in files)
        )


_UNKNOWN = object()


def _error(exc: SlackApiError) -> str:
    data = exc.response.data if exc.response is not None else None
    return str(data.get("error") or "") if isinstance(data, dict) else ""
