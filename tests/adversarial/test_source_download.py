"""Attack: a dataset names a PyPI release whose build backend runs during `pip download` (pip
prepares an sdist's metadata before saving it) and tries to use the harness's privileges."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from build_backend_sdist import backend_sdist

from asebench.cache import CACHE_ENV
from asebench.dataset.schema import PypiSource
from asebench.sources import SourceError, fetch_tree

BACKEND = r"""
import json, os

def _observe():
    seen = {"uid": os.getuid(), "home": os.environ.get("HOME"),
            "secret_env": "EXAMPLE_PROVIDER_API_KEY" in os.environ}
    for name, path, mode in (("canary", CANARY, "r"), ("host_write", HOST_FILE, "w")):
        try:
            with open(path, mode) as handle:
                seen[name] = handle.read() if mode == "r" else handle.write("x")
        except OSError as exc:
            seen[name] = type(exc).__name__
    raise RuntimeError("OBSERVED " + json.dumps(seen))  # pip shows the backend's output

def get_requires_for_build_wheel(config_settings=None):
    _observe()

def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    _observe()

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _observe()
"""


def _sdist(root: Path, canary: Path, host_file: Path) -> Path:
    backend = f"CANARY = {str(canary)!r}\nHOST_FILE = {str(host_file)!r}\n" + BACKEND
    return backend_sdist(root, "observer", backend)


@pytest.fixture
def index(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """A package index on 127.0.0.1 serving the observing sdist: (index URL, canary, host
    file the backend tries to write in a world-writable host folder)."""
    secret = tmp_path / "secret"
    secret.mkdir(mode=0o700)
    canary = secret / "canary.txt"
    canary.write_text("CANARY_FILE_CONTENT_51c0")
    canary.chmod(0o600)
    open_dir = tmp_path / "open"
    open_dir.mkdir()
    open_dir.chmod(0o777)  # anybody on the host could write here: only the sandbox stops it
    host_file = open_dir / "written-by-the-download.txt"
    served = tmp_path / "served"
    (served / "simple" / "observer").mkdir(parents=True)
    _sdist(served, canary, host_file)
    (served / "simple" / "observer" / "index.html").write_text(
        '<html><body><a href="../../observer-1.0.tar.gz">observer-1.0.tar.gz</a></body></html>')
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple", canary, host_file
    finally:
        server.shutdown()


def test_an_sdist_build_backend_run_by_pip_download_is_sandboxed(
    index: tuple[str, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, canary, host_file = index
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("PIP_INDEX_URL", url)  # registry configuration reaches the download
    monkeypatch.setenv("EXAMPLE_PROVIDER_API_KEY", "CANARY_ENV_SECRET_77d2")
    with pytest.raises(SourceError) as caught:
        fetch_tree(PypiSource(name="observer", version="1.0"))
    assert caught.value.source == "pypi observer==1.0"
    marker = "OBSERVED "
    assert marker in caught.value.stderr, caught.value.stderr  # the backend did run
    seen = json.loads(caught.value.stderr.rsplit(marker, 1)[1].splitlines()[0])
    assert seen["uid"] != 0
    assert seen["canary"] in ("FileNotFoundError", "PermissionError")
    assert seen["host_write"] in ("FileNotFoundError", "PermissionError", "OSError")
    assert not host_file.exists()
    assert seen["secret_env"] is False and seen["home"] != "/root"
    assert canary.read_text() == "CANARY_FILE_CONTENT_51c0"
