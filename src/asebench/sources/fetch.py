"""Fetch any instance source (git, PyPI, npm, Debian, local) as a read-only tree in the cache."""

from __future__ import annotations

from pathlib import Path

from asebench.dataset.schema import (
    DebianSource,
    GitSource,
    LocalSource,
    NpmSource,
    PypiSource,
    Source,
)
from asebench.sources import git, npm, pypi
from asebench.sources.debian import fetch_debian, fetch_debian_fixed
from asebench.sources.errors import SourceError
from asebench.sources.local import fetch_local
from asebench.sources.tree import SourceTree


def fetch_tree(source: Source, *, instance_root: Path | None = None) -> SourceTree:
    """The vulnerable tree of `source`; relative local paths are taken from `instance_root`."""
    if isinstance(source, GitSource):
        return git.fetch_git(source, instance_root=instance_root)
    if isinstance(source, PypiSource):
        return pypi.fetch_pypi(source)
    if isinstance(source, NpmSource):
        return npm.fetch_npm(source)
    if isinstance(source, DebianSource):
        return fetch_debian(source)
    if isinstance(source, LocalSource):
        return fetch_local(source, instance_root=instance_root)
    raise TypeError(f"unknown source kind: {source!r}")


def fetch_fixed_tree(source: Source, *, instance_root: Path | None = None) -> SourceTree:
    """The fixed tree of `source` (`fixed_rev` / `fixed_version`, or a Debian source's tree
    with its `fix_patch` applied), to derive gold fixes from."""
    if isinstance(source, GitSource) and source.fixed_rev is not None:
        url = git.resolve_url(source.url, instance_root)
        return git.fetch_commit(url, source.fixed_rev)
    if isinstance(source, PypiSource) and source.fixed_version is not None:
        return pypi.fetch_release(source.name, source.fixed_version)
    if isinstance(source, NpmSource) and source.fixed_version is not None:
        return npm.fetch_release(source.name, source.fixed_version)
    if isinstance(source, DebianSource):
        return fetch_debian_fixed(source)
    raise SourceError(str(source), "the source names no fixed revision or version")
