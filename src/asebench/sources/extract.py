"""Unpack a release archive (.tar.gz, .tgz, .tar.bz2, .zip) safely, without its top folder.

Members with an absolute path, a `..` component, a link leaving the root, or a device/fifo
type are rejected before anything is written; tar extraction also runs under tarfile's `data`
filter as a second guard.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tarfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from asebench.sources.errors import SourceError


def extract_archive(archive: Path, destination: Path, *, source: str,
                    strip_top: bool = True) -> None:
    """Unpack `archive` into the existing directory `destination`, stripping one top folder
    (unless `strip_top` is False: a jar's paths are the project's own)."""
    try:
        if zipfile.is_zipfile(archive):
            _extract_zip(archive, destination, source, strip_top)
        else:
            _extract_tar(archive, destination, source)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise SourceError(source, f"cannot unpack {archive.name}: {exc}") from exc


def _member_parts(name: str, source: str) -> tuple[str, ...]:
    if name.startswith("/") or name.startswith("\\") or (len(name) > 1 and name[1] == ":"):
        raise SourceError(source, f"archive member {name!r} has an absolute path")
    parts = tuple(part for part in name.replace("\\", "/").split("/") if part not in ("", "."))
    if ".." in parts:
        raise SourceError(source, f"archive member {name!r} leaves the archive root")
    return parts


def _top_folder(names: Iterable[tuple[str, ...]]) -> str | None:
    """The single folder every member lives under, if there is one."""
    tops = set()
    nested = False
    for parts in names:
        if not parts:
            continue
        tops.add(parts[0])
        nested = nested or len(parts) > 1
    return tops.pop() if len(tops) == 1 and nested else None


def _strip(parts: tuple[str, ...], top: str | None) -> str:
    return "/".join(parts[1:] if top is not None and parts[:1] == (top,) else parts)


def _link_target_inside(member_path: str, target: str) -> bool:
    if target.startswith("/"):
        return False
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(member_path), target))
    return joined != ".." and not joined.startswith("../")


def _extract_tar(archive: Path, destination: Path, source: str) -> None:
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        parts = [_member_parts(member.name, source) for member in members]
        top = _top_folder(parts)
        kept = []
        for member, member_parts in zip(members, parts, strict=True):
            path = _strip(member_parts, top)
            if not path:
                continue
            if not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
                raise SourceError(source, f"archive member {member.name!r} is a special file")
            if member.issym() and not _link_target_inside(path, member.linkname):
                raise SourceError(
                    source, f"link {member.name!r} -> {member.linkname!r} leaves the archive root"
                )
            linkname = member.linkname
            if member.islnk():
                linkname = _strip(_member_parts(member.linkname, source), top)
            kept.append(member.replace(name=path, linkname=linkname, deep=False))
        tar.extractall(destination, members=kept, filter="data")


def _extract_zip(archive: Path, destination: Path, source: str, strip_top: bool) -> None:
    with zipfile.ZipFile(archive) as bundle:
        infos = bundle.infolist()
        parts = [_member_parts(info.filename, source) for info in infos]
        top = _top_folder(parts) if strip_top else None
        for info, member_parts in zip(infos, parts, strict=True):
            path = _strip(member_parts, top)
            if not path:
                continue
            target = destination / path
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(info) as reader, open(target, "wb") as writer:
                shutil.copyfileobj(reader, writer)
            if (info.external_attr >> 16) & 0o111:
                os.chmod(target, 0o755)
