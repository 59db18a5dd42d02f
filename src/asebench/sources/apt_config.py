"""A private apt configuration for downloading Debian source packages as any user.

Its `deb-src` entries are derived from the host's own `deb` entries (the one-line
`sources.list` format and deb822 `.sources` files), so it names no archive of its own and
follows whatever mirror the machine uses. Its state (package lists) and cache live in
asebench's cache, with an empty dpkg status file, so `apt-get update` and `apt-get source
--download-only` need no root and never touch the host's apt state.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shlex
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from asebench.cache import cache_dir
from asebench.sources.command import run_command
from asebench.sources.errors import SourceError

LISTS_MAX_AGE_S = 24 * 3600.0
"""Package lists older than this are refreshed before they are used (a day)."""

DEFAULT_SOURCE_LIST = Path("/etc/apt/sources.list")
DEFAULT_SOURCE_PARTS = Path("/etc/apt/sources.list.d")


def deb_src_lines(text: str) -> list[str]:
    """The `deb-src` counterparts of the `deb` lines of a one-line-format sources list
    (options such as `[signed-by=…]` kept; comments, blanks and `deb-src` lines dropped)."""
    derived = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        kind, _, rest = line.partition(" ")
        if kind == "deb" and rest.strip():
            derived.append(f"deb-src {rest.strip()}")
    return derived


def _paragraphs(text: str) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for raw in text.splitlines():
        if raw.lstrip().startswith("#"):
            continue  # comments may sit inside a paragraph
        if not raw.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(raw.rstrip())
    return [paragraph for paragraph in paragraphs if paragraph]


def _field(paragraph: list[str], name: str) -> str | None:
    for line in paragraph:
        key, colon, value = line.partition(":")
        if colon and not line[:1].isspace() and key.strip().lower() == name.lower():
            return value.strip()
    return None


def deb_src_stanzas(text: str) -> list[str]:
    """The `Types: deb-src` counterparts of the enabled deb822 stanzas that list `deb`
    (every other field kept as written, comments dropped)."""
    derived = []
    for paragraph in _paragraphs(text):
        types = (_field(paragraph, "Types") or "").split()
        if "deb" not in types or (_field(paragraph, "Enabled") or "yes").lower() == "no":
            continue
        stanza = ["Types: deb-src" if re.match(r"(?i)types\s*:", line) else line
                  for line in paragraph]
        derived.append("\n".join(stanza))
    return derived


def host_source_files() -> tuple[Path, Path]:
    """The host's sources list and sources parts directory, as apt itself resolves them
    (`apt-config`), or the usual `/etc/apt` paths when apt-config cannot say."""
    try:
        shell = subprocess.run(
            ["apt-config", "shell", "LIST", "Dir::Etc::SourceList/f",
             "PARTS", "Dir::Etc::SourceParts/d"],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return DEFAULT_SOURCE_LIST, DEFAULT_SOURCE_PARTS
    found: dict[str, str] = {}
    for line in shell.splitlines():
        name, _, value = line.partition("=")
        words = shlex.split(value) if value else []
        if words:
            found[name.strip()] = words[0]
    return (Path(found.get("LIST", DEFAULT_SOURCE_LIST)),
            Path(found.get("PARTS", DEFAULT_SOURCE_PARTS)))


def derived_sources(source_list: Path, source_parts: Path) -> tuple[str, str]:
    """(one-line `.list` text, deb822 `.sources` text) of `deb-src` entries derived from
    the host's `source_list` file and the `*.list` / `*.sources` files of `source_parts`."""
    lines: list[str] = []
    stanzas: list[str] = []
    list_files = [source_list] if source_list.is_file() else []
    parts = sorted(source_parts.iterdir()) if source_parts.is_dir() else []
    list_files += [path for path in parts if path.suffix == ".list" and path.is_file()]
    for path in list_files:
        lines += deb_src_lines(path.read_text(encoding="utf-8", errors="replace"))
    for path in parts:
        if path.suffix == ".sources" and path.is_file():
            stanzas += deb_src_stanzas(path.read_text(encoding="utf-8", errors="replace"))
    one_line = "".join(f"{line}\n" for line in lines)
    deb822 = "".join(f"{stanza}\n\n" for stanza in stanzas)
    return one_line, deb822


@dataclass(frozen=True)
class SourceVersion:
    """One version of a source package in the package lists, with the sha256 of each of its
    files (`.dsc`, `.orig.tar.*`, `.debian.tar.*`) by file name."""

    package: str
    version: str
    files: dict[str, str]


def parse_showsrc(text: str) -> list[SourceVersion]:
    """The versions `apt-cache showsrc` printed, in the order printed."""
    found = []
    for paragraph in _paragraphs(text):
        package = _field(paragraph, "Package")
        version = _field(paragraph, "Version")
        if package is None or version is None:
            continue
        files: dict[str, str] = {}
        inside = False
        for line in paragraph:
            if not line[:1].isspace():
                inside = line.lower().startswith("checksums-sha256:")
                continue
            words = line.split()
            if inside and len(words) == 3:
                files[words[2]] = words[0].lower()
        found.append(SourceVersion(package, version, files))
    return found


class PrivateApt:
    """apt-get/apt-cache with the derived `deb-src` entries and a private state and cache.

    One configuration directory per distinct derived sources text (under
    `cache_dir("apt")`), so a change of the host's sources starts fresh lists.
    """

    def __init__(self, one_line: str, deb822: str) -> None:
        if not one_line.strip() and not deb822.strip():
            raise SourceError("debian", "the host's apt sources list no `deb` entry to derive "
                                        "`deb-src` entries from")
        digest = hashlib.sha256(f"{one_line}\0{deb822}".encode()).hexdigest()[:16]
        self.root = cache_dir("apt") / digest
        self.parts = self.root / "sources.list.d"
        self.state = self.root / "state"
        self.cache = self.root / "cache"
        for folder in (self.parts, self.state / "lists" / "partial",
                       self.cache / "archives" / "partial"):
            folder.mkdir(parents=True, exist_ok=True)
        self._write(self.parts / "asebench-deb-src.list", one_line)
        self._write(self.parts / "asebench-deb-src.sources", deb822)
        self._write(self.state / "status", "")

    @classmethod
    def from_host(cls) -> PrivateApt:
        """The private configuration derived from this machine's apt sources."""
        return cls(*derived_sources(*host_source_files()))

    @staticmethod
    def _write(path: Path, text: str) -> None:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")

    def options(self) -> list[str]:
        """The `-o` options that point apt at this configuration."""
        settings = {
            "Dir::Etc::SourceList": "/dev/null",
            "Dir::Etc::SourceParts": str(self.parts),
            "Dir::State": str(self.state),
            "Dir::State::status": str(self.state / "status"),
            "Dir::Cache": str(self.cache),
            "APT::Get::List-Cleanup": "0",
        }
        return [arg for key, value in settings.items() for arg in ("-o", f"{key}={value}")]

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold this configuration's lock (one apt at a time on its state)."""
        with open(self.root / "asebench.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _stamp(self) -> Path:
        return self.state / "asebench-updated"

    def lists_age(self) -> float | None:
        """Seconds since the last successful `update`, or None if never."""
        try:
            return time.time() - self._stamp().stat().st_mtime
        except OSError:
            return None

    def update(self) -> None:
        """`apt-get update` of the private lists. Raises `SourceError` when it fails."""
        run_command(["apt-get", *self.options(), "-q", "update"], source="apt-get update")
        self._stamp().write_text("", encoding="utf-8")
        os.utime(self._stamp())

    def update_if_stale(self, max_age: float = LISTS_MAX_AGE_S) -> bool:
        """Update the lists when they are missing or older than `max_age`; True if updated."""
        age = self.lists_age()
        if age is not None and age < max_age:
            return False
        self.update()
        return True

    def versions(self, package: str) -> list[SourceVersion]:
        """Every version of source package `package` in the lists, newest first (an empty list
        when the lists do not know it)."""
        try:
            text = run_command(["apt-cache", *self.options(), "showsrc", "--only-source",
                                package], source=f"debian {package}")
        except SourceError:
            return []
        found = [v for v in parse_showsrc(text) if v.package == package]
        return sorted(found, key=lambda v: _VersionKey(v.version), reverse=True)

    def download(self, package: str, version: str, destination: Path) -> None:
        """`apt-get source --download-only PACKAGE=VERSION` into `destination` (nothing built,
        nothing unpacked). Raises `SourceError` when apt cannot download it."""
        run_command(["apt-get", *self.options(), "-q", "source", "--download-only",
                     f"{package}={version}"], source=f"debian {package}={version}",
                    cwd=destination)


def _order(char: str) -> int:
    if char == "~":
        return -1
    if char.isalpha():
        return ord(char)
    return ord(char) + 256 if char else 0


def _compare_part(left: str, right: str) -> int:
    """Debian's comparison of an upstream version or revision (Debian Policy 5.6.12)."""
    while left or right:
        left_text = re.match(r"\D*", left).group()  # type: ignore[union-attr]
        right_text = re.match(r"\D*", right).group()  # type: ignore[union-attr]
        for index in range(max(len(left_text), len(right_text))):
            a = _order(left_text[index] if index < len(left_text) else "")
            b = _order(right_text[index] if index < len(right_text) else "")
            if a != b:
                return -1 if a < b else 1
        left, right = left[len(left_text):], right[len(right_text):]
        left_digits = re.match(r"\d*", left).group()  # type: ignore[union-attr]
        right_digits = re.match(r"\d*", right).group()  # type: ignore[union-attr]
        a, b = int(left_digits or 0), int(right_digits or 0)
        if a != b:
            return -1 if a < b else 1
        left, right = left[len(left_digits):], right[len(right_digits):]
    return 0


def compare_versions(left: str, right: str) -> int:
    """-1, 0 or 1 as Debian version `left` is older than, equal to or newer than `right`
    (epoch, upstream version, revision; `~` sorts before everything)."""
    def split(version: str) -> tuple[int, str, str]:
        epoch, colon, rest = version.partition(":")
        if not colon:
            epoch, rest = "0", version
        upstream, dash, revision = rest.rpartition("-")
        return (int(epoch) if epoch.isdigit() else 0,
                upstream if dash else rest, revision if dash else "")
    (left_epoch, left_up, left_rev), (right_epoch, right_up, right_rev) = split(left), split(right)
    if left_epoch != right_epoch:
        return -1 if left_epoch < right_epoch else 1
    return _compare_part(left_up, right_up) or _compare_part(left_rev, right_rev)


class _VersionKey:
    """A Debian version as a sort key."""

    def __init__(self, version: str) -> None:
        self.version = version

    def __lt__(self, other: _VersionKey) -> bool:
        return compare_versions(self.version, other.version) < 0
