"""Open a page in Debian's headless Chromium through Playwright (no browser download)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


def chromium_path() -> str:
    """The system Chromium, or a skip naming what is missing."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (apt-get install chromium)")


@contextmanager
def open_page(path: Path) -> Iterator[tuple[Any, list[str]]]:
    """`(page, errors)`: the file opened in headless Chromium, and every console error and
    uncaught page error seen so far."""
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.resolve().as_uri())
            yield page, errors
        finally:
            browser.close()
