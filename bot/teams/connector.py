"""The Bot Connector calls Uppsikt makes, through the Teams SDK, and what their failures mean.

Teams cannot be asked afterwards whether a message arrived, so every failed send is sorted by
what it proves: a 429 or a connection never made did not deliver (safe to send again); a 5xx,
a timeout or a dropped answer may have delivered (never sent again); 4xx is a refusal.
"""

from __future__ import annotations

import enum
import logging
import math
from dataclasses import dataclass
from typing import Any

import httpx
from microsoft_teams.api.activities.message.message import MessageActivityInput
from microsoft_teams.api.clients.conversation.params import CreateConversationParams
from microsoft_teams.api.models import Account
from microsoft_teams.api.models.attachment import Attachment
from microsoft_teams.apps import App

from bot import metrics
from bot.teams.tokens import TokenRefused, TokenSource

logger = logging.getLogger(__name__)

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
MAX_RETRY_AFTER = 60.0


class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    LIMITED = "limited"  # 429: not delivered, wait Retry-After
    NOT_SENT = "not_sent"  # never reached Teams, or our token was refused: safe to repeat
    UNCERTAIN = "uncertain"  # may have been delivered: never repeat
    REFUSED = "refused"  # 4xx: the person removed the app, a bad id...


@dataclass(frozen=True)
class Failure:
    """What a failed call proves, and how long Teams asked us to wait."""

    outcome: Outcome
    reason: str
    retry_after: float = 0.0


def retry_after_seconds(value: object) -> float:
    """Read Retry-After (seconds); anything malformed is one second, never over a minute."""
    try:
        seconds = float(str(value).strip())
    except (TypeError, ValueError):
        return 1.0
    if math.isnan(seconds) or seconds < 0:
        return 1.0
    return min(seconds, MAX_RETRY_AFTER)


def classify(error: BaseException) -> Failure:
    """Sort an exception from a connector call by what it proves about delivery."""
    if isinstance(error, TokenRefused):
        return Failure(Outcome.NOT_SENT, "token")
    if isinstance(error, httpx.HTTPStatusError):
        status = error.response.status_code
        if status == 429:
            metrics.RATE_LIMITED.labels("teams").inc()
            return Failure(
                Outcome.LIMITED,
                "http_429",
                retry_after_seconds(error.response.headers.get("Retry-After")),
            )
        if status == 401:
            return Failure(Outcome.NOT_SENT, "http_401")
        if status >= 500:
            return Failure(Outcome.UNCERTAIN, f"http_{status}")
        code = ""
        try:
            body = error.response.json()
            code = str(((body or {}).get("error") or {}).get("code") or "")
        except Exception:
            code = ""
        return Failure(Outcome.REFUSED, code or f"http_{status}")
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        return Failure(Outcome.NOT_SENT, type(error).__name__)
    if isinstance(error, httpx.HTTPError):  # read timeouts, dropped connections: it may be there
        return Failure(Outcome.UNCERTAIN, type(error).__name__)
    return Failure(Outcome.UNCERTAIN, type(error).__name__)


def card_activity(card: dict[str, Any], *, summary: str = "") -> MessageActivityInput:
    """A message carrying one Adaptive Card (the card as Uppsikt's builders made it)."""
    fields: dict[str, Any] = {"attachments": [Attachment(content_type=ADAPTIVE_CARD, content=card)]}
    if summary:  # the notification's text (not a declared field: sent as it is)
        fields["summary"] = summary
    return MessageActivityInput.model_validate(fields)


def text_activity(text: str) -> MessageActivityInput:
    """A plain-text message: Teams shows it as typed, no markdown."""
    return MessageActivityInput(text=text, text_format="plain")


class Connector:
    """Async calls to the Bot Connector, run on the SDK's loop."""

    def __init__(self, app: App, tokens: TokenSource, *, app_id: str, tenant_id: str) -> None:
        self.app = app
        self.tokens = tokens
        self.app_id = app_id
        self.tenant_id = tenant_id

    async def _retry_once_on_401(self, call: Any) -> Any:
        try:
            return await call()
        except httpx.HTTPStatusError as error:
            if error.response.status_code != 401:
                raise
            # A token the service no longer takes: MSAL would keep serving it from its cache.
            self.tokens.forget()
            return await call()

    async def create_personal(self, user_id: str, service_url: str) -> str:
        """The bot's 1:1 chat with a user (Teams gives the same one every time): its id."""
        params = CreateConversationParams(
            members=[Account(id=user_id)],
            tenant_id=self.tenant_id,
            channel_data={"tenant": {"id": self.tenant_id}},
            bot=Account(id=f"28:{self.app_id}"),
        )
        api = self.app.api.clone(service_url=service_url)

        async def call() -> Any:
            return await api.conversations.create(params)

        created = await self._retry_once_on_401(call)
        return str(created.id)

    async def send(
        self, conversation_id: str, service_url: str, activity: MessageActivityInput
    ) -> str:
        """Post an activity; the connector's id for it."""

        async def call() -> Any:
            return await self.app.send(conversation_id, activity, service_url=service_url)

        sent = await self._retry_once_on_401(call)
        return str(sent.id or "")

    async def delete(self, conversation_id: str, service_url: str, activity_id: str) -> None:
        api = self.app.api.clone(service_url=service_url)
        await api.conversations.delete_activity(conversation_id, activity_id)

    async def member(self, conversation_id: str, user_id: str, service_url: str) -> Any | None:
        """A conversation member with e-mail and UPN, or None if Teams does not know them."""
        api = self.app.api.clone(service_url=service_url)

        async def call() -> Any:
            return await api.conversations.get_member_by_id(conversation_id, user_id)

        try:
            return await self._retry_once_on_401(call)
        except httpx.HTTPStatusError as error:
            if error.response.status_code in (403, 404):
                return None
            raise
