"""Micro-batching: concurrent requests gathered into one call of a batch function.

A tool with a high start-up cost (semgrep: ~1.5–2 s a process) is cheap per item once running,
so the samples judged at the same time share one call. A batch closes `window` seconds after
its oldest request arrived or when it holds `max_batch` requests, whichever comes first; at
most `slots` batches run at once, and requests that arrive while every slot is busy wait for
the next batch instead of starting another process (on a small machine, concurrent semgrep
processes only slow each other down).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Request = TypeVar("Request")
Result = TypeVar("Result")


@dataclass
class BatchStats:
    """What a batcher did: the size and duration (seconds) of every batch it ran, in order."""

    sizes: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.sizes)


@dataclass
class _Waiting(Generic[Request, Result]):
    request: Request
    future: asyncio.Future[Result]
    arrived: float


class MicroBatcher(Generic[Request, Result]):
    """Runs `run_batch` (a blocking function: requests -> one result per request, in order) in
    a worker thread on batches of the requests that `submit` receives.

    An exception raised by `run_batch`, or a result list of the wrong length, is raised to every
    request of that batch (the batch function decides how failures are split and retried).
    Usable from several event loops one after the other (each `asyncio.run` starts afresh).
    """

    def __init__(self, run_batch: Callable[[Sequence[Request]], list[Result]], *,
                 window: float = 0.5, max_batch: int = 64, slots: int = 1) -> None:
        if window < 0 or max_batch < 1 or slots < 1:
            raise ValueError("window must be >= 0, max_batch and slots >= 1")
        self.run_batch = run_batch
        self.window = window
        self.max_batch = max_batch
        self.slots = slots
        self.stats = BatchStats()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: list[_Waiting[Request, Result]] = []
        self._full = asyncio.Event()
        self._free = asyncio.Semaphore(slots)
        self._dispatcher: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[None]] = set()

    def _bind(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop: nothing of the old one carries over
            self._loop = loop
            self._queue = []
            self._full = asyncio.Event()
            self._free = asyncio.Semaphore(self.slots)
            self._dispatcher = None
            self._running = set()
        return loop

    async def submit(self, request: Request) -> Result:
        """The result of `request`, computed in a batch with the requests that arrive near it."""
        loop = self._bind()
        waiting: _Waiting[Request, Result] = _Waiting(request, loop.create_future(),
                                                      time.monotonic())
        self._queue.append(waiting)
        if len(self._queue) >= self.max_batch:
            self._full.set()
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = loop.create_task(self._dispatch())
        return await waiting.future

    async def _dispatch(self) -> None:
        while self._queue:
            deadline = self._queue[0].arrived + self.window
            if len(self._queue) < self.max_batch:
                self._full.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._full.wait(),
                                           max(0.0, deadline - time.monotonic()))
            await self._free.acquire()  # requests arriving meanwhile join this batch
            self._queue = [w for w in self._queue if not w.future.done()]  # cancelled ones
            batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
            if not batch:
                self._free.release()
                continue
            task = asyncio.get_running_loop().create_task(self._run(batch))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _run(self, batch: list[_Waiting[Request, Result]]) -> None:
        started = time.monotonic()
        try:
            results = await asyncio.to_thread(self.run_batch, [w.request for w in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"batch of {len(batch)} requests gave {len(results)} results")
        except Exception as exc:  # never leave a request waiting forever
            for waiting in batch:
                if not waiting.future.done():
                    waiting.future.set_exception(exc)
        else:
            for waiting, result in zip(batch, results, strict=True):
                if not waiting.future.done():
                    waiting.future.set_result(result)
        finally:
            self.stats.sizes.append(len(batch))
            self.stats.seconds.append(time.monotonic() - started)
            self._free.release()
