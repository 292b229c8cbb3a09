"""One asyncio loop for the Teams SDK, in its own thread, and the thread pools beside it.

The SDK is asyncio and its objects belong to the loop that first used them, so every coroutine
goes to this one loop. The services are synchronous: handlers await them in `services`, a thread
pool, so the loop never waits for the database. MSAL's token requests get a pool of their own,
so a full service pool can never hold up the token a send is waiting for.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

SERVICE_WORKERS = 16
TOKEN_WORKERS = 2


class SdkLoop:
    """The loop thread, the service pool and the token pool; `stop()` ends all three."""

    def __init__(self, *, service_workers: int = SERVICE_WORKERS) -> None:
        self.loop = asyncio.new_event_loop()
        self.services = ThreadPoolExecutor(
            max_workers=service_workers, thread_name_prefix="uppsikt-teams"
        )
        self.tokens = ThreadPoolExecutor(
            max_workers=TOKEN_WORKERS, thread_name_prefix="uppsikt-teams-token"
        )
        self._thread = threading.Thread(target=self._run, name="uppsikt-teams-loop", daemon=True)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False
        self._stopped = False
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    @property
    def in_loop(self) -> bool:
        return threading.current_thread() is self._thread

    def submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        """Schedule a coroutine on the loop from any other thread."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        """Run a coroutine on the loop and wait for it (never from the loop itself)."""
        if self.in_loop:
            coro.close()
            raise RuntimeError("SdkLoop.run called from the loop thread")
        return self.submit(coro).result(timeout)

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Await a blocking function (a service call) in the service pool."""
        return await self.loop.run_in_executor(self.services, partial(function, *args, **kwargs))

    def background(self, coro: Coroutine[Any, Any, Any], what: str) -> None:
        """Run a coroutine after the answer was sent (a reminder round, a publication);
        `stop()` waits for it. Failures are logged, never lost silently."""

        async def guarded() -> None:
            try:
                await coro
            except Exception:
                logger.exception("Teams work after the answer failed: %s", what)

        def start() -> None:
            if self._closed:
                coro.close()
                return
            task = self.loop.create_task(guarded())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        if self.in_loop:
            start()
        else:
            self.loop.call_soon_threadsafe(start)

    def drain(self, timeout: float = 30.0) -> None:
        """Take no more background work and wait for what is running."""
        if self._closed:
            return

        async def wait() -> None:
            self._closed = True
            pending = list(self._tasks)
            if pending:
                await asyncio.wait(pending, timeout=timeout)

        try:
            self.submit(wait()).result(timeout + 5)
        except Exception:
            logger.exception("Teams background work did not finish")

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the background work, then stop the loop and the pools."""
        if self._stopped:
            return
        self._stopped = True
        self.drain(timeout)
        self.services.shutdown(wait=True)
        self.tokens.shutdown(wait=True)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self.loop.close()
