"""The leakage audit's parts: which lines tell the fix, finding them, counting hits."""

from __future__ import annotations

from pathlib import Path

import anyio

from asebench.agents.audit import Leak, audit_instance, count_hits, telling_lines
from asebench.checks.sandbox.inspect_provider import BwrapSandboxConfig
from asebench.code.task import MaskedTask, mask_file
from asebench.dataset.schema import Instance, LocalSource, Location

VULNERABLE = ("import subprocess\n\n\n"
              "def run(name):\n"
              "    return subprocess.call('ls ' + name, shell=True)\n")
GOLD = ("def run(name):\n"
        "    if name.startswith('-'):\n"
        "        raise ValueError('an option is not a name')\n"
        "    return subprocess.call(['ls', '--', name])\n")


def _project(tmp_path: Path, extra: dict[str, str]) -> tuple[Path, MaskedTask]:
    tree = tmp_path / "project"
    tree.mkdir()
    (tree / "app.py").write_text(VULNERABLE)
    for name, text in extra.items():
        (tree / name).write_text(text)
    instance = Instance(id="demo", cwe="CWE-78", language="python",
                        source=LocalSource(path="project"),
                        locations=[Location(file="app.py", start=4, end=5, gold=GOLD)])
    return tree, MaskedTask(instance, [mask_file("app.py", VULNERABLE, {1: (4, 5)}, "python")])


def test_telling_lines_leave_out_short_lines_and_lines_the_project_holds(tmp_path: Path) -> None:
    tree, task = _project(tmp_path, {"util.py": "    if name.startswith('-'):\n"})
    assert telling_lines(task, tree) == ["raise ValueError('an option is not a name')",
                                         "return subprocess.call(['ls', '--', name])"]


def test_a_copy_of_the_fix_in_the_workspace_is_found_with_its_path(tmp_path: Path) -> None:
    tree, task = _project(tmp_path, {})
    lines = telling_lines(task, tree)
    (tree / "fixed_copy.py").write_text(GOLD)  # e.g. a vendored fixed release
    (tree / "one_line.py").write_text(f"    {lines[0]}\n")
    found = anyio.run(audit_instance, task, BwrapSandboxConfig(base=tree), lines)
    hits, coincidences = count_hits("demo", lines, found)
    assert hits == [Leak("demo", line, "/workspace/fixed_copy.py") for line in sorted(lines)]
    assert coincidences == [Leak("demo", lines[0], "/workspace/one_line.py")]


def test_the_masked_workspace_alone_holds_nothing(tmp_path: Path) -> None:
    tree, task = _project(tmp_path, {})
    lines = telling_lines(task, tree)
    assert anyio.run(audit_instance, task, BwrapSandboxConfig(base=tree), lines) == []
