"""Test helper: an sdist whose in-tree PEP 517 build backend is code the test wrote, to watch
what a package's build code can do when pip (download or install) runs it."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path


def backend_sdist(folder: Path, name: str, backend: str) -> Path:
    """Write `<folder>/<name>-1.0.tar.gz`, a source distribution of project `name` whose build
    backend is the module `<name>_backend` with source `backend` (in-tree: `backend-path`),
    readable by everyone (the sandboxed installer runs as another user); returns its path."""
    module = f"{name}_backend"
    pyproject = (f'[build-system]\nrequires = []\nbuild-backend = "{module}"\n'
                 f'backend-path = ["."]\n[project]\nname = "{name}"\nversion = "1.0"\n')
    sdist = folder / f"{name}-1.0.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for file, text in (("pyproject.toml", pyproject), (f"{module}.py", backend),
                           ("PKG-INFO", f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")):
            data = text.encode()
            member = tarfile.TarInfo(f"{name}-1.0/{file}")
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    sdist.chmod(0o644)
    return sdist
