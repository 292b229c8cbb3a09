"""One reminder scheduler per database: a lease row that its holder renews.

A process that does not hold the lease keeps trying: it takes over when the lease expires, or at
once when the holder is known to be dead (the same host, and its process is gone).

On a SQLite file, one process only: the one holding an OS lock on a file beside the database
(released by the kernel however the process ends, whichever container it ran in).
"""

from __future__ import annotations

import fcntl
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import col, select

from bot.services.core import Core
from storage.db import session_scope
from storage.models import SchedulerLease

LEASE_NAME = "reminders"
_RUN_LOCKS: dict[str, int] = {}


@dataclass(frozen=True)
class LeaseHolder:
    """Who holds (or last held) the lease, and until when."""

    holder: str
    expires_at: datetime

    @property
    def host(self) -> str:
        return self.holder.split(":", 1)[0]


def _host() -> str:
    """This host and process namespace: two containers sharing a host name (host networking)
    each have a PID namespace of their own, so one never judges the other's pid."""
    try:
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return socket.gethostname()
    return f"{socket.gethostname()}~{namespace}"


def lease_holder_name() -> str:
    """A name for this process, unique across restarts: host, pid and a random part."""
    return f"{_host()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_is_dead(holder: str) -> bool:
    """Whether a holder is known to be gone: it ran on this host, in this PID namespace, and
    its process no longer exists (or this very pid is ours now). Anything else (another host,
    another container) is only over when its lease runs out."""
    parts = holder.split(":")
    if len(parts) != 3 or parts[0] != _host() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


def acquire_lease(core: Core, *, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease; False while another live process holds it."""
    try:
        with session_scope(core.engine, write=True) as session:
            lease = session.get(SchedulerLease, LEASE_NAME, with_for_update=True)
            if lease is None:
                session.add(SchedulerLease(name=LEASE_NAME, holder=holder, expires_at=now + ttl))
                return True
            if (
                lease.holder != holder
                and lease.expires_at > now
                and not holder_is_dead(lease.holder)
            ):
                return False
            lease.holder = holder
            lease.expires_at = now + ttl
            session.add(lease)
            return True
    except IntegrityError:  # two processes created the row at once: the other one won
        return False
    except OperationalError:  # the database is away: not ours this time, try again later
        return False


def release_lease(core: Core, *, holder: str) -> bool:
    """Give the lease up at shutdown so another process need not wait for it to expire."""
    with session_scope(core.engine, write=True) as session:
        lease = session.get(SchedulerLease, LEASE_NAME)
        if lease is not None and lease.holder == holder:
            session.delete(lease)
            return True
    return False


def lease_status(core: Core) -> LeaseHolder | None:
    """Who holds the lease, and until when."""
    with session_scope(core.engine) as session:
        lease = session.exec(
            select(SchedulerLease).where(col(SchedulerLease.name) == LEASE_NAME)
        ).first()
        return LeaseHolder(lease.holder, lease.expires_at) if lease else None


def held_by_live_process(core: Core, *, now: datetime) -> LeaseHolder | None:
    """The holder, if another process may still be running the schedule."""
    status = lease_status(core)
    if status is None or status.expires_at <= now or holder_is_dead(status.holder):
        return None
    return status


def _run_lock_path(core: Core) -> str | None:
    """The run lock beside a SQLite database file; None for a database in memory."""
    path = core.engine.url.database
    if not path or path == ":memory:":
        return None
    return f"{os.path.abspath(path)}.run-lock"


def claim_single_process(core: Core, *, now: datetime) -> LeaseHolder | None:
    """On a SQLite file, take the database's run lock for the life of this process; None when
    taken (any lease left behind is then a dead process's, and is cleared), else who holds the
    lease (another live process)."""
    lock_path = _run_lock_path(core)
    if lock_path is None:
        return held_by_live_process(core, now=now)
    if lock_path in _RUN_LOCKS:
        return None
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return lease_status(core) or LeaseHolder("?", now)
    _RUN_LOCKS[lock_path] = descriptor
    with session_scope(core.engine, write=True) as session:
        lease = session.get(SchedulerLease, LEASE_NAME)
        if lease is not None:  # left by a process that is gone (it held this lock)
            session.delete(lease)
    return None


def release_single_process(core: Core) -> None:
    """Give the run lock back (at shutdown; the kernel does it anyway when the process ends)."""
    lock_path = _run_lock_path(core)
    descriptor = _RUN_LOCKS.pop(lock_path, None) if lock_path else None
    if descriptor is not None:
        os.close(descriptor)
