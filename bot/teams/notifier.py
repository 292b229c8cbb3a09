"""The Teams side of the Notifier protocol: people, reminders, private messages, publishing.

People are reached through the address Teams gave on install (their 1:1 conversation and its
service URL), or through a 1:1 the bot creates from their AAD object id. Teams offers a bot no
directory search by e-mail, so `find_user` finds no one: a person is reachable in Teams once the
app is installed for them (an admin can install it for everyone with a setup policy).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from bot import metrics
from bot.config import Settings
from bot.domain.actors import TEAMS, ChatUser, Recipient
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
from bot.teams.cards.overview import build_unmatched_people
from bot.teams.cards.reminder import build_reminder_cards
from bot.teams.cards.report import build_report_summary
from bot.teams.channel import parse_channel
from bot.teams.connector import Connector, Outcome, card_activity, classify, text_activity
from bot.teams.delivery import DeliveryEngine
from bot.teams.loop import SdkLoop
from bot.teams.publish import Publisher

logger = logging.getLogger(__name__)

CACHE_SIZE = 10_000


class TeamsNotifier:
    """Sends what the services ask for through the Bot Connector (and Graph)."""

    platform = TEAMS

    def __init__(
        self,
        *,
        settings: Settings,
        loop: SdkLoop,
        connector: Connector,
        engine: DeliveryEngine,
        publisher: Publisher,
        default_service_url: str,
    ) -> None:
        self.settings = settings
        self.language = settings.language
        self.loop = loop
        self.connector = connector
        self.engine = engine
        self.publisher = publisher
        self.default_service_url = default_service_url.rstrip("/")
        self._lock = threading.Lock()
        # Where each user last wrote from (AAD object id -> address): a member lookup needs a
        # conversation they are in; only a personal (1:1) one is ever written to.
        self._addresses: OrderedDict[str, dict[str, str]] = OrderedDict()
        self._personal: OrderedDict[str, dict[str, str]] = OrderedDict()
        self._emails: OrderedDict[str, str | None] = OrderedDict()

    @property
    def workspace(self) -> str:
        return self.settings.teams_tenant_id

    # --- people ---------------------------------------------------------------------------

    def remember(self, user_id: str, address: dict[str, str], *, personal: bool) -> None:
        """Note where a user just wrote from (every inbound activity does)."""
        with self._lock:
            for store in (self._addresses, self._personal) if personal else (self._addresses,):
                store[user_id] = dict(address)
                store.move_to_end(user_id)
                while len(store) > CACHE_SIZE:
                    store.popitem(last=False)

    def address_of(self, user_id: str, *, personal: bool = False) -> dict[str, str] | None:
        """Where the user last wrote from (their 1:1 only, with `personal`)."""
        with self._lock:
            found = (self._personal if personal else self._addresses).get(user_id)
            return dict(found) if found else None

    def find_user(self, email: str) -> FoundUser | None:
        return None  # no directory search for bots: people are found when they install the app

    def user_email(self, user: ChatUser) -> str | None:
        """The e-mail Teams has for a user (from the connector's member lookup), cached."""
        with self._lock:
            if user.user_id in self._emails:
                return self._emails[user.user_id]
        address = self.address_of(user.user_id)
        if not address or not address.get("conversation_id"):
            return None
        service_url = address.get("service_url") or self.default_service_url
        try:
            member = self.loop.run(
                self.connector.member(address["conversation_id"], user.user_id, service_url), 30
            )
        except Exception as error:
            raise PlatformUnavailable(classify(error).reason) from None
        email = None
        if member is not None:
            email = getattr(member, "email", None) or getattr(member, "user_principal_name", None)
        email = email if isinstance(email, str) and "@" in email else None
        with self._lock:
            self._emails[user.user_id] = email
            while len(self._emails) > CACHE_SIZE:
                self._emails.popitem(last=False)
        return email

    # --- reminders ------------------------------------------------------------------------

    def reminder_payloads(self, content: ReminderContent) -> list[dict[str, Any]]:
        return build_reminder_cards(
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
        failures = self.engine.deliver(deliveries, on_delivered, on_attempt)
        metrics.REMINDERS.labels(TEAMS, "sent").inc(len(deliveries) - len(failures))
        metrics.REMINDERS.labels(TEAMS, "failed").inc(len(failures))
        return failures

    def secretary_payload(
        self, *, period: str, summary: Summary, with_publish: bool
    ) -> dict[str, Any]:
        return build_report_summary(
            language=self.language, period_key=period, summary=summary, can_publish=with_publish
        )

    # --- private messages -----------------------------------------------------------------

    def _to_person(self, recipient: Recipient, activity: Any) -> None:
        """One message to a person's 1:1 (made if need be); 429 waits once, else it raises."""
        address = recipient.address or self.address_of(recipient.user.user_id, personal=True) or {}
        service_url = (address.get("service_url") or self.default_service_url).rstrip("/")
        conversation_id = address.get("conversation_id")
        if not conversation_id:
            conversation_id = self.loop.run(
                self.connector.create_personal(recipient.user.user_id, service_url), 30
            )
        for attempt in range(3):
            try:
                self.loop.run(self.connector.send(conversation_id, service_url, activity), 30)
                return
            except Exception as error:
                failure = classify(error)
                if failure.outcome != Outcome.LIMITED or attempt == 2:
                    raise
                time.sleep(failure.retry_after)

    def tell(self, recipient: Recipient, text: str) -> None:
        self._to_person(recipient, text_activity(text))

    def tell_unmatched(
        self, recipient: Recipient, period: str, people: list[tuple[str, str]]
    ) -> None:
        card = build_unmatched_people(language=self.language, period_key=period, people=people)
        self._to_person(recipient, card_activity(card, summary=str(card.get("fallbackText") or "")))

    def announce(self, channel: str, text: str) -> None:
        """One line of plain text in a channel: Teams shows it as typed and it mentions no one."""
        try:
            target = parse_channel(channel)
        except ValueError as error:
            raise PlatformUnavailable(f"not a Teams channel: {error}") from None
        service_url = (target.service_url or self.default_service_url).rstrip("/")
        self.loop.run(
            self.connector.send(target.conversation_id, service_url, text_activity(text)), 30
        )

    # --- publishing -----------------------------------------------------------------------

    def publish_report(
        self,
        channel: str,
        *,
        key: str,
        period: str,
        summary: Summary,
        documents: Sequence[ReportDocument],
    ) -> PublishedPost:
        return self.publisher.publish(
            channel, key=key, period=period, summary=summary, documents=documents
        )
