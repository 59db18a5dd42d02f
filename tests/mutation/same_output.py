"""Running a fixture program before and after a mutation: both must print the same, non-empty
output (the operator kept the program's meaning on that input)."""

import shutil
import subprocess
from pathlib import Path

import pytest


def same_output(tmp_path: Path, tool: str, command: str, path: str, upstream: str,
                mutant: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    outputs = []
    for text in (upstream, mutant):
        (tmp_path / path).write_text(text)
        outputs.append(subprocess.run(["sh", "-c", command], cwd=tmp_path, capture_output=True,
                                      text=True, check=True, timeout=300).stdout)
    assert outputs[0] and outputs[0] == outputs[1]
