"""Let the sandbox user create and delete files in a workspace, and nothing more.

A workspace is a hard-link farm of a root-owned, read-only source cache: its files must stay
unwritable by `nobody` (writing through a hard link would change the cache), while its
directories must be writable so PoCs and builds can add and remove files.
"""

from __future__ import annotations

import os
from pathlib import Path

from asebench.checks.sandbox.invocation import NOBODY


def sandbox_uid() -> int:
    """The uid the sandboxed command runs as: `nobody` when started by root, else ourselves."""
    return NOBODY if os.geteuid() == 0 else os.geteuid()


def grant_workspace(workspace: Path) -> None:
    """Give every directory of `workspace` to the sandbox user (files are left untouched)."""
    uid = sandbox_uid()
    if uid == os.geteuid():
        return
    for root, dirs, _files in os.walk(workspace):
        for path in [root, *(os.path.join(root, d) for d in dirs)]:
            if os.path.islink(path):
                continue
            info = os.lstat(path)
            if info.st_uid != uid:
                os.lchown(path, uid, -1)
            if info.st_mode & 0o700 != 0o700:
                os.chmod(path, info.st_mode | 0o700)


def workspace_granted(workspace: Path) -> bool:
    """Whether the sandbox user can already write the workspace's top directory."""
    info = workspace.stat()
    owned = info.st_uid == sandbox_uid() and info.st_mode & 0o300 == 0o300
    return owned or info.st_mode & 0o003 == 0o003
