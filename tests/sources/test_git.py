"""Git sources: any revision spelling resolves, and the tree holds no history and no fix."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from asebench.dataset.schema import GitSource
from asebench.sources import SourceError, fetch_file_at, fetch_fixed_tree, fetch_tree
from asebench.sources.git import mirror_path

if TYPE_CHECKING:
    from conftest import FixtureRepo


def _source(repo: FixtureRepo, rev: str) -> GitSource:
    return GitSource(url=str(repo.path), rev=rev, fixed_rev=repo.fix)


@pytest.mark.parametrize(
    "spelling",
    ["full", "short", "tag", "fix^", "fix~", "fix~1"],
)
def test_every_revision_spelling_resolves_to_the_vulnerable_commit(
    repo: FixtureRepo, spelling: str
) -> None:
    rev = {
        "full": repo.vulnerable,
        "short": repo.vulnerable[:7],
        "tag": "v1.0",
        "fix^": f"{repo.fix}^",
        "fix~": f"{repo.fix}~",
        "fix~1": f"{repo.fix[:10]}~1",
    }[spelling]
    assert fetch_tree(_source(repo, rev)).digest == repo.vulnerable


def test_tree_holds_the_vulnerable_file_and_no_git_directory(repo: FixtureRepo) -> None:
    tree = fetch_tree(_source(repo, "v1.0"))
    assert (tree.root / "app" / "files.py").read_text() == repo.vulnerable_text
    assert sorted(p.name for p in tree.root.iterdir()) == ["README", "app"]
    assert not any(p.name == ".git" for p in tree.root.rglob("*"))


def test_fix_content_is_nowhere_in_the_tree(repo: FixtureRepo) -> None:
    tree = fetch_tree(_source(repo, f"{repo.fix}^"))
    for path in tree.root.rglob("*"):
        if path.is_file():
            assert "raise ValueError" not in path.read_text()


def test_tree_is_read_only(repo: FixtureRepo) -> None:
    tree = fetch_tree(_source(repo, "v1.0"))
    assert (tree.root / "app" / "files.py").stat().st_mode & 0o777 == 0o444
    assert (tree.root / "app").stat().st_mode & 0o777 == 0o555


def test_second_fetch_is_served_after_the_origin_is_deleted(repo: FixtureRepo) -> None:
    first = fetch_tree(_source(repo, "v1.0"))
    shutil.rmtree(repo.path)
    again = fetch_tree(_source(repo, "v1.0"))
    by_sha = fetch_tree(_source(repo, repo.vulnerable))
    assert again == first == by_sha


def test_mirror_is_cloned_once(repo: FixtureRepo) -> None:
    fetch_tree(_source(repo, "v1.0"))
    mirror = mirror_path(str(repo.path))
    marker = os.stat(mirror).st_ino
    fetch_tree(_source(repo, f"{repo.fix}^"))
    fetch_file_at(_source(repo, "v1.0"), repo.fix, "app/files.py")
    assert os.stat(mirror).st_ino == marker


def test_new_commits_in_the_origin_are_fetched_when_asked_for(repo: FixtureRepo) -> None:
    fetch_tree(_source(repo, "v1.0"))
    later = repo.commit_file("NEWS", "later\n")
    assert (fetch_tree(_source(repo, later)).root / "NEWS").read_text() == "later\n"


def test_file_at_the_fix_commit_is_read_from_the_mirror(repo: FixtureRepo) -> None:
    source = _source(repo, "v1.0")
    assert fetch_file_at(source, repo.fix, "app/files.py") == repo.fixed_text


def test_fixed_tree_is_a_separate_tree(repo: FixtureRepo) -> None:
    fixed = fetch_fixed_tree(_source(repo, "v1.0"))
    assert fixed.digest == repo.fix
    assert (fixed.root / "app" / "files.py").read_text() == repo.fixed_text


def test_relative_url_is_taken_from_the_instance_directory(repo: FixtureRepo) -> None:
    source = GitSource(url="origin", rev="v1.0")
    assert fetch_tree(source, instance_root=repo.path.parent).digest == repo.vulnerable


def test_unknown_revision_names_the_source_and_command(repo: FixtureRepo) -> None:
    with pytest.raises(SourceError) as caught:
        fetch_tree(_source(repo, "v9.9"))
    assert caught.value.source == f"{repo.path}@v9.9"
    assert caught.value.command is not None
    assert "rev-parse" in caught.value.command


def test_unreachable_url_carries_the_clone_stderr(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-repo"
    with pytest.raises(SourceError) as caught:
        fetch_tree(GitSource(url=str(missing), rev="main"))
    assert caught.value.command is not None and caught.value.command[:2] == ["git", "clone"]
    assert "no-such-repo" in caught.value.stderr
