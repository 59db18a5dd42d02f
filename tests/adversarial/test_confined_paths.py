"""Every path a record names stays inside its folder: absolute paths, `..` and symlinks that
leave it are problems naming the instance, the file and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.load import load_dataset
from asebench.dataset.native import load_instance
from asebench.dataset.schema import GitSource

CODE = "import os\n\n\ndef run(name):\n    os.system('cat ' + name)\n"
RULE = ("rules:\n  - id: os-system\n    languages: [python]\n    severity: ERROR\n"
        "    message: shell\n    pattern: os.system(...)\n")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside every dataset, readable only by its owner."""
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text("SECRET_CANARY_4d1e\n")
    path.chmod(0o600)
    return path


def _instance(root: Path, name: str = "inst", **record: Any) -> Path:
    directory = root / name
    (directory / "project").mkdir(parents=True)
    (directory / "project" / "tool.py").write_text(CODE)
    (directory / "gold").mkdir()
    (directory / "gold" / "1.py").write_text("    pass\n")
    (directory / "rules").mkdir()
    (directory / "rules" / "shell.yaml").write_text(RULE)
    (directory / "poc.py").write_text("print('poc')\n")
    full = {"id": name, "cwe": "CWE-78", "language": "python", "description": "Runs cat.",
            "source": {"kind": "local", "path": "project"},
            "locations": [{"file": "tool.py", "start": 5, "end": 5, "gold_file": "gold/1.py"}],
            "poc": {"run": ["python3", "/instance/poc.py"]}, **record}
    (directory / "instance.yaml").write_text(yaml.safe_dump(full))
    return directory


def _problems(directory: Path, dataset_root: Path | None = None) -> list[DatasetProblem]:
    with pytest.raises(DatasetError) as caught:
        load_instance(directory, dataset_root=dataset_root)
    return caught.value.problems


def test_a_clean_instance_loads_with_its_paths_resolved_inside(tmp_path: Path) -> None:
    directory = _instance(tmp_path)
    instance = load_instance(directory)
    assert instance.locations[0].gold == "    pass\n"
    assert instance.rules == [directory / "rules" / "shell.yaml"]


def test_an_absolute_local_source_is_refused(tmp_path: Path, secret: Path) -> None:
    directory = _instance(tmp_path, source={"kind": "local", "path": str(secret.parent)})
    [problem] = _problems(directory)
    assert (problem.instance, problem.file, problem.field) == (
        "inst", directory / "instance.yaml", "source.path")
    assert "is an absolute path" in problem.message


def test_a_local_source_may_be_shared_inside_the_dataset_but_not_leave_it(
    tmp_path: Path, secret: Path
) -> None:
    dataset = tmp_path / "dataset"
    (dataset / "shared-project").mkdir(parents=True)
    inside = _instance(dataset, "inside", source={"kind": "local", "path": "../shared-project"})
    assert load_instance(inside, dataset_root=dataset).source.kind == "local"
    escaping = _instance(dataset, "escaping", source={"kind": "local", "path": "../../outside"})
    [problem] = _problems(escaping, dataset_root=dataset)
    assert problem.field == "source.path" and "leaves the dataset folder through '..'" in (
        problem.message)


def test_a_symlinked_source_that_leaves_the_dataset_is_refused(
    tmp_path: Path, secret: Path
) -> None:
    directory = _instance(tmp_path, source={"kind": "local", "path": "linked"})
    (directory / "linked").symlink_to(secret.parent)
    [problem] = _problems(directory)
    assert problem.field == "source.path" and "through a symlink" in problem.message


def test_a_gold_file_outside_the_instance_is_refused_and_never_read(
    tmp_path: Path, secret: Path
) -> None:
    directory = _instance(tmp_path, locations=[
        {"file": "tool.py", "start": 5, "end": 5, "gold_file": "../outside/secret.txt"}])
    [problem] = _problems(directory)
    assert problem.field == "locations.0.gold_file"
    assert "SECRET_CANARY" not in str(problem)


def test_a_gold_file_symlinked_outside_is_refused(tmp_path: Path, secret: Path) -> None:
    directory = _instance(tmp_path)
    (directory / "gold" / "1.py").unlink()
    (directory / "gold" / "1.py").symlink_to(secret)
    [problem] = _problems(directory)
    assert problem.field == "locations.0.gold_file" and "symlink" in problem.message


def test_rule_files_listed_or_found_must_stay_inside(tmp_path: Path, secret: Path) -> None:
    listed = _instance(tmp_path, "listed", rules=[str(secret)])
    [problem] = _problems(listed)
    assert problem.field == "rules.0" and "absolute path" in problem.message
    found = _instance(tmp_path, "found")
    (found / "rules" / "evil.yaml").symlink_to(secret)
    [problem] = _problems(found)
    assert problem.field == "rules.0" and "rules/evil.yaml" in problem.message


def test_poc_and_test_scripts_under_instance_must_exist_inside_it(tmp_path: Path) -> None:
    directory = _instance(tmp_path, test={"run": ["python3", "/instance/../../etc/passwd"]},
                          poc={"run": ["python3", "/instance/missing.py"]})
    problems = {(p.field, p.message.split(" ")[0]) for p in _problems(directory)}
    assert problems == {("test.run.1", "'../../etc/passwd'"), ("poc.run.1", "no")}


def test_a_package_file_must_lie_inside_the_instance(tmp_path: Path) -> None:
    directory = _instance(tmp_path, environment={"python": ["/tmp/elsewhere/evil-1.0.tar.gz"]})
    [problem] = _problems(directory)
    assert problem.field == "environment.python.0" and "absolute path" in problem.message


def test_a_package_file_inside_the_instance_is_made_absolute(tmp_path: Path) -> None:
    directory = _instance(tmp_path, environment={"python": ["wheels/tiny-0.1-py3-none-any.whl"]})
    (directory / "wheels").mkdir()
    (directory / "wheels" / "tiny-0.1-py3-none-any.whl").write_bytes(b"PK")
    instance = load_instance(directory)
    assert instance.environment.python == [
        str(directory / "wheels" / "tiny-0.1-py3-none-any.whl")]


def test_the_dataset_loader_confines_sources_to_the_dataset_folder(
    tmp_path: Path, secret: Path
) -> None:
    dataset = tmp_path / "dataset"
    _instance(dataset, "good")
    _instance(dataset, "bad", source={"kind": "local", "path": "../../outside"})
    loaded = load_dataset(str(dataset))
    assert [i.id for i in loaded.instances] == ["good"]
    assert [(p.instance, p.field) for p in loaded.problems] == [("bad", "source.path")]


@pytest.mark.parametrize(("url", "problem"), [
    ("/srv/private/repo.git", "is an absolute path"),
    ("file:///root/private.git", "only https, http, git and ssh URLs are fetched"),
    ("../../outside", "must lie inside the dataset folder"),
    ("ext::sh -c touch% /tmp/pwned", "names a git transport helper"),
    ("--upload-pack=touch /tmp/pwned", "git would read it as an option"),
])
def test_a_git_source_names_a_network_address_or_a_repository_inside_the_dataset(
    tmp_path: Path, url: str, problem: str
) -> None:
    dataset = tmp_path / "dataset"
    directory = _instance(dataset, source={"kind": "git", "url": url, "rev": "v1"})
    [found] = _problems(directory, dataset_root=dataset)
    assert (found.instance, found.field) == ("inst", "source.url")
    assert problem in found.message


@pytest.mark.parametrize("url", ["https://example.org/project.git", "git@example.org:p.git",
                                 "ssh://git@example.org/p.git", "../shared-repo"])
def test_network_git_urls_and_repositories_inside_the_dataset_load(tmp_path: Path,
                                                                   url: str) -> None:
    dataset = tmp_path / "dataset"
    (dataset / "shared-repo").mkdir(parents=True)
    directory = _instance(dataset, source={"kind": "git", "url": url, "rev": "v1"})
    source = load_instance(directory, dataset_root=dataset).source
    assert isinstance(source, GitSource) and source.url == url
