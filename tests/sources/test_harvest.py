"""`asebench dataset new`: from two versions of a file to an instance skeleton."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import FixtureRepo

from asebench.cli import main
from asebench.dataset.native import load_instance
from asebench.dataset.schema import (
    GitSource,
    GomodSource,
    Language,
    MavenSource,
    NpmSource,
    PypiSource,
)
from asebench.lint import lint_dataset
from asebench.sources.harvest import (
    PLACEHOLDER_CWE,
    TODO_FILE,
    HarvestError,
    Touched,
    harvest,
    parse_source,
    touched_locations,
)

SERVICE = """\
import os

LIMIT = 10


class Store:
    def __init__(self, root):
        self.root = root

    def read(self, name):
        path = os.path.join(self.root, name)
        with open(path) as stream:
            return stream.read()

    def size(self):
        return len(os.listdir(self.root))
"""


def test_a_change_inside_a_method_masks_the_whole_method() -> None:
    fixed = SERVICE.replace(
        "        path = os.path.join(self.root, name)\n",
        "        path = os.path.realpath(os.path.join(self.root, name))\n"
        "        if not path.startswith(self.root + os.sep):\n"
        "            raise ValueError(name)\n")
    assert touched_locations(SERVICE, fixed, "store.py", Language.PYTHON) == [
        Touched(10, 13, "function_definition read")]


def test_a_helper_added_between_definitions_is_an_insertion_point() -> None:
    fixed = SERVICE.replace(
        "\n\nclass Store:", "\n\ndef safe(name):\n    return name\n\n\nclass Store:",
    ).replace("self.root, name)", "self.root, safe(name))")
    assert touched_locations(SERVICE, fixed, "store.py", Language.PYTHON) == [
        Touched(4, 3, "insertion"), Touched(10, 13, "function_definition read")]


def test_a_change_outside_any_function_masks_the_statement_around_it() -> None:
    fixed = SERVICE.replace("LIMIT = 10", "LIMIT = 5")
    assert touched_locations(SERVICE, fixed, "store.py", Language.PYTHON) == [
        Touched(3, 3, "lines")]


def test_two_changes_in_one_function_give_one_location() -> None:
    fixed = SERVICE.replace("os.path.join", "os.path.normpath").replace(
        "return stream.read()", "return stream.read(LIMIT)")
    assert touched_locations(SERVICE, fixed, "store.py", Language.PYTHON) == [
        Touched(10, 13, "function_definition read")]


def test_a_javascript_function_assigned_to_a_property_is_named_by_it() -> None:
    vulnerable = ("'use strict';\n"
                  "exports.quote = function (s) {\n"
                  "  return \"'\" + s + \"'\";\n"
                  "};\n")
    fixed = vulnerable.replace('"\'" + s + "\'"', "\"'\" + s.replace(/'/g, \"'\\\\''\") + \"'\"")
    assert touched_locations(vulnerable, fixed, "index.js", Language.JAVASCRIPT) == [
        Touched(2, 4, "function_expression exports.quote")]


def test_an_unchanged_file_is_refused_naming_the_option() -> None:
    with pytest.raises(HarvestError, match=r"--file 'store\.py': the fixed version does not"):
        touched_locations(SERVICE, SERVICE, "store.py", Language.PYTHON)


def test_source_specs_of_every_kind_are_parsed() -> None:
    assert parse_source("pypi:sqlparse:0.4.1", "0.4.2") == PypiSource(
        name="sqlparse", version="0.4.1", fixed_version="0.4.2")
    assert parse_source("npm:@scope/pkg:1.0.0", "1.0.1") == NpmSource(
        name="@scope/pkg", version="1.0.0", fixed_version="1.0.1")
    assert parse_source("git:https://example.org/r.git:v1.0", "v1.1") == GitSource(
        url="https://example.org/r.git", rev="v1.0", fixed_rev="v1.1")
    assert parse_source("maven:org.jsoup:jsoup:1.15.2", "1.15.3") == MavenSource(
        group="org.jsoup", artifact="jsoup", version="1.15.2", fixed_version="1.15.3")
    assert parse_source("gomod:golang.org/x/net:v0.12.0", "v0.13.0") == GomodSource(
        module="golang.org/x/net", version="v0.12.0", fixed_version="v0.13.0")


@pytest.mark.parametrize(("spec", "message"), [
    ("cargo:serde:1.0", "unknown kind 'cargo'"),
    ("pypi:sqlparse", "expected pypi:NAME:VERSION"),
    ("pypi:bad name!:1.0", "--source 'pypi:bad name!:1.0'"),
    ("maven:org.jsoup:1.15.2", "expected maven:GROUP:ARTIFACT:VERSION"),
    ("gomod:golang.org/x/net:1.0", "--source 'gomod:golang.org/x/net:1.0'"),
])
def test_a_bad_source_spec_is_one_clear_error(spec: str, message: str) -> None:
    with pytest.raises(HarvestError, match=message):
        parse_source(spec, "2.0")


def test_a_git_fix_becomes_a_skeleton_that_lint_accepts_but_for_its_todos(
    repo: FixtureRepo, tmp_path: Path
) -> None:
    out = tmp_path  # the dataset folder, which holds the repository at `origin/`
    result = harvest(GitSource(url=str(repo.path), rev="v1.0", fixed_rev=repo.fix),
                     "app/files.py", out=out, cve="CVE-2000-0001")
    assert result.directory == out / "origin-CVE-2000-0001" and result.complete
    record = yaml.safe_load((result.directory / "instance.yaml").read_text())
    assert record["source"] == {"kind": "git", "url": "../origin", "rev": repo.vulnerable,
                                "fixed_rev": repo.fix}
    assert record["locations"] == [{"file": "app/files.py", "start": 1, "end": 2}]
    assert record["cwe"] == PLACEHOLDER_CWE and record["description"].startswith("TODO")
    assert (result.directory / "rules").is_dir()
    assert "poc.py" in (result.directory / TODO_FILE).read_text()
    # no gold in the record: it is derived at fetch time
    assert load_instance(result.directory, dataset_root=out).locations[0].gold is None

    report = lint_dataset(str(out))
    assert report.problems == []
    assert [note.field for note in report.notes] == ["rules"]  # no rule or PoC yet


def test_dataset_new_on_the_command_line_writes_the_skeleton(
    repo: FixtureRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["dataset", "new", "--source", f"git:{repo.path}:v1.0", "--fixed", repo.fix,
                 "--file", "app/files.py", "--id", "files-traversal", "--cwe", "CWE-22",
                 "--out", str(tmp_path)])
    assert code == 0 and "written:" in capsys.readouterr().out
    assert load_instance(tmp_path / "files-traversal", dataset_root=tmp_path).cwe == "CWE-22"


def test_dataset_new_refuses_a_file_the_fix_does_not_change(
    repo: FixtureRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["dataset", "new", "--source", f"git:{repo.path}:v1.0", "--fixed", repo.fix,
                 "--file", "README", "--out", str(tmp_path / "dataset")])
    assert code == 2
    assert "--file 'README': no language" in capsys.readouterr().err
    assert not (tmp_path / "dataset").exists()


@pytest.mark.network
def test_a_pypi_advisory_is_harvested_from_the_two_sdists(tmp_path: Path) -> None:
    result = harvest(parse_source("pypi:sqlparse:0.4.1", "0.4.2"),
                     "sqlparse/filters/others.py", out=tmp_path, cve="CVE-2021-32839")
    record = result.record
    assert record["source"]["sha256"] == (  # type: ignore[index]
        "0f91fd2e829c44362cbcfab3e9ae12e22badaa8a29ad5ff599f9ec109f0454e8")
    assert record["locations"] == [
        {"file": "sqlparse/filters/others.py", "start": 22, "end": 29}]
    assert result.touched[0].what == "function_definition _get_insert_token"


@pytest.mark.network
def test_an_npm_advisory_gets_the_helper_it_adds_as_an_insertion_point(tmp_path: Path) -> None:
    result = harvest(parse_source("npm:minimist:1.2.5", "1.2.6"), "index.js", out=tmp_path)
    assert result.record["source"]["sha256"] == (  # type: ignore[index]
        "a1800ce4d39356e96497bd09a41fad0033a13dd8eeb469008333547505ce4350")
    assert [(t.start, t.end, t.what) for t in result.touched] == [
        (69, 95, "function_declaration setKey"), (246, 245, "insertion")]
    assert result.complete


@pytest.mark.network
def test_a_go_module_advisory_is_harvested_from_the_two_module_zips(tmp_path: Path) -> None:
    """ulikunitz/xz CVE-2021-29482: the fix (v0.5.8) bounds the varint reader of bits.go,
    `readUvarint`, the function the built-in instance masks (from its doc comment, line 55)."""
    result = harvest(parse_source("gomod:github.com/ulikunitz/xz:v0.5.7", "v0.5.8"), "bits.go",
                     out=tmp_path, cve="CVE-2021-29482")
    assert result.directory == tmp_path / "xz-CVE-2021-29482"
    assert result.record["source"]["sha256"] == (  # type: ignore[index]
        "1c334523f0f345110cde9c933f0bc4cf4dc3267a34c0e7110e91675459204626")
    assert [(t.start, t.end) for t in result.touched] == [(56, 74)]
    assert result.touched[0].what.startswith("function_declaration")
