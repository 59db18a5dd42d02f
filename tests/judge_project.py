"""A tiny Python project to judge answers against (`greet(name)` must strip the name): its
instance with a test, a PoC and a semgrep rule, and `judge(instance, body)` through the real
judge, sandbox and semgrep. Shared by the judge's tests and the adversarial suite."""

from __future__ import annotations

import asyncio
from pathlib import Path

from asebench.checks.control import forget_controls
from asebench.checks.judge import judge_answer
from asebench.checks.verdict import Verdict
from asebench.code.task import mask_instance
from asebench.dataset.schema import Command, ContainerSpec, Instance, LocalSource, Location

APP = 'import os\n\n\ndef greet(name):\n    return "hello " + name\n'
GOLD = 'def greet(name):\n    return "hello " + name.strip()\n'
TEST = ("import app, json; ok = app.greet('x') == 'hello x'; "
        "print(json.dumps({'verdict': 'pass' if ok else 'fail'}))")
POC = ("import app, json; bad = app.greet(' x') != 'hello x'; "
       "print(json.dumps({'verdict': 'vulnerable' if bad else 'safe'}))")
RULE = """rules:
  - id: greet-without-strip
    languages: [python]
    severity: ERROR
    message: name is used as given
    pattern: '"hello " + name'
"""


def greet_instance(tmp_path: Path, *, test: str | None = TEST, poc: str | None = POC,
              gold: str | None = GOLD, rules: bool = False, timeout: float = 20,
              container: ContainerSpec | None = None) -> Instance:
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    (project / "app.py").write_text(APP)
    root = tmp_path / "instance"
    (root / "rules").mkdir(parents=True, exist_ok=True)
    (root / "rules" / "greet.yaml").write_text(RULE)
    return Instance(
        id="greet", cwe="CWE-20", language="python", source=LocalSource(path=str(project)),
        locations=[Location(file="app.py", start=4, end=5, gold=gold)],
        rules=[root / "rules" / "greet.yaml"] if rules else [],
        test=Command(run=["python3", "-c", test], timeout=timeout) if test else None,
        poc=Command(run=["python3", "-c", poc], timeout=timeout) if poc else None,
        container=container, root=root,
    )


def judge_body(instance: Instance, body: str, **options: object) -> Verdict:
    forget_controls()
    tree = Path(instance.source.path)  # type: ignore[union-attr]
    task = mask_instance(instance, tree)
    answer = f"```python\ndef greet(name):\n{body}\n```"
    return asyncio.run(judge_answer(task, answer, tree, **options))  # type: ignore[arg-type]
