"""The reminder sweep: ask the policy what is due now, send what the log does not hold yet."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.config import Settings
from bot.domain.calendar import WorkingDays
from bot.domain.periods import PeriodKey
from bot.domain.reminder_policy import (
    AUDIENCE_SECRETARIES,
    KIND_DRAFT,
    Occasion,
    due_now,
)
from bot.services.notifier import Delivered, Delivery, Notifier
from bot.services.periods import effective_schedule
from bot.services.publishing import compile_view
from bot.services.reminders import admin_chat_ids, send_reminder_round
from storage.db import session_scope
from storage.models import Period, ReminderMessage, SchedulerLease

logger = logging.getLogger(__name__)

LEASE_NAME = "reminders"
_CALENDAR = WorkingDays()


@dataclass
class SweepResult:
    sent: int = 0
    failed: int = 0
    occasions: list[str] = field(default_factory=list)


def sweep(engine: Engine, *, notifier: Notifier, settings: Settings, now: datetime) -> SweepResult:
    """Send every reminder that is due at `now` and not logged yet, for every open period."""
    result = SweepResult()
    with session_scope(engine) as session:
        periods = session.exec(select(Period).where(Period.state == "open")).all()
    for period in periods:
        due = due_now(
            now=now,
            deadline=period.deadline,
            period_open=True,
            schedule=effective_schedule(engine, settings),
            zone=settings.timezone,
            calendar=_CALENDAR,
        )
        for occasion in due:
            result.occasions.append(f"{period.key}:{occasion.key}")
            try:
                sent, failed = _send(engine, notifier, settings, period, occasion)
            except Exception:  # one failing occasion must not stop the others; next sweep retries
                logger.exception("sweep: %s %s failed", period.key, occasion.key)
                result.failed += 1
                continue
            result.sent += sent
            result.failed += failed
    return result


def _send(
    engine: Engine, notifier: Notifier, settings: Settings, period: Period, occasion: Occasion
) -> tuple[int, int]:
    key = PeriodKey(period.year, period.tertial)
    if occasion.audience != AUDIENCE_SECRETARIES:
        round_result = send_reminder_round(
            engine, notifier=notifier, period=key, occasion=occasion.key, settings=settings
        )
        return round_result.sent, len(round_result.failed)
    recipients = admin_chat_ids(engine, settings=settings, role="secretary")
    with session_scope(engine) as session:
        logged = set(
            session.exec(
                select(ReminderMessage.key).where(ReminderMessage.period_id == period.id)
            ).all()
        )
    wanted = [u for u in recipients if f"{key}:s{u}:{occasion.key}:1" not in logged]
    if not wanted:
        return 0, 0
    view = compile_view(engine, period=key, settings=settings)
    payload = notifier.secretary_payload(
        period=str(key), summary=view.summary, with_publish=occasion.kind == KIND_DRAFT
    )
    deliveries = [Delivery(f"{key}:s{u}:{occasion.key}:1", u, payload) for u in wanted]

    def log(delivered: Delivered) -> None:
        try:
            with session_scope(engine, write=True) as session:
                session.add(
                    ReminderMessage(
                        key=delivered.key,
                        period_id=period.id,  # type: ignore[arg-type]
                        occasion=occasion.key,
                        part=1,
                        channel=delivered.channel,
                        ts=delivered.ts,
                    )
                )
        except IntegrityError:
            logger.warning("message %s was already logged", delivered.key)

    failures = notifier.deliver(deliveries, log)
    return len(deliveries) - len(failures), len(failures)


# --- one scheduler per database ---------------------------------------------------------------


def lease_holder() -> str:
    """A name for this process, unique across restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire_lease(engine: Engine, *, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the scheduler lease; False while another live process holds it."""
    try:
        with session_scope(engine, write=True) as session:
            lease = session.get(SchedulerLease, LEASE_NAME, with_for_update=True)
            if lease is None:
                session.add(SchedulerLease(name=LEASE_NAME, holder=holder, expires_at=now + ttl))
                return True
            if lease.holder != holder and lease.expires_at > now:
                return False
            lease.holder = holder
            lease.expires_at = now + ttl
            session.add(lease)
            return True
    except IntegrityError:  # two processes created the row at once: the other one won
        return False


def release_lease(engine: Engine, *, holder: str) -> None:
    """Give the lease up at shutdown so a restart need not wait for it to expire."""
    with session_scope(engine, write=True) as session:
        lease = session.get(SchedulerLease, LEASE_NAME)
        if lease is not None and lease.holder == holder:
            session.delete(lease)


def lease_status(engine: Engine) -> tuple[str, datetime] | None:
    """Who holds the scheduler lease, and until when."""
    with session_scope(engine) as session:
        lease = session.exec(
            select(SchedulerLease).where(col(SchedulerLease.name) == LEASE_NAME)
        ).first()
        return (lease.holder, lease.expires_at) if lease else None
