"""`locations[].gold_patch`: lines written here over the gold derived from the fix, applied when
the source is fetched; a patch that does not apply, or one beside a written gold, is a one-line
problem naming instance, file and field."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from asebench.dataset.errors import DatasetError
from asebench.dataset.native import load_instance
from asebench.lint import lint_dataset
from asebench.preflight import check_instance
from asebench.report.gold_review import gold_entries

if TYPE_CHECKING:
    from conftest import FixtureRepo

# the fix commit checks for "..", which misses an absolute path: the gold written here adds it
PATCH = (
    "--- gold derived from the fix\n"
    "+++ gold written here\n"
    "@@ -1,3 +1,3 @@\n"
    "-    if '..' in path:\n"
    "+    if '..' in path or path.startswith('/'):\n"
    "         raise ValueError(path)\n"
    "     return open(path).read()\n"
)
GOLD = ("    if '..' in path or path.startswith('/'):\n        raise ValueError(path)\n"
        "    return open(path).read()\n")


def _write(root: Path, repo: FixtureRepo, location: dict[str, Any], patch: str = PATCH,
           *, fixed: bool = True, name: str = "files") -> Path:
    """An instance folder `root/NAME` (`root` holds `repo` too: the dataset folder) over
    `repo`, whose one location is `location`."""
    instance = root / name
    (instance / "gold").mkdir(parents=True)
    (instance / "gold" / "1.patch").write_text(patch)
    source = {"kind": "git", "url": f"../{repo.path.relative_to(root)}", "rev": repo.vulnerable}
    if fixed:
        source["fixed_rev"] = repo.fix
    record = {"id": name, "cwe": "CWE-22", "language": "python",
              "description": "Reads a file.", "source": source,
              "locations": [{"file": "app/files.py", **location}]}
    (instance / "instance.yaml").write_text(yaml.safe_dump(record, sort_keys=False))
    return instance


def test_the_patch_applies_to_the_gold_derived_from_the_fix_commit(
    tmp_path: Path, repo: FixtureRepo
) -> None:
    instance = load_instance(_write(tmp_path, repo, {"start": 2, "end": 2,
                                                     "gold_patch": "gold/1.patch"}),
                             dataset_root=tmp_path)
    assert instance.locations[0].gold_patch == "gold/1.patch"
    checked = check_instance(instance)
    assert checked.problems == []
    [location] = checked.instance.locations
    assert (location.gold, location.gold_patch) == (GOLD, None)


def test_without_a_fix_the_patch_applies_to_the_vulnerable_region(
    tmp_path: Path, repo: FixtureRepo
) -> None:
    over_region = ("@@ -1 +1,3 @@\n+    if '..' in path or path.startswith('/'):\n"
                   "+        raise ValueError(path)\n     return open(path).read()\n")
    folder = _write(tmp_path, repo, {"start": 2, "end": 2, "gold_patch": "gold/1.patch"},
                    over_region, fixed=False)
    instance = load_instance(folder, dataset_root=tmp_path)
    checked = check_instance(instance)
    assert checked.problems == []
    assert [n for n in checked.notes if n.field == "locations.0.gold"] == []
    assert checked.instance.locations[0].gold == GOLD
    [entry], _ = gold_entries(instance)
    assert entry.origin == "written here (gold_patch gold/1.patch over the vulnerable lines 2-2)"


def test_a_patch_that_does_not_apply_is_one_problem_naming_instance_file_and_field(
    tmp_path: Path, repo: FixtureRepo
) -> None:
    stale = PATCH.replace("-    if '..' in path:", "-    if '..' in str(path):")
    folder = _write(tmp_path, repo, {"start": 2, "end": 2, "gold_patch": "gold/1.patch"},
                    stale)
    report = lint_dataset(str(tmp_path))
    [problem] = report.problems
    assert (problem.instance, problem.file, problem.field) == (
        "files", folder / "gold" / "1.patch", "locations.0.gold_patch")
    assert "\n" not in str(problem)
    assert problem.message == (
        f"gold/1.patch does not apply to the gold derived from the fix {repo.fix}: hunk 1 "
        "(@@ -1,3 +1,3 @@) does not apply: line 1 of the gold is \"    if '..' in path:\", "
        "the patch expects \"    if '..' in str(path):\"")


@pytest.mark.parametrize("written", [{"gold_file": "gold/1.py"}, {"gold": "    return 1\n"}])
def test_a_gold_patch_beside_a_written_gold_is_refused_at_load(
    tmp_path: Path, repo: FixtureRepo, written: dict[str, str]
) -> None:
    folder = _write(tmp_path, repo, {"start": 2, "end": 2, "gold_patch": "gold/1.patch",
                                     **written})
    (folder / "gold" / "1.py").write_text("    return 1\n")
    with pytest.raises(DatasetError) as raised:
        load_instance(folder, dataset_root=tmp_path)
    [problem] = raised.value.problems
    assert (problem.instance, problem.field) == ("files", "locations.0.gold_patch")
    assert problem.message.startswith(f"cannot go with {next(iter(written))}: the patch "
                                      "applies to the gold derived from the fix")


def test_a_malformed_or_missing_patch_is_refused_at_load_without_fetching(
    tmp_path: Path, repo: FixtureRepo
) -> None:
    _write(tmp_path, repo, {"start": 2, "end": 2, "gold_patch": "gold/1.patch"},
           "not a diff\n", name="bad")
    _write(tmp_path, repo, {"start": 2, "end": 2, "gold_patch": "gold/2.patch"},
           name="missing")
    bad, missing = lint_dataset(str(tmp_path), fetch=False).problems
    assert (bad.instance, bad.field, bad.message) == (
        "bad", "locations.0.gold_patch",
        "gold/1.patch: line 1: expected a hunk header '@@ -a,b +c,d @@', got 'not a diff'")
    assert (missing.instance, missing.field) == ("missing", "locations.0.gold_patch")
    assert "no such file" in missing.message
