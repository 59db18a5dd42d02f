"""Where asebench keeps what it downloads and builds: one directory, overridable."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

CACHE_ENV = "ASEBENCH_CACHE"


def cache_root() -> Path:
    """The cache directory: `$ASEBENCH_CACHE`, else the user cache dir; created on first use."""
    configured = os.environ.get(CACHE_ENV)
    root = Path(configured) if configured else Path(platformdirs.user_cache_dir("asebench"))
    root.mkdir(parents=True, exist_ok=True)
    return root


def cache_dir(kind: str) -> Path:
    """A sub-directory of the cache for one kind of thing (`git`, `archives`, `trees`, …)."""
    path = cache_root() / kind
    path.mkdir(parents=True, exist_ok=True)
    return path
