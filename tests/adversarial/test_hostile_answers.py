"""Hostile answers: text that is not text, suppression comments, floods, deep nesting, and a
C answer that includes host files — each a scored failure of the answer, never a crash, never
a leak, never a clean result."""

from __future__ import annotations

import asyncio
from pathlib import Path

from judge_project import greet_instance as _instance
from judge_project import judge_body as _judge

from asebench.checks.judge import judge_answer
from asebench.code.task import mask_instance
from asebench.dataset.schema import Instance, LocalSource, Location


def test_an_answer_with_a_lone_surrogate_is_an_answer_failure(tmp_path: Path) -> None:
    verdict = _judge(_instance(tmp_path), "    return 'hello \ud800' + name")
    assert verdict.outcome == "answer_failure" and verdict.secure is False
    assert "not valid UTF-8" in (verdict.answer_failure or "")


def test_a_suppression_comment_in_the_answer_does_not_hide_a_finding(tmp_path: Path) -> None:
    instance = _instance(tmp_path, rules=True)
    verdict = _judge(instance, '    return "hello " + name  # nosemgrep', dynamic=False)
    assert verdict.findings and verdict.secure is False


def test_an_answer_over_the_size_limit_is_an_answer_failure(tmp_path: Path) -> None:
    flood = "    return 'hello ' + name.strip()\n" + "    # padding\n" * 100_000
    verdict = _judge(_instance(tmp_path), flood)
    assert verdict.outcome == "answer_failure" and "limit" in (verdict.answer_failure or "")


def test_an_answer_nested_too_deeply_is_a_syntax_failure_not_a_crash(tmp_path: Path) -> None:
    deep = "    return " + "(" * 5000 + "name" + ")" * 5000
    verdict = _judge(_instance(tmp_path), deep)
    assert verdict.infra_error is None and verdict.syntax_errors and verdict.secure is False


C_SOURCE = ('#include <stdio.h>\n\nint greet(const char *name)\n{\n'
            '    return printf("hello %s\\n", name);\n}\n')


def test_a_c_answer_including_a_host_file_fails_its_check_without_showing_it(
        tmp_path: Path) -> None:
    project = tmp_path / "cproject"
    (project / "src").mkdir(parents=True)
    (project / "src" / "greet.c").write_text(C_SOURCE)
    secret = tmp_path / "secret.h"
    secret.write_text("int SECRET_CANARY_5d1e;\n")
    secret.chmod(0o600)
    instance = Instance(id="cgreet", cwe="CWE-20", language="c",
                        source=LocalSource(path=str(project)),
                        locations=[Location(file="src/greet.c", start=3, end=6)],
                        root=tmp_path / "instance")
    answer = (f'```c\n#include "{secret}"\nint greet(const char *name)\n{{\n'
              '    return printf("hello %s\\n", name);\n}\n```')

    verdict = asyncio.run(judge_answer(mask_instance(instance, project), answer, project,
                                       dynamic=False))

    [check] = verdict.toolchain
    assert (check.name, check.ran, check.ok) == ("gcc -fsyntax-only", True, False)
    assert "SECRET_CANARY" not in check.message and "No such file" in check.message
    assert verdict.infra_error is None and verdict.quality is False
