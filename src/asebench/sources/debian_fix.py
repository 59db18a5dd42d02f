"""Pin a Debian CVE patch as an instance source: `dataset new --source debian:PACKAGE --patch`.

One version of the source package (the one asked for, or the newest in the package lists) is
downloaded with `apt-get source --download-only` through `PrivateApt`; its `.orig` tarball, the
patches `debian/patches/series` applies before the CVE's patch, and the CVE's patch itself are
pinned by sha256 and stored where `sources.debian` looks for them, so fetching the resulting
`DebianSource` (vulnerable and fixed trees) needs no second download.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from asebench.dataset.schema import DebianFile, DebianSource
from asebench.sources.apt_config import PrivateApt, SourceVersion
from asebench.sources.archive_store import ReleaseKey, file_sha256, store_archive
from asebench.sources.debian import read_patches, store_patch
from asebench.sources.errors import SourceError

SERIES = "series"


def series_names(text: str) -> list[str]:
    """The patch names of a quilt `series` file, in order (comments, blank lines and the
    options after a name, such as `-p1`, dropped)."""
    names = []
    for raw in text.splitlines():
        words = raw.split("#", 1)[0].split()
        if words:
            names.append(words[0])
    return names


def orig_name(version: SourceVersion) -> str:
    """The one upstream tarball (`PACKAGE_UPSTREAM.orig.tar.*`) of `version`. Raises
    `SourceError` for a native package (none) or one with component tarballs (several)."""
    origs = sorted(name for name in version.files if ".orig" in name and ".tar." in name
                   and not name.endswith(".asc"))
    where = f"debian {version.package}={version.version}"
    if not origs:
        raise SourceError(where, "has no .orig tarball (a native package: nothing upstream to "
                                 "pin)")
    if len(origs) > 1:
        raise SourceError(where, f"has {len(origs)} upstream tarballs ({', '.join(origs)}); "
                                 "only one .orig is supported")
    return origs[0]


def split_series(series: list[str], fix: str, *, source: str) -> list[str]:
    """The patches applied before `fix`, in series order. Raises `SourceError` (field
    `fix_patch`) when `fix` is not in the series, listing the series names holding "CVE"."""
    if fix in series:
        return series[:series.index(fix)]
    cves = [name for name in series if "cve" in name.lower()]
    listed = ", ".join(cves) if cves else "none"
    raise SourceError(source, f"--patch {fix!r} is not in debian/patches/series (its patches "
                              f"naming a CVE: {listed})", field="fix_patch")


def pin_downloaded(package: str, version: str, orig: Path, debian_tarball: Path,
                   fix: str) -> DebianSource:
    """The source pinning `orig` (as downloaded), the patches before `fix` and `fix` itself,
    read from `debian_tarball` (a `.debian.tar.*`); orig and patches are stored in the cache.
    Raises `SourceError` when the tarball has no series, or a series patch is missing."""
    where = f"debian {package}={version}"
    patches = read_patches(debian_tarball, source=where)
    if SERIES not in patches:
        raise SourceError(where, f"{debian_tarball.name} has no debian/patches/series (no "
                                 "quilt patches to pick a CVE patch from)")
    series = series_names(patches[SERIES].decode("utf-8", "replace"))
    before = split_series(series, fix, source=where)
    pinned = []
    for name in [*before, fix]:
        data = patches.get(name)
        if data is None:
            raise SourceError(where, f"debian/patches/series names {name!r}, which "
                                     f"{debian_tarball.name} does not hold")
        pinned.append(DebianFile(name=name, sha256=store_patch(data)))
    digest = file_sha256(orig)
    store_archive(ReleaseKey("debian", package, orig.name), orig, digest)
    return DebianSource(package=package, orig=DebianFile(name=orig.name, sha256=digest),
                        patches=pinned[:-1], fix_patch=pinned[-1])


@dataclass(frozen=True)
class PinnedFix:
    """The pinned source, and the Debian version its files were taken from."""

    source: DebianSource
    version: str


def _choose(apt: PrivateApt, package: str, version: str | None) -> SourceVersion | None:
    versions = apt.versions(package)
    if version is None:
        return versions[0] if versions else None
    return next((v for v in versions if v.version == version), None)


def pin_fix(package: str, fix: str, version: str | None = None,
            apt: PrivateApt | None = None) -> PinnedFix:
    """Download `package` (`version`, or the newest in the lists) and pin its orig, the
    patches before `fix` and `fix`. The lists are refreshed when stale, and once more when
    the package or version is missing. Raises `SourceError` naming the package (and the
    versions the lists hold when the one asked for is not among them)."""
    apt = apt or PrivateApt.from_host()
    with apt.locked():
        refreshed = apt.update_if_stale()
        chosen = _choose(apt, package, version)
        if chosen is None and not refreshed:
            apt.update()
            chosen = _choose(apt, package, version)
        if chosen is None:
            known = [v.version for v in apt.versions(package)]
            if not known:
                raise SourceError(f"debian {package}",
                                  "the package lists hold no such source package")
            raise SourceError(f"debian {package}", f"no version {version} in the package lists "
                                                   f"(they hold {', '.join(known)})")
        name = orig_name(chosen)
        where = f"debian {package}={chosen.version}"
        with tempfile.TemporaryDirectory(prefix="asebench-apt-") as scratch:
            folder = Path(scratch)
            apt.download(package, chosen.version, folder)
            orig = folder / name
            tarballs = sorted(folder.glob(f"{package}_*.debian.tar.*"))
            if not orig.is_file():
                raise SourceError(where, f"apt saved no {name}")
            if not tarballs:
                raise SourceError(where, "no .debian.tar (not a 3.0 (quilt) source package)")
            if file_sha256(orig) != chosen.files[name]:
                raise SourceError(where, f"{name}: the download does not match the sha256 of "
                                         "the package lists")
            source = pin_downloaded(package, chosen.version, orig, tarballs[0], fix)
    return PinnedFix(source, chosen.version)
