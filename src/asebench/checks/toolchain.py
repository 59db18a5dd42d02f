"""The language's own compile/lint check for a candidate file, where its toolchain is installed.

A check counts only when the original (vulnerable) file passes it in the same tree: a real
project whose build needs dependencies the machine lacks must not fail every answer. Which checks
ran, and which were skipped and why, is recorded on every sample.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from asebench.code.languages import info, language_of_path
from asebench.dataset.schema import Language


@dataclass(frozen=True)
class ToolchainResult:
    """One toolchain check: its name, whether it ran, whether it passed, and its output tail."""

    name: str
    ran: bool
    ok: bool
    message: str = ""


def _environment(language: Language, scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(info(language).toolchain.environment(scratch))
    return env


def run_toolchain(
    language: Language, tree: Path, rel: str, timeout: float = 120
) -> ToolchainResult:
    """Run the language's checker (`info(language).toolchain`, by `rel`'s extension) on `rel`
    inside `tree`, a candidate tree; `ran` is False when the checker is not installed."""
    language = language_of_path(rel, language)
    with tempfile.TemporaryDirectory(prefix="asebench-tc-") as tmp:
        scratch = Path(tmp)
        toolchain = info(language).toolchain
        name, command = toolchain.name, toolchain.command(tree, rel, scratch)
        if shutil.which(command[0]) is None:
            return ToolchainResult(name, False, True, f"{command[0]} is not installed")
        try:
            done = subprocess.run(
                command, cwd=tree, capture_output=True, text=True, timeout=timeout,
                env=_environment(language, scratch), check=False,
            )
        except subprocess.TimeoutExpired:
            return ToolchainResult(name, True, False, f"timed out after {timeout:.0f} s")
    output = (done.stderr or done.stdout).strip().replace(str(tree) + "/", "")
    return ToolchainResult(name, True, done.returncode == 0, output[-800:])
