"""Reminder rounds: who still has activities without a status, and telling them exactly once.

Every message a platform accepted is logged under a unique key (unit, person, period, occasion,
part) before the next one goes out; a key in the log is never sent again, on any platform.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.domain.actors import ChatUser, Recipient
from bot.domain.periods import PeriodKey
from bot.services.core import Core
from bot.services.errors import Refused
from bot.services.identity import (
    match_by_email,
    recipients,
    resolve_actor,
    role_recipients,
    update_address,
)
from bot.services.notifier import Delivered, Delivery, ReminderContent
from bot.services.progress import (
    active_substitutions,
    period_info,
    unit_overview,
    unit_reporters,
)
from storage.db import session_scope
from storage.models import DeliveryAttempt, ReminderMessage
from storage.queries import get_period

logger = logging.getLogger(__name__)


@dataclass
class RoundResult:
    """What a round did, truthfully: sent now, sent before, failed (the next sweep retries)."""

    period: str
    units: int = 0
    sent: int = 0
    already_sent: int = 0
    failed: list[str] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    lookups_failed: int = 0
    units_without_reporters: list[str] = field(default_factory=list)

    @property
    def people_reached(self) -> int:
        return self.sent


def reminder_key(period: str, unit_id: int, person_id: int, occasion: str, part: int) -> str:
    """The unique log key of one reminder message."""
    return f"{period}:u{unit_id}:p{person_id}:{occasion}:{part}"


def manual_occasion(core: Core) -> str:
    """An admin's "remind now": once per unit and person a day, however often it is asked."""
    return f"manual-{core.now().astimezone(core.settings.timezone):%Y%m%d}"


def remind_now(core: Core, *, who: ChatUser | None, period: PeriodKey) -> RoundResult:
    """An admin's reminder round, now (at most one a day per unit and person)."""
    if who is not None and not resolve_actor(core, who).is_admin:
        raise Refused("not_admin")
    return send_reminder_round(core, period=period, occasion=manual_occasion(core))


def send_reminder_round(
    core: Core, *, period: PeriodKey, occasion: str, unit_ids: list[int] | None = None
) -> RoundResult:
    """Remind every reporter of each unit that still has activities without a status."""
    result = RoundResult(period=str(period))
    with session_scope(core.engine) as session:
        period_row = get_period(session, year=period.year, tertial=period.tertial)
        if period_row is None:
            raise Refused("unknown_period", period=str(period))
        if period_row.state not in ("open", "returned"):
            raise Refused("period_closed", period=str(period))
        info = period_info(period_row, core.settings.timezone)
        reporters = unit_reporters(session)
        # A reporter away with a substitute in force today: the substitute is reminded instead.
        today = core.now().astimezone(core.settings.timezone).date()
        standing_in = active_substitutions(session, on=today)
        reporters = {
            unit: sorted({standing_in.get(person, person) for person in people})
            for unit, people in reporters.items()
        }
        wanted = [u for u in reporters if unit_ids is None or u in unit_ids]
        overview = [
            entry
            for entry in unit_overview(
                session, period=period_row, unit_ids=wanted, include_subunits=True
            )
            if entry[1].missing > 0
        ]
        covered = {i.activity_id for _u, _p, items in overview for i in items}
        result.units_without_reporters = [
            unit.path
            for unit, progress, items in unit_overview(session, period=period_row)
            if progress.missing
            and any(i.is_missing and i.activity_id not in covered for i in items)
        ]
        logged = set(
            session.exec(
                select(ReminderMessage.key).where(ReminderMessage.period_id == period_row.id)
            ).all()
        )
        period_id = period_row.id
    assert period_id is not None
    result.units = len(overview)
    people = sorted({p for unit, _pr, _it in overview for p in reporters.get(unit.id, [])})  # type: ignore[arg-type]
    result.unmatched, result.lookups_failed = match_by_email(core, person_ids=people)
    with session_scope(core.engine) as session:
        reachable = recipients(session, person_ids=people, platforms=list(core.notifiers))

    attempted = attempted_keys(core, keys=None)
    # One platform's deliveries at a time; each paces and retries itself.
    by_platform: dict[str, list[Delivery]] = defaultdict(list)
    meta: dict[str, tuple[int, int, int, Recipient]] = {}
    payload_cache: dict[tuple[str, int], list] = {}
    for unit, progress, items in overview:
        assert unit.id is not None
        content = ReminderContent(
            unit_id=unit.id,
            unit_path=unit.path,
            period=info,
            items=tuple(items),
            progress=progress,
            language=core.settings.language,
        )
        for person_id in reporters.get(unit.id, []):
            recipient = reachable.get(person_id)
            if recipient is None:
                continue
            platform = recipient.user.platform
            notifier = core.notifiers[platform]
            if (platform, unit.id) not in payload_cache:
                payload_cache[(platform, unit.id)] = notifier.reminder_payloads(content)
            for part, payload in enumerate(payload_cache[(platform, unit.id)], start=1):
                key = reminder_key(str(period), unit.id, person_id, occasion, part)
                if key in logged:
                    result.already_sent += 1
                    continue
                by_platform[platform].append(
                    Delivery(
                        key=key, recipient=recipient, payload=payload, maybe_sent=key in attempted
                    )
                )
                meta[key] = (unit.id, person_id, part, recipient)

    def log(delivered: Delivered) -> None:
        unit_id, person_id, part, recipient = meta[delivered.key]
        _log_delivery(
            core,
            key=delivered.key,
            period_id=period_id,
            unit_id=unit_id,
            person_id=person_id,
            occasion=occasion,
            part=part,
            platform=recipient.user.platform,
            delivered=delivered,
        )
        if delivered.address:
            update_address(core, account_id=recipient.account_id, address=delivered.address)

    for platform, deliveries in by_platform.items():
        try:
            failures = core.notifiers[platform].deliver(
                deliveries, log, lambda d: note_attempt(core, d)
            )
        except Exception:  # a broken platform must not hide what the others did
            logger.exception("reminders on %s failed", platform)
            failures = [(d, "error") for d in deliveries]
        result.sent += len(deliveries) - len(failures)
        result.failed += [f"{d.key}: {why}" for d, why in failures]
    if result.unmatched:
        tell_admins_about_unmatched(core, result=result)
    return result


def _log_delivery(
    core: Core,
    *,
    key: str,
    period_id: int,
    unit_id: int | None,
    person_id: int | None,
    occasion: str,
    part: int,
    platform: str,
    delivered: Delivered,
) -> None:
    try:
        with session_scope(core.engine, write=True) as session:
            session.exec(delete(DeliveryAttempt).where(col(DeliveryAttempt.key) == key))
            session.add(
                ReminderMessage(
                    key=key,
                    period_id=period_id,
                    unit_id=unit_id,
                    person_id=person_id,
                    occasion=occasion,
                    part=part,
                    platform=platform,
                    channel=delivered.channel[:300],
                    ts=delivered.ts[:300],
                )
            )
    except IntegrityError:
        logger.warning("reminder %s was already logged", key)


def note_attempt(core: Core, delivery: Delivery) -> None:
    """Write down that a message is about to go out (before it does)."""
    try:
        with session_scope(core.engine, write=True) as session:
            if session.get(DeliveryAttempt, delivery.key) is None:
                session.add(
                    DeliveryAttempt(key=delivery.key, platform=delivery.recipient.user.platform)
                )
    except IntegrityError:
        pass  # noted already


def attempted_keys(core: Core, *, keys: set[str] | None) -> set[str]:
    """Keys some process set out to send and never logged."""
    with session_scope(core.engine) as session:
        found = set(session.exec(select(DeliveryAttempt.key)).all())
    return found if keys is None else found & keys


def logged_keys(core: Core, *, period_id: int) -> set[str]:
    """The log keys already sent for a period."""
    with session_scope(core.engine) as session:
        return set(
            session.exec(
                select(ReminderMessage.key).where(ReminderMessage.period_id == period_id)
            ).all()
        )


def send_to_role(
    core: Core, *, role: str, period: PeriodKey, period_id: int, occasion: str, payload_for
) -> tuple[int, int]:
    """Send one message per secretary (or admin), once per occasion; return (sent, failed).

    `payload_for(notifier)` builds the platform's message.
    """
    logged = logged_keys(core, period_id=period_id)
    attempted = attempted_keys(core, keys=None)
    by_platform: dict[str, list[Delivery]] = defaultdict(list)
    built: dict[str, object] = {}
    recipients_by_key: dict[str, Recipient] = {}
    for recipient in role_recipients(core, role=role):
        # Slack's keys keep the form they had before Teams, so an upgrade repeats nothing.
        who = recipient.user.user_id
        if recipient.user.platform != "slack":
            who = f"{recipient.user.platform}:{who}"
        key = f"{period}:s{who}:{occasion}:1"
        if key in logged:
            continue
        platform = recipient.user.platform
        notifier = core.notifiers.get(platform)
        if notifier is None:
            continue
        if platform not in built:
            built[platform] = payload_for(notifier)
        by_platform[platform].append(
            Delivery(key, recipient, built[platform], maybe_sent=key in attempted)
        )
        recipients_by_key[key] = recipient
    sent = failed = 0

    def log(delivered: Delivered) -> None:
        recipient = recipients_by_key[delivered.key]
        _log_delivery(
            core,
            key=delivered.key,
            period_id=period_id,
            unit_id=None,
            person_id=recipient.person_id or None,
            occasion=occasion,
            part=1,
            platform=recipient.user.platform,
            delivered=delivered,
        )

    for platform, deliveries in by_platform.items():
        failures = core.notifiers[platform].deliver(
            deliveries, log, lambda d: note_attempt(core, d)
        )
        sent += len(deliveries) - len(failures)
        failed += len(failures)
    return sent, failed


def tell_admins_about_unmatched(core: Core, *, result: RoundResult) -> None:
    """List the people no platform could find to every admin."""
    for recipient in role_recipients(core, role="admin"):
        notifier = core.notifiers.get(recipient.user.platform)
        if notifier is None:
            continue
        try:
            notifier.tell_unmatched(recipient, result.period, result.unmatched)
        except Exception:  # one admin we cannot reach must not stop the others
            logger.exception("could not tell an admin about unmatched people")
