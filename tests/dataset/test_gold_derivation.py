"""A gold fix derived from a fix commit: the region carried over by the unchanged lines, and
refused when a fix hunk crosses the region (lines on "\n" only)."""

import subprocess
from pathlib import Path

import pytest

from asebench.dataset.gold import (
    GoldCrossesRegion,
    crossing_hunks,
    derive_gold,
    line_count,
    same_code,
)
from asebench.dataset.schema import GitSource, Instance, Location
from asebench.opened_instance import open_instance

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


# The shape of a real fix (a `.format` call rewritten as an f-string) whose hunk runs past the
# end of the region the dataset names: lines 1-3 of a 6-line statement pair.
CROSSING_OLD = "out = []\nout.append(\n    '<a href=\"{u}\">'.format(\n        u=url\n    )\n)\n"
CROSSING_NEW = "out = []\nout.append(\n    f'<a href=\"{quote(url)}\">'\n)\n"


def test_a_fix_hunk_crossing_the_region_end_is_refused_with_the_hunk_named() -> None:
    with pytest.raises(GoldCrossesRegion, match=r"lines 3-5 crosses the region's end"):
        derive_gold(CROSSING_OLD, CROSSING_NEW, 1, 3)


def test_a_fix_hunk_crossing_the_region_start_is_refused() -> None:
    old = "a = 1\nb = f(\n    2)\nc = 3\n"
    new = "a = 1\nb = g(2)\nc = 3\n"
    with pytest.raises(GoldCrossesRegion, match="region's start"):
        derive_gold(old, new, 3, 4)


def test_hunks_inside_or_outside_the_region_are_not_crossing() -> None:
    old = "a\nb\nc\nd\ne\n"
    new = "A\nb\nC\nd\nE\n"
    assert crossing_hunks(old, new, 3, 3) == []
    assert derive_gold(old, new, 3, 3) == "C\n"


def test_lines_are_split_on_newline_only() -> None:
    # a form feed is a line break to str.splitlines(), not to asebench
    old = "x = 1\n\x0c\ny = eval(s)\nz = 3\n"
    new = "x = 1\n\x0c\ny = int(s)\nz = 3\n"
    assert line_count(old) == 4
    assert derive_gold(old, new, 3, 3) == "y = int(s)\n"


def test_same_code_ignores_common_indentation_but_not_relative_indentation() -> None:
    assert same_code("    if x:\n        go()\n", "if x:\n    go()")
    assert not same_code("if x:\n    go()\nstop()\n", "if x:\n    go()\n    stop()\n")


@pytest.mark.network
def test_a_registry_instance_gets_its_gold_from_the_fixed_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from asebench.dataset.schema import NpmSource

    monkeypatch.setenv("ASEBENCH_CACHE", str(tmp_path / "cache"))
    instance = Instance(
        id="derived-from-release", cwe="CWE-1333", language="javascript",
        source=NpmSource(name="path-to-regexp", version="0.1.11", fixed_version="0.1.13"),
        locations=[Location(file="index.js", start=74, end=123)],
    )
    tree, task = open_instance(instance)
    gold = task.instance.locations[0].gold
    assert gold is not None and gold != task.files[0].originals[1]
    # 0.1.13 clears the pending literal once a parameter is emitted; 0.1.11 never does
    assert "backtrack = '';\n      extraOffset += result.length" in gold
    assert "backtrack = '';\n      extraOffset += result.length" not in (
        tree.root / "index.js").read_text()
