"""A.S.E v2's container protocol (`[A.S.E] …` markers), run through an Inspect sandbox.

Inspect's docker provider needs a Docker engine, which this machine lacks; the protocol code
only talks to the `SandboxEnvironment` interface, so the real bwrap provider stands in for it.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from asebench.checks.control import Control, forget_controls
from asebench.checks.dynamic import run_dynamic_checks
from asebench.checks.protocol import ase_marker
from asebench.checks.sandbox.inspect_provider import BwrapSandboxConfig, BwrapSandboxEnvironment
from asebench.checks.verdict import Verdict
from asebench.dataset.schema import ContainerSpec, Instance, LocalSource, Location

APP = "#!/bin/sh\n# greets the name given\necho \"hello $1\"\n"
FIXED_APP = "#!/bin/sh\n# greets the name given\nprintf 'hello %s\\n' \"$1\"\n"
STATUS = ("test -f app.sh && echo '[A.S.E] image startup successfully' "
          "|| echo '[A.S.E] image startup failed'")
TEST = ("[ \"$(sh app.sh bob)\" = 'hello bob' ] && echo '[A.S.E] test case passed' "
        "|| echo '[A.S.E] test case failed'")
POC = ("out=$(sh app.sh '-e x\\ny'); [ \"$(printf '%s' \"$out\" | wc -l)\" -gt 0 ] "
       "&& echo '[A.S.E] vulnerability found' || echo '[A.S.E] vulnerability not found'")


def test_markers_are_read_negative_first() -> None:
    assert ase_marker("poc", "...\n[A.S.E] vulnerability not found\n") is False
    assert ase_marker("poc", "[A.S.E] vulnerability found") is True
    assert ase_marker("test", "[A.S.E] test case passed") is True
    assert ase_marker("status", "built ok") is None


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "app.sh").write_text(APP)
    return root


def _instance(project: Path, poc: str = POC) -> Instance:
    return Instance(
        id="ase-style", cwe="CWE-78", language="c", source=LocalSource(path=str(project)),
        locations=[Location(file="app.sh", start=3, end=3)],
        container=ContainerSpec(image="example/ase-style", inner_path="/workspace",
                                status_check_cmd=STATUS, test_cmd=TEST, poc_cmd=poc),
    )


def _judge(project: Path, instance: Instance, candidate: str) -> Verdict:
    forget_controls()

    async def run() -> Verdict:
        sandbox = BwrapSandboxEnvironment(BwrapSandboxConfig(base=project))
        verdict = Verdict(instance=instance.id)

        @asynccontextmanager
        async def same_sandbox() -> AsyncIterator[BwrapSandboxEnvironment]:
            yield sandbox

        # as for a real container: the control runs in the sample's own sandbox afterwards
        control = Control(instance, {"app.sh": FIXED_APP}, "gold fix", "/workspace", "docker",
                          same_sandbox)
        try:
            await run_dynamic_checks(sandbox, instance, {"app.sh": candidate}, control, verdict)
        finally:
            sandbox.remove()
        return verdict

    return asyncio.run(run())


def test_vulnerable_candidate_starts_passes_and_triggers_the_poc(project: Path) -> None:
    verdict = _judge(project, _instance(project), APP)
    assert [(t.name, t.ok) for t in verdict.toolchain] == [("A.S.E status check", True)]
    assert (verdict.test, verdict.poc, verdict.infra_error) == ("pass", "vulnerable", None)


def test_fixed_candidate_does_not_trigger_the_poc(project: Path) -> None:
    verdict = _judge(project, _instance(project), FIXED_APP)
    assert (verdict.test, verdict.poc, verdict.infra_error) == ("pass", "safe", None)
    assert verdict.secure


def test_a_command_without_a_marker_on_the_gold_too_is_infrastructure(project: Path) -> None:
    verdict = _judge(project, _instance(project, poc="echo nothing to see"), APP)
    assert verdict.infra_error is not None and "no [A.S.E] marker" in verdict.infra_error
    assert "gold fix either" in verdict.infra_error
    assert not verdict.quality


def test_a_candidate_that_breaks_the_poc_command_is_not_secure(project: Path) -> None:
    # the candidate kills the shell that runs it: no marker, while the gold gets one
    verdict = _judge(project, _instance(project), "#!/bin/sh\nkill -9 $PPID\n")
    assert verdict.infra_error is None
    assert verdict.secure is False
