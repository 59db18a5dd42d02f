"""Print what the bubblewrap sandbox costs.

1. Start-up overhead per command: median of N runs of `true`, sandboxed vs. a plain subprocess,
   and the CPU time each sandboxed run costs (wall-clock medians swing with the machine's load).
2. Per-sample dynamic-check cost with a cold environment cache (venv built from a local wheel)
   vs. a warm one (already built), each followed by one PoC run.

Usage: .venv/bin/python benchmarks/sandbox_overhead.py [--runs 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from asebench.cache import CACHE_ENV
from asebench.checks.environment import build_environment
from asebench.checks.runner import DynamicCheck, run_check
from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.checks.sandbox.inspect_provider import BwrapSandboxConfig, BwrapSandboxEnvironment
from asebench.dataset.schema import Command, Environment, Language

POC = "import json, tinymark\nprint(json.dumps({'verdict': 'safe', 'detail': tinymark.VALUE}))\n"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its finished children so far."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def startup(workspace: Path, runs: int) -> None:
    cpu_before = cpu_seconds()
    sandboxed = [timed(lambda: run_sandboxed(["true"], workspace=workspace)) for _ in range(runs)]
    cpu_each = (cpu_seconds() - cpu_before) / runs
    plain = [timed(lambda: subprocess.run(["true"], check=True)) for _ in range(runs)]
    print(f"start-up, median of {runs} runs of `true`:")
    print(f"  plain subprocess  {median_ms(plain):7.1f} ms")
    print(f"  sandboxed         {median_ms(sandboxed):7.1f} ms")
    print(f"  overhead          {median_ms(sandboxed) - median_ms(plain):7.1f} ms")
    print(f"  ratio             {median_ms(sandboxed) / median_ms(plain):7.1f} x")
    print(f"  CPU per sandboxed {cpu_each * 1000:7.1f} ms  (user + system, steady under load)")


def write_wheel(directory: Path) -> Path:
    path = directory / "tinymark-0.1-py3-none-any.whl"
    info = "tinymark-0.1.dist-info"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("tinymark/__init__.py", "VALUE = 'ok'\n")
        archive.writestr(
            f"{info}/METADATA", "Metadata-Version: 2.1\nName: tinymark\nVersion: 0.1\n"
        )
        archive.writestr(
            f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        archive.writestr(f"{info}/RECORD", "")
    return path


def one_sample(spec: Environment, workspace: Path, instance: Path) -> None:
    """The product path: build (or reuse) the environment, open the sample's Inspect bwrap
    sandbox over the project, run the PoC with the one check runner."""
    env = build_environment(spec, Language.PYTHON, source_root=None)

    async def run() -> str | None:
        sandbox = BwrapSandboxEnvironment(
            BwrapSandboxConfig(base=workspace, instance_dir=instance, env_dir=env))
        try:
            check = DynamicCheck.native(Command(run=["python", "/instance/poc.py"]), "poc")
            outcome = await run_check(sandbox, check)
        finally:
            sandbox.remove()
        assert outcome.verdict == "safe", outcome.error or outcome.sandbox_error
        return outcome.verdict

    asyncio.run(run())


def dynamic_cost(root: Path, runs: int) -> None:
    instance = root / "instance"
    instance.mkdir()
    (instance / "poc.py").write_text(POC)
    wheel = write_wheel(root)
    workspace = root / "workspace"
    workspace.mkdir()
    spec = Environment(python=[str(wheel)])
    cold = []
    for index in range(3):
        os.environ[CACHE_ENV] = str(root / f"cache-{index}")  # an empty cache each time
        cold.append(timed(lambda: one_sample(spec, workspace, instance)))
    warm = [timed(lambda: one_sample(spec, workspace, instance)) for _ in range(runs)]
    print("per-sample dynamic check (environment + one PoC run):")
    print(f"  cold environment  {median_ms(cold):7.1f} ms  (median of {len(cold)}, venv built)")
    print(f"  warm environment  {median_ms(warm):7.1f} ms  (median of {runs}, cache hit)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        workspace = root / "startup"
        workspace.mkdir()
        startup(workspace, args.runs)
        dynamic_cost(root, args.runs)


if __name__ == "__main__":
    main()
