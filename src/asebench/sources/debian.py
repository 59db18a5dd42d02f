"""Debian source packages, fetched the way a user would: `apt-get source --download-only`.

An instance pins the upstream `.orig` tarball and each Debian patch by sha256 (not the Debian
revision): any version in the package lists whose files match is good, so an instance stays
valid after the next security update. The vulnerable tree is the orig with `patches` applied in
order; the fixed tree adds `fix_patch` (the CVE's patch). apt runs through `PrivateApt` (derived
`deb-src` entries, private state, no root); the orig is kept in the archive store and each patch
in `cache_dir("debian-patches")/<sha256>.patch`, so a warm cache needs no apt at all.
"""

from __future__ import annotations

import hashlib
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

from asebench.cache import cache_dir
from asebench.dataset.schema import DebianFile, DebianSource
from asebench.sources.apt_config import PrivateApt, SourceVersion
from asebench.sources.archive_store import (
    ReleaseKey,
    cached_archive,
    file_sha256,
    store_archive,
)
from asebench.sources.errors import SourceError
from asebench.sources.extract import extract_archive
from asebench.sources.tree import SourceTree, build_tree

PATCHES_FOLDER = "debian/patches/"
PATCH_OPTIONS = ("-p1", "--batch", "--forward", "--fuzz=0", "--remove-empty-files",
                 "--no-backup-if-mismatch", "--reject-file=-", "--quiet")
"""As dpkg-source applies a 3.0 (quilt) series: no fuzz, nothing left half-applied."""


def label(source: DebianSource) -> str:
    """How errors name the source: `debian PACKAGE (ORIG)`."""
    return f"debian {source.package} ({source.orig.name})"


def _orig_key(source: DebianSource) -> ReleaseKey:
    return ReleaseKey("debian", source.package, source.orig.name)


def patch_path(sha256: str) -> Path:
    """Where the patch with this sha256 is kept (whether or not it is stored yet)."""
    return cache_dir("debian-patches") / f"{sha256.lower()}.patch"


def store_patch(data: bytes) -> str:
    """Keep a patch by content; returns its sha256."""
    digest = hashlib.sha256(data).hexdigest()
    target = patch_path(digest)
    if not target.is_file():
        handle, staging = tempfile.mkstemp(prefix=".incoming-", dir=target.parent)
        with open(handle, "wb") as stream:
            stream.write(data)
        Path(staging).chmod(0o444)
        Path(staging).replace(target)
    return digest


def _pinned(source: DebianSource) -> list[tuple[str, DebianFile]]:
    """Every pinned patch with the record field that names it."""
    fields = [(f"source.patches.{i}", patch) for i, patch in enumerate(source.patches)]
    return [*fields, ("source.fix_patch", source.fix_patch)]


def _missing(source: DebianSource) -> bool:
    if cached_archive(_orig_key(source), source.orig.sha256) is None:
        return True
    return any(not patch_path(patch.sha256).is_file() for _, patch in _pinned(source))


def read_patches(debian_tarball: Path, *, source: str) -> dict[str, bytes]:
    """The files under `debian/patches/` of a `.debian.tar.*`, by name relative to it
    (`series` included). Raises `SourceError` when the tarball cannot be read."""
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(debian_tarball) as tar:
            for member in tar.getmembers():
                name = member.name.removeprefix("./")
                if member.isfile() and name.startswith(PATCHES_FOLDER):
                    stream = tar.extractfile(member)
                    if stream is not None:
                        found[name.removeprefix(PATCHES_FOLDER)] = stream.read()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise SourceError(source, f"cannot read {debian_tarball.name}: {exc}") from exc
    return found


def _take_version(source: DebianSource, version: SourceVersion, scratch: Path,
                  apt: PrivateApt) -> list[str]:
    """Download `version`, store its orig and the pinned patches it holds; the problems that
    keep it from serving `source` (empty when every pinned file is now stored)."""
    apt.download(source.package, version.version, scratch)
    orig = scratch / source.orig.name
    if not orig.is_file():
        return [f"{version.version}: apt saved no {source.orig.name}"]
    store_archive(_orig_key(source), orig, source.orig.sha256)
    tarballs = sorted(scratch.glob(f"{source.package}_*.debian.tar.*"))
    if not tarballs:
        return [f"{version.version}: no .debian.tar (not a 3.0 (quilt) source package)"]
    patches = read_patches(tarballs[0], source=label(source))
    problems = []
    for field, patch in _pinned(source):
        data = patches.get(patch.name)
        if data is None:
            problems.append(f"{version.version}: {field} {patch.name} is not in "
                            f"debian/patches")
            continue
        digest = store_patch(data)
        if digest != patch.sha256.lower():
            problems.append(f"{version.version}: {field} {patch.name}: sha256 mismatch: "
                            f"expected {patch.sha256.lower()}, got {digest}")
    return problems


def download_files(source: DebianSource, apt: PrivateApt | None = None) -> None:
    """Make sure the orig and every pinned patch are stored, downloading (newest first) the
    versions in the package lists whose orig has the pinned sha256 until one holds every
    pinned patch. The lists are refreshed when stale, and once more when nothing matches.
    Raises `SourceError` naming the source, the field and the file when no version serves."""
    if not _missing(source):
        return
    apt = apt or PrivateApt.from_host()
    problems: list[str] = []
    with apt.locked():
        refreshed = apt.update_if_stale()
        while True:
            versions = apt.versions(source.package)
            matching = [v for v in versions if v.files.get(source.orig.name)
                        == source.orig.sha256.lower()]
            for version in matching:
                with tempfile.TemporaryDirectory(prefix="asebench-apt-") as scratch:
                    try:
                        found = _take_version(source, version, Path(scratch), apt)
                    except SourceError as exc:
                        tail = exc.stderr.strip().splitlines()[-1:] or [exc.message]
                        found = [f"{version.version}: {tail[0]}"]
                if not found and not _missing(source):
                    return
                problems += found
            if refreshed:
                break
            apt.update()
            refreshed = True
    if not versions:
        reason = "the package lists hold no such source package"
    elif not matching:
        seen = ", ".join(f"{v.version} has {v.files.get(source.orig.name, 'no such file')}"
                         for v in versions)
        reason = (f"source.orig: no version has {source.orig.name} with sha256 "
                  f"{source.orig.sha256.lower()} ({seen})")
    else:
        reason = "; ".join(problems)
    raise SourceError(label(source), reason)


def apply_patch(tree: Path, patch: Path, *, source: str, field: str, name: str) -> None:
    """Apply one patch to `tree` as dpkg-source does (`-p1`, no fuzz); a patch that does not
    apply cleanly is refused before anything changes. Raises `SourceError` naming `field`
    and the patch."""
    for dry in (True, False):
        argv = ["patch", *PATCH_OPTIONS, *(["--dry-run"] if dry else []),
                "-d", str(tree), "-i", str(patch)]
        try:
            completed = subprocess.run(argv, capture_output=True, text=True, check=False,
                                       stdin=subprocess.DEVNULL)
        except OSError as exc:
            raise SourceError(source, f"cannot run patch (install it): {exc}") from exc
        if completed.returncode != 0:
            output = (completed.stdout + completed.stderr).strip().splitlines()
            why = output[-1] if output else f"exit code {completed.returncode}"
            raise SourceError(source, f"{field} ({name}) does not apply cleanly: {why}")


def _tree_digest(source: DebianSource, patches: Sequence[DebianFile]) -> str:
    recipe = "\n".join(["debian", source.orig.sha256.lower(),
                        *(f"{p.name} {p.sha256.lower()}" for p in patches)])
    return hashlib.sha256(recipe.encode()).hexdigest()


def _patched_tree(source: DebianSource, with_fix: bool) -> SourceTree:
    download_files(source)
    orig = cached_archive(_orig_key(source), source.orig.sha256)
    if orig is None:  # download_files stored it, or raised
        raise SourceError(label(source), f"{source.orig.name} vanished from the cache")
    pinned = _pinned(source) if with_fix else _pinned(source)[:-1]

    def fill(staging: Path) -> None:
        extract_archive(orig, staging, source=label(source))
        for field, patch in pinned:
            stored = patch_path(patch.sha256)
            if file_sha256(stored) != patch.sha256.lower():
                raise SourceError(label(source), f"cached patch {stored} is corrupt; delete it "
                                                 "to download again")
            apply_patch(staging, stored, source=label(source), field=field, name=patch.name)

    return build_tree(_tree_digest(source, [patch for _, patch in pinned]), fill)


def fetch_debian(source: DebianSource) -> SourceTree:
    """The vulnerable tree: the orig with `patches` applied in order (read-only, cached)."""
    return _patched_tree(source, with_fix=False)


def fetch_debian_fixed(source: DebianSource) -> SourceTree:
    """The fixed tree: the vulnerable tree with `fix_patch` applied (read-only, cached)."""
    return _patched_tree(source, with_fix=True)
