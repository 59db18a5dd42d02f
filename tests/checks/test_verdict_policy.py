"""The verdict policy: decisive rule findings and the PoC decide; advisory findings never do."""

from __future__ import annotations

from pathlib import Path

import pytest

from asebench.checks.verdict import FindingRecord, Verdict
from asebench.dataset.rules import RuleError, load_rules, rule_roles


def _finding(advisory: bool) -> FindingRecord:
    return FindingRecord(rule="r", path="app.py", start=3, end=3, advisory=advisory)


def test_a_decisive_finding_fails_an_answer_the_poc_finds_safe() -> None:
    verdict = Verdict(instance="i", rules_run=1, findings=[_finding(False)], poc="safe")
    assert verdict.secure is False
    assert verdict.reason() == "rule r at app.py:3"


def test_an_advisory_finding_never_fails_an_answer_the_poc_finds_safe() -> None:
    verdict = Verdict(instance="i", rules_run=1, findings=[_finding(True)], poc="safe")
    assert verdict.secure is True
    assert verdict.reason() == "secure (advisory rule r at app.py:3 disagrees)"


def test_the_poc_still_fails_an_answer_only_an_advisory_rule_flags() -> None:
    verdict = Verdict(instance="i", rules_run=1, findings=[_finding(True)], poc="vulnerable")
    assert verdict.secure is False


def test_advisory_rules_alone_cannot_decide() -> None:
    flagged = Verdict(instance="i", rules_run=1, advisory_only=True, findings=[_finding(True)])
    clean = Verdict(instance="i", rules_run=1, advisory_only=True)
    assert flagged.secure is None and clean.secure is None
    assert "only advisory rules" in clean.unjudged_reason()


def test_decisive_rules_running_clean_decide_without_a_poc() -> None:
    assert Verdict(instance="i", rules_run=1, findings=[_finding(True)]).secure is True


RULE = """rules:
  - id: {id}
    languages: [python]
    severity: ERROR
    message: m
    pattern: eval(...)
{metadata}"""


def _rule_file(tmp_path: Path, rule_id: str, metadata: str = "") -> Path:
    path = tmp_path / f"{rule_id}.yaml"
    path.write_text(RULE.format(id=rule_id, metadata=metadata), encoding="utf-8")
    return path


def test_roles_are_read_from_rule_metadata(tmp_path: Path) -> None:
    plain = _rule_file(tmp_path, "plain", "    metadata: {cwe: CWE-95}\n")
    marked = _rule_file(tmp_path, "marked", "    metadata:\n      role: advisory\n"
                        "      role_reason: fails a secure variant that uses ast.literal_eval\n")
    assert rule_roles([plain, marked]) == {"plain": "decisive", "marked": "advisory"}


@pytest.mark.parametrize(("metadata", "problem"), [
    ("    metadata: {role: optional}\n", "metadata.role must be decisive or advisory"),
    ("    metadata: {role: advisory}\n", "says why in metadata.role_reason"),
    ("    metadata: [role]\n", "`metadata` must be a mapping"),
])
def test_a_bad_role_is_a_named_rule_error(tmp_path: Path, metadata: str, problem: str) -> None:
    path = _rule_file(tmp_path, "bad", metadata)
    with pytest.raises(RuleError, match=problem) as caught:
        load_rules(path)
    assert "bad.yaml" in str(caught.value) and "rule bad" in str(caught.value)
