"""Run the external tools sources rely on (git, pip, npm), failing with a `SourceError`."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from asebench.sources.errors import SourceError


def run_command(
    args: Sequence[str],
    *,
    source: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdout: int | None = subprocess.PIPE,
) -> str:
    """Run `args` and return its stdout; raise `SourceError` naming `source` when it fails."""
    try:
        completed = subprocess.run(
            list(args),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.PIPE,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError as exc:
        raise SourceError(source, f"cannot run {args[0]}: {exc}", command=args) from exc
    if completed.returncode != 0:
        raise SourceError(
            source,
            f"command failed with exit code {completed.returncode}",
            command=args,
            stderr=completed.stderr or "",
        )
    return completed.stdout or ""
