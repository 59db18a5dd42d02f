"""How a cold first run starts: time to its first line, to the end of preparation, to the end.

Runs the real command line, `asebench run --baseline reference --cycles 1 --instances …`, as a
child process with a fresh, empty `$ASEBENCH_CACHE` (a temporary directory, removed afterwards
unless `--keep`): every source is fetched with its ecosystem's own client (pip, npm, mvn, go),
every rule validated and every sandbox environment built, as on a user's first run. Each line
the child writes on standard output or standard error is stamped with the seconds since the
spawn (the child runs with `PYTHONUNBUFFERED=1`, so a line is stamped when it is written, not
when a pipe buffer fills). The moments shown:

- first: the first line on either stream (asebench's own progress line),
- preparing: `asebench: preparing …` (dataset loaded and rules checked; fetching starts),
- prepared: `asebench: prepared: N/N in …` (sources fetched, unpacked, masked, indexed),
- ready: `asebench: sandbox ready: N/N in …` (environments built; the end of preparation;
  with `--no-dynamic` there is none and `prepared` ends it),
- inspect: the first line Inspect writes on standard output (its evaluation has started),
- log: `log: …`, Inspect's evaluation has ended (the report follows),
- last line, and end: the child has exited.

First one instance (`--one`), then several (`--several`, by default one each of a PyPI sdist,
an npm package, a Maven sources jar and a Go module), each from its own empty cache: once with
the default preparation (`preparation_jobs()` instances at once, or `--jobs`) and once one
instance after the other (`ASEBENCH_PREPARE_JOBS=1`), in alternating order over `--rounds`
(the first round runs the overlapped one first, so a registry that answers faster the second
time favours the serial run). Printed: both runs' moments, the wall of preparation (from
`preparing` to its end) and of the whole run, their ratio overlapped/serial, the seconds each
instance's steps took by its own progress lines summed ("busy": busy/wall above 1 means they
overlapped), and the load average before and after each run (on a shared machine it explains
much of a wall time).

Run: `PYTHONPATH=src .venv/bin/python benchmarks/cold_start.py [--one ID] [--several a,b,c]
[--jobs N] [--rounds N] [--no-dynamic] [--skip-one] [--skip-several] [--quiet] [--timeout S]
[--keep DIR]`.
"""

from __future__ import annotations

import argparse
import io
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from asebench.cache import CACHE_ENV
from asebench.cli import positive_int
from asebench.harness.overlap import JOBS_ENV, preparation_jobs
from asebench.sources.tree import remove_tree

ONE = "sqlparse-CVE-2021-32839"
SEVERAL = ("sqlparse-CVE-2021-32839",  # PyPI sdist
           "minimist-CVE-2021-44906",  # npm
           "zt-zip-CVE-2018-1002201",  # Maven sources jar
           "ulikunitz-xz-CVE-2021-29482")  # Go module
STEP_LINE = re.compile(r"^asebench: (prepared|sandbox ready) \d+/\d+: (\S+) \((\d+(?:\.\d+)?) s")


@dataclass
class Line:
    """One line of the child's output, `seconds` after the spawn."""

    seconds: float
    stream: str  # "out" or "err"
    text: str


@dataclass
class ColdRun:
    """What one cold run printed and when (seconds since the spawn), and the load around it."""

    label: str
    instances: list[str]
    jobs: str
    lines: list[Line] = field(default_factory=list)
    returncode: int | None = None
    end: float = 0.0
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def first(self, prefix: str, stream: str | None = None) -> float | None:
        """When the first line starting with `prefix` (on `stream`, if given) came."""
        for line in self.lines:
            if line.text.startswith(prefix) and stream in (None, line.stream):
                return line.seconds
        return None

    @property
    def first_line(self) -> float | None:
        return self.lines[0].seconds if self.lines else None

    @property
    def inspect(self) -> float | None:
        """Inspect's first line: the first non-empty line on standard output."""
        return next((line.seconds for line in self.lines
                     if line.stream == "out" and line.text.strip()), None)

    @property
    def preparation_end(self) -> float | None:
        return self.first("asebench: sandbox ready: ") or self.first("asebench: prepared: ")

    @property
    def preparation_wall(self) -> float | None:
        start, end = self.first("asebench: preparing"), self.preparation_end
        return None if start is None or end is None else end - start

    def busy(self) -> dict[str, float]:
        """Seconds of each step kind (`prepared`, `sandbox ready`), summed over instances."""
        total: dict[str, float] = {}
        for line in self.lines:
            match = STEP_LINE.match(line.text)
            if match:
                total[match[1]] = total.get(match[1], 0.0) + float(match[3])
        return total


def asebench_command() -> list[str]:
    """The installed `asebench` script beside this interpreter, else `python -m asebench.cli`."""
    script = Path(sys.executable).parent / "asebench"
    return [str(script)] if script.exists() else [sys.executable, "-m", "asebench.cli"]


def _read(stream: IO[str], name: str, started: float, into: queue.Queue[Line | None]) -> None:
    for text in stream:
        into.put(Line(time.monotonic() - started, name, text.rstrip("\n")))
    into.put(None)


def cold_run(label: str, instances: Sequence[str], *, jobs: int | None, dynamic: bool,
             timeout: float, workdir: Path, echo: bool = False) -> ColdRun:
    """Run `asebench run --baseline reference --cycles 1` on `instances` with an empty cache
    under `workdir`, preparing `jobs` instances at once (None: the default), and time its
    lines; with `echo`, asebench's progress lines are printed as they come, stamped. A run
    past `timeout` seconds is killed (its return code is then negative)."""
    workdir.mkdir(parents=True)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env[CACHE_ENV] = str(workdir / "cache")
    env.pop(JOBS_ENV, None)
    if jobs is not None:
        env[JOBS_ENV] = str(jobs)
    command = [*asebench_command(), "run", "--baseline", "reference", "--cycles", "1",
               "--instances", ",".join(instances), "--log-dir", str(workdir / "logs"),
               "--output-dir", str(workdir / "run"), *([] if dynamic else ["--no-dynamic"])]
    run = ColdRun(label, list(instances), f"default ({preparation_jobs()})" if jobs is None
                  else str(jobs),
                  load_before=os.getloadavg())
    lines: queue.Queue[Line | None] = queue.Queue()
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, errors="replace")
    assert child.stdout is not None and child.stderr is not None
    readers = [threading.Thread(target=_read, args=(stream, name, started, lines), daemon=True)
               for stream, name in ((child.stdout, "out"), (child.stderr, "err"))]
    for reader in readers:
        reader.start()
    open_streams = len(readers)
    while open_streams:
        try:
            line = lines.get(timeout=max(0.1, started + timeout - time.monotonic()))
        except queue.Empty:
            child.kill()
            continue
        if line is None:
            open_streams -= 1
            continue
        run.lines.append(line)
        if echo and line.text.startswith("asebench: "):
            print(f"  {line.seconds:7.2f} s  {line.text}")
    try:
        run.returncode = child.wait(timeout=max(1.0, started + timeout - time.monotonic()))
    except subprocess.TimeoutExpired:
        child.kill()
        run.returncode = child.wait()
    run.end = time.monotonic() - started
    run.load_after = os.getloadavg()
    return run


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in load)


def print_run(run: ColdRun) -> None:
    """The run's moments, preparation wall and busy seconds, load, and its failure if any."""
    busy = run.busy()
    last = run.lines[-1].seconds if run.lines else None
    print(f"\n{run.label}: {len(run.instances)} instance(s) ({', '.join(run.instances)}); "
          f"preparation jobs {run.jobs}; exit {run.returncode}")
    print(f"  first line {_s(run.first_line)} s | preparing {_s(run.first('asebench: preparing'))}"
          f" s | prepared {_s(run.first('asebench: prepared: '))} s | ready "
          f"{_s(run.first('asebench: sandbox ready: '))} s | inspect {_s(run.inspect)} s | "
          f"log {_s(run.first('log: ', 'out'))} s | last line {_s(last)} s | end {run.end:.2f} s")
    wall = run.preparation_wall
    fetch = busy.get("prepared", 0.0)
    build = busy.get("sandbox ready", 0.0)
    overlap = f"; busy/wall {(fetch + build) / wall:.2f}" if wall else ""
    print(f"  preparation wall {_s(wall)} s; busy: fetch+mask+index {fetch:.1f} s, "
          f"environments {build:.1f} s{overlap}")
    print(f"  load average before {_load(run.load_before)}, after {_load(run.load_after)}")
    if run.lines:
        print(f"  first line: {run.lines[0].text!r}")
    if run.returncode != 0:
        tail = [line.text for line in run.lines if line.stream == "err"][-15:]
        print("  FAILED; last lines on standard error:\n    " + "\n    ".join(tail))


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or not b else f"{a / b:.2f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--one", default=ONE, help="the instance of the single cold run")
    parser.add_argument("--several", default=",".join(SEVERAL),
                        help="comma-separated instances prepared overlapped vs one at a time")
    parser.add_argument("--jobs", type=positive_int, default=None,
                        help="instances prepared at once in the overlapped runs (default: "
                        "asebench's own, `preparation_jobs()`)")
    parser.add_argument("--rounds", type=positive_int, default=1,
                        help="pairs of (overlapped, one at a time) cold runs, order alternating")
    parser.add_argument("--no-dynamic", action="store_true",
                        help="pass --no-dynamic: no environments, tests or PoCs")
    parser.add_argument("--skip-one", action="store_true", help="no single-instance run")
    parser.add_argument("--skip-several", action="store_true", help="no several-instance runs")
    parser.add_argument("--quiet", action="store_true",
                        help="do not echo the runs' progress lines as they come")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the caches, logs and run folders under this new directory")
    args = parser.parse_args(argv)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # each figure as it comes, into a file too
    base = args.keep or Path(tempfile.mkdtemp(prefix="asebench-cold-"))
    dynamic = not args.no_dynamic
    command = " ".join(asebench_command())
    print(f"cold runs of `{command} run --baseline reference --cycles 1 --instances …` with an "
          f"empty {CACHE_ENV} each; {os.cpu_count()} CPUs; load average {_load(os.getloadavg())}")
    runs: list[ColdRun] = []
    failed = False
    try:
        if not args.skip_one:
            print(f"\none instance, cold: {args.one}")
            one = cold_run("one instance", [args.one], jobs=None, dynamic=dynamic,
                           timeout=args.timeout, workdir=base / "one", echo=not args.quiet)
            print_run(one)
            failed |= one.returncode != 0
        if not args.skip_several:
            several = [i.strip() for i in args.several.split(",") if i.strip()]
            for n in range(args.rounds):
                order = ["overlapped", "one at a time"][::1 if n % 2 == 0 else -1]
                pair: dict[str, ColdRun] = {}
                for label in order:
                    jobs = args.jobs if label == "overlapped" else 1
                    print(f"\nround {n + 1}, {label}, cold: {', '.join(several)}")
                    run = cold_run(f"round {n + 1}, {label}", several, jobs=jobs,
                                   dynamic=dynamic, timeout=args.timeout, echo=not args.quiet,
                                   workdir=base / f"round{n + 1}-{label.replace(' ', '-')}")
                    print_run(run)
                    failed |= run.returncode != 0
                    pair[label] = run
                    runs.append(run)
                fast, slow = pair["overlapped"], pair["one at a time"]
                print(f"\nround {n + 1}: preparation wall overlapped {_s(fast.preparation_wall)}"
                      f" s vs one at a time {_s(slow.preparation_wall)} s = "
                      f"{_ratio(fast.preparation_wall, slow.preparation_wall)}; whole run "
                      f"{fast.end:.2f} s vs {slow.end:.2f} s = {_ratio(fast.end, slow.end)}")
    finally:
        if args.keep is None:
            remove_tree(base)  # the cache holds read-only trees
        else:
            print(f"\nkept: {base}")
    print(f"\nload average at the end {_load(os.getloadavg())}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
