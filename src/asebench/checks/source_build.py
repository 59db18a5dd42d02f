"""Build the project itself once per environment (`environment.build`: `./configure`, `make`):
C libraries whose PoCs and tests link the candidate's file against the rest of the configured,
compiled tree.

The commands run in order in a copy of the source tree, in the bubblewrap sandbox as `nobody`,
without network, under the install limits, with that copy as their only writable host
directory (seen at `BUILD_TREE`). The result is kept in the environment as `build/`, which PoCs
and tests see read-only at `/env/build`: headers `configure` generated (`config.h`), object
files and static libraries. Paths a build writes into its files (a Makefile's absolute paths)
name `BUILD_TREE`, not `/env/build`: link against what it built, do not re-run its make.

Every compiler call of the build is recorded (`checks.compile_log`) into
`/env/compile_commands.json`, with paths as the sandbox sees the built tree: the C toolchain
check compiles a candidate file with the flags the build used for the original.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from asebench.checks.compile_log import install_wrappers, write_compile_commands
from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.checks.sandbox.install_step import INSTALL_LIMITS, WORKSPACE
from asebench.code.c_compile import BUILT_SOURCE

BUILD_FOLDER = BUILT_SOURCE
BUILD_TREE = f"{WORKSPACE}/env/{BUILD_FOLDER}"
"""Where the build commands see the copied source tree (their working directory)."""
SANDBOX_BUILD = f"/env/{BUILD_FOLDER}"
"""Where PoCs and tests see the built tree."""
BUILD_ENVIRONMENT = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C"}


class SourceBuildError(RuntimeError):
    """A build command failed: the message names the command and holds its output tail."""


def build_source(workspace: Path, source_root: Path, commands: Sequence[Sequence[str]]) -> Path:
    """Copy `source_root` to `workspace/env/build` and run each of `commands` there, sandboxed
    as described above; returns the built tree. `workspace` is the environment's build
    directory (seen as `/workspace`). Raises `SourceBuildError` naming the first command that
    fails, and `SandboxUnavailable` when it cannot be sandboxed (it never runs unsandboxed)."""
    tree = workspace / "env" / BUILD_FOLDER
    shutil.copytree(source_root, tree, symlinks=True)
    for directory in [tree, *(p for p in tree.rglob("*") if p.is_dir() and not p.is_symlink())]:
        directory.chmod(0o755)  # the cached source is read-only; the build writes beside it
    for path in tree.rglob("*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o200)
    environment = dict(BUILD_ENVIRONMENT)
    environment["PATH"] = install_wrappers(workspace, WORKSPACE, BUILD_ENVIRONMENT["PATH"])
    for command in commands:
        done = run_sandboxed(list(command), workspace=workspace, cwd=BUILD_TREE,
                             env=environment, limits=INSTALL_LIMITS)
        if done.exit_code != 0 or done.timed_out or done.killed_reason:
            how = done.killed_reason or ("timed out" if done.timed_out
                                         else f"exit {done.exit_code}")
            output = (done.stdout + done.stderr)[-4000:]
            raise SourceBuildError(f"environment.build {' '.join(command)} failed ({how}):\n"
                                   f"{output}")
    write_compile_commands(workspace, tree, BUILD_TREE, SANDBOX_BUILD, workspace / "env")
    return tree
