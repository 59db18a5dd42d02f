"""Where a semgrep scan's time goes, per sample, alone and in batches, in the same run.

The requests are the gold files of chosen built-in instances with their own rules (what the
judge scans for a reference answer). Each round, alternately (a busy machine slows every way
alike):

- start-up: one semgrep process on a one-line file with one one-line rule (process start,
  rule parsing, the report: the fixed cost of any scan),
- one process per sample (`scan_batch([request])`, what a sample alone gets: the naive way),
- batches of `--batch` samples, and all samples in one batch (`scan_batch(requests)`, what the
  micro-batcher does for samples judged at the same time).

Prints the median seconds per sample of each way, the ratio to one process per sample, whether
the batched results equal the single ones, and the load average before and after.

Run: `PYTHONPATH=src .venv/bin/python benchmarks/batch_cost.py [--rounds 2] [--batch 3]
[--instances a,b]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from asebench.checks.static import ScanRequest, ScanResult, scan_batch
from asebench.dataset.load import load_dataset
from asebench.dataset.selection import select
from asebench.opened_instance import open_instance

TWELVE = ("requests-CVE-2023-32681,shell-quote-CVE-2021-42740,jsoup-CVE-2022-36033,"
          "golang-x-net-html-CVE-2023-3978,twig-CVE-2024-45411,cjson-CVE-2023-53154,"
          "sqlparse-CVE-2021-32839,mako-CVE-2022-40023,urllib3-CVE-2021-33503,"
          "marked-CVE-2022-21680,path-to-regexp-CVE-2024-52798,jinja2-CVE-2020-28493")
TINY_RULE = """rules:
  - id: tiny
    languages: [python]
    severity: INFO
    message: x
    pattern: eval(...)
"""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _timed(run: Callable[[], list[ScanResult]]) -> tuple[float, list[ScanResult]]:
    started = time.perf_counter()
    results = run()
    return time.perf_counter() - started, results


def _chunks(requests: list[ScanRequest], size: int) -> list[list[ScanRequest]]:
    return [requests[i:i + size] for i in range(0, len(requests), size)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", default=TWELVE)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch", type=int, default=3)
    args = parser.parse_args()
    print(f"load average (1/5/15 min) before: {_load()}")
    requests = []
    for instance in select(load_dataset("builtin"), args.instances, "builtin").instances:
        _tree, task = open_instance(instance)
        requests.append(ScanRequest(files=task.gold_files(), rules=instance.rules))
    n = len(requests)
    with tempfile.TemporaryDirectory(prefix="asebench-bench-") as tmp:
        rule = Path(tmp) / "tiny.yaml"
        rule.write_text(TINY_RULE)
        tiny = ScanRequest(files={"a.py": "x = 1\n"}, rules=[rule])
        ways: dict[str, Callable[[], list[ScanResult]]] = {
            "start-up (one-line file, one rule)": lambda: scan_batch([tiny]),
            "one process per sample": lambda: [r for q in requests for r in scan_batch([q])],
            f"batches of {args.batch}": lambda: [r for c in _chunks(requests, args.batch)
                                                 for r in scan_batch(c)],
            f"one batch of {n}": lambda: scan_batch(requests),
        }
        per_sample: dict[str, list[float]] = {name: [] for name in ways}
        outcomes: dict[str, list[ScanResult]] = {}
        for _round in range(args.rounds):
            for name, run in ways.items():
                seconds, results = _timed(run)
                per_sample[name].append(seconds / (1 if name.startswith("start") else n))
                outcomes[name] = results
    naive = statistics.median(per_sample["one process per sample"])
    single = outcomes["one process per sample"]
    print(f"{n} samples, {args.rounds} rounds; seconds per sample (median), ratio to one "
          "process per sample, results equal to the single scans")
    for name, values in per_sample.items():
        same = "" if name.startswith("start") else (
            "yes" if outcomes[name] == single else "NO")
        print(f"  {name:<36} {statistics.median(values):8.2f} "
              f"{statistics.median(values) / naive:7.2f}x  {same}")
    print(f"load average (1/5/15 min) after: {_load()}")


if __name__ == "__main__":
    main()
