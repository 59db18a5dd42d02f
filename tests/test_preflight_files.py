"""A location naming a file the source tree does not hold is a problem on the record the user
edits (`instance.yaml`, `locations.N.file`), with the closest path of the tree, rather than
an OS error about a path in asebench's cache."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from asebench.lint import lint_dataset


def test_a_misspelt_location_file_names_the_record_and_the_closest_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASEBENCH_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "dataset" / "demo"
    (root / "project" / "tools").mkdir(parents=True)
    (root / "project" / "tools" / "runner.py").write_text("def run(name):\n    return name\n")
    record = {"id": "demo", "cwe": "CWE-78", "language": "python", "description": "Runs.",
              "source": {"kind": "local", "path": "project"},
              "locations": [{"file": "tool/runner.py", "start": 2, "end": 2,
                             "gold": "    return name\n"}]}
    (root / "instance.yaml").write_text(yaml.safe_dump(record))
    [problem] = lint_dataset(str(tmp_path / "dataset")).problems
    assert (problem.instance, problem.file, problem.field) == (
        "demo", root.resolve() / "instance.yaml", "locations.0.file")
    assert problem.message == ("no file 'tool/runner.py' in the source tree; did you mean "
                               "tools/runner.py?")
