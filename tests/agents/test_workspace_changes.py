"""What the agent changed in its workspace, against the masked project it started from."""

from __future__ import annotations

from pathlib import Path

from asebench.agents.workspace import workspace_changes
from asebench.code.task import MaskedTask, mask_file
from asebench.dataset.schema import Instance, LocalSource, Location

ORIGINAL = "def f(x):\n    return x\n\n\ndef g():\n    return f(1)\n"


def _setup(tmp_path: Path) -> tuple[Path, Path, MaskedTask]:
    base, workspace = tmp_path / "base", tmp_path / "workspace"
    for root in (base, workspace):
        (root / "pkg").mkdir(parents=True)
        (root / "pkg" / "mod.py").write_text(ORIGINAL)
        (root / "README").write_text("read me\n")
    instance = Instance(id="t", cwe="CWE-78", language="python", source=LocalSource(path="p"),
                        locations=[Location(file="pkg/mod.py", start=1, end=2)])
    task = MaskedTask(instance, [mask_file("pkg/mod.py", ORIGINAL, {1: (1, 2)}, "python")])
    (workspace / "pkg" / "mod.py").write_text(task.files[0].text)  # as the agent got it
    return base, workspace, task


def test_an_untouched_workspace_has_only_the_unanswered_masked_file_unchanged(
        tmp_path: Path) -> None:
    base, workspace, task = _setup(tmp_path)
    assert workspace_changes(base, workspace, task) == []


def test_edits_additions_and_deletions_are_recorded_with_diffs(tmp_path: Path) -> None:
    base, workspace, task = _setup(tmp_path)
    (workspace / "pkg" / "mod.py").write_text(
        task.files[0].text.replace("# <MASKED REGION 1>", "def f(x):\n    return x + 1"))
    (workspace / "pkg" / "new.py").write_text("import os\n")
    (workspace / "README").unlink()
    (workspace / "pkg" / "__pycache__").mkdir()
    (workspace / "pkg" / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0\1")
    changes = {c.path: c for c in workspace_changes(base, workspace, task)}
    assert {p: c.kind for p, c in changes.items()} == {
        "pkg/mod.py": "modified", "pkg/new.py": "added", "README": "deleted"}
    assert "-# <MASKED REGION 1>\n+def f(x):\n+    return x + 1\n" in changes["pkg/mod.py"].diff
    assert [(s.start, s.end) for s in changes["pkg/mod.py"].added] == [(1, 2)]
    assert changes["pkg/new.py"].diff.startswith("--- /dev/null\n+++ b/pkg/new.py")
    assert changes["README"].text is None
