"""Which files of a project tree are indexed for a language.

Vendored, generated and minified code is skipped (it drowns the project's own code), and so are
files over `MAX_FILE_BYTES`. Tests are kept: they show how the project calls its own code.
"""

from __future__ import annotations

import os
from pathlib import Path

from asebench.code.languages import info
from asebench.dataset.schema import Language

SKIPPED_DIRS = frozenset(
    {
        "node_modules",
        "bower_components",
        "jspm_packages",
        "vendor",
        "vendors",
        "third_party",
        "third-party",
        "thirdparty",
        "external",
        "site-packages",
        "dist",
        "build",
        "out",
        "coverage",
        "__pycache__",
        "venv",
        "env",
    }
)
"""Directory names never descended into (besides hidden ones, starting with a dot)."""

MINIFIED_SUFFIXES = (".min.js", ".min.mjs", ".bundle.js", "-min.js", ".pack.js")
MAX_FILE_BYTES = 400_000
_MAX_MEAN_LINE_CHARS = 250


def source_files(tree: Path, language: Language) -> list[str]:
    """The relative POSIX paths of `tree`'s indexable files for `language` (by
    `info(language).indexed_extensions`), sorted."""
    extensions = info(language).indexed_extensions
    found: list[str] = []
    for directory, subdirs, files in os.walk(tree):
        subdirs[:] = sorted(d for d in subdirs if not _skipped_dir(d))
        for name in files:
            if not name.endswith(extensions) or name.endswith(MINIFIED_SUFFIXES):
                continue
            path = Path(directory, name)
            if path.is_symlink() or not path.is_file():
                continue
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            found.append(path.relative_to(tree).as_posix())
    return sorted(found)


def looks_minified(text: str) -> bool:
    """True for generated one-liners: a very long mean line length."""
    lines = text.count("\n") + 1
    return len(text) / lines > _MAX_MEAN_LINE_CHARS


def _skipped_dir(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_DIRS
