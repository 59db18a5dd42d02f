"""The language's own compile/lint check for a candidate file, run in the sandbox.

A compiler reads whatever the code names: run on the host as root, `#include "/etc/shadow"`
put the host's shadow file into the log and `#include "/dev/zero"` ate the host's memory. So
every check runs in the bubblewrap sandbox like a PoC: as `nobody`, without network or the
harness's environment, under the PoCs' limits (memory, processes, CPU, wall time, output, a
`/workspace` quota). The checked tree is shown read-only at its own path (so the table's argv
and the messages keep host paths); what the check writes (class files, Go's caches, Python's
bytecode) goes to the sandbox's private `/tmp`, and `/workspace` is an empty scratch directory.
Host files outside that view do not exist for the check. A check stopped by a limit failed:
the candidate's failure, unless the original fails too, which the judge's control turns into a
skipped check.

A check counts only when the original (vulnerable) file passes it in the same tree: a real
project whose build needs dependencies the machine lacks must not fail every answer. Which checks
ran, and which were skipped and why, is recorded on every sample.

A checker with a build cache (Go's: `go vet` compiles and vets every package the checked one
imports, the standard library included, 15-80 s from an empty cache on two loaded cores) keeps
the cache the check of the original file filled (`warm_cache_dir`, sealed read-only); each
candidate's check starts from its own copy of it in the sandbox's `/tmp`, so only the
candidate's package is compiled and vetted again and no sample writes what another reads.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from asebench.cache import cache_dir
from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.checks.sandbox.host_view import is_system_path, python_prefixes
from asebench.checks.sandbox.invocation import go_seeded
from asebench.checks.sandbox.limits import MIB, Limits
from asebench.checks.sandbox.workspace_access import sandbox_uid
from asebench.code.languages import info, language_of_path
from asebench.dataset.schema import Language
from asebench.sources.tree import remove_tree

SCRATCH = Path("/tmp")
"""Where a check writes, inside the sandbox (the table's `scratch`, an empty directory): the
sandbox's private `/tmp`, bounded by `Limits.tmp_mb` and gone with it (nothing to copy back)."""
MESSAGE_CHARS = 800
TOOLCHAIN_LIMITS = Limits(wall_s=120.0, memory_mb=2048, processes=512, workspace_mb=512,
                          output_bytes=1 * MIB)
"""The PoC sandbox's limits (`BwrapSandboxConfig`'s memory, processes and quota); the wall
time is `run_toolchain`'s `timeout`; output past 1 MiB is cut (messages keep 800 characters)."""


@dataclass(frozen=True)
class ToolchainResult:
    """One toolchain check: its name, whether it ran, whether it passed, and its output tail."""

    name: str
    ran: bool
    ok: bool
    message: str = ""


ENV_VIEW = Path("/env")
"""Where a check sees the instance's built environment (as PoCs do)."""


WARM_CACHES = "toolchain-caches"
"""The sub-directory of asebench's cache holding the checkers' kept build caches."""
KEPT_CACHE = "/workspace/cache"
"""Where the check that keeps its build cache writes it (its scratch, copied back after)."""


def warm_cache_dir(language: Language, tree: Path, rel: str, env_dir: Path | None
                   ) -> Path | None:
    """Where the check of the original file `rel` in `tree` (with the environment `env_dir`)
    keeps its checker's build cache: `<cache>/toolchain-caches/<sha256 of the language, tree,
    directory of rel and environment>` (trees and environments are content-addressed, so a new
    source or environment gets its own); None when the checker keeps no cache. A stale cache
    never changes a verdict (Go's cache is keyed by the content of what it compiled), it only
    saves less."""
    language = language_of_path(rel, language)
    if info(language).toolchain.cache_variable is None:
        return None
    key = "\0".join([language.value, str(tree.resolve()), str(Path(rel).parent),
                     str(env_dir.resolve()) if env_dir is not None else ""])
    return cache_dir(WARM_CACHES) / hashlib.sha256(key.encode()).hexdigest()


def run_toolchain(
    language: Language, tree: Path, rel: str, timeout: float = 120,
    *, limits: Limits = TOOLCHAIN_LIMITS, env_dir: Path | None = None,
    warm_cache: Path | None = None, keep_cache: bool = False,
) -> ToolchainResult:
    """Run the language's checker (`info(language).toolchain`, by `rel`'s extension) on `rel`
    inside `tree`, in the sandbox, with `limits` and a wall time of `timeout` seconds.
    `env_dir` is the instance's environment (`checks.environment`), shown read-only at `/env`:
    a toolchain that has a `with_environment` command runs that instead (Java compiles against
    the jars there; C compiles the file with the flags the project's build recorded there, and
    falls back to `gcc -fsyntax-only`, the reason last in the message, when it recorded no
    command for the file); a Go module's requirements come from its module cache, offline, so
    the candidate's package is built and vetted against its real dependencies.

    `ran` is False when the checker is not installed where the sandbox can see it. `tree` is
    only read; it must be readable by the sandbox user (`nobody` when run as root), or
    `ValueError` is raised; `SandboxUnavailable` when bubblewrap cannot start (a check is
    never run outside the sandbox).
    """
    language = language_of_path(rel, language)
    toolchain = info(language).toolchain
    tree = tree.resolve()
    _require_readable(tree)
    name, note = toolchain.name, toolchain.fallback_reason
    planned: list[str] | str | None = None
    if env_dir is not None and toolchain.with_environment is not None:
        planned = toolchain.with_environment(tree, rel, SCRATCH, ENV_VIEW, env_dir)
        note = planned if isinstance(planned, str) else None
    if isinstance(planned, list):
        command, name = planned, toolchain.environment_name or toolchain.name
    else:
        command = toolchain.command(tree, rel, SCRATCH)
    fallback = f"\n{toolchain.name} is a fallback: {note}" if note else ""
    program, missing = _sandbox_program(command[0])
    if program is None:
        return ToolchainResult(name, False, True, missing + fallback)
    argv, env, read_only = go_seeded([program, *command[1:]], env_dir), {}, [tree]
    variable = toolchain.cache_variable
    seeded = variable is not None and warm_cache is not None and warm_cache.is_dir()
    keep = variable is not None and warm_cache is not None and keep_cache and not seeded
    if seeded and warm_cache is not None:
        argv = _seeded_from(warm_cache, [program, *command[1:]])
        read_only.append(warm_cache)
    elif keep and variable is not None:
        env[variable] = KEPT_CACHE
    scratch = Path(tempfile.mkdtemp(prefix="asebench-tc-"))
    try:
        done = run_sandboxed(
            argv, workspace=scratch, read_only=read_only, cwd=str(tree),
            env={**toolchain.environment(SCRATCH), **env},
            limits=replace(limits, wall_s=timeout), env_dir=env_dir,
        )
        if keep and warm_cache is not None and done.success and not done.timed_out:
            _keep(scratch / Path(KEPT_CACHE).name, warm_cache)
    finally:
        remove_tree(scratch)
    output = (done.stderr or done.stdout).strip().replace(str(tree) + "/", "")
    if done.timed_out:
        stopped = f"timed out after {timeout:.0f} s"
    elif done.killed_reason is not None:
        stopped = f"stopped by the sandbox: {done.killed_reason}"
    else:
        kept = output[-(MESSAGE_CHARS - len(fallback)):] if output else ""
        return ToolchainResult(name, True, done.success, (kept + fallback).strip())
    tail = output[-(MESSAGE_CHARS - len(fallback) - len(stopped) - 1):] if output else ""
    return ToolchainResult(name, True, False, f"{stopped}\n{tail}".strip() + fallback)


def _seeded_from(cache: Path, argv: list[str]) -> list[str]:
    """`argv`, started after the kept cache `cache` is copied to the checker's own (writable)
    cache directory, named by `$GOCACHE`."""
    script = 'cp -R "$1" "$GOCACHE" && chmod -R u+w "$GOCACHE" && shift && exec "$@"'
    return ["sh", "-c", script, "cache-seeded", str(cache), *argv]


def _keep(written: Path, target: Path) -> None:
    """Seal the cache a check wrote (`written`, owned by the sandbox user) into `target`:
    ours, read-only, readable by the sandbox user; a cache another check kept first wins."""
    if not written.is_dir() or target.exists():
        return
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        shutil.copytree(written, staging / "cache", symlinks=True)
        for directory, dirs, files in os.walk(staging / "cache"):
            for name in files:
                path = os.path.join(directory, name)
                if not os.path.islink(path):
                    os.chmod(path, 0o444)
            for name in dirs:
                os.chmod(os.path.join(directory, name), 0o555)
        try:
            os.rename(staging / "cache", target)  # a directory moves while still writable
        except OSError:
            return  # kept by a concurrent check of the same original
        os.chmod(target, 0o555)
    finally:
        remove_tree(staging)


def _require_readable(tree: Path) -> None:
    """The sandbox user must be able to list and enter `tree` (it is shown as it is)."""
    if not tree.is_dir():
        raise ValueError(f"toolchain tree {tree}: no such directory")
    info = tree.stat()
    uid = sandbox_uid()
    needed = (stat.S_IRUSR | stat.S_IXUSR) if info.st_uid == uid else (stat.S_IROTH | stat.S_IXOTH)
    if uid != os.geteuid() and info.st_mode & needed != needed:
        raise ValueError(f"toolchain tree {tree}: not readable by the sandbox user (uid {uid}, "
                         f"mode {stat.S_IMODE(info.st_mode):o})")


def _visible(path: Path) -> bool:
    """Whether the sandbox shows `path`: system directories and asebench's Python base."""
    return is_system_path(path) or any(path.is_relative_to(p) for p in python_prefixes(None))


def _sandbox_program(name: str) -> tuple[str | None, str]:
    """The absolute path of the checker as the sandbox runs it, or None and why not.

    A venv's interpreter (the table's `sys.executable`) is not in the sandbox; the base
    installation it links to is.
    """
    found = shutil.which(name)
    if found is None:
        return None, f"{name} is not installed"
    real = Path(os.path.realpath(found))
    if not _visible(real):
        if name == sys.executable:
            base = Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}"
            if base.is_file() and _visible(Path(os.path.realpath(base))):
                return str(base), ""
        return None, f"{name} is installed outside what the sandbox shows ({real})"
    return (found if _visible(Path(found)) else str(real)), ""
