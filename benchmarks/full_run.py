"""Where the time of a real run goes: the built-in dataset answered by the reference baseline.

Runs the `asebench/ase` Inspect task in this process exactly as `asebench run --baseline
reference` does (no model latency at all), and times its stages by wrapping the functions that
do the work (each wrapper calls the real function and adds up its duration):

- preparation: `prepare_dataset` (load, rule validation, fetch, mask, index, before Inspect
  starts) and every `open_instance` call made during the evaluation (solver and scorer),
- static: every semgrep process (`static.scan_batch`), with its number of samples,
- toolchain: the language checks of each candidate (`judge._toolchain_in_workspace`),
- dynamic: functional test and PoC of each candidate, control runs included (`judge._dynamic`).

Stage times are busy seconds summed over samples judged concurrently, so they can add up to
more than the wall time. After the run, the scanned samples are scanned again one semgrep
process each (the naive way, `scan_batch([one])`), and the batched cost per sample is shown
as a ratio of that. The load average is printed before and after: on a shared machine it
explains more of the wall time than anything else.

Run: `PYTHONPATH=src .venv/bin/python benchmarks/full_run.py [--cycles 3] [--no-dynamic]
[--instances a,b] [--limit N] [--naive N] [--max-samples N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from inspect_ai import eval as inspect_eval

from asebench.checks import judge, static
from asebench.checks.static import ScanRequest, ScanResult
from asebench.harness import prepare, solvers, task

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Stage:
    """Calls and summed seconds of one stage."""

    calls: int = 0
    seconds: float = 0.0


@dataclass
class Timings:
    stages: dict[str, Stage] = field(default_factory=dict)
    batches: list[int] = field(default_factory=list)
    scanned: list[ScanRequest] = field(default_factory=list)
    running: bool = False

    def add(self, name: str, seconds: float) -> None:
        stage = self.stages.setdefault(name, Stage())
        stage.calls += 1
        stage.seconds += seconds


def _timed(timings: Timings, name: str, function: F) -> F:
    if asyncio.iscoroutinefunction(function):
        @functools.wraps(function)
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                timings.add(name, time.perf_counter() - started)
        return timed_async  # type: ignore[return-value]

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            timings.add(name, time.perf_counter() - started)
    return timed  # type: ignore[return-value]


def instrument(timings: Timings) -> None:
    """Wrap the functions that do each stage's work (module attributes, looked up at call
    time by their callers)."""
    scan_batch = static.scan_batch

    def counted_scan(requests: Sequence[ScanRequest], **kwargs: Any) -> list[ScanResult]:
        timings.batches.append(len(requests))
        timings.scanned.extend(requests)
        return scan_batch(requests, **kwargs)

    static.scan_batch = _timed(timings, "static", counted_scan)
    judge._toolchain_in_workspace = _timed(timings, "toolchain", judge._toolchain_in_workspace)
    judge._dynamic = _timed(timings, "dynamic", judge._dynamic)
    open_instance = prepare.open_instance
    timed_open = _timed(timings, "preparation (in run)", open_instance)

    def opened(instance: Any) -> Any:  # before the run, it is part of prepare_dataset
        return timed_open(instance) if timings.running else open_instance(instance)

    prepare.open_instance = opened
    vars(solvers)["open_instance"] = opened
    task.prepare_dataset = _timed(timings, "preparation (before run)", task.prepare_dataset)


def naive_seconds(requests: list[ScanRequest], scan: Callable[..., list[ScanResult]],
                  count: int) -> list[float]:
    """Seconds of one semgrep process per sample, for up to `count` distinct samples."""
    distinct: dict[str, ScanRequest] = {}
    for request in requests:
        if request.rules:
            key = repr((sorted(request.files.items()), [str(r) for r in request.rules]))
            distinct.setdefault(key, request)
    times = []
    for request in list(distinct.values())[:count]:
        started = time.perf_counter()
        scan([request])
        times.append(time.perf_counter() - started)
    return times


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="builtin")
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--no-dynamic", action="store_true")
    parser.add_argument("--instances", default=None, help="comma-separated instance ids")
    parser.add_argument("--limit", type=int, default=None, help="only the first N instances")
    parser.add_argument("--naive", type=int, default=1000,
                        help="at most N distinct samples re-scanned one process each")
    parser.add_argument("--max-samples", type=int, default=None,
                        help="Inspect's max_samples (default: Inspect's own)")
    args = parser.parse_args()

    timings = Timings()
    real_scan_batch = static.scan_batch
    instrument(timings)
    load_before = _load()
    started = time.perf_counter()
    built = task.ase(dataset=args.dataset, cycles=args.cycles, baseline="reference",
                     dynamic=not args.no_dynamic, instances=args.instances, limit=args.limit)
    timings.running = True
    with tempfile.TemporaryDirectory(prefix="asebench-full-run-") as logs:
        log = inspect_eval(built, model="none/none", display="none", log_dir=logs,
                           fail_on_error=False, max_samples=args.max_samples)[0]
        wall = time.perf_counter() - started
        samples = len(log.samples or [])  # read while the log file exists
    load_after = _load()
    naive = naive_seconds(timings.scanned, real_scan_batch, args.naive)

    cpu = os.cpu_count()
    print(f"machine: {platform.machine()}, {cpu} CPUs, Python {platform.python_version()}")
    print(f"load average (1/5/15 min): before {load_before}, after {load_after}")
    print(f"run: {args.dataset}, {args.cycles} cycle(s), dynamic "
          f"{'off' if args.no_dynamic else 'on'}, status {log.status}")
    print(f"samples: {samples}   wall: {wall:.1f} s   per sample: {wall / max(samples, 1):.2f} s"
          f"   samples/hour: {3600 * samples / wall:.0f}")
    if log.results is not None:
        metrics = {name: m.value for s in log.results.scores for name, m in s.metrics.items()}
        print("metrics: " + ", ".join(f"{k} {v:.1f}" for k, v in metrics.items()))
    print("stage                       calls    busy s   per sample s")
    for name, stage in sorted(timings.stages.items()):
        print(f"  {name:<25} {stage.calls:5d} {stage.seconds:9.1f} "
              f"{stage.seconds / max(samples, 1):12.2f}")
    scanned = sum(timings.batches)
    static_s = timings.stages.get("static", Stage()).seconds
    if timings.batches:
        print(f"semgrep processes: {len(timings.batches)} for {scanned} scans "
              f"(batch sizes: median {statistics.median(timings.batches):.0f}, "
              f"max {max(timings.batches)})")
    if naive and scanned:
        batched = static_s / scanned
        alone = statistics.mean(naive)
        print(f"static per scan: batched {batched:.2f} s; one process per scan "
              f"{alone:.2f} s (mean of {len(naive)}); ratio {batched / alone:.2f}x")
        print(f"naive static for the whole run: {alone * scanned:.0f} s of semgrep "
              f"against {static_s:.0f} s batched")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
