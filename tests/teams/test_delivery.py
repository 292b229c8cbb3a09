"""Reminder deliveries against the fake connector's faults: each card at most once, proven
undeliveries sent again, uncertain ones never, and the services told the truth."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from bot.domain.actors import TEAMS, ChatUser, Recipient
from bot.services.notifier import Delivered, Delivery
from bot.teams.delivery import DeliveryEngine
from tests.fakes.microsoft import TENANT_ID, TeamsUser
from tests.teams.conftest import Stack

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [], "fallbackText": "Påminnelse"}


def card(text: str) -> dict:
    return {
        **CARD,
        "body": [{"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text}]}],
    }


class Log:
    def __init__(self) -> None:
        self.delivered: list[Delivered] = []
        self.attempts: list[str] = []
        self.lock = threading.Lock()

    def on_delivered(self, delivered: Delivered) -> None:
        with self.lock:
            self.delivered.append(delivered)

    def on_attempt(self, delivery: Delivery) -> None:
        with self.lock:
            self.attempts.append(delivery.key)


@pytest.fixture
def engine(stack: Stack) -> DeliveryEngine:
    stack.ms.reset()  # forgets the tokens it issued too: so must the bot
    context = stack.teams.context
    context.connector.tokens.forget()
    return DeliveryEngine(
        context.loop,
        context.connector,
        default_service_url=stack.ms.service_url,
        backoff=(0.05, 0.05, 0.05),
        per_conversation_interval=0.01,
    )


def to(
    user: TeamsUser,
    key: str,
    *,
    stack: Stack,
    known: bool = True,
    maybe_sent: bool = False,
    text: str = "",
) -> Delivery:
    address = (
        {
            "conversation_id": stack.ms.personal_conversation(user),
            "service_url": stack.ms.service_url.rstrip("/"),
        }
        if known
        else {}
    )
    recipient = Recipient(1, 1, ChatUser(TEAMS, TENANT_ID, user.aad_object_id), address)
    return Delivery(key, recipient, card(text or key), maybe_sent=maybe_sent)


def texts(stack: Stack, user: TeamsUser) -> list[str]:
    return [
        run["text"]
        for activity in stack.ms.activities(stack.ms.personal_conversation(user))
        for content in stack.ms.cards_of(activity)
        for block in content["body"]
        for run in block["inlines"]
    ]


Deliver = Callable[..., list[tuple[Delivery, str]]]


def test_cards_go_in_order_and_a_1to1_is_made_when_there_is_none(
    stack: Stack, engine: DeliveryEngine
) -> None:
    anna, bengt = stack.ms.user("anna@ange.se"), stack.ms.user("bengt@ange.se")
    log = Log()
    deliveries = [to(anna, f"a:{n}", stack=stack) for n in range(1, 5)] + [
        to(bengt, "b:1", stack=stack, known=False)
    ]
    assert engine.deliver(deliveries, log.on_delivered, log.on_attempt) == []
    assert texts(stack, anna) == ["a:1", "a:2", "a:3", "a:4"] and texts(stack, bengt) == ["b:1"]
    assert sorted(log.attempts) == sorted(d.key for d in deliveries)
    made = next(d for d in log.delivered if d.key == "b:1")
    assert made.address == {
        "conversation_id": stack.ms.personal_conversation(bengt),
        "service_url": stack.ms.service_url.rstrip("/"),
    }
    assert all(d.address is None for d in log.delivered if d.key != "b:1")
    assert len(stack.ms.calls_to("create_conversation")) == 1


def test_429_waits_for_retry_after_and_delivers_once(stack: Stack, engine: DeliveryEngine) -> None:
    anna = stack.ms.user("anna@ange.se")
    stack.ms.inject("send", status=429, times=2, retry_after=1)
    log = Log()
    assert engine.deliver([to(anna, "k429", stack=stack)], log.on_delivered, log.on_attempt) == []
    assert texts(stack, anna) == ["k429"] and log.attempts == ["k429"]
    limited = stack.ms.calls_to("send")
    assert [c.status for c in limited] == [429, 429, 201]
    assert limited[2].time - limited[1].time >= 0.9  # Retry-After honoured


@pytest.mark.parametrize("stored", [True, False])
def test_a_5xx_may_have_delivered_so_it_is_never_sent_again(
    stack: Stack, engine: DeliveryEngine, stored: bool
) -> None:
    anna = stack.ms.user("anna@ange.se")
    stack.ms.inject("send", status=500, stored=stored)
    log = Log()
    failures = engine.deliver(
        [to(anna, "k500", stack=stack), to(anna, "next", stack=stack)],
        log.on_delivered,
        log.on_attempt,
    )
    assert [(d.key, why) for d, why in failures] == [("k500", "uncertain:http_500")]
    assert texts(stack, anna) == (["k500", "next"] if stored else ["next"])
    # A later round with the services' write-ahead note: still not sent.
    again = engine.deliver(
        [to(anna, "k500", stack=stack, maybe_sent=True)], log.on_delivered, log.on_attempt
    )
    assert [why for _d, why in again] == ["uncertain:maybe_sent"]
    assert [d.key for d in log.delivered] == ["next"]
    assert texts(stack, anna).count("k500") == (1 if stored else 0)


def test_another_process_may_have_sent_it(stack: Stack, engine: DeliveryEngine) -> None:
    anna = stack.ms.user("anna@ange.se")
    log = Log()
    failures = engine.deliver(
        [to(anna, "crashed", stack=stack, maybe_sent=True)], log.on_delivered, log.on_attempt
    )
    assert [why for _d, why in failures] == ["uncertain:maybe_sent"]
    assert stack.ms.calls_to("send") == [] and log.attempts == []


def test_what_was_proven_undelivered_is_sent_later_even_with_the_note(
    stack: Stack, engine: DeliveryEngine
) -> None:
    anna = stack.ms.user("anna@ange.se")
    stack.ms.inject("send", status=429, times=7, retry_after=0)
    log = Log()
    failures = engine.deliver([to(anna, "limited", stack=stack)], log.on_delivered, log.on_attempt)
    assert [why for _d, why in failures] == ["http_429"]
    assert (
        engine.deliver(
            [to(anna, "limited", stack=stack, maybe_sent=True)], log.on_delivered, log.on_attempt
        )
        == []
    )
    assert texts(stack, anna) == ["limited"] and log.attempts == ["limited"]


def test_a_refused_token_is_renewed_and_an_uninstalled_person_fails(
    stack: Stack, engine: DeliveryEngine
) -> None:
    anna, bengt = stack.ms.user("anna@ange.se"), stack.ms.user("bengt@ange.se")
    stack.ms.revoke_access_tokens()
    stack.ms.uninstall(bengt)
    log = Log()
    try:
        failures = engine.deliver(
            [to(anna, "renewed", stack=stack), to(bengt, "gone", stack=stack)],
            log.on_delivered,
            log.on_attempt,
        )
    finally:
        stack.ms.install(bengt)
    assert [(d.key, why) for d, why in failures] == [("gone", "BotNotInConversationRoster")]
    assert texts(stack, anna) == ["renewed"]
    assert stack.ms.tokens_issued() >= 1


def test_a_logging_failure_never_sends_twice(stack: Stack, engine: DeliveryEngine) -> None:
    anna = stack.ms.user("anna@ange.se")
    calls: list[str] = []

    def flaky(delivered: Delivered) -> None:
        calls.append(delivered.key)
        if len(calls) == 1:
            raise RuntimeError("database busy")

    assert engine.deliver([to(anna, "once", stack=stack)], flaky) == []
    assert engine.deliver([to(anna, "once", stack=stack, maybe_sent=True)], flaky) == []
    assert calls == ["once", "once"] and texts(stack, anna) == ["once"]


def test_an_announcement_is_plain_text_in_the_channel(stack: Stack) -> None:
    from bot.services.notifier import PlatformUnavailable
    from bot.teams.channel import CommitteeChannel
    from tests.fakes.microsoft import CHANNEL_ID, TEAM_ID

    notifier = stack.teams.context.notifier
    notifier.announce(
        CommitteeChannel(CHANNEL_ID, TEAM_ID).encode(), "Beslut: <at>Alla</at> [x](https://e)"
    )
    posted = stack.ms.activities(CHANNEL_ID)[-1]
    assert (
        posted["text"] == "Beslut: <at>Alla</at> [x](https://e)" and posted["textFormat"] == "plain"
    )
    assert "entities" not in posted
    with pytest.raises(PlatformUnavailable):
        notifier.announce("C0SLACKCHANNEL", "x")
