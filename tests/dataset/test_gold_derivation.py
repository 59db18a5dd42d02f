"""A gold fix derived from a fix commit: the region carried over by the unchanged lines."""

import subprocess
from pathlib import Path

import pytest

from asebench.dataset.gold import derive_gold
from asebench.dataset.schema import GitSource, Instance, Location
from asebench.harness.prepare import open_instance

VULNERABLE = "import os\n\n\ndef run(name):\n    os.system('cat ' + name)\n    return 0\n"
FIXED = ("import os\nimport subprocess\n\n\ndef run(name):\n"
         "    subprocess.run(['cat', name], check=False)\n    return 0\n")


def test_region_moves_with_lines_added_above_it() -> None:
    gold = derive_gold(VULNERABLE, FIXED, 5, 5)
    assert gold == "    subprocess.run(['cat', name], check=False)\n"


def test_region_at_end_of_file() -> None:
    assert derive_gold("a\nb\nc\n", "a\nb\nC\nD\n", 3, 3) == "C\nD\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    git = ["git", "-C", str(path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    (path / "tool.py").write_text(VULNERABLE)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "vulnerable"], check=True)
    (path / "tool.py").write_text(FIXED)
    subprocess.run([*git, "commit", "-qam", "fix"], check=True)
    return path


def test_an_imported_instance_gets_its_gold_from_the_fix_commit(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASEBENCH_CACHE", str(tmp_path / "cache"))
    fix = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True,
                         text=True, check=True).stdout.strip()
    instance = Instance(
        id="imported", cwe="cwe-78", language="python",
        source=GitSource(url=str(repo), rev=f"{fix}^", fixed_rev=fix),
        locations=[Location(file="tool.py", start=5, end=5)],
    )
    tree, task = open_instance(instance)
    assert not (tree.root / ".git").exists()
    assert "subprocess.run(['cat', name]" in task.reference_answer("reference")
    assert "os.system('cat ' + name)" in task.reference_answer("vulnerable")
