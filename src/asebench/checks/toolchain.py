"""The language's own compile/lint check for a candidate file, where its toolchain is installed.

A check counts only when the original (vulnerable) file passes it in the same tree: a real
project whose build needs dependencies the machine lacks must not fail every answer. Which checks
ran, and which were skipped and why, is recorded on every sample.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from asebench.code.languages import language_of_path
from asebench.dataset.schema import Language


@dataclass(frozen=True)
class ToolchainResult:
    """One toolchain check: its name, whether it ran, whether it passed, and its output tail."""

    name: str
    ran: bool
    ok: bool
    message: str = ""


def _command(language: Language, tree: Path, rel: str, scratch: Path) -> tuple[str, list[str]]:
    file = str(tree / rel)
    match language:
        case Language.PYTHON:
            return "py_compile", [sys.executable, "-m", "py_compile", file]
        case Language.JAVASCRIPT:
            return "node --check", ["node", "--check", file]
        case Language.TYPESCRIPT:
            return "tsc --noEmit", ["tsc", "--noEmit", "--skipLibCheck", "--allowJs", file]
        case Language.PHP:
            return "php -l", ["php", "-l", file]
        case Language.JAVA:
            sources = [str(p) for p in tree.rglob("*.java")]
            return "javac", ["javac", "-d", str(scratch), "-nowarn", *sources]
        case Language.GO:
            return "go vet", ["go", "vet", "./" + (str(Path(rel).parent) or ".")]
        case Language.C:
            return "gcc -fsyntax-only", [
                "gcc", "-fsyntax-only", "-I", str(tree), "-I", str((tree / rel).parent), file
            ]


def _environment(scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GOFLAGS="-mod=mod", GOPROXY="off", GOCACHE=str(scratch / "gocache"),
        GOPATH=str(scratch / "gopath"), PYTHONPYCACHEPREFIX=str(scratch / "pycache"),
    )
    return env


def run_toolchain(
    language: Language, tree: Path, rel: str, timeout: float = 120
) -> ToolchainResult:
    """Run the checker for `rel` inside `tree` (a materialised candidate tree)."""
    language = language_of_path(rel, language)
    with tempfile.TemporaryDirectory(prefix="asebench-tc-") as tmp:
        scratch = Path(tmp)
        name, command = _command(language, tree, rel, scratch)
        if shutil.which(command[0]) is None:
            return ToolchainResult(name, False, True, f"{command[0]} is not installed")
        try:
            done = subprocess.run(
                command, cwd=tree, capture_output=True, text=True, timeout=timeout,
                env=_environment(scratch), check=False,
            )
        except subprocess.TimeoutExpired:
            return ToolchainResult(name, True, False, f"timed out after {timeout:.0f} s")
    output = (done.stderr or done.stdout).strip().replace(str(tree) + "/", "")
    return ToolchainResult(name, True, done.returncode == 0, output[-800:])
