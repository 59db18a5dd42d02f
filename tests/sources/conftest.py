"""Every source test gets its own empty cache, and a small real git repository when asked."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from asebench.cache import CACHE_ENV

VULNERABLE = "def read(path):\n    return open(path).read()\n"
FIXED = (
    "def read(path):\n"
    "    if '..' in path:\n"
    "        raise ValueError(path)\n"
    "    return open(path).read()\n"
)


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(root))
    return root


def git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    return subprocess.run(
        [*command, *args], check=True, capture_output=True, text=True
    ).stdout.strip()


@dataclass(frozen=True)
class FixtureRepo:
    """A repository with a vulnerable commit (tagged `v1.0`) followed by its fix."""

    path: Path
    vulnerable: str
    fix: str
    vulnerable_text: str = VULNERABLE
    fixed_text: str = FIXED

    def commit_file(self, name: str, text: str) -> str:
        """Add one more commit to the origin; returns its sha."""
        (self.path / name).write_text(text)
        git(self.path, "add", name)
        git(self.path, "commit", "--quiet", "-m", f"add {name}")
        return git(self.path, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> FixtureRepo:
    path = tmp_path / "origin"
    path.mkdir()
    git(path, "init", "--quiet", "--initial-branch=main")
    (path / "app").mkdir()
    (path / "app" / "files.py").write_text(VULNERABLE)
    (path / "README").write_text("demo\n")
    git(path, "add", ".")
    git(path, "commit", "--quiet", "-m", "vulnerable")
    git(path, "tag", "v1.0")
    vulnerable = git(path, "rev-parse", "HEAD")
    (path / "app" / "files.py").write_text(FIXED)
    git(path, "commit", "--quiet", "-am", "fix path traversal")
    return FixtureRepo(path, vulnerable, git(path, "rev-parse", "HEAD"))
