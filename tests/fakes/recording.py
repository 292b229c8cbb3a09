"""A notifier that records what the services hand to a chat platform, without any HTTP.

It implements the whole Notifier protocol for a platform named `platform` ("slack" by default),
knows a directory of users by e-mail, and can be told to fail: a lookup that is unavailable, a
delivery refused or uncertain, a publish that raises.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.domain.actors import ChatUser, Recipient
from bot.domain.report import Summary
from bot.services.notifier import (
    Delivered,
    Delivery,
    FoundUser,
    PlatformUnavailable,
    PublishedPost,
    ReminderContent,
    ReportDocument,
)


@dataclass
class RecordingNotifier:
    platform: str = "slack"
    workspace: str = "T0TEST"
    committee_channel: str = "C0COMMITTEE"
    # e-mail -> user id
    directory: dict[str, str] = field(default_factory=dict)
    unavailable_emails: set[str] = field(default_factory=set)
    refuse_keys: set[str] = field(default_factory=set)
    fail_publish: bool = False
    parts_per_reminder: int = 1
    calls: list[tuple[str, Any]] = field(default_factory=list)
    delivered: list[Delivery] = field(default_factory=list)
    told: list[tuple[str, str]] = field(default_factory=list)
    published: list[dict[str, Any]] = field(default_factory=list)
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _record(self, name: str, value: Any) -> None:
        with self._lock:
            self.calls.append((name, value))

    def user_email(self, user: ChatUser) -> str | None:
        self._record("user_email", user.user_id)
        for email, user_id in self.directory.items():
            if user_id == user.user_id:
                if email in self.unavailable_emails:
                    raise PlatformUnavailable("test")
                return email
        return None

    def find_user(self, email: str) -> FoundUser | None:
        self._record("find_user", email)
        if email in self.unavailable_emails:
            raise PlatformUnavailable("test")
        user_id = self.directory.get(email)
        if user_id is None:
            return None
        return FoundUser(
            ChatUser(self.platform, self.workspace, user_id), {"channel": f"D{user_id}"}
        )

    def reminder_payloads(self, content: ReminderContent) -> list[Any]:
        return [
            {"unit_id": content.unit_id, "part": part, "items": len(content.items)}
            for part in range(1, self.parts_per_reminder + 1)
        ]

    def deliver(
        self,
        deliveries: Sequence[Delivery],
        on_delivered: Callable[[Delivered], None],
        on_attempt: Callable[[Delivery], None] | None = None,
    ) -> list[tuple[Delivery, str]]:
        failures = []
        for delivery in deliveries:
            self._record("deliver", delivery.key)
            if on_attempt is not None:
                on_attempt(delivery)
            if delivery.key in self.refuse_keys:
                failures.append((delivery, "refused"))
                continue
            with self._lock:
                self.delivered.append(delivery)
                ts = f"{next(self._ts)}.000100"
            on_delivered(Delivered(delivery.key, f"D{delivery.recipient.user.user_id}", ts))
        return failures

    def secretary_payload(self, *, period: str, summary: Summary, with_publish: bool) -> Any:
        return {"period": period, "publish": with_publish, "missing": summary.missing}

    def tell(self, recipient: Recipient, text: str) -> None:
        self._record("tell", recipient.user.user_id)
        self.told.append((recipient.user.user_id, text))

    def tell_unmatched(
        self, recipient: Recipient, period: str, people: list[tuple[str, str]]
    ) -> None:
        self._record("tell_unmatched", (recipient.user.user_id, period, tuple(people)))

    def announce(self, channel: str, text: str) -> None:
        self._record("announce", (channel, text))

    def publish_report(
        self,
        channel: str,
        *,
        key: str,
        period: str,
        summary: Summary,
        documents: Sequence[ReportDocument],
    ) -> PublishedPost:
        self._record("publish_report", key)
        if self.fail_publish:
            raise RuntimeError("the platform refused the upload")
        self.published.append(
            {"channel": channel, "key": key, "period": period, "documents": list(documents)}
        )
        return PublishedPost(
            channel, f"M{len(self.published)}", tuple(d.filename for d in documents)
        )

    def of_kind(self, name: str) -> list[Any]:
        with self._lock:
            return [value for kind, value in self.calls if kind == name]
