"""Evaluation cost per sample (insert + checks) against one bare `semgrep scan` of the same file.

On the Django 3.2 sdist: a region of `django/utils/html.py` is masked and answered with its own
code; we time (a) one bare `semgrep scan` of the file with the rule, (b) `judge_answer` for
one sample (answer fitting, syntax, py_compile, semgrep through its own process), and (c) N
samples judged together, whose semgrep runs are batched into one process. Prints medians and
ratios against (a). Run: `.venv/bin/python benchmarks/sample_cost.py [N]`.
"""

from __future__ import annotations

import ast
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from asebench.checks.judge import judge_answer, scan_now
from asebench.checks.static import SEMGREP_FLAGS, SemgrepBatcher, semgrep_executable
from asebench.code.task import mask_instance
from asebench.dataset.schema import Instance, Location, PypiSource
from asebench.sources.fetch import fetch_tree

RULE = """\
rules:
  - id: format-html-without-escape
    languages: [python]
    severity: WARNING
    message: HTML assembled with str.format
    pattern: mark_safe($X.format(...))
"""
FILE = "django/utils/html.py"


def _region(tree: Path) -> tuple[int, int]:
    module = ast.parse((tree / FILE).read_text())
    node = next(
        n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == "format_html"
    )
    assert node.end_lineno is not None
    return node.body[0].lineno + 1, node.end_lineno  # skip the docstring


def _median(times: list[float]) -> float:
    return statistics.median(times)


def main() -> None:
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    tree = fetch_tree(PypiSource(name="Django", version="3.2"))
    with tempfile.TemporaryDirectory() as tmp:
        rule = Path(tmp) / "rule.yaml"
        rule.write_text(RULE)
        start, end = _region(tree.root)
        instance = Instance(
            id="bench-django-format-html", cwe="CWE-79", language="python",
            source=PypiSource(name="Django", version="3.2"),
            locations=[Location(file=FILE, start=start, end=end)], rules=[rule],
        )
        task = mask_instance(instance, tree.root)
        answer = task.reference_answer("vulnerable")

        bare = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([semgrep_executable(), "scan", "--config", str(rule), "--json",
                            *SEMGREP_FLAGS, str(tree.root / FILE)], capture_output=True,
                           check=True)
            bare.append(time.perf_counter() - t0)

        single = []
        for _ in range(3):
            t0 = time.perf_counter()
            asyncio.run(judge_answer(task, answer, tree.root, scanner=scan_now, dynamic=False))
            single.append(time.perf_counter() - t0)

        async def batched() -> float:
            batcher = SemgrepBatcher()
            t0 = time.perf_counter()
            await asyncio.gather(*(
                judge_answer(task, answer, tree.root, scanner=batcher.scan, dynamic=False)
                for _ in range(batch)
            ))
            return (time.perf_counter() - t0) / batch

        per_batched = asyncio.run(batched())
    b, s = _median(bare), _median(single)
    print(f"source: Django 3.2 sdist, file {FILE}, region lines {start}-{end}")
    print(f"bare semgrep scan of the file:          {b * 1000:8.0f} ms")
    print(f"one sample (insert + checks):           {s * 1000:8.0f} ms   ratio {s / b:.2f}x")
    print(f"per sample, {batch} samples batched:       {per_batched * 1000:8.0f} ms   "
          f"ratio {per_batched / b:.2f}x")


if __name__ == "__main__":
    main()
