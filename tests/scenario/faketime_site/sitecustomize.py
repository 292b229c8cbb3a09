"""Loaded (via PYTHONPATH) only into bot processes that tests run under libfaketime.

Under libfaketime, CPython's timed waits (Event.wait(t), Condition.wait(t), Lock.acquire(timeout=t)
and so APScheduler's main loop) never return: they wait on a clock faketime shifts but does not
intercept there. time.sleep is intercepted (and scaled), so timed waits poll with short sleeps.
"""

import os
import threading
import time

if os.environ.get("FAKETIME"):
    _POLL = 0.02
    _original_wait = threading.Condition.wait

    def _wait(self, timeout=None):  # type: ignore[no-untyped-def]
        if timeout is None:
            return _original_wait(self, None)
        deadline = time.monotonic() + timeout
        while True:
            if _original_wait(self, 0):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(_POLL)

    threading.Condition.wait = _wait  # type: ignore[method-assign]

    _original_join = threading.Thread.join

    def _join(self, timeout=None):  # type: ignore[no-untyped-def]
        if timeout is None:
            return _original_join(self)
        deadline = time.monotonic() + timeout
        while self.is_alive() and time.monotonic() < deadline:
            time.sleep(_POLL)
        return None

    threading.Thread.join = _join  # type: ignore[method-assign]
