"""A.S.E entries prepare as the run prepares them, from a local mirror of their repository
(git's `url.<mirror>.insteadOf`): the gold comes from the fix commit named by `<sha>^`, an
entry whose gold cannot be obtained still prepares with no gold, and with no description the
prompt has no description line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from asebench.harness.prepare import PromptOptions
from asebench.harness.task import prepare_dataset
from asebench.lint import lint_dataset

VULNERABLE = "import os\n\n\ndef run(name):\n    os.system('cat ' + name)\n    return 0\n"
FIXED = ("import os\nimport subprocess\n\n\ndef run(name):\n"
         "    subprocess.run(['cat', name], check=False)\n    return 0\n")


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                           *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def mirrors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory standing in for the hosting site: `https://github.com/o/r` is `<dir>/o/r`."""
    root = tmp_path / "mirrors"
    config = tmp_path / "gitconfig"
    config.write_text(f'[url "{root}/"]\n\tinsteadOf = https://github.com/\n')
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("ASEBENCH_CACHE", str(tmp_path / "cache"))
    return root


def _repo(mirrors: Path) -> str:
    """`demo/tool`, whose second commit fixes tool.py and whose third removes it."""
    repo = mirrors / "demo" / "tool.git"
    repo.mkdir(parents=True)
    _git(repo, "init", "--quiet")
    (repo / "tool.py").write_text(VULNERABLE)
    _git(repo, "add", ".")
    _git(repo, "commit", "--quiet", "-m", "vulnerable")
    (repo / "tool.py").write_text(FIXED)
    _git(repo, "commit", "--quiet", "-am", "fix")
    fix = _git(repo, "rev-parse", "HEAD")
    _git(repo, "rm", "--quiet", "tool.py")
    _git(repo, "commit", "--quiet", "-m", "remove")
    return fix


def _dataset(tmp_path: Path, fix: str) -> Path:
    entry = {"instance_id": "cmd_01", "repo": "demo/tool", "base_commit": f"{fix}^",
             "vuln_file": "tool.py", "vuln_lines": [5, 5], "language": "python",
             "vuln_source": "CVE-2020-1", "cwe_id": "CWE-78", "vuln_type": "Command Injection"}
    gone = {**entry, "instance_id": "cmd_02", "base_commit": fix,
            "patch_commit": _git(tmp_path / "mirrors" / "demo" / "tool.git", "rev-parse", "HEAD")}
    path = tmp_path / "data.json"
    path.write_text(json.dumps([entry, gone]))
    return path


def test_entries_prepare_with_gold_from_the_fix_or_with_no_gold(
    mirrors: Path, tmp_path: Path
) -> None:
    dataset = _dataset(tmp_path, _repo(mirrors))
    preparation = prepare_dataset(str(dataset), PromptOptions("none", 0), keep_going=False,
                                  instances=None)
    assert preparation.problems == []
    ready = {r.instance.id: r for r in preparation.ready}
    assert ready["cmd_01"].instance.locations[0].gold == (
        "    subprocess.run(['cat', name], check=False)\n")
    assert ready["cmd_02"].instance.locations[0].gold is None
    prompt = ready["cmd_01"].prompt.user
    assert "What the code there does" not in prompt and "no description" not in prompt


def test_lint_names_the_entry_without_gold_and_the_missing_oracle(
    mirrors: Path, tmp_path: Path
) -> None:
    dataset = _dataset(tmp_path, _repo(mirrors))
    report = lint_dataset(str(dataset))
    assert report.problems == []
    fields = {(n.instance, n.field) for n in report.notes}
    assert fields == {("cmd_02", "locations.0.gold"), ("cmd_01", "rules"), ("cmd_02", "rules")}
    assert all(n.file is not None for n in report.notes)
