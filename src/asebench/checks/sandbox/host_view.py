"""The read-only slice of the host a sandbox sees: system directories and a few `/etc` files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt")
"""Top-level directories holding programs and libraries (symlinks such as `/bin -> usr/bin` are
recreated as symlinks)."""

ETC_ENTRIES = (
    "alternatives",
    "ca-certificates",
    "group",
    "host.conf",
    "hosts",
    "java-17-openjdk",
    "java-21-openjdk",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "locale.alias",
    "localtime",
    "mime.types",
    "nsswitch.conf",
    "os-release",
    "passwd",
    "php",
    "protocols",
    "python3",
    "services",
    "ssl",
    "timezone",
)
"""What the language runtimes read from `/etc` (java and php resolve their config through it).
Nothing else of `/etc` is visible."""


def system_entries() -> list[tuple[str, str | None]]:
    """`(path, symlink target or None)` for each system directory present on the host."""
    entries: list[tuple[str, str | None]] = []
    for name in SYSTEM_DIRS:
        path = Path(name)
        if path.is_symlink():
            entries.append((name, os.readlink(path)))
        elif path.is_dir():
            entries.append((name, None))
    return entries


def etc_entries() -> list[str]:
    """The `/etc` entries of `ETC_ENTRIES` that exist on the host."""
    return [f"/etc/{name}" for name in ETC_ENTRIES if os.path.lexists(f"/etc/{name}")]


def is_system_path(path: Path) -> bool:
    """Whether `path` is already visible through a system directory."""
    return any(path == Path(d) or path.is_relative_to(d) for d in SYSTEM_DIRS)


def python_prefixes(env_dir: Path | None) -> list[Path]:
    """Python installations to show read-only at their own path.

    asebench's own base interpreter (so `python` works without an environment) and the base
    interpreter a venv in `env_dir` points to (its `pyvenv.cfg` `home`), unless under `/usr`.
    """
    prefixes = [Path(sys.base_prefix).resolve()]
    if env_dir is not None:
        home = venv_home(env_dir)
        if home is not None:
            prefixes.append(home.parent.resolve())
    unique: list[Path] = []
    for prefix in prefixes:
        if not is_system_path(prefix) and prefix not in unique and prefix.is_dir():
            unique.append(prefix)
    return unique


def venv_home(env_dir: Path) -> Path | None:
    """The `home` (base interpreter's bin directory) recorded in a venv's `pyvenv.cfg`."""
    config = env_dir / "pyvenv.cfg"
    if not config.is_file():
        return None
    for line in config.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "home" and value.strip():
            return Path(value.strip())
    return None
