"""The agent's sandbox: the bwrap sandbox with a narrower view while the agent works.

A coding agent runs its commands in the sample's bwrap sandbox (`sandbox="asebench-agent"`):
`/workspace` holds the project tree with the masked file(s) written in, writable. While the
agent works, its commands see neither `/instance` (gold fix, rules, PoC, test, metadata) nor
any installed package of the host: every `site-packages`, `dist-packages` and `node_modules`
directory under the system directories and the Python installations the sandbox shows, and
every application bundle that vendors libraries (`TOOL_BUNDLES`), is covered by an empty
directory, because the tooling's own dependencies are installed there in fixed releases of
several built-in projects (requests, urllib3, Jinja2, Werkzeug, PyYAML…).
The interpreters stay, and so does the instance's own environment at `/env`. The sandbox has
no network, no `.git` (source trees are checked out without it), no cache and no other
sample's workspace (none is mounted).

Once the agent is done, `end_agent_phase` restores the ordinary view, so the judge's test and
PoC run exactly as they do for a plain model's answer, on the agent's edited workspace.
"""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from inspect_ai.util import SandboxEnvironmentConfigType, SandboxEnvironmentSpec, sandboxenv

from asebench.cache import cache_dir
from asebench.checks.sample_sandbox import bwrap_config
from asebench.checks.sandbox.host_view import python_prefixes, system_entries
from asebench.checks.sandbox.inspect_provider import BwrapSandboxConfig, BwrapSandboxEnvironment
from asebench.checks.sandbox.invocation import Mount
from asebench.checks.sandbox.workspace_access import sandbox_uid
from asebench.dataset.schema import Instance
from asebench.sources.tree import SourceTree

PACKAGE_DIRS = frozenset({"site-packages", "dist-packages", "node_modules"})
"""Directory names that hold installed packages (Python, Debian's Python, npm)."""
TOOL_BUNDLES = frozenset({"google-cloud-sdk"})
"""Applications that carry their own copies of libraries outside any package directory (the
Google Cloud SDK vendors requests, urllib3, PyYAML, Jinja2, sqlparse, Mako… in fixed
releases). `asebench agent-audit` finds what this list misses."""
HIDDEN_NAMES = PACKAGE_DIRS | TOOL_BUNDLES


@functools.lru_cache(maxsize=8)
def package_dirs(roots: tuple[Path, ...]) -> tuple[Path, ...]:
    """Every directory named as in `HIDDEN_NAMES` under `roots` (not descending into them,
    not following symlinks, staying on each root's file system); sorted."""
    found: list[Path] = []
    for root in roots:
        if not root.is_dir() or root.is_symlink():
            continue
        device = root.stat().st_dev
        for directory, subdirs, _files in os.walk(root):
            keep = []
            for name in subdirs:
                path = os.path.join(directory, name)
                if name in HIDDEN_NAMES:
                    found.append(Path(path))
                elif not os.path.islink(path) and _same_device(path, device):
                    keep.append(name)
            subdirs[:] = keep
    return tuple(sorted(found))


def _same_device(path: str, device: int) -> bool:
    try:
        return os.stat(path).st_dev == device
    except OSError:
        return False


def visible_roots(env_dir: Path | None) -> tuple[Path, ...]:
    """The host directories the sandbox shows read-only at their own path: the system
    directories (not symlinks) and the Python installations."""
    system = [Path(path) for path, link in system_entries() if link is None]
    return tuple([*system, *python_prefixes(env_dir)])


def _empty_dir() -> Path:
    """An empty, read-only directory in the cache (one for every run), to cover what the
    agent must not see."""
    path = cache_dir("agent-view") / "empty"
    path.mkdir(exist_ok=True)
    for entry in path.iterdir():  # it must stay empty: anything found is removed
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    os.chmod(path, 0o555)
    return path


def hiding_mounts(env_dir: Path | None) -> list[Mount]:
    """Mounts that cover every installed-package directory and application bundle the
    sandbox would show."""
    empty = _empty_dir()
    return [Mount(empty, str(path)) for path in package_dirs(visible_roots(env_dir))]


def copy_for_agent(base: Path, workspace: Path) -> None:
    """Copy the project tree `base` into `workspace`, every file and directory owned by the
    sandbox user and writable by it (a coding agent edits files in place; the ordinary
    workspace's files are hard links into the read-only cache, which nobody may write)."""
    shutil.copytree(base, workspace, symlinks=True, dirs_exist_ok=True)
    uid = sandbox_uid()
    for directory, subdirs, files in os.walk(workspace):
        os.lchown(directory, uid, -1)
        os.chmod(directory, 0o755)
        for name in [*subdirs, *files]:
            path = os.path.join(directory, name)
            os.lchown(path, uid, -1)
            if not os.path.islink(path) and name in files:
                os.chmod(path, os.lstat(path).st_mode & 0o755 | 0o644)


@sandboxenv(name="asebench-agent")
class AgentSandboxEnvironment(BwrapSandboxEnvironment):
    """The bwrap sandbox seen by a coding agent: no `/instance`, no installed host packages,
    until `end_agent_phase` (then it is the ordinary bwrap sandbox, for the judge)."""

    def __init__(self, config: BwrapSandboxConfig) -> None:
        super().__init__(config.model_copy(update={"base": None}))  # an empty workspace
        self.config = config
        if config.base is not None:
            copy_for_agent(config.base, self.workspace)
        self.agent_phase = True

    def end_agent_phase(self) -> None:
        """From now on, `exec` shows what the judge's checks need (`/instance`, the host)."""
        self.agent_phase = False

    def exec_view(self) -> tuple[Path | None, Sequence[Mount]]:
        if not self.agent_phase:
            return super().exec_view()
        return None, hiding_mounts(self.config.env_dir)

    @classmethod
    async def task_init(cls, task_name: str, config: SandboxEnvironmentConfigType | None) -> None:
        await super().task_init(task_name, config)
        # the walk over the host's system directories takes seconds: once, off the event loop
        await asyncio.to_thread(package_dirs, visible_roots(None))


def agent_config(instance: Instance, tree: SourceTree) -> BwrapSandboxConfig:
    """The sandbox of one agent sample: the instance's source tree (copied in, writable),
    its environment (built once, cached), and its directory (for the judge only)."""
    return bwrap_config(instance, tree.root, tree.digest)


def agent_sandbox(instance: Instance, tree: SourceTree) -> SandboxEnvironmentSpec:
    """The Inspect sandbox spec of one agent sample (every agent sample has one)."""
    return SandboxEnvironmentSpec("asebench-agent", agent_config(instance, tree))
