"""What running a candidate's semgrep scan while its language checker and then its PoC and test
run saves per sample, against running them one after the other (`judge.CHECKS_AT_ONCE`).

For each chosen built-in instance (default: one per language), the reference answer (the
gold fix) is judged by `judge_answer` with the real sandbox and semgrep (one semgrep process
per sample, as a sample alone in a run gets), once to warm the caches (environment, the
original's checks, the control runs: not counted), then `--rounds` times each way, alternately.
Prints the median seconds of a whole sample each way, the ratio at once / one after the other,
whether every verdict was the same both ways, and the load average before and after.

Run: `PYTHONPATH=src .venv/bin/python benchmarks/checks_at_once.py [--rounds 3]
[--instances a,b] [--no-dynamic]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path

from asebench.checks import judge
from asebench.code.task import MaskedTask
from asebench.dataset.load import load_dataset
from asebench.dataset.selection import select
from asebench.opened_instance import open_instance

ONE_PER_LANGUAGE = ("requests-CVE-2023-32681,shell-quote-CVE-2021-42740,jsoup-CVE-2022-36033,"
                    "golang-x-net-html-CVE-2023-3978,twig-CVE-2024-45411,cjson-CVE-2023-53154")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def judged(instance_id: str, task: MaskedTask, tree: str, answer: str, *, at_once: bool,
           dynamic: bool) -> tuple[float, dict[str, object]]:
    """Seconds of one `judge_answer` call and its verdict (as a dict)."""
    judge.CHECKS_AT_ONCE = at_once
    started = time.perf_counter()
    verdict = asyncio.run(judge.judge_answer(task, answer, Path(tree), dynamic=dynamic))
    return time.perf_counter() - started, verdict.model_dump()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", default=ONE_PER_LANGUAGE)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-dynamic", action="store_true")
    args = parser.parse_args()
    print(f"load average (1/5/15 min) before: {_load()}")
    loaded = select(load_dataset("builtin"), args.instances, "builtin")
    print("instance                                  language    one after s   at once s   ratio"
          "   same verdicts")
    all_before: list[float] = []
    all_after: list[float] = []
    all_same = True
    for instance in loaded.instances:
        tree, task = open_instance(instance)
        answer = task.reference_answer("reference")
        dynamic = not args.no_dynamic
        _, first = judged(instance.id, task, str(tree.root), answer, at_once=False,
                          dynamic=dynamic)  # warms every cache
        before, after, same = [], [], True
        for _round in range(args.rounds):
            for at_once in (False, True):
                seconds, verdict = judged(instance.id, task, str(tree.root), answer,
                                          at_once=at_once, dynamic=dynamic)
                (after if at_once else before).append(seconds)
                same = same and verdict == first
        all_before += before
        all_after += after
        all_same = all_same and same
        b, a = statistics.median(before), statistics.median(after)
        print(f"  {instance.id:<40} {instance.language.value:<10} {b:11.2f} {a:11.2f} "
              f"{a / b:7.2f}   {'yes' if same else 'NO'}")
    b, a = statistics.median(all_before), statistics.median(all_after)
    print(f"all samples (median)                                 {b:11.2f} {a:11.2f} "
          f"{a / b:7.2f}   {'yes' if all_same else 'NO'}")
    print(f"sum of sample seconds: one after the other {sum(all_before):.1f}, at once "
          f"{sum(all_after):.1f} (ratio {sum(all_after) / sum(all_before):.2f})")
    print(f"load average (1/5/15 min) after: {_load()}")


if __name__ == "__main__":
    main()
