"""Test-suite wide settings."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "network: downloads a real package from a public registry (pip, npm)"
    )
