"""APScheduler wiring: one sweep job, in one process per database (a lease row decides).

Job functions are module-level and take no arguments: APScheduler never sees a client, a token
or a connection string. The process's context is set once by `start_scheduler`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.services.notifier import Notifier
from bot.services.sweep import acquire_lease, lease_holder, release_lease, sweep

logger = logging.getLogger(__name__)

JOB_ID = "uppsikt-reminder-sweep"


@dataclass
class _Context:
    engine: Engine
    notifier: Notifier
    settings: Settings
    holder: str
    ttl: timedelta


_context: _Context | None = None
_lock = threading.Lock()


def sweep_job() -> None:
    """The periodic job: renew the lease, then send what is due now."""
    context = _context
    if context is None:
        return
    now = datetime.now(UTC)
    if not acquire_lease(context.engine, holder=context.holder, now=now, ttl=context.ttl):
        logger.error("another process took over the reminder scheduler; this one stops sweeping")
        return
    with _lock:
        result = sweep(
            context.engine, notifier=context.notifier, settings=context.settings, now=now
        )
    if result.occasions:
        logger.info(
            "sweep: %s due, %d sent, %d failed",
            ", ".join(result.occasions),
            result.sent,
            result.failed,
        )


class ReminderScheduler:
    """The running scheduler; `stop()` gives the lease back."""

    def __init__(self, scheduler: BackgroundScheduler, engine: Engine, holder: str) -> None:
        self.scheduler = scheduler
        self.engine = engine
        self.holder = holder

    def stop(self) -> None:
        self.scheduler.shutdown(wait=True)
        release_lease(self.engine, holder=self.holder)


def start_scheduler(
    engine: Engine, *, notifier: Notifier, settings: Settings
) -> ReminderScheduler | None:
    """Start the sweep if no other live process runs one for this database, else None."""
    global _context
    holder = lease_holder()
    # A lease outlives a crashed holder by a few sweeps at most.
    ttl = timedelta(seconds=max(60, 3 * settings.sweep_seconds))
    if not acquire_lease(engine, holder=holder, now=datetime.now(UTC), ttl=ttl):
        return None
    _context = _Context(engine, notifier, settings, holder, ttl)
    scheduler = BackgroundScheduler(
        timezone=settings.timezone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    scheduler.add_job(
        sweep_job,
        "interval",
        seconds=settings.sweep_seconds,
        id=JOB_ID,
        next_run_time=datetime.now(settings.timezone),
        replace_existing=True,
    )
    scheduler.start()
    return ReminderScheduler(scheduler, engine, holder)
