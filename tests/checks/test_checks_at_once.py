"""The language's checker and the semgrep scan of a candidate run at the same time
(`judge.CHECKS_AT_ONCE`); the verdicts are the ones the two give one after the other (real
py_compile in the sandbox, real semgrep, real PoC and test)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from judge_project import greet_instance, judge_body

from asebench.checks import judge
from asebench.checks.judge import scan_now
from asebench.checks.static import ScanRequest, ScanResult

BODIES = {
    "gold": "    return 'hello ' + name.strip()",
    "vulnerable (rule and PoC)": '    return "hello " + name',
    "fails its test": "    return 'bye'",
    # parses (tree-sitter, ast) but py_compile rejects it: the checker fails, no dynamic check
    "fails the checker": "    global name\n    return 'hello ' + name.strip()",
}


@pytest.mark.parametrize("case", sorted(BODIES))
def test_verdicts_are_the_same_with_checks_at_once_or_one_after_the_other(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = greet_instance(tmp_path, rules=True)
    monkeypatch.setattr(judge, "CHECKS_AT_ONCE", False)
    one_after_the_other = judge_body(instance, BODIES[case])
    monkeypatch.setattr(judge, "CHECKS_AT_ONCE", True)
    at_once = judge_body(instance, BODIES[case])
    assert at_once.model_dump() == one_after_the_other.model_dump()
    assert at_once.toolchain and at_once.rules_run == 1  # both checks ran
    if case == "fails the checker":
        assert not at_once.toolchain[0].ok and at_once.poc is None
    if case.startswith("vulnerable"):
        assert at_once.findings and at_once.poc == "vulnerable"


def test_a_failed_scan_is_an_infrastructure_failure_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = greet_instance(tmp_path, rules=True)

    async def failing_scanner(request: ScanRequest) -> ScanResult:
        return ScanResult([], [], error="semgrep failed: exited 2 without a report")

    verdicts = {}
    for at_once in (False, True):
        monkeypatch.setattr(judge, "CHECKS_AT_ONCE", at_once)
        verdicts[at_once] = judge_body(instance, BODIES["gold"], scanner=failing_scanner)
    for verdict in verdicts.values():
        assert verdict.infra_error == "semgrep failed: exited 2 without a report"
        assert verdict.outcome == "infra" and verdict.secure is None
    assert verdicts[False].poc is None  # one after the other: no dynamic check after it
    assert verdicts[True].poc == "safe"  # at once: the PoC already ran, recorded, not scored


def test_the_poc_runs_while_the_scan_waits_for_its_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan is held until the PoC has run: at once, the sample still completes (the PoC
    does not wait for the scan); the verdict is the gold's."""
    instance = greet_instance(tmp_path, rules=True)
    seen: list[str] = []

    async def held_scanner(request: ScanRequest) -> ScanResult:
        for _ in range(600):  # the PoC and test of the sample run meanwhile
            if seen:
                break
            await asyncio.sleep(0.1)
        seen.append("scan after the PoC" if seen else "scan never saw the PoC")
        return await scan_now(request)

    real_dynamic = judge._dynamic

    async def recording_dynamic(*args: Any, **kwargs: Any) -> None:
        await real_dynamic(*args, **kwargs)
        seen.append("PoC done")

    monkeypatch.setattr(judge, "CHECKS_AT_ONCE", True)
    monkeypatch.setattr(judge, "_dynamic", recording_dynamic)
    verdict = judge_body(instance, BODIES["gold"], scanner=held_scanner)
    assert seen == ["PoC done", "scan after the PoC"]
    assert verdict.poc == "safe" and verdict.rules_run == 1 and not verdict.findings
