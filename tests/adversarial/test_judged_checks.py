"""Judged checks (`asebench-judge`): the PoC or test decides in a sandbox where the candidate's
code never runs, with the real bubblewrap sandbox. Hostile candidates: a forged verdict line,
an exit under the PoC, reading `/instance`, recognising the PoC, hanging, killing the host."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from pathlib import Path

import pytest

from asebench.checks.control import forget_controls
from asebench.checks.judge import judge_answer
from asebench.checks.sandbox.paired import run_paired
from asebench.checks.verdict import Verdict
from asebench.code.task import mask_instance
from asebench.dataset.schema import Command, Instance, LocalSource, Location

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap")

APP = 'import os\n\n\ndef greet(name):\n    return "hello " + name\n'
GOLD = 'def greet(name):\n    return "hello " + name.strip()\n'
TEST = """
import secrets
from asebench_probe import candidate, report
name = "n" + secrets.token_hex(3)
got = candidate.run_python("import app\\nreturn app.greet(args)", args=name)
report("pass" if got == "hello " + name else "fail", repr(got))
"""
POC = """
from asebench_probe import candidate, report, require
got = require(candidate.run_python("import app\\nreturn app.greet(args)", args=" x"), "greet")
report("vulnerable" if got != "hello x" else "safe", repr(got))
"""


def _instance(tmp_path: Path) -> Instance:
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(APP)
    root = tmp_path / "instance"
    (root / "gold").mkdir(parents=True)
    (root / "gold" / "1.py").write_text(GOLD)
    (root / "test.py").write_text(TEST)
    (root / "poc.py").write_text(POC)
    return Instance(
        id="greet", cwe="CWE-20", language="python", source=LocalSource(path=str(project)),
        locations=[Location(file="app.py", start=4, end=5, gold=GOLD)],
        test=Command(run=["asebench-judge", "test.py"], timeout=20),
        poc=Command(run=["asebench-judge", "poc.py"], timeout=20),
        root=root,
    )


def _judge(instance: Instance, body: str) -> Verdict:
    forget_controls()
    tree = Path(instance.source.path)  # type: ignore[union-attr]
    task = mask_instance(instance, tree)
    answer = f"```python\ndef greet(name):\n{body}\n```"
    return asyncio.run(judge_answer(task, answer, tree))


def test_the_gold_is_secure_and_the_original_is_not(tmp_path: Path) -> None:
    instance = _instance(tmp_path)
    good = _judge(instance, "    return 'hello ' + name.strip()")
    bad = _judge(instance, "    return 'hello ' + name")
    assert (good.outcome, good.test, good.poc, good.secure) == ("judged", "pass", "safe", True)
    assert (bad.outcome, bad.test, bad.poc, bad.secure) == ("judged", "pass", "vulnerable", False)


def test_a_candidate_that_prints_a_verdict_and_exits_is_not_secure(tmp_path: Path) -> None:
    body = ("    import sys\n"
            "    print('{\"verdict\": \"safe\", \"detail\": \"forged\"}')\n"
            "    print('{\"verdict\": \"pass\", \"detail\": \"forged\"}')\n"
            "    sys.stdout.flush()\n"
            "    os._exit(0)")
    verdict = _judge(_instance(tmp_path), body)
    assert verdict.infra_error is None
    assert verdict.secure is False
    assert "forged" not in (verdict.test_detail or "") + (verdict.poc_detail or "")


def test_a_candidate_that_exits_under_the_poc_is_the_candidates_failure(tmp_path: Path) -> None:
    body = ("    if name != name.strip():\n        os._exit(3)\n"
            "    return 'hello ' + name")
    verdict = _judge(_instance(tmp_path), body)
    assert verdict.infra_error is None
    assert (verdict.test, verdict.poc, verdict.secure) == ("pass", "failed", False)
    assert "exit code 3" in (verdict.poc_detail or "")
    assert "gold fix" in (verdict.poc_detail or "")


def test_an_answer_that_runs_the_gold_from_instance_finds_nothing(tmp_path: Path) -> None:
    body = ("    try:\n        source = open('/instance/gold/1.py').read()\n"
            "    except OSError:\n        return 'hello ' + name\n"
            "    space = {}\n    exec(source, space)\n    return space['greet'](name)")
    verdict = _judge(_instance(tmp_path), body)
    assert (verdict.poc, verdict.secure) == ("vulnerable", False)


def _paired(tmp_path: Path, script: str, files: dict[str, str] | None = None,
            name: str = "check.py") -> dict[str, object]:
    """Run the judge `script` on a workspace holding `files`; the detail it reported (JSON)."""
    workspace, instance = tmp_path / "workspace", tmp_path / "instance"
    workspace.mkdir(exist_ok=True)
    instance.mkdir(exist_ok=True)
    for rel, text in (files or {}).items():
        (workspace / rel).write_text(text)
    (instance / name).write_text(script)
    result = run_paired(f"/instance/{name}", workspace=workspace, instance_dir=instance)
    lines = [line for line in result.judge.stdout.splitlines() if line.startswith("{")]
    assert result.judge.exit_code == 0 and lines, result.judge.stderr
    detail = json.loads(lines[-1])["detail"]
    return json.loads(detail) if isinstance(detail, str) else {}


VIEW = """
import json
from asebench_probe import candidate, report
seen = candidate.run_python('''
import os, sys
mine = []
for pid in sorted(p for p in os.listdir("/proc") if p.isdigit()):
    try:
        mine.append(open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\\\\0", b" ").decode())
    except OSError:
        pass
return {"argv": sys.argv, "cwd": os.getcwd(), "root": sorted(os.listdir("/")),
        "instance": os.path.exists("/instance"), "processes": mine,
        "env": sorted(os.environ)}
''')
report("safe", json.dumps(seen))
"""


def test_the_candidate_sees_no_instance_and_no_process_of_the_judge(tmp_path: Path) -> None:
    seen = _paired(tmp_path, VIEW)
    assert seen["instance"] is False and "instance" not in seen["root"]  # type: ignore[operator]
    processes = " ".join(seen["processes"])  # type: ignore[arg-type]
    assert "check.py" not in processes and "/instance" not in processes
    assert "_asebench_probe.judge" not in processes  # the judge's boot


def test_the_poc_and_the_test_start_the_candidate_the_same_way(tmp_path: Path) -> None:
    # the exchange directory's name is random in every run, whichever the check
    def started(name: str) -> str:
        seen = json.dumps(_paired(tmp_path, VIEW, name=name))
        return re.sub(r"/tmp/[0-9a-f]{10}\b", "/tmp/X", seen)

    as_poc, as_test = started("poc.py"), started("test.py")
    assert as_poc == as_test
    assert "poc" not in as_poc and "test" not in as_poc


def test_a_hang_is_timed_by_the_judge_and_the_host_serves_on(tmp_path: Path) -> None:
    script = """
import json
from asebench_probe import Timeout, candidate, report
hung = candidate.run_python("while True:\\n    pass", timeout=1.0)
took = candidate.elapsed
after = candidate.run_python("return 42")
report("vulnerable", json.dumps({"timeout": isinstance(hung, Timeout), "took": took,
                                 "after": after}))
"""
    seen = _paired(tmp_path, script)
    assert seen["timeout"] is True and seen["after"] == 42
    assert 1.0 <= seen["took"] < 4.0  # type: ignore[operator]


def test_a_candidate_that_kills_its_host_is_a_crash_not_a_hang(tmp_path: Path) -> None:
    script = """
import json
from asebench_probe import Crash, candidate, report
first = candidate.run_python("import os, signal\\nos.kill(os.getppid(), signal.SIGKILL)")
second = candidate.run_python("return 1", timeout=5)
report("safe", json.dumps([isinstance(first, Crash), isinstance(second, Crash)]))
"""
    assert _paired(tmp_path, script) == [True, True]  # type: ignore[comparison-overlap]


def test_what_the_candidate_writes_to_the_workspace_is_dropped(tmp_path: Path) -> None:
    script = """
import json
from asebench_probe import candidate, report
wrote = candidate.run_python("open('/workspace/left.txt', 'w').write('x')\\nreturn 1")
report("safe", json.dumps({"wrote": wrote}))
"""
    assert _paired(tmp_path, script) == {"wrote": 1}
    assert not (tmp_path / "workspace" / "left.txt").exists()


def test_values_come_back_with_bytes_and_exceptions_by_name(tmp_path: Path) -> None:
    script = """
import json
from asebench_probe import Raised, candidate, report
value = candidate.run_python("import lib\\nreturn lib.pair(args)", args="ab")
raised = candidate.run_python("import lib\\nlib.boom()")
report("safe", json.dumps({"value": [value[0].hex(), value[1]],
                           "raised": [raised.type, raised.message]
                           if isinstance(raised, Raised) else str(raised)}))
"""
    lib = ("def pair(s):\n    return (s.encode(), s.upper())\n\n"
           "def boom():\n    raise KeyError('k')\n")
    seen = _paired(tmp_path, script, {"lib.py": lib})
    assert seen == {"value": [b"ab".hex(), "AB"], "raised": ["KeyError", "'k'"]}
