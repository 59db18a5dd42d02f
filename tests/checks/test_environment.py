"""Per-instance environments: built once, cached read-only, usable at /env in the sandbox,
and installed in the sandbox as `nobody` without the harness's secrets or host write access.

Packages come from local files (a wheel, an npm tarball, an sdist) so the tests need no network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from build_backend_sdist import backend_sdist

from asebench.cache import CACHE_ENV
from asebench.checks.environment import (
    EnvironmentBuildError,
    build_environment,
    source_tree_digest,
    tree_digest,
)
from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.dataset.schema import Environment, Language
from asebench.sources.tree import build_tree


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


def test_failed_build_leaves_nothing_in_the_cache(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIP_NO_INDEX", "1")  # registry configuration reaches the install
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    spec = Environment(python=["no-such-package-of-asebench==0.1"])
    with pytest.raises(EnvironmentBuildError, match="pip install failed"):
        build_environment(spec, Language.PYTHON, source_root=None)
    assert [p for p in (private_cache / "envs").iterdir() if p.suffix != ".lock"] == []


def test_a_missing_package_file_is_named(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-0.1-py3-none-any.whl")
    with pytest.raises(EnvironmentBuildError, match=r"no-such-0\.1-py3-none-any\.whl: no such"):
        build_environment(Environment(python=[missing]), Language.PYTHON, source_root=None)


PROBE_BACKEND = r"""
import json, os, zipfile

def _probe():
    seen = {"uid": os.getuid(), "home": os.environ.get("HOME"), "env": dict(os.environ)}
    for name, path, mode in (("canary", CANARY, "r"), ("host_write", HOST_FILE, "w")):
        try:
            with open(path, mode) as handle:
                seen[name] = handle.read() if mode == "r" else handle.write("x")
        except OSError as exc:
            seen[name] = type(exc).__name__
    with open("/workspace/env/probe.json", "w") as handle:
        json.dump(seen, handle)

_probe()

def get_requires_for_build_wheel(config_settings=None):
    return []

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "probe-1.0-py3-none-any.whl"
    info = "probe-1.0.dist-info"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as wheel:
        wheel.writestr(info + "/METADATA", "Metadata-Version: 2.1\nName: probe\nVersion: 1.0\n")
        wheel.writestr(info + "/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\n"
                       "Tag: py3-none-any\n")
        wheel.writestr(info + "/RECORD", "")
    return name
"""


@pytest.fixture
def probing_sdist(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An sdist whose build backend (which pip runs to install it) tries to read a root-only
    canary and write a host file, and records what it saw: (sdist, canary, host file)."""
    secret_dir = tmp_path / "secret"
    secret_dir.mkdir(mode=0o700)
    canary = secret_dir / "canary.txt"
    canary.write_text("CANARY_FILE_CONTENT_e83b")
    canary.chmod(0o600)
    host_file = tmp_path / "written-by-the-install.txt"
    backend = f"CANARY = {str(canary)!r}\nHOST_FILE = {str(host_file)!r}\n" + PROBE_BACKEND
    sdist = backend_sdist(tmp_path, "probe", backend)
    return sdist, canary, host_file


def test_an_install_script_sees_no_secret_no_home_and_cannot_write_the_host(
    probing_sdist: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    sdist, canary, host_file = probing_sdist
    monkeypatch.setenv("EXAMPLE_PROVIDER_API_KEY", "CANARY_ENV_SECRET_1f9a")
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")  # registry config: passed
    env = build_environment(Environment(python=[str(sdist)]), Language.PYTHON, source_root=None)
    assert env is not None
    seen = json.loads((env / "probe.json").read_text())
    assert seen["uid"] != 0
    assert seen["canary"] in ("FileNotFoundError", "PermissionError")  # hidden or refused
    assert seen["host_write"] in ("FileNotFoundError", "PermissionError", "OSError")
    assert not host_file.exists()
    assert seen["home"] == "/tmp"
    assert "EXAMPLE_PROVIDER_API_KEY" not in seen["env"]
    assert not any("CANARY" in value for value in seen["env"].values())
    assert seen["env"]["PIP_INDEX_URL"] == "http://127.0.0.1:9/simple"
    assert canary.read_text() == "CANARY_FILE_CONTENT_e83b"


def test_the_built_environment_belongs_to_us_not_to_the_sandbox_user(wheel: Path) -> None:
    env = build_environment(Environment(python=[str(wheel)]), Language.PYTHON, source_root=None)
    assert env is not None
    owners = {path.lstat().st_uid for path in [env, *env.rglob("*")]}
    assert owners == {os.geteuid()}
    writable = [p for p in [env, *env.rglob("*")] if not p.is_symlink()
                and p.lstat().st_mode & 0o222]
    assert writable == []


def test_a_private_package_file_is_never_copied_into_the_install(tmp_path: Path,
                                                                 wheel: Path) -> None:
    wheel.chmod(0o600)
    with pytest.raises(EnvironmentBuildError, match="not a file readable by others"):
        build_environment(Environment(python=[str(wheel)]), Language.PYTHON, source_root=None)


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


def _interfaces(proc_net_dev: str) -> set[str]:
    return {line.split(":")[0].strip() for line in proc_net_dev.splitlines()[2:]}


def test_only_installs_share_the_hosts_network(workspace: Path) -> None:
    host = _interfaces(Path("/proc/net/dev").read_text())
    shared = run_sandboxed(["cat", "/proc/net/dev"], workspace=workspace, network=True)
    closed = run_sandboxed(["cat", "/proc/net/dev"], workspace=workspace)
    assert shared.exit_code == 0 and closed.exit_code == 0, shared.stderr + closed.stderr
    assert _interfaces(shared.stdout) == host
    assert _interfaces(closed.stdout) == {"lo"}


def test_one_source_tree_gets_one_environment_with_or_without_its_digest() -> None:
    """Inspect's sample sandboxes pass the published tree's digest, the toolchain check and
    `validate` pass none: both must find the same environment (a second one was built)."""
    def fill(staging: Path) -> None:
        (staging / "Makefile").write_text("all:\n\techo built > out.txt\n")

    tree = build_tree("d" * 64, fill)
    assert source_tree_digest(tree.root) == tree.digest
    spec = Environment(build=[["make", "all"]])
    given = build_environment(spec, Language.C, source_root=tree.root, source_digest=tree.digest)
    derived = build_environment(spec, Language.C, source_root=tree.root)
    assert given is not None and derived == given
    assert (given / "build" / "out.txt").read_text() == "built\n"


def test_an_unpublished_tree_is_keyed_by_its_files(tmp_path: Path) -> None:
    tree = tmp_path / "src"
    tree.mkdir()
    (tree / "a.txt").write_text("one")
    first = source_tree_digest(tree)
    assert first == tree_digest(tree)
    (tree / "a.txt").write_text("two")
    assert source_tree_digest(tree) != first
