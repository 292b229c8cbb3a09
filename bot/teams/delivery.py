"""Reminder deliveries to Teams: paced, retried when Teams proves nothing arrived, never twice.

The policy for an outcome Teams leaves open (a 5xx, a timeout, an answer that never came):
Teams has no way to ask whether a message arrived, and a 5xx may come after the connector stored
it. Such a delivery is never sent again, by this process or (through the services' write-ahead
note, `Delivery.maybe_sent`) by any later one: it goes back to the services as a failure whose
reason starts with `uncertain`, so nobody counts it as sent, and it is not repeated. A
duplicate reminder is worse than a missed one: the person is reminded again at the next
occasion anyway. What is proven undelivered (429, a connection never made, a refused token) is
sent again: after Retry-After, or after a back-off; a 4xx is a plain failure.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.services.notifier import Delivered, Delivery
from bot.teams.connector import Connector, Failure, Outcome, card_activity, classify
from bot.teams.loop import SdkLoop

logger = logging.getLogger(__name__)

MAX_SENDERS = 16
MAX_PER_SECOND = 40.0  # under Teams' 50 requests a second per bot and tenant
MIN_PER_SECOND = 2.0
PER_CONVERSATION_INTERVAL = 0.25  # Teams allows 7 a second to one conversation
MAX_LIMITED = 6
BACKOFF_SECONDS = (1.0, 2.0, 4.0)
SEND_TIMEOUT = 45.0
UNCERTAIN = "uncertain"


@dataclass
class _Pace:
    """A shared rate for all senders: a fifth slower after a 429, back up on each success."""

    rate: float
    ceiling: float
    next_slot: float = 0.0
    paused_until: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def slot(self) -> float:
        """Reserve the next send slot; the seconds to wait for it."""
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_slot, self.paused_until)
            self.next_slot = start + 1.0 / self.rate
            return start - now

    def limited(self) -> None:
        with self.lock:
            self.rate = max(MIN_PER_SECOND, self.rate * 0.8)

    def succeeded(self) -> None:
        with self.lock:
            self.rate = min(self.ceiling, self.rate + 1.0)

    def pause(self, seconds: float) -> None:
        with self.lock:
            self.paused_until = max(self.paused_until, time.monotonic() + seconds)


class DeliveryEngine:
    """Sends the services' deliveries as Adaptive Card messages in each person's 1:1 chat."""

    def __init__(
        self,
        loop: SdkLoop,
        connector: Connector,
        *,
        default_service_url: str,
        max_per_second: float = MAX_PER_SECOND,
        per_conversation_interval: float = PER_CONVERSATION_INTERVAL,
        backoff: Sequence[float] = BACKOFF_SECONDS,
    ) -> None:
        self.loop = loop
        self.connector = connector
        self.default_service_url = default_service_url
        self.max_per_second = max_per_second
        self.per_conversation_interval = per_conversation_interval
        self.backoff = tuple(backoff)
        self._lock = threading.Lock()
        self._attempted: set[str] = set()
        # Keys this process tried and knows were not delivered: safe to send though noted.
        self._undelivered: set[str] = set()
        # Keys this process sent: if logging them failed, they are logged, never sent, again.
        self._sent: dict[str, Delivered] = {}
        self._uncertain: set[str] = set()

    # --- one delivery ------------------------------------------------------------------------

    def _service_url(self, delivery: Delivery) -> str:
        return (delivery.recipient.address.get("service_url") or self.default_service_url).rstrip(
            "/"
        )

    def _conversation(
        self, delivery: Delivery, conversations: dict[str, str]
    ) -> tuple[str | None, Failure | None]:
        user_id = delivery.recipient.user.user_id
        known = conversations.get(user_id) or delivery.recipient.address.get("conversation_id")
        if known:
            return known, None
        try:
            # Teams answers with the same 1:1 chat every time: asking again is always safe.
            created = self.loop.run(
                self.connector.create_personal(user_id, self._service_url(delivery)), SEND_TIMEOUT
            )
        except Exception as error:
            failure = classify(error)
            if failure.outcome in (Outcome.REFUSED, Outcome.LIMITED):
                return None, failure
            return None, Failure(Outcome.NOT_SENT, f"no_conversation:{failure.reason}")
        conversations[user_id] = created
        return created, None

    def send_one(
        self,
        delivery: Delivery,
        on_delivered: Callable[[Delivered], None],
        on_attempt: Callable[[Delivery], None] | None,
        conversations: dict[str, str],
    ) -> Failure | None:
        """Send one delivery unless it may be there already; None when Teams took it."""
        key = delivery.key
        with self._lock:
            sent_before = self._sent.get(key)
            known_undelivered = key in self._undelivered
            uncertain = key in self._uncertain
        if sent_before is not None:
            self._log(on_delivered, sent_before)
            return None
        if uncertain or (delivery.maybe_sent and not known_undelivered):
            return Failure(Outcome.UNCERTAIN, "maybe_sent")
        conversation_id, failure = self._conversation(delivery, conversations)
        if conversation_id is None:
            assert failure is not None
            with self._lock:
                if key not in self._attempted:
                    self._undelivered.add(key)
            return failure
        with self._lock:
            first = key not in self._attempted
            self._attempted.add(key)
        if first and on_attempt is not None:
            on_attempt(delivery)  # the write-ahead note, before anything can arrive
        service_url = self._service_url(delivery)
        payload = delivery.payload
        summary = str(payload.get("fallbackText") or "") if isinstance(payload, dict) else ""
        try:
            activity_id = self.loop.run(
                self.connector.send(
                    conversation_id, service_url, card_activity(payload, summary=summary)
                ),
                SEND_TIMEOUT,
            )
        except Exception as error:
            failure = classify(error)
            with self._lock:
                if failure.outcome == Outcome.UNCERTAIN:
                    self._uncertain.add(key)
                    self._undelivered.discard(key)
                else:
                    self._undelivered.add(key)
            if failure.outcome == Outcome.UNCERTAIN:
                logger.warning(
                    "a reminder may or may not have arrived (%s); it is not sent again",
                    failure.reason,
                )
            return failure
        address = None
        if (
            delivery.recipient.address.get("conversation_id") != conversation_id
            or delivery.recipient.address.get("service_url", "").rstrip("/") != service_url
        ):
            address = {"conversation_id": conversation_id, "service_url": service_url}
        delivered = Delivered(key, conversation_id, activity_id, address)
        with self._lock:
            self._sent[key] = delivered
            self._undelivered.discard(key)
        self._log(on_delivered, delivered)
        return None

    @staticmethod
    def _log(on_delivered: Callable[[Delivered], None], delivered: Delivered) -> None:
        try:
            on_delivered(delivered)
        except Exception:  # sent is sent: the next round logs it instead of sending it again
            logger.exception("a delivered reminder could not be logged")

    # --- a round ------------------------------------------------------------------------------

    def deliver(
        self,
        deliveries: Sequence[Delivery],
        on_delivered: Callable[[Delivered], None],
        on_attempt: Callable[[Delivery], None] | None = None,
    ) -> list[tuple[Delivery, str]]:
        """Send every delivery; return those that failed, with why (`uncertain...` for those
        that may have arrived).

        One queue per person keeps their cards in order and a little apart; workers take the
        person whose next card may go soonest, under one shared rate for the whole tenant.
        """
        queues: dict[str, deque[Delivery]] = {}
        for delivery in deliveries:
            queues.setdefault(delivery.recipient.user.user_id, deque()).append(delivery)
        ready: list[tuple[float, int, str]] = []
        for order, person in enumerate(queues):
            heapq.heappush(ready, (0.0, order, person))
        lock = threading.Lock()
        failures: list[tuple[Delivery, str]] = []
        limited: dict[str, int] = {}
        retried: dict[str, int] = {}
        conversations: dict[str, str] = {}
        pace = _Pace(rate=self.max_per_second, ceiling=self.max_per_second)
        in_flight = [0]
        done = threading.Condition(lock)

        def worker() -> None:
            while True:
                with lock:
                    while not ready and in_flight[0]:
                        done.wait(0.5)  # a person in flight may come back for a retry
                    if not ready:
                        return
                    not_before, order, person = heapq.heappop(ready)
                    delivery = queues[person].popleft()
                    in_flight[0] += 1
                wait = max(not_before - time.monotonic(), 0.0)
                if wait:
                    time.sleep(wait)
                slot = pace.slot()
                if slot > 0:
                    time.sleep(slot)
                failure = self.send_one(delivery, on_delivered, on_attempt, conversations)
                with lock:
                    in_flight[0] -= 1
                    retry_in: float | None = None
                    if failure is None:
                        pace.succeeded()
                    elif (
                        failure.outcome == Outcome.LIMITED
                        and limited.get(delivery.key, 0) < MAX_LIMITED
                    ):
                        limited[delivery.key] = limited.get(delivery.key, 0) + 1
                        pace.limited()
                        retry_in = failure.retry_after
                    elif failure.outcome == Outcome.NOT_SENT and retried.get(delivery.key, 0) < len(
                        self.backoff
                    ):
                        retry_in = self.backoff[retried.get(delivery.key, 0)]
                        retried[delivery.key] = retried.get(delivery.key, 0) + 1
                    elif failure.outcome == Outcome.UNCERTAIN:
                        if failure.reason != "maybe_sent":
                            # The service is struggling: let it breathe before the next card.
                            pace.pause(self.backoff[0] if self.backoff else 1.0)
                    if retry_in is not None:
                        queues[person].appendleft(delivery)
                        heapq.heappush(ready, (time.monotonic() + retry_in, order, person))
                    else:
                        if failure is not None:
                            prefix = f"{UNCERTAIN}:" if failure.outcome == Outcome.UNCERTAIN else ""
                            failures.append((delivery, prefix + failure.reason))
                        if queues[person]:
                            next_time = time.monotonic() + self.per_conversation_interval
                            heapq.heappush(ready, (next_time, order, person))
                    done.notify_all()

        workers = max(1, min(MAX_SENDERS, len(queues)))
        threads = [
            threading.Thread(target=worker, name=f"uppsikt-teams-send-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return failures
