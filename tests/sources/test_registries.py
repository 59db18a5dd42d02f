"""The real download paths (one tiny release each from PyPI and npm), and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asebench.dataset.schema import NpmSource, PypiSource
from asebench.sources import SourceError, fetch_tree
from asebench.sources.archive_store import file_sha256
from asebench.sources.tree import remove_tree


@pytest.mark.network
def test_pypi_sdist_is_recorded_and_refetched_offline(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fetch_tree(PypiSource(name="six", version="1.16.0"))
    assert (first.root / "six.py").is_file()
    (record,) = (cache / "archives" / "index" / "pypi").rglob("*.json")
    recorded = json.loads(record.read_text())["sha256"]
    assert recorded == first.digest == file_sha256(cache / "archives" / f"{recorded}.tar.gz")

    monkeypatch.setenv("PIP_NO_INDEX", "1")  # any pip download would now fail
    remove_tree(first.root)
    again = fetch_tree(PypiSource(name="six", version="1.16.0", sha256=recorded))
    assert again == first and (again.root / "six.py").is_file()


@pytest.mark.network
def test_npm_tarball_is_recorded_and_refetched_offline(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fetch_tree(NpmSource(name="is-number", version="7.0.0"))
    assert (first.root / "index.js").is_file() and not (first.root / "package").exists()
    (record,) = (cache / "archives" / "index" / "npm").rglob("*.json")
    recorded = json.loads(record.read_text())["sha256"]
    assert recorded == first.digest

    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))  # npm cannot even be found
    again = fetch_tree(NpmSource(name="is-number", version="7.0.0", sha256=recorded))
    assert again == first


def test_failed_pip_download_names_the_package_command_and_stderr(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    with pytest.raises(SourceError) as caught:
        fetch_tree(PypiSource(name="six", version="1.16.0"))
    assert caught.value.source == "pypi six==1.16.0"
    assert caught.value.command is not None and "download" in caught.value.command
    assert "six==1.16.0" in caught.value.stderr


def test_failed_npm_pack_names_the_package_command_and_stderr(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("npm_config_offline", "true")
    with pytest.raises(SourceError) as caught:
        fetch_tree(NpmSource(name="is-number", version="7.0.0"))
    assert caught.value.source == "npm is-number@7.0.0"
    assert caught.value.command is not None and caught.value.command[:2] == ["npm", "pack"]
    assert caught.value.stderr.strip()
