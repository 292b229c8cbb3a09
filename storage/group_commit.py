"""Group commit: many small inserts that arrive at once share one transaction.

A burst of acknowledgements each wants one row written before it answers. Written one
transaction each, they queue behind one another (SQLite has one writer; PostgreSQL flushes its
log per commit). Here the first caller to find nobody writing becomes the leader: it writes its
own row and every row queued meanwhile in one transaction, wakes each caller with its own
outcome, and hands the lead to the first caller still queued. A caller alone writes at once,
with no thread in between. A batch that fails is retried row by row, so one bad row cannot
refuse the others.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from storage.db import LockTimeout, write_connection

# The most rows one transaction takes; the rest go in the next one right after.
MAX_BATCH = 500


@dataclass(eq=False)
class _Entry:
    values: dict[str, Any]
    wake: threading.Event = field(default_factory=threading.Event)
    done: bool = False
    lead: bool = False
    taken: bool = False
    error: BaseException | None = None


class _Table:
    """The queue of one table of one engine."""

    def __init__(self, table: Table) -> None:
        self.table = table
        # Built once: its cache key (the compiled form's) is worked out once, not per batch.
        self.statement = table.insert()
        self.queue: list[_Entry] = []
        self.guard = threading.Lock()
        self.writing = False

    def insert(self, engine: Engine, values: dict[str, Any], timeout: float) -> None:
        entry = _Entry(values)
        deadline = time.monotonic() + timeout
        with self.guard:
            self.queue.append(entry)
            if not self.writing:
                self.writing = entry.lead = True
        while not entry.done:
            if entry.lead:
                entry.lead = False
                self._lead(engine, timeout)
                continue
            left = deadline - time.monotonic()
            if not entry.wake.wait(max(left, 0.0) if not entry.taken else None):
                with self.guard:
                    if not (entry.taken or entry.lead or entry.done):
                        self.queue.remove(entry)  # never written: the caller is refused
                        raise LockTimeout()
            entry.wake.clear()
        if entry.error is not None:
            raise entry.error

    def _lead(self, engine: Engine, timeout: float) -> None:
        with self.guard:
            batch, self.queue = self.queue[:MAX_BATCH], self.queue[MAX_BATCH:]
            for entry in batch:
                entry.taken = True
        written = False
        try:
            self._write(engine, batch, timeout)
            written = True
        finally:
            with self.guard:
                for entry in batch:
                    if not written and entry.error is None:  # interrupted: never say stored
                        entry.error = LockTimeout()
                    entry.done = True
                    entry.wake.set()
                if self.queue:  # the next batch is led by the oldest caller waiting
                    self.queue[0].lead = True
                    self.queue[0].wake.set()
                else:
                    self.writing = False

    def _write(self, engine: Engine, batch: list[_Entry], timeout: float) -> None:
        try:
            self._transaction(engine, batch, timeout)
        except OperationalError as error:  # busy or unreachable: every row of it is refused
            for entry in batch:
                entry.error = error
        except Exception as error:
            if len(batch) == 1:
                batch[0].error = error
                return
            for entry in batch:  # one bad row: the others are written on their own
                try:
                    self._transaction(engine, [entry], timeout)
                except Exception as single:
                    entry.error = single

    def _transaction(self, engine: Engine, batch: list[_Entry], timeout: float) -> None:
        with write_connection(engine, lock_timeout=timeout) as connection:
            connection.execute(self.statement, [entry.values for entry in batch])


_QUEUES: WeakKeyDictionary[Engine, dict[str, _Table]] = WeakKeyDictionary()
_GUARD = threading.Lock()


def insert(engine: Engine, table: Table, values: dict[str, Any], *, timeout: float) -> None:
    """Insert one row, committed together with whatever else is being inserted right now.

    Raises LockTimeout (an OperationalError) when the row could not be written within
    `timeout` seconds (nothing is written then), or the error that writing this row raised.
    Every row of one table must name the same columns.
    """
    with _GUARD:
        queues = _QUEUES.setdefault(engine, {})
        queue = queues.get(table.name)
        if queue is None:
            queue = queues[table.name] = _Table(table)
    queue.insert(engine, values, timeout)
