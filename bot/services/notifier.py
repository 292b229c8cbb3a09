"""What the services need from a chat platform. Each adapter implements it; services stay neutral."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.domain.actors import ChatUser, Recipient
from bot.domain.report import Summary as ReportSummary
from bot.domain.reporting import ActivityItem, PeriodInfo, UnitProgress


class PlatformUnavailable(Exception):
    """The platform did not answer usefully (5xx, timeout, unreadable): try again later."""


@dataclass(frozen=True)
class FoundUser:
    """A platform user found by e-mail, with what is needed to write to them."""

    user: ChatUser
    address: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReminderContent:
    """Everything one reminder to one reporter about one unit shows."""

    unit_id: int
    unit_path: str
    period: PeriodInfo
    items: tuple[ActivityItem, ...]
    progress: UnitProgress
    language: str


@dataclass(frozen=True)
class Delivery:
    """One message to one person, with the log key that makes it unique."""

    key: str
    recipient: Recipient
    payload: Any  # platform-specific, built by the adapter
    # Some process may have sent it already (it crashed before logging it): look first.
    maybe_sent: bool = False


@dataclass(frozen=True)
class Delivered:
    """A delivery the platform accepted: where it is, and the recipient's address if it changed."""

    key: str
    channel: str
    ts: str
    address: dict[str, str] | None = None


@dataclass(frozen=True)
class ReportDocument:
    """One file of the compiled report, ready to upload."""

    content: bytes
    filename: str
    title: str
    media_type: str = "application/octet-stream"


@dataclass(frozen=True)
class PublishedPost:
    """Where a published report landed: the message and the files' references."""

    channel: str
    message: str
    files: tuple[str, ...] = ()


class Notifier(Protocol):
    """A chat platform, as the services see it."""

    platform: str

    @property
    def workspace(self) -> str:
        """The Slack team id or Teams tenant id this adapter serves."""

    def user_email(self, user: ChatUser) -> str | None:
        """The e-mail of a platform user, or None; raise PlatformUnavailable."""

    def find_user(self, email: str) -> FoundUser | None:
        """The platform user with this e-mail, or None; raise PlatformUnavailable."""

    def reminder_payloads(self, content: ReminderContent) -> list[Any]:
        """The messages (parts) one reminder needs, in order."""

    def deliver(
        self,
        deliveries: Sequence[Delivery],
        on_delivered: Callable[[Delivered], None],
        on_attempt: Callable[[Delivery], None] | None = None,
    ) -> list[tuple[Delivery, str]]:
        """Send direct messages, paced and retried; return those that failed, with why.

        `on_attempt` runs just before each first send (a write-ahead note). A delivery is never
        sent twice: when it may have been sent already (`maybe_sent`, or an earlier try whose
        outcome is unknown) the adapter finds out whether it arrived before sending again.
        """

    def secretary_payload(self, *, period: str, summary: ReportSummary, with_publish: bool) -> Any:
        """The secretaries' message: the summary with who is missing (and a publish action)."""

    def tell(self, recipient: Recipient, text: str) -> None:
        """A short private message; raise on failure."""

    def tell_unmatched(
        self, recipient: Recipient, period: str, people: list[tuple[str, str]]
    ) -> None:
        """Tell an admin which people (name, e-mail) could not be found on the platform."""

    def announce(self, channel: str, text: str) -> None:
        """One line of plain text in a channel (user text in it is escaped by the adapter's
        rules: it can never mention anyone); raise on failure."""

    def publish_report(
        self,
        channel: str,
        *,
        key: str,
        period: str,
        summary: ReportSummary,
        documents: Sequence[ReportDocument],
    ) -> PublishedPost:
        """Post the summary with the report files to a channel, as one act; raise on failure."""
