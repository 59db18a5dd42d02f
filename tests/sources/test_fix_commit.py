"""Gold from a git fix commit: derived per location, widened to whole syntax nodes when a fix
hunk crosses the region, rejected by name when it still does not fit, left None (never an
exception) when the fix cannot be read."""

from __future__ import annotations

import subprocess
from pathlib import Path

from asebench.code.syntax import check_syntax
from asebench.dataset.gold import replace_region
from asebench.dataset.schema import GitSource, Instance, Language, Location
from asebench.preflight import check_instance
from asebench.sources.fetch import fetch_tree
from asebench.sources.fix_commit import widen_to_syntax, with_derived_gold

# `.format` rewritten as an f-string: the fix hunk (lines 3-5) runs past a region of lines 1-3
LINKS_OLD = ("def links(url):\n    out = []\n    out.append(\n"
             "        '<a href=\"{u}\">'.format(\n            u=url\n        )\n    )\n"
             "    return out\n")
LINKS_NEW = ("def links(url):\n    out = []\n    out.append(\n"
             "        f'<a href=\"{quote(url)}\">'\n    )\n    return out\n")
# the fix opens a block in the region and closes it in a hunk of its own after the region
BLOCK_OLD = "int f(int p) {\n  int x = 1;\n  int y = 2;\n  return x + y;\n}\n"
BLOCK_NEW = "int f(int p) {\n  if (p) {\n  int x = 1;\n  int y = 2;\n  }\n  return x + y;\n}\n"


def git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def _repo(root: Path, name: str, before: str, after: str) -> tuple[Path, str]:
    """A repository whose second commit (the fix, returned) turns `before` into `after`."""
    root.mkdir()
    git(root, "init", "--quiet")
    (root / name).write_text(before)
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "vulnerable")
    (root / name).write_text(after)
    git(root, "commit", "--quiet", "-am", "fix")
    return root, git(root, "rev-parse", "HEAD")


def _instance(repo: Path, fix: str, language: str, *locations: Location) -> Instance:
    return Instance(id="demo", cwe="CWE-79", language=language,
                    source=GitSource(url=str(repo), rev=f"{fix}^", fixed_rev=fix),
                    locations=list(locations))


def test_a_crossing_hunk_widens_the_region_to_the_enclosing_statements(tmp_path: Path) -> None:
    repo, fix = _repo(tmp_path / "repo", "links.py", LINKS_OLD, LINKS_NEW)
    instance = _instance(repo, fix, "python", Location(file="links.py", start=2, end=4))
    tree = fetch_tree(instance.source)
    derived = with_derived_gold(instance, tree.root)
    assert derived.problems == [] and derived.notes == []
    location = derived.instance.locations[0]
    assert (location.start, location.end) == (2, 7)  # `out = []` through the closing `)`
    assert location.gold is not None and "quote(url)" in location.gold
    candidate = replace_region(LINKS_OLD, location.start, location.end, location.gold)
    assert check_syntax(candidate, Language.PYTHON, "links.py").ok
    assert derived.instance.metadata["widened_regions"] == ["locations.0: 2-4 -> 2-7"]


def test_a_gold_that_does_not_parse_in_place_rejects_the_instance_by_name(
    tmp_path: Path,
) -> None:
    repo, fix = _repo(tmp_path / "repo", "f.c", BLOCK_OLD, BLOCK_NEW)
    instance = _instance(repo, fix, "c", Location(file="f.c", start=2, end=2))
    derived = with_derived_gold(instance, fetch_tree(instance.source).root)
    [problem] = derived.problems
    assert (problem.instance, problem.field) == ("demo", "locations.0.gold")
    assert problem.file is not None and problem.file.name == "f.c"
    assert "does not parse in place" in problem.message


def test_widening_into_another_location_rejects_the_instance(tmp_path: Path) -> None:
    repo, fix = _repo(tmp_path / "repo", "links.py", LINKS_OLD, LINKS_NEW)
    instance = _instance(repo, fix, "python", Location(file="links.py", start=2, end=4),
                         Location(file="links.py", start=6, end=6, gold="        )\n"))
    derived = with_derived_gold(instance, fetch_tree(instance.source).root)
    assert [(p.field, "overlaps locations.0" in p.message) for p in derived.problems] == [
        ("locations.1", True)]


def test_a_fix_commit_that_cannot_be_read_leaves_the_gold_none_with_a_note(
    tmp_path: Path,
) -> None:
    repo, fix = _repo(tmp_path / "repo", "links.py", LINKS_OLD, LINKS_NEW)
    git(repo, "rm", "--quiet", "links.py")
    git(repo, "commit", "--quiet", "-m", "remove the file")
    gone = git(repo, "rev-parse", "HEAD")
    instance = Instance(id="demo", cwe="CWE-79", language="python",
                        source=GitSource(url=str(repo), rev=f"{fix}^", fixed_rev=gone),
                        locations=[Location(file="links.py", start=5, end=5)])
    derived = with_derived_gold(instance, fetch_tree(instance.source).root)
    assert derived.problems == []
    assert derived.instance.locations[0].gold is None
    assert [n.field for n in derived.notes] == ["locations.0.gold"]
    assert "no gold fix" in derived.notes[0].message


def test_widening_picks_the_smallest_whole_line_node() -> None:
    code = "def f(x):\n    if x:\n        a = g(\n            x)\n        return a\n    return 0\n"
    assert widen_to_syntax(code, Language.PYTHON, "f.py", 3, 4) == (3, 4)
    assert widen_to_syntax(code, Language.PYTHON, "f.py", 2, 4) == (2, 5)
    c_code = "int f(int x) {\n  if (x) {\n    g(x,\n      1);\n  }\n  return 0;\n}\n"
    assert widen_to_syntax(c_code, Language.C, "f.c", 3, 3) == (3, 4)
    assert widen_to_syntax(c_code, Language.C, "f.c", 4, 6) == (2, 6)


def test_a_region_past_the_end_of_the_file_is_left_to_the_preflight(tmp_path: Path) -> None:
    repo, fix = _repo(tmp_path / "repo", "links.py", LINKS_OLD, LINKS_NEW)
    assert widen_to_syntax(LINKS_OLD, Language.PYTHON, "links.py", 7, 40) == (3, 8)
    instance = _instance(repo, fix, "python", Location(file="links.py", start=30, end=31))
    checked = check_instance(instance)
    assert [(p.field, "ends past the end" in p.message) for p in checked.problems] == [
        ("locations.0.end", True)]
