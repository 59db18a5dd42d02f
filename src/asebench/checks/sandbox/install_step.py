"""One install step (pip, npm, `python -m venv`) run the way dataset-chosen code must run.

Installing or even downloading a source distribution runs code the dataset chose: `pip
download` of an sdist prepares its metadata (a `setup.py`, a build backend), `pip install`
builds it. So every such step runs in the bubblewrap sandbox as `nobody`, with the host's
network but an environment holding only the registry configuration (`registry_config`; no API
keys, no `HOME`), and no host write access except one directory, which it sees as
`/workspace`, bounded by `INSTALL_LIMITS`. Used by the environment builder
(`checks.environment`) and the PyPI source fetcher (`sources.pypi`).

What it cannot hide: the host's loopback interface. The step shares the host's network
namespace so that a registry the user configured on 127.0.0.1 (a local proxy or mirror) keeps
working; services listening there are reachable from install code.
"""

from __future__ import annotations

import sys
import sysconfig
from collections.abc import Mapping, Sequence
from pathlib import Path

from asebench.checks.registry_config import registry_environment
from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.checks.sandbox.limits import Limits

WORKSPACE = "/workspace"
"""Where the step sees its one writable host directory."""
INSTALL_LIMITS = Limits(wall_s=900.0, cpu_s=900, memory_mb=4096, tmp_mb=2048,
                        workspace_mb=2048, workspace_files=200_000)
"""One install step: 15 minutes, 4 GiB of heap, 2 GiB of `/tmp` (pip's cache and builds) and
at most 2 GiB written to the writable directory."""
INSTALL_SETTINGS = {
    "PIP_NO_INPUT": "1",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "npm_config_update_notifier": "false",
    "npm_config_cache": "/tmp/.npm",
}
"""Quiet, non-interactive installers with their caches on the sandbox's private `/tmp`."""


class InstallStepError(RuntimeError):
    """An install step failed; the message names the step and holds the tail of its output."""


def run_install_step(argv: Sequence[str], what: str, workspace: Path,
                     settings: Mapping[str, str] | None = None) -> None:
    """Run `argv` sandboxed as described above, with `workspace` writable at `/workspace`
    (also the working directory); `settings` are further variables of the installer itself
    (where Go puts its module cache), added to the registry configuration.

    Raises `InstallStepError` "<what> failed (<exit N | reason>):\\n<output tail>" when the
    step exits non-zero, times out or is killed, and `SandboxUnavailable` when it cannot be
    sandboxed (it never runs unsandboxed)."""
    env = {**registry_environment(), **INSTALL_SETTINGS, **(settings or {})}
    result = run_sandboxed(list(argv), workspace=workspace, limits=INSTALL_LIMITS, env=env,
                           network=True)
    if result.exit_code != 0 or result.timed_out or result.killed_reason:
        output = (result.stdout + result.stderr)[-4000:]
        how = result.killed_reason or f"exit {result.exit_code}"
        raise InstallStepError(f"{what} failed ({how}):\n{output}")


def base_python() -> tuple[str, bool]:
    """The base interpreter (visible in the sandbox at its own path), and whether it has pip."""
    executable = str(getattr(sys, "_base_executable", None) or sys.executable)
    purelib = sysconfig.get_path("purelib", vars={"base": sys.base_prefix,
                                                  "platbase": sys.base_prefix})
    return executable, (Path(purelib) / "pip").is_dir()


def sandbox_pip(workspace: Path, venv: str = ".pip") -> list[str]:
    """The argv prefix that runs pip inside the install sandbox: the base interpreter's own
    pip, or — when it has none — the pip of a fresh venv made at `/workspace/<venv>` (one
    more sandboxed step). Raises as `run_install_step`."""
    python, has_pip = base_python()
    if has_pip:
        return [python, "-m", "pip"]
    run_install_step([python, "-m", "venv", f"{WORKSPACE}/{venv}"], "python -m venv", workspace)
    return [f"{WORKSPACE}/{venv}/bin/python", "-m", "pip"]
