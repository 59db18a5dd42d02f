"""The language's checker and the semgrep scan of a candidate run at the same time
(`judge.CHECKS_AT_ONCE`); the verdicts are the ones the two give one after the other (real
py_compile in the sandbox, real semgrep, real PoC and test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from judge_project import greet_instance, judge_body

from asebench.checks import judge

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
