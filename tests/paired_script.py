"""Run a judge script (a PoC or test) in the real paired sandbox on a small tree written by a
test, and read back what it reported: shared by the tests of `asebench_probe`'s harness
builders (C, Java, Go)."""

from __future__ import annotations

import json
from pathlib import Path

from asebench.checks.sandbox.paired import run_paired


def _write(root: Path, files: dict[str, str]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def reported(tmp_path: Path, script: str, *, workspace: dict[str, str],
             instance: dict[str, str] | None = None, env: dict[str, str] | None = None,
             env_folders: tuple[str, ...] = ()) -> dict[str, str]:
    """Run `script` as `/instance/check.py` with `instance` files beside it, against a
    candidate tree of `workspace` files and (when `env` or `env_folders` are given) an
    environment `/env` of those files and empty folders: the detail it reported, a JSON
    object of strings. Fails the test when the script reported no such thing."""
    _write(tmp_path / "workspace", workspace)
    _write(tmp_path / "instance", {**(instance or {}), "check.py": script})
    env_dir = None
    if env is not None or env_folders:
        env_dir = tmp_path / "env"
        _write(env_dir, env or {})
        for folder in env_folders:
            (env_dir / folder).mkdir(parents=True, exist_ok=True)
    for path in [tmp_path, *tmp_path.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    result = run_paired("/instance/check.py", workspace=tmp_path / "workspace",
                        instance_dir=tmp_path / "instance", env_dir=env_dir)
    lines = [line for line in result.judge.stdout.splitlines() if line.startswith("{")]
    assert result.judge.exit_code == 0 and lines, (result.judge.stderr, result.candidate_log)
    detail = json.loads(json.loads(lines[-1])["detail"])
    assert isinstance(detail, dict), detail
    return {str(key): str(value) for key, value in detail.items()}
