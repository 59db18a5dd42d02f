"""A mistake in an instance folder is one line naming the instance, the file and the field, as
the YAML spells it: a typo in a field name (with the close known fields), a judge script that
does not exist, YAML that does not parse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.native import load_instance


def _instance(root: Path, **changes: Any) -> Path:
    """A local-source instance whose PoC is the judge script `poc.py`, with `changes` merged
    into its record (a key mapped to None is removed)."""
    (root / "project").mkdir(parents=True)
    (root / "project" / "tool.py").write_text("def run(name):\n    return name\n")
    (root / "poc.py").write_text("print('judge')\n")
    record: dict[str, Any] = {
        "id": "demo", "cwe": "CWE-78", "language": "python", "description": "Returns a name.",
        "source": {"kind": "local", "path": "project"},
        "locations": [{"file": "tool.py", "start": 2, "end": 2, "gold": "    return name\n"}],
        "poc": {"run": ["asebench-judge", "poc.py"]},
    }
    record.update(changes)
    (root / "instance.yaml").write_text(
        yaml.safe_dump({k: v for k, v in record.items() if v is not None}))
    return root


def _problems(root: Path) -> list[DatasetProblem]:
    with pytest.raises(DatasetError) as caught:
        load_instance(root)
    return caught.value.problems


def test_the_sketch_instance_loads(tmp_path: Path) -> None:
    assert load_instance(_instance(tmp_path)).id == "demo"


def test_a_misspelt_top_level_field_names_the_field_it_is_close_to(tmp_path: Path) -> None:
    [problem] = _problems(_instance(tmp_path, severty="high"))
    assert (problem.instance, problem.file, problem.field) == (
        "demo", tmp_path / "instance.yaml", "severty")
    assert problem.message == "unknown field; did you mean severity?"


def test_a_misspelt_source_field_is_named_without_the_union_tag(tmp_path: Path) -> None:
    source = {"kind": "pypi", "name": "tool", "version": "1.0", "sha256": "0" * 64,
              "fixed_versoin": "1.1"}
    problems = _problems(_instance(tmp_path, source=source))
    assert [(p.field, p.message) for p in problems] == [
        ("source.fixed_versoin", "unknown field; did you mean fixed_version or version?")]


def test_a_misspelt_location_field_names_its_index(tmp_path: Path) -> None:
    locations = [{"file": "tool.py", "start": 2, "ned": 2, "gold": "    return name\n"}]
    fields = {(p.field, p.message) for p in _problems(_instance(tmp_path, locations=locations))}
    assert ("locations.0.ned", "unknown field; did you mean end?") in fields


def test_a_missing_judge_script_is_a_problem_on_its_argument(tmp_path: Path) -> None:
    root = _instance(tmp_path)
    (root / "poc.py").unlink()
    [problem] = _problems(root)
    assert problem.field == "poc.run.1"
    assert problem.message == f"no such file {root.resolve() / 'poc.py'}"


def test_a_judge_script_outside_the_instance_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.py").write_text("print('judge')\n")
    root = _instance(tmp_path / "demo", poc={"run": ["asebench-judge", "../elsewhere.py"]})
    [problem] = _problems(root)
    assert problem.field == "poc.run.1" and "leaves the instance folder" in problem.message


def test_yaml_that_does_not_parse_is_one_line_with_its_position(tmp_path: Path) -> None:
    root = _instance(tmp_path)
    text = (root / "instance.yaml").read_text().replace("cwe: CWE-78", "cwe: [CWE-78")
    (root / "instance.yaml").write_text(text)
    [problem] = _problems(root)
    assert "\n" not in str(problem)
    assert problem.message.startswith("not valid YAML at line ")
    assert "expected ',' or ']'" in problem.message
