"""Hostile dataset records through the command line: `asebench dataset lint` and `asebench run
--keep-going` name each bad instance in one line (never a traceback), and the run goes on with
the good ones. Each command runs in a subprocess with an address-space limit around it, so a
regression to unbounded YAML expansion fails the test instead of the machine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ASEBENCH = Path(sys.executable).with_name("asebench")
CODE = "import os\n\n\ndef run(name):\n    os.system('cat ' + name)\n    return 0\n"
GOLD = "    subprocess.run(['cat', name], check=False)\n"
RULE = ("rules:\n  - id: os-system\n    languages: [python]\n    severity: ERROR\n"
        "    message: shell\n    pattern: os.system(...)\n")
MEMORY_LIMIT = 3 * 1024**3


def _instance(root: Path, name: str, **record: Any) -> Path:
    directory = root / name
    (directory / "project").mkdir(parents=True)
    (directory / "project" / "tool.py").write_text(CODE)
    (directory / "rules").mkdir()
    (directory / "rules" / "shell.yaml").write_text(RULE)
    full = {"id": name, "cwe": "CWE-78", "language": "python", "description": "Runs cat.",
            "source": {"kind": "local", "path": "project"},
            "locations": [{"file": "tool.py", "start": 5, "end": 5, "gold": GOLD}], **record}
    (directory / "instance.yaml").write_text(yaml.safe_dump(full))
    return directory


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A good instance, a Latin-1 record, a 1 KB alias bomb, and a source outside the dataset
    pointing at a private canary."""
    root = tmp_path / "dataset"
    _instance(root, "good")
    latin = _instance(root, "latin1")
    record = (latin / "instance.yaml").read_bytes()
    (latin / "instance.yaml").write_bytes(record.replace(b"Runs cat.", b"Runs caf\xe9."))
    bomb = _instance(root, "bomb")
    levels = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
        f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 8)]
    text = (bomb / "instance.yaml").read_text()
    (bomb / "instance.yaml").write_text(text + "metadata:\n" + "".join(
        f"  {line}\n" for line in levels))
    secret = tmp_path / "private"
    secret.mkdir(mode=0o700)
    (secret / "tool.py").write_text("PRIVATE_CANARY_a51c = 1\n" * 6)
    _instance(root, "outside", source={"kind": "local", "path": str(secret)})
    return root


def _asebench(*args: str | Path, cache: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("prlimit") is None:
        pytest.skip("prlimit (util-linux) is needed to bound the command's memory")
    return subprocess.run(
        ["prlimit", f"--as={MEMORY_LIMIT}", "--", str(ASEBENCH), *(str(a) for a in args)],
        env={**os.environ, "ASEBENCH_CACHE": str(cache), "NO_COLOR": "1", "COLUMNS": "200"},
        capture_output=True, text=True, timeout=300, check=False)


def test_lint_names_each_hostile_record_in_one_line(dataset: Path, tmp_path: Path) -> None:
    result = _asebench("dataset", "lint", dataset, cache=tmp_path / "cache")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"latin1 ({dataset / 'latin1' / 'instance.yaml'}): not UTF-8")
               for line in lines)
    assert any(line.startswith("bomb (") and "alias bomb" in line for line in lines)
    assert any(line.startswith("outside (") and "[source.path]" in line
               and "absolute path" in line for line in lines)
    assert not any(line.startswith("good ") for line in lines)
    assert "PRIVATE_CANARY" not in result.stdout + result.stderr


def test_keep_going_runs_the_good_instance_and_skips_the_hostile_ones(
    dataset: Path, tmp_path: Path
) -> None:
    result = _asebench("run", "--dataset", dataset, "--baseline", "reference", "--no-dynamic",
                       "--cycles", "1", "--context", "file", "--keep-going",
                       "--log-dir", tmp_path / "logs", "--json", tmp_path / "out.json",
                       cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped:")]
    assert {name for name in ("latin1", "bomb", "outside")
            if any(name in line for line in skipped)} == {"latin1", "bomb", "outside"}
    summary = json.loads((tmp_path / "out.json").read_text())
    assert {sample["instance"] for sample in summary["samples"]} == {"good"}
    logs = "".join(p.read_text(errors="replace") for p in (tmp_path / "logs").rglob("*")
                   if p.is_file())
    assert "PRIVATE_CANARY" not in logs


def test_keep_going_with_no_good_instance_left_ends_in_named_problems(tmp_path: Path) -> None:
    root = tmp_path / "dataset"
    latin = _instance(root, "latin1")
    record = (latin / "instance.yaml").read_bytes()
    (latin / "instance.yaml").write_bytes(record.replace(b"Runs cat.", b"Runs caf\xe9."))
    result = _asebench("run", "--dataset", root, "--baseline", "reference", "--no-dynamic",
                       "--cycles", "1", "--keep-going", "--log-dir", tmp_path / "logs",
                       cache=tmp_path / "cache")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "asebench run: no instance is left to run:" in result.stderr
    assert "latin1" in result.stderr
