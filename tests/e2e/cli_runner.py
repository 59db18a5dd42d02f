"""Run the `asebench` command in a subprocess, and lay out datasets for it."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ASEBENCH = Path(sys.executable).with_name("asebench")
REPO = Path(__file__).resolve().parents[2]
FIXTURE_INSTANCES = REPO / "tests" / "fixtures" / "instances"
SYNTHETIC_INSTANCES = REPO / "src" / "asebench" / "data" / "builtin" / "synthetic"
FALLBACK_INSTANCE = SYNTHETIC_INSTANCES / "synthetic-php-xss"


def instance_dirs(root: Path) -> list[Path]:
    """The instance directories directly under `root` (none when it does not exist)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "instance.yaml").is_file())


def fixture_or_fallback(name: str) -> Path:
    """A fixture instance by name, or the synthetic PHP instance while fixtures are missing."""
    path = FIXTURE_INSTANCES / name
    return path if (path / "instance.yaml").is_file() else FALLBACK_INSTANCE


@functools.cache
def _scratch_cwd() -> Path:
    return Path(tempfile.mkdtemp(prefix="asebench-e2e-cwd-"))


def run_asebench(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """`asebench ARGS…` in a subprocess; stdout and stderr are captured as text. It runs in a
    scratch working directory, so default outputs (`runs/…`) stay out of the checkout."""
    return subprocess.run(
        [str(ASEBENCH), *(str(a) for a in args)], cwd=_scratch_cwd(),
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})},
        capture_output=True, text=True, timeout=timeout, check=False,
    )


def make_dataset(root: Path, *instances: Path) -> Path:
    """A dataset directory holding copies of the given instance directories."""
    root.mkdir(parents=True, exist_ok=True)
    for instance in instances:
        shutil.copytree(instance, root / instance.name)
    return root


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def log_path(stdout: str) -> Path:
    """The Inspect log `asebench run` names on its `log: PATH` line."""
    lines = [line for line in stdout.splitlines() if line.startswith("log: ")]
    assert lines, f"`asebench run` printed no `log:` line:\n{stdout[-2000:]}"
    return Path(lines[-1].removeprefix("log: ").strip())
