"""End-to-end tests: the `asebench` command run as a user runs it, in a subprocess.

Every test shares one asebench cache for the session (sources of local instances are cheap to
cache, and sharing it is what a user's machine does). Models are the test server of
`model_server.py` reached through Inspect's real `openai-api/<name>/<model>` provider.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from asebench.cache import CACHE_ENV


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`$ASEBENCH_CACHE` points at a private directory for the whole session."""
    root = tmp_path_factory.mktemp("asebench-cache")
    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(root)
    yield root
    if previous is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = previous
