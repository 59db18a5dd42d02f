"""Print what a judged check costs against the single-sandbox protocol it replaces.

The same PoC both ways, on the same Inspect bwrap sandbox (workspace quota on, as by default):
the old protocol runs one script that imports the candidate and prints the verdict; the judged
one starts the judge's and the candidate's sandboxes and sends one `run_python` request.
Medians of N runs each.

Usage: .venv/bin/python benchmarks/judged_check_cost.py [--runs 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from asebench.checks.runner import DynamicCheck, run_check
from asebench.checks.sandbox.inspect_provider import BwrapSandboxConfig, BwrapSandboxEnvironment
from asebench.dataset.schema import Command

SINGLE = "import json, app\nprint(json.dumps({'verdict': 'safe', 'detail': app.VALUE}))\n"
JUDGE = ("from asebench_probe import candidate, report, require\n"
         "report('safe', require(candidate.run_python('import app\\nreturn app.VALUE'), 'app'))\n")


async def timings(sandbox: BwrapSandboxEnvironment, check: DynamicCheck, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        outcome = await run_check(sandbox, check)
        samples.append(time.perf_counter() - started)
        assert outcome.verdict == "safe", outcome.error or outcome.sandbox_error
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        (root / "project").mkdir()
        (root / "project" / "app.py").write_text("VALUE = 'ok'\n")
        (root / "instance").mkdir()
        (root / "instance" / "single.py").write_text(SINGLE)
        (root / "instance" / "judge.py").write_text(JUDGE)
        sandbox = BwrapSandboxEnvironment(
            BwrapSandboxConfig(base=root / "project", instance_dir=root / "instance"))
        try:
            single = DynamicCheck.native(Command(run=["python3", "/instance/single.py"],
                                                 env={"PYTHONPATH": "/workspace"}), "poc")
            judged = DynamicCheck.native(Command(run=["asebench-judge", "judge.py"],
                                                 env={"PYTHONPATH": "/workspace"}), "poc")
            old = asyncio.run(timings(sandbox, single, args.runs))
            new = asyncio.run(timings(sandbox, judged, args.runs))
        finally:
            sandbox.remove()
    old_ms, new_ms = statistics.median(old) * 1000, statistics.median(new) * 1000
    print(f"one PoC check, median of {args.runs} runs:")
    print(f"  single sandbox (old protocol)  {old_ms:7.1f} ms")
    print(f"  judged (two sandboxes)         {new_ms:7.1f} ms")
    print(f"  added per check                {new_ms - old_ms:7.1f} ms")


if __name__ == "__main__":
    main()
