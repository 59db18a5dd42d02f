"""The agent's sandbox view: the workspace, and nothing that gives the fix away."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from asebench.agents.sandbox_view import AgentSandboxEnvironment, package_dirs, visible_roots
from asebench.checks.sandbox.inspect_provider import BwrapSandboxConfig


def _run(config: BwrapSandboxConfig, commands: list[list[str]], *, agent: bool
         ) -> list[tuple[int, str]]:
    async def session() -> list[tuple[int, str]]:
        box = AgentSandboxEnvironment(config)
        try:
            if not agent:
                box.end_agent_phase()
            out = []
            for command in commands:
                done = await box.exec(command)
                out.append((done.returncode, done.stdout.strip()))
            return out
        finally:
            box.remove()

    return anyio.run(session)


def test_the_agent_writes_in_its_workspace(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    (project / "pkg" / "mod.py").write_text("x = 1\n")
    result = _run(BwrapSandboxConfig(base=project), [
        ["sh", "-c", "echo 'x = 2' > pkg/mod.py && cat pkg/mod.py"],
    ], agent=True)
    assert result == [(0, "x = 2")]
    assert (project / "pkg" / "mod.py").read_text() == "x = 1\n"  # the cached source is untouched


def test_the_instance_directory_appears_only_after_the_agent_phase(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "gold.txt").write_text("the fix\n")
    instance.chmod(0o755)
    (instance / "gold.txt").chmod(0o644)
    config = BwrapSandboxConfig(instance_dir=instance)
    look = [["sh", "-c", "cat /instance/gold.txt || echo unreadable"]]
    assert _run(config, look, agent=True) == [(0, "unreadable")]
    assert _run(config, look, agent=False) == [(0, "the fix")]


def test_installed_host_packages_are_hidden_from_the_agent() -> None:
    hidden = package_dirs(visible_roots(None))
    with_packages = [d for d in hidden if any(d.iterdir())]
    if not with_packages:
        pytest.skip("this host has no installed package directory to hide")
    listing = [["sh", "-c", f"ls -A {d} | wc -l"] for d in with_packages]
    assert all(out == "0" for _, out in _run(BwrapSandboxConfig(), listing, agent=True))
    assert all(out != "0" for _, out in _run(BwrapSandboxConfig(), listing, agent=False))


def test_the_interpreters_stay_for_the_agent() -> None:
    result = _run(BwrapSandboxConfig(), [["python", "-c", "import json; print(json.dumps(1))"]],
                  agent=True)
    assert result == [(0, "1")]
