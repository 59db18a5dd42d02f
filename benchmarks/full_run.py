"""Where the time of a real run goes: the built-in dataset answered by the reference baseline.

Runs the `asebench/ase` Inspect task in this process exactly as `asebench run --baseline
reference` does (no model latency at all), and times its stages by wrapping the functions that
do the work (each wrapper calls the real function and adds up its duration):

- preparation: before Inspect starts, `load_chosen` (load, rule validation), `prepare_chosen`
  (fetch, mask, index) and `build_samples` (sandbox environments); during the evaluation, every
  `open_instance` call (solver and scorer),
- static: every semgrep process (`static.scan_batch`), with its number of samples,
- toolchain: the language checks of each candidate (`judge._toolchain_in_workspace`),
- dynamic: functional test and PoC of each candidate, control runs included (`judge._dynamic`).

Toolchain and dynamic are also broken down per language (calls, busy seconds, seconds per
call), with the checker processes themselves apart (`judge.run_toolchain`: the original's
check, once per instance, and each candidate's); and the ten instances whose samples took the
longest to judge (`judge_answer`, summed over cycles) are listed.

Stage times are busy seconds summed over samples judged concurrently, so they can add up to
more than the wall time. After the run, the scanned samples are scanned again one semgrep
process each (the naive way, `scan_batch([one])`), and the batched cost per sample is shown
as a ratio of that; that ratio compares the run's loaded machine with the quieter one after
it, so up to `--replay` of the run's batches are also redone after it, each as one process and
then one process per sample, alternately, and that ratio is printed too. The load average is
printed before and after: on a shared machine it explains more of the wall time than anything
else.

Run: `PYTHONPATH=src .venv/bin/python benchmarks/full_run.py [--cycles 3] [--no-dynamic]
[--instances a,b] [--limit N] [--naive N] [--replay N] [--max-samples N]
[--max-sandboxes N]`.
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
from asebench.checks.sandbox.inspect_provider import BwrapSandboxEnvironment
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
    by_language: dict[tuple[str, str], Stage] = field(default_factory=dict)
    by_instance: dict[str, Stage] = field(default_factory=dict)
    batches: list[int] = field(default_factory=list)
    scanned: list[ScanRequest] = field(default_factory=list)
    batch_requests: list[list[ScanRequest]] = field(default_factory=list)
    running: bool = False

    def add(self, name: str, seconds: float) -> None:
        _count(self.stages.setdefault(name, Stage()), seconds)


def _count(stage: Stage, seconds: float) -> None:
    stage.calls += 1
    stage.seconds += seconds


Recorder = Callable[[float, tuple[Any, ...]], None]
"""Adds one call's seconds somewhere, given the call's positional arguments."""


def _timed(timings: Timings, name: str, function: F, *also: Recorder) -> F:
    """`function` wrapped: each call's seconds go to stage `name` and to every recorder."""

    def record(seconds: float, args: tuple[Any, ...]) -> None:
        timings.add(name, seconds)
        for recorder in also:
            recorder(seconds, args)

    if asyncio.iscoroutinefunction(function):
        @functools.wraps(function)
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                record(time.perf_counter() - started, args)
        return timed_async  # type: ignore[return-value]

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            record(time.perf_counter() - started, args)
    return timed  # type: ignore[return-value]


def per_language(timings: Timings, stage: str, language_of: Callable[[tuple[Any, ...]], str]
                 ) -> Recorder:
    """A recorder adding a call to (`stage`, the language `language_of(args)` names)."""

    def recorder(seconds: float, args: tuple[Any, ...]) -> None:
        _count(timings.by_language.setdefault((stage, language_of(args)), Stage()), seconds)

    return recorder


def per_instance(timings: Timings) -> Recorder:
    """A recorder adding a `judge_answer(task, ...)` call to its instance."""

    def recorder(seconds: float, args: tuple[Any, ...]) -> None:
        _count(timings.by_instance.setdefault(args[0].instance.id, Stage()), seconds)

    return recorder


def _task_language(args: tuple[Any, ...]) -> str:
    return str(args[0].language.value)  # (task: MaskedTask, ...)


def instrument(timings: Timings) -> None:
    """Wrap the functions that do each stage's work (module attributes, looked up at call
    time by their callers)."""
    scan_batch = static.scan_batch

    def counted_scan(requests: Sequence[ScanRequest], **kwargs: Any) -> list[ScanResult]:
        timings.batches.append(len(requests))
        timings.scanned.extend(requests)
        timings.batch_requests.append(list(requests))
        return scan_batch(requests, **kwargs)

    static.scan_batch = _timed(timings, "static", counted_scan)
    judge._toolchain_in_workspace = _timed(timings, "toolchain", judge._toolchain_in_workspace,
                                           per_language(timings, "toolchain", _task_language))
    judge.run_toolchain = _timed(  # (language, tree, rel, ...): the checker processes alone
        timings, "toolchain processes", judge.run_toolchain,
        per_language(timings, "toolchain processes", lambda args: str(args[0].value)))
    judge._dynamic = _timed(timings, "dynamic", judge._dynamic,
                            per_language(timings, "dynamic", _task_language))
    prepare.judge_answer = _timed(timings, "judge (whole sample)", prepare.judge_answer,
                                  per_instance(timings))
    open_instance = prepare.open_instance
    timed_open = _timed(timings, "preparation (in run)", open_instance)

    def opened(instance: Any) -> Any:  # before the run, it is part of prepare_dataset
        return timed_open(instance) if timings.running else open_instance(instance)

    prepare.open_instance = opened
    vars(solvers)["open_instance"] = opened
    for step in ("load_chosen", "prepare_chosen", "build_samples"):  # what `ase` calls
        setattr(task, step, _timed(timings, "preparation (before run)", getattr(task, step)))


def replayed_batches(batches: list[list[ScanRequest]], scan: Callable[..., list[ScanResult]],
                     count: int) -> tuple[float, float, int]:
    """The run's first `count` batches of more than one sample, each scanned again after the
    run as one process and then one process per sample, alternately (the same conditions for
    both ways, unlike the run's batches against the naive scans after it): (batched seconds,
    one-per-sample seconds, samples)."""
    batched = alone = 0.0
    samples = 0
    for batch in [b for b in batches if len(b) > 1][:count]:
        started = time.perf_counter()
        scan(batch)
        batched += time.perf_counter() - started
        for request in batch:
            started = time.perf_counter()
            scan([request])
            alone += time.perf_counter() - started
        samples += len(batch)
    return batched, alone, samples


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


def print_breakdowns(timings: Timings, top: int = 10) -> None:
    """The per-language table and the `top` instances by summed judge time."""
    if timings.by_language:
        print("per language                          calls    busy s   s per call")
        for (stage, language), part in sorted(timings.by_language.items()):
            print(f"  {stage:<20} {language:<12} {part.calls:5d} {part.seconds:9.1f} "
                  f"{part.seconds / max(part.calls, 1):10.2f}")
    if timings.by_instance:
        print(f"slowest instances by summed judge time (top {top})   samples    judge s")
        slowest = sorted(timings.by_instance.items(), key=lambda kv: -kv[1].seconds)[:top]
        for instance, part in slowest:
            print(f"  {instance:<45} {part.calls:7d} {part.seconds:10.1f}")


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
    parser.add_argument("--replay", type=int, default=10,
                        help="at most N of the run's batches redone after it, batched and one "
                             "process per sample alternately (0: none)")
    parser.add_argument("--max-samples", type=int, default=None,
                        help="Inspect's max_samples (default: Inspect's own)")
    parser.add_argument("--max-sandboxes", type=int, default=None,
                        help="Inspect's max_sandboxes: samples holding a sandbox at once "
                        "(default: the bwrap provider's, 3 per CPU)")
    args = parser.parse_args()

    timings = Timings()
    real_scan_batch = static.scan_batch
    instrument(timings)
    load_before = _load()
    started = time.perf_counter()
    built = task.ase(dataset=args.dataset, cycles=args.cycles, baseline="reference",
                     dynamic=not args.no_dynamic, instances=args.instances, limit=args.limit,
                     prefetch=True)
    timings.running = True
    with tempfile.TemporaryDirectory(prefix="asebench-full-run-") as logs:
        log = inspect_eval(built, model="none/none", display="none", log_dir=logs,
                           fail_on_error=False, max_samples=args.max_samples,
                           max_sandboxes=args.max_sandboxes)[0]
        wall = time.perf_counter() - started
        samples = len(log.samples or [])  # read while the log file exists
    load_after = _load()
    naive = naive_seconds(timings.scanned, real_scan_batch, args.naive)
    replay = replayed_batches(timings.batch_requests, real_scan_batch, args.replay)

    cpu = os.cpu_count()
    print(f"machine: {platform.machine()}, {cpu} CPUs, Python {platform.python_version()}")
    print(f"load average (1/5/15 min): before {load_before}, after {load_after}")
    at_once = args.max_sandboxes or BwrapSandboxEnvironment.default_concurrency()
    print(f"run: {args.dataset}, {args.cycles} cycle(s), dynamic "
          f"{'off' if args.no_dynamic else 'on'}, sandboxes at once {at_once}, "
          f"status {log.status}")
    print(f"samples: {samples}   wall: {wall:.1f} s   per sample: {wall / max(samples, 1):.2f} s"
          f"   samples/hour: {3600 * samples / wall:.0f}")
    if log.results is not None:
        metrics = {name: m.value for s in log.results.scores for name, m in s.metrics.items()}
        print("metrics: " + ", ".join(f"{k} {v:.1f}" for k, v in metrics.items()))
    print("stage                       calls    busy s   per sample s")
    for name, stage in sorted(timings.stages.items()):
        print(f"  {name:<25} {stage.calls:5d} {stage.seconds:9.1f} "
              f"{stage.seconds / max(samples, 1):12.2f}")
    print_breakdowns(timings)
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
    replay_batched, replay_alone, replay_samples = replay
    if replay_samples:
        print(f"same batches redone after the run, alternating with one process per sample: "
              f"{replay_samples} samples, {replay_batched / replay_samples:.2f} s per scan "
              f"batched, {replay_alone / replay_samples:.2f} s alone; ratio "
              f"{replay_batched / replay_alone:.2f}x (load average now {_load()})")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
