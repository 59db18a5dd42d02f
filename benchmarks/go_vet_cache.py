"""What the kept build cache saves a Go candidate's `go vet`, against the check from an empty
cache (how every candidate was checked before), in the same run.

For each chosen built-in Go instance the original file's check runs once (it keeps its cache,
`toolchain.warm_cache_dir`; not counted), then two candidates are checked `--rounds` times each
way, alternately: the gold fix inserted (passes) and the gold fix plus a self-assignment that
`go vet` rejects (fails). Each check is `run_toolchain` in the real sandbox on the candidate's
materialised tree, as the judge runs it. Prints the median seconds each way, the ratio
kept cache / empty cache, whether the verdicts (ran, ok, message) are the same both ways, and
the load average before and after (the machine is shared: the ratio is the figure to read).

Run: `PYTHONPATH=src .venv/bin/python benchmarks/go_vet_cache.py [--rounds 2]
[--instances a,b]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from asebench.checks.judge import _original_passes, _toolchain_env
from asebench.checks.toolchain import ToolchainResult, run_toolchain, warm_cache_dir
from asebench.dataset.load import load_dataset
from asebench.dataset.schema import Language
from asebench.dataset.selection import select
from asebench.opened_instance import open_instance
from asebench.workspace import Workspace

GO_INSTANCES = ("synthetic-go-sql-injection,golang-x-net-html-CVE-2023-3978,"
                "golang-x-net-html-CVE-2025-22872,ulikunitz-xz-CVE-2021-29482")
VET_FAILURE = "\nfunc asebenchVetFailure() {\n\tx := 1\n\tx = x\n\t_ = x\n}\n"
"""Compiles, but `go vet`'s assign check rejects it (self-assignment of x to x)."""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _timed(tree: Path, rel: str, env: Path | None, warm: Path | None
           ) -> tuple[float, ToolchainResult]:
    started = time.perf_counter()
    result = run_toolchain(Language.GO, tree, rel, env_dir=env, warm_cache=warm)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", default=GO_INSTANCES)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"load average (1/5/15 min) before: {_load()}")
    print("instance                                  candidate   empty cache s  kept cache s"
          "   ratio   same verdicts")
    all_cold: list[float] = []
    all_warm: list[float] = []
    for instance in select(load_dataset("builtin"), args.instances, "builtin").instances:
        tree, task = open_instance(instance)
        env = _toolchain_env(task, tree.root)
        rel = task.files[0].path
        original = _original_passes(instance.language, str(tree.root), rel,
                                    str(env) if env is not None else None)
        warm = warm_cache_dir(instance.language, tree.root, rel, env)
        if not original.ok or warm is None or not warm.is_dir():
            print(f"  {instance.id:<40} the original's check kept no cache: {original.message}")
            continue
        gold = task.gold_files()[rel]
        for label, text in (("gold", gold), ("vet fails", gold + VET_FAILURE)):
            with tempfile.TemporaryDirectory(prefix="asebench-bench-") as tmp:
                workspace = Workspace(tree.root, Path(tmp))
                try:
                    workspace.write(rel, text)
                    where = workspace.materialise(hardlink=os.geteuid() == 0)
                    cold, warmed, same = [], [], True
                    for _round in range(args.rounds):
                        seconds_cold, by_cold = _timed(where, rel, env, None)
                        seconds_warm, by_warm = _timed(where, rel, env, warm)
                        cold.append(seconds_cold)
                        warmed.append(seconds_warm)
                        same = same and (by_cold.ran, by_cold.ok, by_cold.message) == (
                            by_warm.ran, by_warm.ok, by_warm.message)
                finally:
                    workspace.remove()
            all_cold += cold
            all_warm += warmed
            c, w = statistics.median(cold), statistics.median(warmed)
            print(f"  {instance.id:<40} {label:<10} {c:13.2f} {w:13.2f} {w / c:7.2f}   "
                  f"{'yes' if same else 'NO'} (passes: {by_warm.ok})")
            if not same:
                print(f"    empty cache: ok={by_cold.ok} {by_cold.message[:300]!r}\n"
                      f"    kept cache:  ok={by_warm.ok} {by_warm.message[:300]!r}")
    if all_cold:
        c, w = sum(all_cold), sum(all_warm)
        print(f"all checks: empty cache {c:.1f} s, kept cache {w:.1f} s, ratio {w / c:.2f}")
    print(f"load average (1/5/15 min) after: {_load()}")


if __name__ == "__main__":
    main()
