"""APScheduler wiring: the lease job and the sweep job, in every process; one of them leads.

Job functions are module-level and take no arguments: APScheduler never sees a client, a token
or a connection string. The process's context is set once by `start_scheduler`.

Every process keeps trying for the lease (every eighth of the lease period) and the leader
renews it (every eighth of the lease), holding it for three quarters of the period: a leader that dies is
replaced within one lease period, and at once when it is known to be dead.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot import metrics
from bot.services.core import Core
from bot.services.lease import (
    LeaseHolder,
    acquire_lease,
    claim_single_process,
    lease_holder_name,
    release_lease,
    release_single_process,
)
from bot.services.sweep import sweep

logger = logging.getLogger(__name__)

LEASE_JOB_ID = "uppsikt-lease"
SWEEP_JOB_ID = "uppsikt-reminder-sweep"


class SchedulerTaken(RuntimeError):
    """On SQLite, another live process runs the schedule: this one must not start."""

    def __init__(self, holder: LeaseHolder) -> None:
        super().__init__(holder.holder)
        self.holder = holder


@dataclass
class _Context:
    core: Core
    holder: str
    hold_for: timedelta
    leader: bool = False
    scheduler: BackgroundScheduler | None = None
    sweeping: threading.Lock = field(default_factory=threading.Lock)
    on_change: list = field(default_factory=list)


_context: _Context | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def lease_job() -> None:
    """Take or renew the lease; a process that just became leader sweeps at once."""
    context = _context
    if context is None:
        return
    got = acquire_lease(context.core, holder=context.holder, now=_now(), ttl=context.hold_for)
    metrics.LEADER.set(1 if got else 0)
    if got and not context.leader:
        context.leader = True
        logger.info("this process now runs the reminder schedule")
        for callback in context.on_change:
            callback(True)
        if context.scheduler is not None:
            context.scheduler.modify_job(SWEEP_JOB_ID, next_run_time=datetime.now(UTC))
    elif not got and context.leader:
        context.leader = False
        logger.warning("another process took over the reminder schedule")
        for callback in context.on_change:
            callback(False)


def sweep_job() -> None:
    """The periodic job: if this process leads, send what is due now."""
    context = _context
    if context is None or not context.leader:
        return
    now = _now()
    # Renew first: a lease lost while this process was paused must not lead to a double sweep.
    if not acquire_lease(context.core, holder=context.holder, now=now, ttl=context.hold_for):
        context.leader = False
        return
    if not context.sweeping.acquire(blocking=False):
        return
    started = time.perf_counter()
    try:
        result = sweep(context.core, now=now)
    finally:
        context.sweeping.release()
        metrics.SWEEP_SECONDS.observe(time.perf_counter() - started)
    # One line per sweep (every few minutes): operators and tests can see it ran.
    logger.info(
        "sweep: %d occasions due, %d sent, %d failed",
        len(result.occasions),
        result.sent,
        result.failed,
    )


class ReminderScheduler:
    """The running scheduler; `stop()` gives the lease back."""

    def __init__(self, scheduler: BackgroundScheduler, context: _Context) -> None:
        self.scheduler = scheduler
        self.context = context

    @property
    def is_leader(self) -> bool:
        return self.context.leader

    @property
    def holder(self) -> str:
        return self.context.holder

    def stop(self) -> None:
        global _context
        self.scheduler.shutdown(wait=True)
        if self.context.leader:
            release_lease(self.context.core, holder=self.context.holder)
            self.context.leader = False
        release_single_process(self.context.core)
        _context = None


def start_scheduler(core: Core, *, single_process: bool) -> ReminderScheduler:
    """Start the lease and sweep jobs. With `single_process` (SQLite), raise SchedulerTaken if
    another live process already runs the schedule."""
    global _context
    settings = core.settings
    period = timedelta(seconds=settings.effective_lease_seconds)
    if single_process:
        holder = claim_single_process(core, now=_now())
        if holder is not None:
            raise SchedulerTaken(holder)
    context = _Context(core=core, holder=lease_holder_name(), hold_for=period * 3 / 4)
    _context = context
    scheduler = BackgroundScheduler(
        timezone=settings.timezone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    # Know the role before saying so at start; a leader sweeps at once.
    lease_job()
    context.scheduler = scheduler
    scheduler.add_job(
        lease_job,
        "interval",
        seconds=max(1.0, period.total_seconds() / 8),
        id=LEASE_JOB_ID,
        next_run_time=datetime.now(settings.timezone),
        replace_existing=True,
    )
    scheduler.add_job(
        sweep_job,
        "interval",
        seconds=settings.sweep_seconds,
        id=SWEEP_JOB_ID,
        next_run_time=datetime.now(settings.timezone)
        + (timedelta(0) if context.leader else timedelta(seconds=settings.sweep_seconds)),
        replace_existing=True,
    )
    scheduler.start()
    return ReminderScheduler(scheduler, context)
