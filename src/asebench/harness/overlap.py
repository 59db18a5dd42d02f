"""Preparation steps of different instances run at the same time, a bounded number at once.

Fetching (a download, `git clone`), unpacking, indexing and environment builds (`pip install`,
`npm install`) mostly wait on the network or on a child process, so a cold run that prepares
instances one after another leaves the machine idle. `map_overlapped` runs one step over many
items in a small thread pool and gives the outcomes back in input order; a step that raises
does not stop the others. Items with the same `key` (e.g. the same source) never run at the
same time, so two instances of one release do not both download it.

How many run at once is `preparation_jobs()`: the CPUs, at least 2 and at most 4, or the
positive integer in `$ASEBENCH_PREPARE_JOBS` (`1` prepares one instance after the other, as
`benchmarks/cold_start.py` does to measure what the overlap gains).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_JOBS = 4
"""More concurrent fetches and builds than this only share the same network and two cores."""
JOBS_ENV = "ASEBENCH_PREPARE_JOBS"
"""Environment variable that sets how many instances are prepared at once (a positive integer)."""


def preparation_jobs() -> int:
    """How many instances are prepared at once: `$ASEBENCH_PREPARE_JOBS` when set, else the
    CPUs, at least 2, at most 4. Raises `ValueError` naming the variable when it is set to
    anything but a positive integer."""
    configured = os.environ.get(JOBS_ENV, "").strip()
    if not configured:
        return min(MAX_JOBS, max(2, os.cpu_count() or 1))
    try:
        jobs = int(configured)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise ValueError(f"{JOBS_ENV} must be a positive integer, got {configured!r}")
    return jobs


@dataclass(frozen=True)
class Outcome(Generic[Item, Result]):
    """One item's result, or the exception its step raised, and how long it took (seconds)."""

    item: Item
    result: Result | None
    error: Exception | None
    seconds: float


def map_overlapped(
    step: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    jobs: int,
    key: Callable[[Item], Hashable] | None = None,
    finished: Callable[[Outcome[Item, Result]], None] | None = None,
) -> list[Outcome[Item, Result]]:
    """`step(item)` for every item, at most `jobs` at once; outcomes in the order of `items`.

    `finished` is called in the calling thread as each item completes (for progress lines).
    Raises `ValueError` if `jobs` < 1; exceptions of `step` are returned, never raised."""
    if jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs}")
    locks: dict[Hashable, threading.Lock] = {}
    for item in items:
        locks.setdefault(key(item) if key else id(item), threading.Lock())

    def run(item: Item) -> Outcome[Item, Result]:
        with locks[key(item) if key else id(item)]:
            started = time.monotonic()
            try:
                return Outcome(item, step(item), None, time.monotonic() - started)
            except Exception as exc:  # the item's own failure, returned to the caller
                return Outcome(item, None, exc, time.monotonic() - started)

    outcomes: dict[int, Outcome[Item, Result]] = {}
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="asebench-prepare") as pool:
        futures = {pool.submit(run, item): n for n, item in enumerate(items)}
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[futures[future]] = outcome
            if finished is not None:
                finished(outcome)
    return [outcomes[n] for n in range(len(items))]
