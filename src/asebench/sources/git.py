"""Git sources: a cached bare mirror per URL, one commit materialised without any history.

The mirror lives at `cache_dir("git")/<sha256 of the url>.git`; it is cloned once and fetched
again only when a revision is not found in it. The commit is checked out through a private
index file into a read-only tree at `cache_dir("trees")/<commit sha>` that has no `.git`, so
nothing in the tree can reach the history or the fix. (`git archive` is not used: it drops
`export-ignore` paths, often the project's tests.)
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

from asebench.cache import cache_dir
from asebench.dataset.schema import GitSource
from asebench.sources.command import run_command
from asebench.sources.errors import SourceError
from asebench.sources.tree import SourceTree, build_tree, cached_tree

FULL_SHA = re.compile(r"^[0-9a-f]{40}$|^[0-9a-f]{64}$")
_GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C",
            # no remote helpers (`ext::` runs a command), whatever the URL came from
            "GIT_ALLOW_PROTOCOL": "https:http:git:ssh:file"}
_CHECKOUT_CONFIG = ("-c", "core.autocrlf=false", "-c", "core.symlinks=true")


def resolve_url(url: str, instance_root: Path | None = None) -> str:
    """The URL as git should see it: a relative local path is taken from `instance_root`."""
    looks_remote = "://" in url or re.match(r"^[\w.-]+@[\w.-]+:", url) is not None
    if looks_remote or os.path.isabs(url):
        return url
    base = instance_root if instance_root is not None else Path.cwd()
    return str((base / url).resolve())


def _environment() -> dict[str, str]:
    return {**os.environ, **_GIT_ENV}


def _git(mirror: Path, *args: str, source: str) -> str:
    command = ["git", f"--git-dir={mirror}", *args]
    return run_command(command, source=source, env=_environment())


def mirror_path(url: str) -> Path:
    """Where the bare mirror of `url` is kept."""
    return cache_dir("git") / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.git"


def ensure_mirror(url: str) -> Path:
    """The bare mirror of `url`, cloned on first use (atomically, so racing clones are safe)."""
    mirror = mirror_path(url)
    if mirror.is_dir():
        return mirror
    staging = Path(tempfile.mkdtemp(prefix=f".{mirror.name}-", dir=mirror.parent))
    try:
        command = ["git", "clone", "--mirror", "--quiet", "--", url, str(staging / "mirror.git")]
        run_command(command, source=url, env=_environment())
        try:
            os.rename(staging / "mirror.git", mirror)
        except OSError:
            if not mirror.is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return mirror


def _try_resolve(mirror: Path, rev: str) -> str | None:
    spec = f"{rev}^{{commit}}"
    command = ["git", f"--git-dir={mirror}", "rev-parse", "--verify", "--quiet", spec]
    try:
        return run_command(command, source=str(mirror), env=_environment()).strip() or None
    except SourceError:
        return None


def resolve_rev(url: str, rev: str) -> str:
    """The full commit sha of `rev` (sha, short sha, tag, branch, `sha^`, `sha~2`) in `url`."""
    if rev.startswith("-"):
        raise SourceError(f"{url}@{rev}", "a revision cannot start with '-'")
    mirror = ensure_mirror(url)
    found = _try_resolve(mirror, rev)
    if found is None:
        try:
            _git(mirror, "fetch", "--quiet", "--prune", "origin", source=f"{url}@{rev}")
        except SourceError:
            if _try_resolve(mirror, rev) is None:  # a concurrent fetch may have brought it
                raise
        found = _try_resolve(mirror, rev)
    if found is None:
        raise SourceError(
            f"{url}@{rev}",
            "revision not found in the repository",
            command=["git", f"--git-dir={mirror}", "rev-parse", "--verify", f"{rev}^{{commit}}"],
        )
    return found


def _checkout(mirror: Path, sha: str, destination: Path, source: str) -> None:
    index = destination.parent / f"{destination.name}.index"
    env = {**_environment(), "GIT_INDEX_FILE": str(index)}
    base = ["git", *_CHECKOUT_CONFIG, f"--git-dir={mirror}", f"--work-tree={destination}"]
    try:
        run_command([*base, "read-tree", sha], source=source, env=env)
        run_command([*base, "checkout-index", "--all", "--force"], source=source, env=env)
    finally:
        index.unlink(missing_ok=True)


def fetch_commit(url: str, rev: str) -> SourceTree:
    """The read-only tree of one commit, without `.git`; its digest is the commit sha."""
    if FULL_SHA.match(rev.lower()):
        found = cached_tree(rev.lower())
        if found is not None:
            return found
    sha = resolve_rev(url, rev)
    mirror = mirror_path(url)
    source = f"{url}@{rev}"
    return build_tree(sha, lambda staging: _checkout(mirror, sha, staging, source))


def fetch_git(source: GitSource, *, instance_root: Path | None = None) -> SourceTree:
    """The vulnerable commit of a git instance."""
    return fetch_commit(resolve_url(source.url, instance_root), source.rev)


def fetch_file_at(
    source: GitSource, rev: str, path: str, *, instance_root: Path | None = None
) -> str:
    """The text of `path` at `rev` (e.g. the fix commit), read from the mirror, not a tree."""
    url = resolve_url(source.url, instance_root)
    sha = resolve_rev(url, rev)
    return _git(mirror_path(url), "cat-file", "blob", f"{sha}:{path}", source=f"{url}@{rev}:{path}")
