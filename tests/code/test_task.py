"""A native instance, masked and answered end to end: zero-line locations and line endings."""

from pathlib import Path

import pytest

from asebench.code.syntax import check_syntax
from asebench.code.task import mask_instance
from asebench.dataset.errors import DatasetError
from asebench.dataset.native import load_instance

PROJECT = (
    "import os\n"
    "\n"
    "\n"
    "def read(base, name):\n"
    "    path = os.path.join(base, name)\n"
    "    with open(path) as handle:\n"
    "        return handle.read()\n"
)
# the fix needs a helper outside the region: a zero-line location before line 4 holds it
INSTANCE = """\
id: zero-line-helper
cwe: CWE-22
language: python
description: Reads a named file under a base folder.
source: {kind: local, path: project}
locations:
  - file: files.py
    start: 4
    end: 3
    gold: |+
      def inside(base, path):
          return path.startswith(base + os.sep)


  - file: files.py
    start: 5
    end: 5
    gold: |2
          path = os.path.realpath(os.path.join(base, name))
          if not inside(os.path.realpath(base), path):
              raise ValueError(name)
"""


def _instance_dir(tmp_path: Path, text: str = INSTANCE) -> Path:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "files.py").write_bytes(PROJECT.encode())
    (tmp_path / "instance.yaml").write_text(text)
    return tmp_path


def test_a_zero_line_location_round_trips_and_takes_its_gold(tmp_path: Path) -> None:
    directory = _instance_dir(tmp_path)
    task = mask_instance(load_instance(directory), directory / "project")
    masked = task.files[0]
    assert masked.text.split("\n")[3:5] == ["# <MASKED REGION 1>", "def read(base, name):"]
    vulnerable = task.fit(task.reference_answer("vulnerable"))
    assert vulnerable.failure is None
    assert vulnerable.insertions["files.py"].text == PROJECT
    reference = task.fit(task.reference_answer("reference"))
    assert reference.failure is None
    fixed = reference.insertions["files.py"].text
    assert check_syntax(fixed, task.language, "files.py").ok
    assert fixed.split("\n")[3:5] == ["def inside(base, path):",
                                      "    return path.startswith(base + os.sep)"]
    assert reference.insertions["files.py"].spans[1].start == 4
    namespace: dict[str, object] = {}
    exec(fixed, namespace)  # our own gold: shows the helper is in place and works
    read = namespace["read"]
    assert callable(read)
    with pytest.raises(ValueError):
        read(str(tmp_path / "project"), "../instance.yaml")


def test_an_end_before_the_zero_line_point_is_a_named_problem(tmp_path: Path) -> None:
    directory = _instance_dir(tmp_path, INSTANCE.replace("end: 3", "end: 2"))
    with pytest.raises(DatasetError) as caught:
        load_instance(directory)
    assert "zero-line insertion point before line 4 has end 3" in str(caught.value)


def test_windows_line_endings_survive_masking_and_the_vulnerable_answer(tmp_path: Path) -> None:
    directory = _instance_dir(tmp_path)
    crlf = PROJECT.replace("\n", "\r\n").encode()
    (directory / "project" / "files.py").write_bytes(crlf)
    task = mask_instance(load_instance(directory), directory / "project")
    fitted = task.fit(task.reference_answer("vulnerable"))
    assert fitted.failure is None
    assert fitted.insertions["files.py"].text.encode() == crlf
