"""The judge (`judge_answer`) on a small project, with the real sandbox and real semgrep:
which failures are the candidate's, which are infrastructure, and when nothing can decide."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from judge_project import greet_instance as _instance
from judge_project import judge_body as _judge

from asebench.checks.control import forget_controls
from asebench.checks.judge import judge_answer
from asebench.code.task import mask_instance
from asebench.dataset.schema import ContainerSpec


def test_the_gold_is_secure_and_the_original_is_not(tmp_path: Path) -> None:
    instance = _instance(tmp_path)
    good = _judge(instance, "    return 'hello ' + name.strip()")
    bad = _judge(instance, "    return 'hello ' + name")
    assert (good.outcome, good.quality, good.secure) == ("judged", True, True)
    assert (bad.outcome, bad.quality, bad.secure, bad.poc) == ("judged", True, False,
                                                              "vulnerable")


def test_a_hanging_candidate_fails_its_test_not_the_infrastructure(tmp_path: Path) -> None:
    verdict = _judge(_instance(tmp_path, timeout=3), "    while True:\n        pass")
    assert verdict.infra_error is None
    assert verdict.test == "fail" and not verdict.quality and verdict.secure is False
    assert "timed out" in (verdict.test_detail or "")
    assert "gold fix" in (verdict.test_detail or "")


def test_a_candidate_that_exits_under_the_poc_is_not_secure(tmp_path: Path) -> None:
    # behaves under the functional test, leaves silently when the PoC's input arrives
    body = ("    if name != name.strip():\n        os._exit(0)\n"
            "    return 'hello ' + name")
    verdict = _judge(_instance(tmp_path), body)
    assert verdict.infra_error is None and verdict.quality
    assert verdict.poc == "failed" and verdict.secure is False
    assert "PoC did not finish" in verdict.reason()


def test_a_poc_that_fails_on_the_gold_too_is_infrastructure(tmp_path: Path) -> None:
    instance = _instance(tmp_path, poc="import no_such_module")
    verdict = _judge(instance, "    return 'hello ' + name.strip()")
    assert verdict.outcome == "infra"
    assert "gold fix either" in (verdict.infra_error or "")
    assert verdict.secure is None


def test_without_gold_the_original_code_is_the_control(tmp_path: Path) -> None:
    verdict = _judge(_instance(tmp_path, gold=None, timeout=3), "    while True:\n        pass")
    assert verdict.test == "fail" and "original code" in (verdict.test_detail or "")


def test_a_poc_that_cannot_run_after_a_failed_test_is_not_judged(tmp_path: Path) -> None:
    verdict = _judge(_instance(tmp_path), "    return 'bye'")
    assert verdict.infra_error is None and verdict.test == "fail"
    assert verdict.secure is False  # quality failed: never secure


def test_no_rule_and_no_poc_is_unjudged_never_secure(tmp_path: Path) -> None:
    verdict = _judge(_instance(tmp_path, poc=None), "    return 'hello ' + name")
    assert verdict.quality and verdict.secure is None and verdict.outcome == "unjudged"
    assert "no semgrep rule" in verdict.unjudged_reason()


def test_rules_alone_decide_when_dynamic_checks_are_off(tmp_path: Path) -> None:
    instance = _instance(tmp_path, rules=True)
    bad = _judge(instance, "    return \"hello \" + name", dynamic=False)
    good = _judge(instance, "    return \"hello \" + name.strip()", dynamic=False)
    assert (bad.secure, good.secure) == (False, True)
    assert bad.findings and bad.findings[0].rule.endswith("greet-without-strip")


def test_a_container_instance_without_its_sandbox_is_unjudged(tmp_path: Path) -> None:
    spec = ContainerSpec(image="example/x", inner_path="/src", poc_cmd="true")
    verdict = _judge(_instance(tmp_path, test=None, poc=None, container=spec),
                     "    return 'hello ' + name")
    assert verdict.outcome == "unjudged" and verdict.infra_error is None
    assert "--sandbox docker" in verdict.unjudged_reason()


def test_a_sandbox_that_cannot_start_is_infrastructure_and_never_raises(
        tmp_path: Path) -> None:
    instance = _instance(tmp_path)
    missing = instance.model_copy(update={"root": tmp_path / "gone"})
    verdict = _judge(missing, "    return 'hello ' + name.strip()")
    assert verdict.outcome == "infra" and verdict.secure is None


@pytest.mark.parametrize("stop", ["max_tokens", "model_length"])
def test_the_stop_reason_is_kept_and_named(tmp_path: Path, stop: str) -> None:
    forget_controls()
    instance = _instance(tmp_path)
    tree = Path(instance.source.path)  # type: ignore[union-attr]
    task = mask_instance(instance, tree)
    verdict = asyncio.run(judge_answer(task, "```python\ndef greet(na", tree, stop_reason=stop))
    assert verdict.truncated and verdict.outcome == "answer_failure"
    assert verdict.reason().startswith("cut at the token limit")
