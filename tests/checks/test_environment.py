"""Per-instance environments: built once, cached read-only, usable at /env in the sandbox.

Packages come from local files (a wheel, an npm tarball) so the tests need no network.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from asebench.cache import CACHE_ENV
from asebench.checks.environment import build_environment
from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.dataset.schema import Environment, Language


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    return cache


@pytest.fixture
def wheel(tmp_path: Path) -> Path:
    """A one-module wheel with a console script, written by hand."""
    path = tmp_path / "tinymark-0.1-py3-none-any.whl"
    info = "tinymark-0.1.dist-info"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("tinymark/__init__.py", "def main():\n    print('tinymark ok')\n")
        archive.writestr(
            f"{info}/METADATA", "Metadata-Version: 2.1\nName: tinymark\nVersion: 0.1\n"
        )
        archive.writestr(
            f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        archive.writestr(
            f"{info}/entry_points.txt", "[console_scripts]\ntinymark = tinymark:main\n"
        )
        archive.writestr(f"{info}/RECORD", "")
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "workspace"
    path.mkdir()
    return path


def test_empty_spec_needs_no_environment() -> None:
    assert build_environment(Environment(), Language.PYTHON, source_root=None) is None


def test_python_environment_works_at_env_in_the_sandbox(wheel: Path, workspace: Path) -> None:
    env = build_environment(Environment(python=[str(wheel)]), Language.PYTHON, source_root=None)
    assert env is not None
    script = "python -c 'import sys, tinymark; print(sys.prefix)'; tinymark"
    result = run_sandboxed(["sh", "-c", script], workspace=workspace, env_dir=env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["/env", "tinymark ok"]


def test_environment_is_built_once_and_reused(wheel: Path) -> None:
    spec = Environment(python=[str(wheel)])
    first = build_environment(spec, Language.PYTHON, source_root=None)
    assert first is not None
    marker = first / "pyvenv.cfg"
    before = marker.stat().st_mtime_ns
    second = build_environment(spec, Language.PYTHON, source_root=None)
    assert second == first
    assert marker.stat().st_mtime_ns == before


def test_environment_is_read_only_in_the_sandbox(wheel: Path, workspace: Path) -> None:
    env = build_environment(Environment(python=[str(wheel)]), Language.PYTHON, source_root=None)
    assert env is not None
    result = run_sandboxed(["touch", "/env/bin/evil"], workspace=workspace, env_dir=env)
    assert result.exit_code != 0
    assert not (env / "bin" / "evil").exists()


def test_failed_build_leaves_nothing_in_the_cache(private_cache: Path, tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-0.1-py3-none-any.whl")
    with pytest.raises(RuntimeError, match="pip install"):
        build_environment(Environment(python=[missing]), Language.PYTHON, source_root=None)
    assert [p for p in (private_cache / "envs").iterdir() if p.suffix != ".lock"] == []


@pytest.fixture
def npm_tarball(tmp_path: Path) -> Path:
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    package = tmp_path / "tinynode"
    package.mkdir()
    manifest = {"name": "tinynode", "version": "1.0.0", "main": "index.js"}
    (package / "package.json").write_text(json.dumps(manifest))
    (package / "index.js").write_text("exports.value = 'tinynode ok';\n")
    subprocess.run(
        ["npm", "pack", "--silent", str(package)], cwd=tmp_path, check=True, capture_output=True
    )
    return tmp_path / "tinynode-1.0.0.tgz"


def test_npm_environment_is_on_node_path(npm_tarball: Path, workspace: Path) -> None:
    spec = Environment(npm=[str(npm_tarball)])
    env = build_environment(spec, Language.JAVASCRIPT, source_root=None)
    assert env is not None
    script = "console.log(require('tinynode').value, process.env.NODE_PATH)"
    result = run_sandboxed(["node", "-e", script], workspace=workspace, env_dir=env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "tinynode ok /env/node_modules"
