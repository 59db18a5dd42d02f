"""Maven sources: the real `mvn` fetch of a small sources jar, the checksum, the fixed release."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from asebench.dataset.schema import Instance, Location, MavenSource
from asebench.preflight import check_instance
from asebench.sources import SourceError, fetch_tree, maven
from asebench.sources.archive_store import ReleaseKey, file_sha256, store_archive
from asebench.sources.fetch import fetch_fixed_tree
from asebench.sources.fix_commit import with_derived_gold

PLEXUS = MavenSource(group="org.codehaus.plexus", artifact="plexus-utils", version="3.0.15")


@pytest.fixture(scope="session")
def shared_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Maven repository for the session: mvn's own plugins download once, not per test."""
    return tmp_path_factory.mktemp("m2")


@pytest.fixture
def repository(shared_repository: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(maven, "local_repository", lambda: shared_repository)
    return shared_repository


def _stored_jar(tmp_path: Path, version: str, files: dict[str, str]) -> str:
    """Store a sources jar written here as if mvn had fetched `demo:lib:<version>`."""
    jar = tmp_path / f"lib-{version}-sources.jar"
    with zipfile.ZipFile(jar, "w") as bundle:
        bundle.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        for name, text in files.items():
            bundle.writestr(name, text)
    store_archive(ReleaseKey("maven", "demo:lib", version), jar)
    return file_sha256(jar)


@pytest.mark.network
def test_sources_jar_is_fetched_recorded_and_refetched_without_mvn(
    cache: Path, repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fetch_tree(PLEXUS)
    assert (first.root / "org/codehaus/plexus/util/cli/Commandline.java").is_file()
    (record,) = (cache / "archives" / "index" / "maven").rglob("*.json")
    recorded = json.loads(record.read_text())
    assert recorded["filename"] == "plexus-utils-3.0.15-sources.jar"
    assert recorded["sha256"] == first.digest

    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))  # mvn cannot even be found
    again = fetch_tree(PLEXUS.model_copy(update={"sha256": recorded["sha256"]}))
    assert again == first


@pytest.mark.network
def test_missing_artifact_names_the_coordinate_and_mvn_error(repository: Path) -> None:
    with pytest.raises(SourceError) as caught:
        fetch_tree(MavenSource(group="org.codehaus.plexus", artifact="plexus-utils-no-such",
                               version="3.0.15"))
    assert caught.value.source == "maven org.codehaus.plexus:plexus-utils-no-such:3.0.15"
    assert "[ERROR]" in caught.value.stderr


@pytest.mark.network
def test_copy_jars_brings_the_runtime_dependencies(repository: Path, tmp_path: Path) -> None:
    jars = maven.copy_jars(["org.apache.commons:commons-text:1.9"], tmp_path / "lib",
                           work=tmp_path)
    names = [jar.name for jar in jars]
    assert "commons-text-1.9.jar" in names
    assert any(name.startswith("commons-lang3-") for name in names)


def test_checksum_mismatch_is_one_line_naming_instance_and_field(tmp_path: Path) -> None:
    _stored_jar(tmp_path, "1.0", {"demo/Lib.java": "class Lib {}\n"})
    instance = Instance(
        id="demo-maven", cwe="CWE-22", language="java", root=tmp_path,
        source=MavenSource(group="demo", artifact="lib", version="1.0", sha256="0" * 64),
        locations=[Location(file="demo/Lib.java", start=1, end=1)],
    )
    problems = check_instance(instance).problems
    (problem,) = [p for p in problems if (p.field or "").startswith("source")]
    assert problem.instance == "demo-maven" and problem.field == "source.sha256"
    assert "sha256 mismatch" in str(problem) and "\n" not in str(problem)


def test_jar_paths_are_kept_as_they_are(tmp_path: Path) -> None:
    digest = _stored_jar(tmp_path, "1.0", {"demo/Lib.java": "class Lib {}\n"})
    tree = fetch_tree(MavenSource(group="demo", artifact="lib", version="1.0", sha256=digest))
    assert (tree.root / "demo" / "Lib.java").is_file()  # the only top folder is not stripped


def test_gold_is_derived_from_the_fixed_release(tmp_path: Path) -> None:
    vulnerable = "class Lib {\n    int f(int x) {\n        return x;\n    }\n}\n"
    fixed = "class Lib {\n    int f(int x) {\n        return Math.max(x, 0);\n    }\n}\n"
    _stored_jar(tmp_path, "1.0", {"demo/Lib.java": vulnerable})
    _stored_jar(tmp_path, "1.1", {"demo/Lib.java": fixed})
    source = MavenSource(group="demo", artifact="lib", version="1.0", fixed_version="1.1")
    assert (fetch_fixed_tree(source).root / "demo/Lib.java").read_text() == fixed
    instance = Instance(id="demo-maven", cwe="CWE-20", language="java", source=source,
                        locations=[Location(file="demo/Lib.java", start=3, end=3)])
    derived = with_derived_gold(instance, fetch_tree(source).root)
    assert not derived.problems and not derived.notes
    assert derived.instance.locations[0].gold == "        return Math.max(x, 0);\n"


@pytest.mark.parametrize("bad", ["org.x:y:[1.0,2.0)", "org.x:y", "org/x:y:1", "org.x:y:${v}"])
def test_environment_refuses_what_is_not_a_plain_coordinate(bad: str) -> None:
    from asebench.dataset.schema import Environment
    with pytest.raises(ValueError, match="Maven"):
        Environment(maven=[bad])
