"""`environment.build`: a C project built once by its own make, sandboxed and cached, and
linked against from /env/build in the PoC sandbox."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from asebench.cache import CACHE_ENV
from asebench.checks.environment import EnvironmentBuildError, build_environment
from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.dataset.schema import Environment, Language
from asebench.sources.tree import seal

pytestmark = pytest.mark.skipif(shutil.which("make") is None or shutil.which("gcc") is None,
                                reason="make and gcc are needed to build a C project")

MAKEFILE = """\
libdemo.a: demo.o
\tar rcs libdemo.a demo.o
demo.o: demo.c demo.h
\tgcc -c -O0 -o demo.o demo.c
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    return cache


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A read-only C library source tree (as the source cache keeps it) with a Makefile."""
    root = tmp_path / "demo-1.0"
    root.mkdir()
    (root / "Makefile").write_text(MAKEFILE)
    (root / "demo.h").write_text("int triple(int x);\n")
    (root / "demo.c").write_text('#include "demo.h"\nint triple(int x) { return 3 * x; }\n')
    seal(root)
    return root


def test_the_library_is_built_once_and_linked_from_env_build(
    project: Path, tmp_path: Path
) -> None:
    spec = Environment(build=[["make", "libdemo.a"]])
    env = build_environment(spec, Language.C, source_root=project)
    assert env is not None and (env / "build" / "libdemo.a").is_file()
    assert not (project / "libdemo.a").exists()  # the cached source is left as it was
    assert build_environment(spec, Language.C, source_root=project) == env  # cached

    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "main.c").write_text(
        '#include <stdio.h>\n#include "demo.h"\nint main(void) { printf("%d", triple(14)); }\n')
    script = "gcc -I/env/build -o /tmp/m main.c /env/build/libdemo.a && /tmp/m"
    result = run_sandboxed(["sh", "-c", script], workspace=workspace, env_dir=env)
    assert (result.exit_code, result.stdout) == (0, "42"), result.stderr


def test_a_failing_build_command_is_named_and_leaves_no_environment(
    project: Path, private_cache: Path
) -> None:
    spec = Environment(build=[["make", "no-such-target"]])
    with pytest.raises(EnvironmentBuildError, match=r"environment\.build make no-such-target "
                                                      r"failed"):
        build_environment(spec, Language.C, source_root=project)
    assert [p.name for p in (private_cache / "envs").iterdir() if p.is_dir()] == []


def test_the_build_runs_without_network(project: Path) -> None:
    (project / "Makefile").chmod(0o644)
    (project / "Makefile").write_text(
        "all:\n\tpython3 -c 'import socket; socket.create_connection((\"192.0.2.1\", 80), 3)'\n")
    with pytest.raises(EnvironmentBuildError, match="unreachable"):
        build_environment(Environment(build=[["make"]]), Language.C, source_root=project)


def test_an_empty_build_command_is_refused_by_the_schema() -> None:
    with pytest.raises(ValueError, match="non-empty argv"):
        Environment(build=[[]])
