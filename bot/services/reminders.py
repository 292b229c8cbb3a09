"""Reminder rounds: who still has activities without a status, and telling them exactly once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.config import Settings
from bot.domain.periods import PeriodKey
from bot.services.notifier import Delivered, Delivery, Notifier, ReminderContent
from bot.services.status import Refused, period_info, unit_overview, unit_reporters
from storage.db import session_scope
from storage.models import GlobalRole, Person, ReminderMessage
from storage.queries import get_period

logger = logging.getLogger(__name__)


@dataclass
class RoundResult:
    period: str
    units: int = 0
    sent: int = 0
    already_sent: int = 0
    failed: list[str] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    units_without_reporters: list[str] = field(default_factory=list)


def reminder_key(period: str, unit_id: int, person_id: int, occasion: str, part: int) -> str:
    """The unique log key of one reminder message."""
    return f"{period}:u{unit_id}:p{person_id}:{occasion}:{part}"


def link_chat_users(
    engine: Engine, *, person_ids: list[int], notifier: Notifier
) -> list[tuple[str, str]]:
    """Match people without a chat id by e-mail, once, and remember it; return the unmatched."""
    unmatched = []
    with session_scope(engine) as session:
        people = session.exec(
            select(Person).where(
                col(Person.id).in_(person_ids), col(Person.slack_user_id).is_(None)
            )
        ).all()
    for person in people:
        user_id = notifier.lookup_user_by_email(person.email)
        if user_id is None:
            unmatched.append((person.name, person.email))
            continue
        try:
            with session_scope(engine) as session:
                stored = session.get(Person, person.id)
                if stored is not None and stored.slack_user_id is None:
                    stored.slack_user_id = user_id
                    session.add(stored)
        except IntegrityError:
            logger.warning("chat user of person %s is already linked to someone else", person.id)
            unmatched.append((person.name, person.email))
    return unmatched


def send_reminder_round(
    engine: Engine,
    *,
    notifier: Notifier,
    period: PeriodKey,
    occasion: str,
    settings: Settings,
    unit_ids: list[int] | None = None,
) -> RoundResult:
    """Remind every reporter of each unit that still has activities without a status."""
    result = RoundResult(period=str(period))
    with session_scope(engine) as session:
        period_row = get_period(session, year=period.year, tertial=period.tertial)
        if period_row is None:
            raise Refused("unknown_period", period=str(period))
        if period_row.state != "open":
            raise Refused("period_closed", period=str(period))
        info = period_info(period_row, settings.timezone)
        reporters = unit_reporters(session)
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
    result.units = len(overview)
    all_people = sorted({p for people in reporters.values() for p in people})
    result.unmatched = link_chat_users(engine, person_ids=all_people, notifier=notifier)
    with session_scope(engine) as session:
        chat_ids = {
            p.id: p.slack_user_id
            for p in session.exec(select(Person).where(col(Person.id).in_(all_people))).all()
        }

    deliveries: list[Delivery] = []
    meta: dict[str, tuple[int, int, int]] = {}
    for unit, progress, items in overview:
        people = reporters.get(unit.id, [])  # type: ignore[arg-type]
        content = ReminderContent(
            unit_id=unit.id,  # type: ignore[arg-type]
            unit_path=unit.path,
            period=info,
            items=tuple(items),
            progress=progress,
            language=settings.language,
        )
        payloads = notifier.reminder_payloads(content)
        for person_id in people:
            user_id = chat_ids.get(person_id)
            if not user_id:
                continue
            for part, payload in enumerate(payloads, start=1):
                key = reminder_key(str(period), unit.id, person_id, occasion, part)  # type: ignore[arg-type]
                if key in logged:
                    result.already_sent += 1
                    continue
                deliveries.append(Delivery(key=key, user_id=user_id, payload=payload))
                meta[key] = (unit.id, person_id, part)  # type: ignore[assignment]

    def log(delivered: Delivered) -> None:
        unit_id, person_id, part = meta[delivered.key]
        try:
            with session_scope(engine, write=True) as session:
                session.add(
                    ReminderMessage(
                        key=delivered.key,
                        period_id=period_id,
                        unit_id=unit_id,
                        person_id=person_id,
                        occasion=occasion,
                        part=part,
                        channel=delivered.channel,
                        ts=delivered.ts,
                    )
                )
        except IntegrityError:
            logger.warning("reminder %s was already logged", delivered.key)

    failures = notifier.deliver(deliveries, log)
    result.sent = len(deliveries) - len(failures)
    result.failed = [f"{d.key}: {why}" for d, why in failures]
    if result.unmatched:
        tell_admins_about_unmatched(engine, notifier=notifier, settings=settings, result=result)
    return result


def admin_chat_ids(engine: Engine, *, settings: Settings, role: str = "admin") -> list[str]:
    """Chat ids of admins (or secretaries): from settings (ids or e-mails) and the database."""
    configured = settings.admins if role == "admin" else settings.secretaries
    ids = {i for i in configured if "@" not in i}
    emails = {i for i in configured if "@" in i}
    with session_scope(engine) as session:
        for person in session.exec(
            select(Person)
            .join(GlobalRole, col(GlobalRole.person_id) == col(Person.id))
            .where(GlobalRole.role == role)
        ).all():
            if person.slack_user_id:
                ids.add(person.slack_user_id)
        for email in emails:
            person = session.exec(select(Person).where(Person.email == email)).first()
            if person and person.slack_user_id:
                ids.add(person.slack_user_id)
    return sorted(ids)


def tell_admins_about_unmatched(
    engine: Engine, *, notifier: Notifier, settings: Settings, result: RoundResult
) -> None:
    """List the people who could not be matched to a chat user to every admin."""
    for user_id in admin_chat_ids(engine, settings=settings):
        try:
            notifier.tell_unmatched(user_id, result.period, result.unmatched)
        except Exception:  # one admin we cannot reach must not stop the others
            logger.exception("could not tell admin %s about unmatched people", user_id)
