"""Test-suite wide settings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# shared test builders (e.g. `judge_project`) import by module name from any test folder
sys.path.insert(0, str(Path(__file__).parent))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "network: downloads a real package from a public registry (pip, npm, mvn)"
    )
    config.addinivalue_line(
        "markers", "whole_dataset: checks every built-in instance (run by `make validate`, "
        "not by `make test`, which checks a fast subset)"
    )
