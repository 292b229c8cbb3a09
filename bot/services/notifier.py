"""What services need from a chat platform. The Slack adapter implements it; Teams will too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.domain.report import Summary as ReportSummary
from bot.domain.reporting import ActivityItem, PeriodInfo, UnitProgress


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
    user_id: str
    payload: Any  # platform-specific, built by the adapter


@dataclass(frozen=True)
class ReportDocument:
    """One file of the compiled report, ready to upload."""

    content: bytes
    filename: str
    title: str


@dataclass(frozen=True)
class Delivered:
    key: str
    channel: str
    ts: str


class Notifier(Protocol):
    """The chat platform, as the services see it."""

    def lookup_user_by_email(self, email: str) -> str | None:
        """The platform user id for an e-mail, or None if there is no such user."""

    def user_email(self, user_id: str) -> str | None:
        """The e-mail of a platform user, or None."""

    def reminder_payloads(self, content: ReminderContent) -> list[Any]:
        """The messages (parts) one reminder needs, in order."""

    def deliver(
        self, deliveries: list[Delivery], on_delivered: Callable[[Delivered], None]
    ) -> list[tuple[Delivery, str]]:
        """Send direct messages, paced per conversation; return those that failed, with why."""

    def secretary_payload(self, *, period: str, summary: ReportSummary, with_publish: bool) -> Any:
        """The secretaries' message: the summary with who is missing (and a publish button)."""

    def tell_unmatched(self, user_id: str, period: str, people: list[tuple[str, str]]) -> None:
        """Tell an admin which people (name, e-mail) could not be matched to a chat user."""

    def publish_report(
        self,
        channel: str,
        *,
        period: str,
        summary: ReportSummary,
        documents: Sequence[ReportDocument],
    ) -> list[str]:
        """Post one summary message and the report files to a channel; return the file ids."""
