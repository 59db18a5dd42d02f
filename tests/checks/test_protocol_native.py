"""asebench's own protocol in a real bwrap sandbox: what is a verdict, what is infrastructure."""

import asyncio
from pathlib import Path

from asebench.checks.protocol import run_checks_in_sandbox
from asebench.checks.sandbox.inspect_provider import BwrapSandboxConfig, BwrapSandboxEnvironment
from asebench.checks.verdict import Verdict
from asebench.dataset.schema import Command, Instance, LocalSource, Location

FAIL = 'import json; print(json.dumps({"verdict": "fail", "detail": "broken"}))'
PASS = 'import json; print(json.dumps({"verdict": "pass"}))'
CRASH = "raise SystemExit('cannot even import the module')"


def _judge(tmp_path: Path, test: str, poc: str) -> Verdict:
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    (project / "app.py").write_text("x = 1\n")
    instance = Instance(
        id="native", cwe="CWE-78", language="python", source=LocalSource(path=str(project)),
        locations=[Location(file="app.py", start=1, end=1)],
        test=Command(run=["python3", "-c", test]), poc=Command(run=["python3", "-c", poc]),
    )

    async def run() -> Verdict:
        sandbox = BwrapSandboxEnvironment(BwrapSandboxConfig(base=project))
        verdict = Verdict(instance="native")
        try:
            await run_checks_in_sandbox(sandbox, instance, {"app.py": "x = 2\n"}, verdict)
        finally:
            sandbox.remove()
        return verdict

    return asyncio.run(run())


def test_a_crashing_poc_after_a_failed_test_is_a_scored_failure(tmp_path: Path) -> None:
    verdict = _judge(tmp_path, FAIL, CRASH)
    assert verdict.infra_error is None
    assert verdict.test == "fail" and not verdict.quality
    assert verdict.poc is None and (verdict.poc_detail or "").startswith("not judged")


def test_a_crashing_poc_after_a_passing_test_is_an_infrastructure_failure(tmp_path: Path) -> None:
    verdict = _judge(tmp_path, PASS, CRASH)
    assert verdict.infra_error is not None and verdict.infra_error.startswith("PoC:")
    assert "cannot even import the module" in verdict.infra_error
