"""Context tests: every test gets its own asebench cache, and trees are written in the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from asebench.cache import CACHE_ENV


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point `$ASEBENCH_CACHE` at a fresh directory so indexes never leak between tests."""
    root = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(root))
    return root
