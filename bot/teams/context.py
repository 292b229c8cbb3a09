"""What every Teams handler closes over, who is acting in an activity, and the invoke answers."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain.actors import TEAMS, ChatUser
from bot.i18n import t
from bot.services.core import Core
from bot.services.errors import Refused
from bot.teams.connector import Connector, text_activity
from bot.teams.loop import SdkLoop
from bot.teams.notifier import TeamsNotifier

logger = logging.getLogger(__name__)

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"
ERROR = "application/vnd.microsoft.error"
# How far a person's click may be from now and still order their saves (Teams' own clock).
ACTED_AT_PAST = timedelta(days=1)
ACTED_AT_FUTURE = timedelta(minutes=5)


@dataclass
class TeamsContext:
    """Closed over by every handler factory."""

    core: Core
    loop: SdkLoop
    notifier: TeamsNotifier
    connector: Connector
    _seen: set[str] = field(default_factory=set)
    _seen_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def language(self) -> str:
        return self.core.settings.language

    @property
    def tenant_id(self) -> str:
        return self.core.settings.teams_tenant_id

    def text(self, key: str, **params: object) -> str:
        return t(self.language, key, **params)

    def refusal(self, refused: Refused) -> str:
        return t(self.language, refused.key, **refused.params)

    def user(self, activity: Any) -> ChatUser:
        """The person behind an activity: their AAD object id in this tenant; ValueError."""
        sender = getattr(activity, "from_", None)
        user_id = getattr(sender, "aad_object_id", None)
        if not isinstance(user_id, str) or not _GUID.fullmatch(user_id):
            raise ValueError("no AAD object id")
        return ChatUser(TEAMS, self.tenant_id, user_id.lower())

    def address(self, activity: Any) -> dict[str, str]:
        """How to write to this conversation later: its id and the service URL Teams gave."""
        conversation = getattr(activity, "conversation", None)
        conversation_id = str(getattr(conversation, "id", "") or "").split(";", 1)[0]
        return {
            "conversation_id": conversation_id,
            "service_url": str(getattr(activity, "service_url", "") or "").rstrip("/"),
        }

    def is_personal(self, activity: Any) -> bool:
        conversation = getattr(activity, "conversation", None)
        kind = getattr(conversation, "conversation_type", None)
        return kind in (None, "personal") and not getattr(conversation, "is_group", False)

    def note_sender(self, activity: Any) -> tuple[ChatUser, dict[str, str]]:
        """Who sent an activity and from where; remembered for member lookups (and, from a
        1:1, for writing to them)."""
        user = self.user(activity)
        address = self.address(activity)
        if address["conversation_id"] and address["service_url"]:
            self.notifier.remember(user.user_id, address, personal=self.is_personal(activity))
        return user, address

    def card_action(
        self, activity: Any, verb: str
    ) -> tuple[ChatUser, dict[str, str], dict[str, Any]]:
        """The sender, their address and the data of an Action.Execute that must carry `verb`;
        ValueError, AttributeError or TypeError for anything Uppsikt's cards did not send."""
        user, address = self.note_sender(activity)
        data = activity.value.action.data
        if not isinstance(data, dict) or data.get("action") != verb:
            raise ValueError("not this verb")
        return user, address, data

    def seen_before(self, user: ChatUser) -> bool:
        """Whether this process has stored the user's address already."""
        with self._seen_lock:
            return user.user_id in self._seen

    def mark_seen(self, user: ChatUser) -> None:
        with self._seen_lock:
            self._seen.add(user.user_id)

    async def tell(self, address: dict[str, str], text: str) -> None:
        """A message to a conversation after the turn (a round finished, a report published)."""
        try:
            await self.connector.send(
                address["conversation_id"], address["service_url"], text_activity(text)
            )
        except Exception:
            logger.exception("could not send a message to a Teams conversation")


def acted_at(activity: Any, now: datetime | None = None) -> datetime | None:
    """When the person acted, as Teams stamped the activity (None if absent or implausible)."""
    stamp = getattr(activity, "timestamp", None)
    if not isinstance(stamp, datetime):
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    if not now - ACTED_AT_PAST <= stamp <= now + ACTED_AT_FUTURE:
        return None
    return stamp


def card_response(card: dict[str, Any]) -> dict[str, Any]:
    """Answer an Action.Execute with a card that replaces the one clicked (for this user)."""
    return {"status": 200, "body": {"statusCode": 200, "type": ADAPTIVE_CARD, "value": card}}


def message_response(text: str) -> dict[str, Any]:
    """Answer an Action.Execute with a message; the card stays as it was, inputs and all."""
    return {"status": 200, "body": {"statusCode": 200, "type": MESSAGE, "value": text}}


def error_response(text: str) -> dict[str, Any]:
    """Answer an Action.Execute that Uppsikt's cards cannot have sent."""
    return {
        "status": 200,
        "body": {
            "statusCode": 400,
            "type": ERROR,
            "value": {"code": "BadRequest", "message": text},
        },
    }
