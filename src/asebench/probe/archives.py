"""Zip archives a judge writes for the candidate to extract (judge side): the inputs of PoCs
and tests of archive-extraction weaknesses ("zip slip": an entry whose name or link climbs out
of the destination), whatever the candidate's language.

    write_zip(candidate.given / "a.zip", [("docs/", None), ("../evil", b"x")],
              links={"docs/up": "../.."})

Python's zipfile writes every name as given (`..`, absolute paths, backslashes included),
which is what such inputs need. Standard library only.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

SYMLINK_MODE = 0o120777
"""A Unix symbolic link's mode (kept in an entry's external attributes, upper 16 bits)."""
UNIX = 3
"""The `create_system` of an entry whose external attributes hold a Unix mode."""


def write_zip(path: Path, entries: Sequence[tuple[str, bytes | None]],
              links: Mapping[str, str] | None = None) -> None:
    """Write the archive `path` holding `entries` in order: (name, bytes) a file, (name, None)
    a directory; a name in `links` is instead a Unix symbolic link entry whose target is
    `links[name]`. Raises `OSError` when `path` cannot be written."""
    with zipfile.ZipFile(path, "w") as bundle:
        for name, data in entries:
            if links and name in links:
                info = zipfile.ZipInfo(name)
                info.create_system = UNIX
                info.external_attr = SYMLINK_MODE << 16
                bundle.writestr(info, links[name])
            elif data is None:
                bundle.writestr(zipfile.ZipInfo(name), b"")
            else:
                bundle.writestr(name, data)
