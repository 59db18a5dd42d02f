"""Go module sources: `go mod download` of a real module, the module zip stored by content and
checked by sha256, unpacked as the module root; and the errors a record or go can cause."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from pydantic import ValidationError

from asebench.dataset.schema import GomodSource, Instance, Location
from asebench.preflight import check_instance
from asebench.sources import SourceError, fetch_fixed_tree, fetch_tree
from asebench.sources.archive_store import ReleaseKey, file_sha256, store_archive
from asebench.sources.fix_commit import with_derived_gold
from asebench.sources.gomod import go_registry_settings
from asebench.sources.tree import remove_tree

MODULE, VERSION = "github.com/mattn/go-isatty", "v0.0.20"
"""A small real module (about 9 KB zipped) with one requirement."""


@pytest.mark.network
def test_module_zip_is_recorded_unpacked_as_module_root_and_refetched_without_go(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fetch_tree(GomodSource(module=MODULE, version=VERSION))
    assert (first.root / "go.mod").read_text().startswith(f"module {MODULE}")
    assert not (first.root / "github.com").exists()  # the MODULE@VERSION/ folders are gone
    (record,) = (cache / "archives" / "index" / "gomod").rglob("*.json")
    recorded = json.loads(record.read_text())["sha256"]
    assert recorded == first.digest == file_sha256(cache / "archives" / f"{recorded}.zip")

    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))  # go cannot even be found
    remove_tree(first.root)
    again = fetch_tree(GomodSource(module=MODULE, version=VERSION, sha256=recorded))
    assert again == first and (again.root / "isatty_tcgets.go").is_file()


@pytest.mark.network
def test_fixed_version_is_fetched_as_its_own_module_root() -> None:
    source = GomodSource(module=MODULE, version="v0.0.19", fixed_version=VERSION)

    vulnerable, fixed = fetch_tree(source), fetch_fixed_tree(source)

    assert vulnerable.digest != fixed.digest
    assert (fixed.root / "go.mod").is_file() and (vulnerable.root / "go.mod").is_file()


@pytest.mark.network
def test_pinned_checksum_mismatch_is_one_line_problem_naming_instance_and_field(
    tmp_path: Path,
) -> None:
    instance = Instance(
        id="go-demo", cwe="CWE-20", language="go", root=tmp_path,
        source=GomodSource(module=MODULE, version=VERSION, sha256="0" * 64),
        locations=[Location(file="doc.go", start=1, end=1)],
    )

    problems = check_instance(instance).problems

    (problem,) = [p for p in problems if p.field == "source.sha256"]
    assert problem.instance == "go-demo"
    assert "sha256 mismatch: expected 0000" in problem.message and "\n" not in str(problem)


def test_go_failure_names_the_release_the_command_and_stderr(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GOPROXY", "off")  # an empty private module cache and no proxy
    with pytest.raises(SourceError) as caught:
        fetch_tree(GomodSource(module=MODULE, version=VERSION))
    assert caught.value.source == f"gomod {MODULE}@{VERSION}"
    assert caught.value.command is not None and caught.value.command[1:3] == ["mod", "download"]
    assert "GOPROXY=off" in caught.value.stderr


def test_the_users_goproxy_setting_is_what_go_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOPROXY", "off")
    monkeypatch.setenv("GONOSUMDB", "example.com/private")

    settings = go_registry_settings()

    assert settings["GOPROXY"] == "off" and settings["GONOSUMDB"] == "example.com/private"
    assert "GOMODCACHE" not in settings and "HOME" not in settings


def _store_module(where: Path, module: str, version: str, files: dict[str, str]) -> None:
    """A module zip written here, put in the archive store as if go had downloaded it."""
    archive = where / f"{module.rsplit('/', 1)[-1]}@{version}.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(f"{module}@{version}/go.mod", f"module {module}\n\ngo 1.20\n")
        for name, text in files.items():
            bundle.writestr(f"{module}@{version}/{name}", text)
    store_archive(ReleaseKey("gomod", module, version), archive)


def test_stored_zip_with_nested_top_folders_unpacks_to_the_module_root(tmp_path: Path) -> None:
    module, version = "example.com/team/demo", "v1.2.0"
    _store_module(tmp_path, module, version, {"sub/x.go": "package sub\n"})

    tree = fetch_tree(GomodSource(module=module, version=version))  # stored: go never runs

    assert sorted(p.name for p in tree.root.iterdir()) == ["go.mod", "sub"]
    assert (tree.root / "sub" / "x.go").read_text() == "package sub\n"


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("module", "../evil", "not a Go module path"),
    ("module", "localmodule/x", "has no dot"),
    ("module", "-x.example/y", "not a Go module path"),
    ("version", "latest", "not an exact Go module version"),
    ("version", "1.2.3", "not an exact Go module version"),
    ("version", "v1.2", "not an exact Go module version"),
])
def test_record_names_one_exact_release(field: str, value: str, reason: str) -> None:
    record = {"module": "golang.org/x/net", "version": "v0.12.0", field: value}
    with pytest.raises(ValidationError, match=reason):
        GomodSource.model_validate(record)


def test_pseudo_and_incompatible_versions_are_exact_releases() -> None:
    for version in ("v0.0.0-20210614182718-04defd469f4e", "v3.1.1+incompatible",
                    "v1.0.0-rc.1"):
        assert GomodSource(module="github.com/a/b", version=version).version == version


def test_gold_is_derived_from_the_fixed_version(tmp_path: Path) -> None:
    module = "example.com/team/paths"
    head = "package paths\n\nimport \"path\"\n\n"
    vulnerable = head + "func Clean(p string) string {\n\treturn path.Join(\"/srv\", p)\n}\n"
    fixed = head + ("func Clean(p string) string {\n"
                    "\treturn path.Join(\"/srv\", path.Clean(\"/\" + p))\n}\n")
    _store_module(tmp_path, module, "v1.0.0", {"paths.go": vulnerable})
    _store_module(tmp_path, module, "v1.0.1", {"paths.go": fixed})
    instance = Instance(
        id="go-paths", cwe="CWE-22", language="go",
        source=GomodSource(module=module, version="v1.0.0", fixed_version="v1.0.1"),
        locations=[Location(file="paths.go", start=5, end=7)],
    )

    derived = with_derived_gold(instance, fetch_tree(instance.source).root)

    assert derived.problems == [] and derived.notes == []
    assert derived.instance.locations[0].gold == fixed.removeprefix(head)
