"""A Go source's environment: its requirements downloaded (sandboxed) into a module cache that
the toolchain check then builds against offline, so the candidate's package is compiled with
its real dependencies. Uses a small real module from the module proxy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from asebench.cache import CACHE_ENV
from asebench.checks.environment import build_environment
from asebench.checks.toolchain import run_toolchain
from asebench.dataset.schema import Environment, GomodSource, Language
from asebench.sources import fetch_tree

MODULE, VERSION = "github.com/mattn/go-isatty", "v0.0.20"
FILE = "isatty_tcgets.go"
"""Calls golang.org/x/sys/unix, the module's one requirement."""

pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(shutil.which("go") is None, reason="go is not installed here"),
]


@pytest.fixture(scope="module")
def go_module(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The module's tree and its environment (modules and a warm build cache), in a cache
    of their own (built once for the tests of this file)."""
    cache = tmp_path_factory.mktemp("go-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(cache))
        tree = fetch_tree(GomodSource(module=MODULE, version=VERSION))
        env = build_environment(Environment(install_source=True, go_build=["."]), Language.GO,
                                source_root=tree.root, source_digest=tree.digest)
    assert env is not None
    return tree.root, env


def _candidate(tree: Path, where: Path, old: str, new: str) -> Path:
    """A copy of `tree` (readable by the sandbox user) whose FILE has `old` replaced."""
    copy = where / "candidate"
    shutil.copytree(tree, copy)
    for path in [copy, *copy.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    text = (copy / FILE).read_text()
    assert old in text
    (copy / FILE).write_text(text.replace(old, new))
    return copy


def test_environment_holds_the_required_modules(go_module: tuple[Path, Path]) -> None:
    _, env = go_module
    assert list((env / "gomod" / "golang.org" / "x").glob("sys@v*"))
    assert (env / "gocache").is_dir()


def test_original_package_builds_against_the_environment_offline(
    go_module: tuple[Path, Path],
) -> None:
    tree, env = go_module

    result = run_toolchain(Language.GO, tree, FILE, env_dir=env)

    assert (result.ran, result.ok) == (True, True), result.message


def test_without_the_environment_the_requirement_cannot_be_found(
    go_module: tuple[Path, Path],
) -> None:
    tree, _ = go_module

    result = run_toolchain(Language.GO, tree, FILE)

    assert not result.ok and "GOPROXY=off" in result.message  # the sandbox has no network


def test_candidate_calling_a_missing_dependency_function_fails(
    go_module: tuple[Path, Path], tmp_path: Path,
) -> None:
    tree, env = go_module
    tmp_path.chmod(0o755)
    candidate = _candidate(tree, tmp_path, "unix.IoctlGetTermios(", "unix.IoctlGetTermiosNow(")

    result = run_toolchain(Language.GO, candidate, FILE, env_dir=env)

    assert (result.ran, result.ok) == (True, False)
    assert "IoctlGetTermiosNow" in result.message
