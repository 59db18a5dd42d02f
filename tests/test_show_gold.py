"""`asebench validate --show-gold`: each location's gold and where it came from."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from asebench.cache import CACHE_ENV
from asebench.cli import main

VULNERABLE = "def read(path):\n    return open(path).read()\n\n\ndef size(path):\n    return 0\n"
FIXED = VULNERABLE.replace("    return open(path).read()\n",
                           "    if '..' in path:\n        raise ValueError(path)\n"
                           "    return open(path).read()\n")


def _git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    return subprocess.run([*command, *args], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A dataset with one git instance: location 0 derives its gold from the fix commit,
    location 1 has a gold file written here."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    root = tmp_path / "dataset"
    repo = root / "repo"
    repo.mkdir(parents=True)
    _git(repo, "init", "--quiet")
    (repo / "files.py").write_text(VULNERABLE)
    _git(repo, "add", ".")
    _git(repo, "commit", "--quiet", "-m", "vulnerable")
    (repo / "files.py").write_text(FIXED)
    _git(repo, "commit", "--quiet", "-am", "fix")
    instance = root / "files-traversal"
    (instance / "gold").mkdir(parents=True)
    (instance / "gold" / "2.py").write_text("def size(path):\n    return 1\n")
    record = {
        "id": "files-traversal", "cwe": "CWE-22", "language": "python",
        "description": "Reads a file.",
        "source": {"kind": "git", "url": "../repo", "rev": _git(repo, "rev-parse", "HEAD^"),
                   "fixed_rev": _git(repo, "rev-parse", "HEAD")},
        "locations": [{"file": "files.py", "start": 2, "end": 2},
                      {"file": "files.py", "start": 5, "end": 6, "gold_file": "gold/2.py"}],
    }
    (instance / "instance.yaml").write_text(yaml.safe_dump(record, sort_keys=False))
    return root


def test_show_gold_prints_derived_and_written_golds_with_their_origin(
    dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(dataset), "--show-gold"]) == 0
    out = capsys.readouterr().out
    fix = _git(dataset / "repo", "rev-parse", "HEAD")
    assert (f"== files-traversal locations.0: files.py lines 2-2; gold derived from the fix "
            f"{fix}\n    if '..' in path:\n        raise ValueError(path)\n"
            "    return open(path).read()\n") in out
    assert ("== files-traversal locations.1: files.py lines 5-6; gold written here "
            "(gold/2.py)\ndef size(path):\n    return 1\n") in out


def test_show_gold_names_the_gold_patch_over_the_derived_gold(
    dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    instance = dataset / "files-traversal"
    record = yaml.safe_load((instance / "instance.yaml").read_text())
    record["locations"][0]["gold_patch"] = "gold/1.patch"
    (instance / "instance.yaml").write_text(yaml.safe_dump(record, sort_keys=False))
    (instance / "gold" / "1.patch").write_text(
        "@@ -1 +1 @@\n-    if '..' in path:\n+    if '..' in path or path.startswith('/'):\n")
    assert main(["validate", str(dataset), "--show-gold"]) == 0
    fix = _git(dataset / "repo", "rev-parse", "HEAD")
    assert (f"== files-traversal locations.0: files.py lines 2-2; gold derived from the fix "
            f"{fix} + gold_patch gold/1.patch\n"
            "    if '..' in path or path.startswith('/'):\n        raise ValueError(path)\n"
            "    return open(path).read()\n") in capsys.readouterr().out
