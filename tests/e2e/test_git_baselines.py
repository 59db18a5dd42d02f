"""Every language as a small git repository: the vulnerable commit, then the fix commit.

Each fixture and synthetic instance is turned into a repo whose second commit applies the gold
fix; the instance then names `rev: <fix>^` and `fixed_rev: <fix>` and carries no gold at all,
so the reference answer is derived from the fix commit, as for an imported A.S.E v2 entry.
The reference baseline must score security 100 and the vulnerable baseline security 0.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from cli_runner import (
    FIXTURE_INSTANCES,
    SYNTHETIC_INSTANCES,
    instance_dirs,
    read_json,
    run_asebench,
)

SOURCES = [*instance_dirs(FIXTURE_INSTANCES), *instance_dirs(SYNTHETIC_INSTANCES)]


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                           *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _apply_gold(project: Path, record: dict[str, object], instance_dir: Path) -> None:
    locations = sorted(record["locations"], key=lambda loc: -loc["start"])  # type: ignore[index]
    for location in locations:
        path = project / location["file"]
        lines = path.read_text().splitlines(keepends=True)
        gold = (instance_dir / location["gold_file"]).read_text()
        lines[location["start"] - 1 : location["end"]] = [gold if gold.endswith("\n")
                                                          else gold + "\n"]
        path.write_text("".join(lines))


def as_git_instance(instance_dir: Path, root: Path) -> Path:
    """A copy of `instance_dir` whose source is a git repo holding the vulnerable and fixed
    commits, and whose locations carry no gold."""
    record = yaml.safe_load((instance_dir / "instance.yaml").read_text())
    repo = root / "dataset" / "repos" / instance_dir.name  # inside the dataset folder
    shutil.copytree(instance_dir / record["source"]["path"], repo)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "vulnerable")
    _apply_gold(repo, record, instance_dir)
    _git(repo, "commit", "-qam", "fix")
    fix = _git(repo, "rev-parse", "HEAD")
    target = root / "dataset" / instance_dir.name
    shutil.copytree(instance_dir, target, ignore=shutil.ignore_patterns("project", "gold"))
    record["source"] = {"kind": "git", "url": f"../repos/{instance_dir.name}", "rev": f"{fix}^",
                        "fixed_rev": fix}
    for location in record["locations"]:
        location.pop("gold_file", None)
    (target / "instance.yaml").write_text(yaml.safe_dump(record, sort_keys=False))
    return target


@pytest.fixture(scope="module")
def git_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("git-instances")
    for instance_dir in SOURCES:
        as_git_instance(instance_dir, root)
    return root / "dataset"


@pytest.mark.parametrize(("baseline", "security"), [("reference", 100.0), ("vulnerable", 0.0)])
def test_git_sourced_instances_score_as_their_baseline(
    git_dataset: Path, tmp_path: Path, baseline: str, security: float
) -> None:
    out = tmp_path / "scores.json"
    done = run_asebench("run", "--dataset", git_dataset, "--baseline", baseline, "--cycles", "1",
                        "--context", "none", "--no-dynamic", "--log-dir", tmp_path / "logs",
                        "--json", out)
    assert done.returncode == 0, done.stderr[-3000:]
    scores = read_json(out)
    languages = {s["verdict"]["instance"] for s in scores["samples"]}
    assert len(languages) == len(SOURCES)
    assert scores["security"] == security, [
        (s["instance"], s["reason"]) for s in scores["samples"]]
    assert scores["quality"] == 100.0
    assert set(scores["by_language"]) >= {"python", "javascript", "java", "go", "php", "c"}
