"""Static checks gathered into one semgrep process (`SemgrepBatcher`) decide exactly what
one process per sample decides: real semgrep, the test fixtures' gold and original answers
judged both ways."""

from __future__ import annotations

import asyncio
from pathlib import Path

from asebench.checks.judge import Scanner, judge_answer, scan_now
from asebench.checks.static import ScanRequest, SemgrepBatcher, scan_with_retry
from asebench.checks.verdict import Verdict
from asebench.code.regions import Span
from asebench.code.task import MaskedTask
from asebench.dataset.load import load_dataset
from asebench.opened_instance import open_instance

FIXTURES = Path(__file__).parents[1] / "fixtures" / "instances"
RULE = """\
rules:
  - id: shell-command
    languages: [python]
    severity: ERROR
    message: command run through a shell
    pattern: subprocess.run(..., shell=True, ...)
"""
CODE = "import subprocess\n\ndef go(x):\n    subprocess.run('ls ' + x, shell=True)\n"


def _samples() -> list[tuple[MaskedTask, Path, str]]:
    """(task, tree, answer) for every fixture's reference and vulnerable answers."""
    samples = []
    for instance in load_dataset(str(FIXTURES)).instances:
        tree, task = open_instance(instance)
        samples += [(task, tree.root, task.reference_answer(which))
                    for which in ("reference", "vulnerable")]
    return samples


def test_verdicts_are_the_same_with_and_without_batching() -> None:
    samples = _samples()
    batcher = SemgrepBatcher(window=1.0)

    async def judge_all(scanner: Scanner) -> list[Verdict]:
        return list(await asyncio.gather(*(
            judge_answer(task, answer, tree, scanner=scanner, dynamic=False)
            for task, tree, answer in samples)))

    alone = asyncio.run(judge_all(scan_now))
    together = asyncio.run(judge_all(batcher.scan))
    assert [v.model_dump() for v in together] == [v.model_dump() for v in alone]
    assert [v.secure for v in together] == [v.secure for v in alone]
    assert {v.secure for v in alone} == {True, False}  # both kinds of verdict were compared
    assert max(batcher.stats.sizes) > 1  # the samples really shared a semgrep process


def test_a_failing_batch_is_split_and_only_the_bad_sample_fails(tmp_path: Path) -> None:
    rule, broken = tmp_path / "rule.yaml", tmp_path / "broken.yaml"
    rule.write_text(RULE)
    broken.write_text("rules:\n  - id: y\n    languages: [python]\n    severity: ERROR\n"
                      "    message: m\n    pattern: 'foo(('\n")
    good = ScanRequest({"a.py": CODE}, [rule], {"a.py": [Span(4, 4)]})
    bad = ScanRequest({"a.py": CODE}, [broken], {"a.py": [Span(4, 4)]})
    results = scan_with_retry([good, good, bad, good, good])
    assert [r.error is None for r in results] == [True, True, False, True, True]
    assert [len(r.in_inserted) for r in results] == [1, 1, 0, 1, 1]
    assert results[2].findings == [] and "rule error" in (results[2].error or "")
