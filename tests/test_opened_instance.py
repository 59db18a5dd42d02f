"""`open_instance` is called by every sample's solver and scorer: an instance pinned to an exact
commit is opened once per process, one whose source can change is opened every time."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from asebench.dataset.schema import GitSource, Instance, LocalSource, Location
from asebench.opened_instance import open_instance

CODE = "import os\n\n\ndef run(name):\n    os.system('cat ' + name)\n    return 0\n"
GOLD = "    os.system('cat ' + name.strip())\n"


def _git_repo(path: Path) -> str:
    """A one-commit repository holding `tool.py`; its full commit sha."""
    path.mkdir()
    (path / "tool.py").write_text(CODE)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    subprocess.run(["git", "-C", str(path), "add", "."], check=True)
    subprocess.run(["git", "-C", str(path), "-c", "user.name=t", "-c", "user.email=t@t",
                    "commit", "-qm", "vulnerable"], check=True)
    return subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASEBENCH_CACHE", str(tmp_path / "cache"))


def _instance(source: GitSource | LocalSource) -> Instance:
    return Instance(id="cat", cwe="CWE-78", language="python", source=source,
                    locations=[Location(file="tool.py", start=5, end=5, gold=GOLD)])


def test_an_instance_at_a_full_commit_sha_is_opened_once(tmp_path: Path) -> None:
    sha = _git_repo(tmp_path / "repo")
    instance = _instance(GitSource(url=str(tmp_path / "repo"), rev=sha))
    first, again = open_instance(instance), open_instance(instance.model_copy())
    assert again[1] is first[1] and again[0] == first[0]


def test_a_local_folder_is_opened_afresh_and_its_edits_are_seen(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "tool.py").write_text(CODE)
    instance = _instance(LocalSource(path=str(project)))
    before = open_instance(instance)
    (project / "tool.py").write_text(CODE.replace("cat ", "head "))
    after = open_instance(instance)
    assert after[0].digest != before[0].digest
    assert "head " in after[1].reference_answer("vulnerable")
