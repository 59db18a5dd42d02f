"""Paths a dataset record names must stay inside the dataset: no absolute paths, no escapes.

A record names files on the host (a local source directory, gold files, rule files, the PoC
and test scripts, package files to install). asebench reads them as the user running it, often
root, and shows what it read to a model or copies it into the cache: a record naming
`/tmp/secret`, `../../etc`, or a symlink whose target lies outside would put the host's files
into a prompt. So every such path is taken relative to its folder (the instance folder, or for
a local source the dataset folder), resolved through every symlink, and refused unless the
result still lies inside that folder.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath


class PathEscape(ValueError):
    """A path that is absolute, or that resolves (through `..` or symlinks) outside its folder."""


def confined_path(named: str, base: Path, *, folder: Path, what: str) -> Path:
    """`base / named`, fully resolved, when it lies inside `folder` (itself resolved).

    `what` names the folder in the message ("the instance folder", "the dataset folder").
    Raises `PathEscape` for an empty or absolute `named`, and for one whose resolved target
    (through `..` or any symlink on the way) is outside `folder`.
    """
    if not named.strip():
        raise PathEscape("an empty path")
    if PurePosixPath(named).is_absolute() or Path(named).is_absolute():
        raise PathEscape(f"{named!r} is an absolute path: name a path inside {what}")
    resolved = (base / named).resolve()
    root = folder.resolve()
    if resolved != root and not resolved.is_relative_to(root):
        how = "through a symlink" if ".." not in PurePosixPath(named).parts else "through '..'"
        raise PathEscape(f"{named!r} leaves {what} {how} (it resolves to {resolved})")
    return resolved
