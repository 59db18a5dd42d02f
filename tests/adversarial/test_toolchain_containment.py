"""What a hostile candidate file cannot do through the language's checker (real sandbox, real gcc).

A compiler reads whatever the code names, so each test hands `gcc -fsyntax-only` (the C check) a
file that names something of the host's: the check must fail without showing it, and stop at
the sandbox's limits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from asebench.checks.sandbox.limits import Limits
from asebench.checks.toolchain import TOOLCHAIN_LIMITS, ToolchainResult, run_toolchain
from asebench.dataset.schema import Language

AS_ROOT = os.geteuid() == 0
HOSTILE_CASES = Path(__file__).parents[2] / ".." / "shared" / "cases" / "hostile"
SHARED_CANARIES = Path("/tmp/hostile/secret")

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed here")


def _check_c(tmp_path: Path, source: str, *, limits: Limits = TOOLCHAIN_LIMITS,
             timeout: float = 120, extra: dict[str, str] | None = None) -> ToolchainResult:
    tree = tmp_path / "tree"
    (tree / "src").mkdir(parents=True, exist_ok=True)
    tree.chmod(0o755)
    for rel, text in (extra or {}).items():
        (tree / rel).parent.mkdir(parents=True, exist_ok=True, mode=0o755)
        (tree / rel).write_text(text)
    (tree / "src" / "a.c").write_text(source)
    return run_toolchain(Language.C, tree, "src/a.c", timeout, limits=limits)


def _root_only_canary(directory: Path) -> tuple[Path, str]:
    directory.mkdir(mode=0o700)
    token = f"CANARY_{uuid.uuid4().hex}"
    path = directory / "canary.h"
    path.write_text(f"int {token};\n")
    path.chmod(0o600)
    return path, token


def test_a_host_file_outside_the_tree_does_not_exist_for_the_check(tmp_path: Path) -> None:
    canary, token = _root_only_canary(tmp_path / "secret")

    result = _check_c(tmp_path, f'#include "{canary}"\nint f(void) {{ return 0; }}\n')

    assert result.ran and not result.ok
    assert "No such file or directory" in result.message
    assert token not in result.message


@pytest.mark.skipif(not os.access("/etc/shadow", os.R_OK), reason="/etc/shadow is not readable "
                    "here, so its content cannot be looked for")
def test_the_hosts_shadow_file_never_reaches_the_message(tmp_path: Path) -> None:
    shadow = [line for line in Path("/etc/shadow").read_text().splitlines() if line.strip()]

    result = _check_c(tmp_path, '#include "/etc/shadow"\nint f(void) { return 0; }\n')

    assert result.ran and not result.ok
    assert not [line for line in shadow if line in result.message]


@pytest.mark.skipif(not AS_ROOT, reason="the check runs as nobody only when asebench is root")
def test_a_root_only_file_inside_the_tree_is_unreadable_to_the_check(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    _canary, token = _root_only_canary(tree / "private")
    (tree / "private").chmod(0o755)  # the directory is open, the file is root's alone

    result = _check_c(tmp_path, '#include "../private/canary.h"\nint f(void) { return 0; }\n')

    assert result.ran and not result.ok
    assert "Permission denied" in result.message
    assert token not in result.message


def test_the_hosts_environment_does_not_reach_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # gcc searches C_INCLUDE_PATH: were the host's environment passed on, this would compile
    only_via_env = tmp_path / "tree" / "env-include"
    monkeypatch.setenv("C_INCLUDE_PATH", str(only_via_env))

    result = _check_c(tmp_path, "#include <from_env.h>\nint f(void) { return FROM_ENV; }\n",
                      extra={"env-include/from_env.h": "#define FROM_ENV 1\n"})

    assert result.ran and not result.ok
    assert "from_env.h" in result.message


def test_including_dev_zero_is_stopped_by_the_memory_limit(tmp_path: Path) -> None:
    limits = Limits(memory_mb=256, workspace_mb=64)
    started = time.monotonic()

    result = _check_c(tmp_path, '#include "/dev/zero"\nint f(void) { return 0; }\n',
                      limits=limits, timeout=60)

    assert result.ran and not result.ok
    assert "out of memory" in result.message
    assert time.monotonic() - started < 30


def test_a_check_past_its_wall_time_is_a_failed_check(tmp_path: Path) -> None:
    (tmp_path / "tree" / "src").mkdir(parents=True)
    os.mkfifo(tmp_path / "tree" / "src" / "pipe.h")  # opening it waits for a writer forever
    started = time.monotonic()

    result = _check_c(tmp_path, '#include "pipe.h"\nint f(void) { return 0; }\n', timeout=2)

    assert (result.ran, result.ok) == (True, False)
    assert result.message.startswith("timed out after 2 s")
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("case", ["include_host_files.c", "include_root_only_canary.c",
                                  "include_dev_zero.c"])
def test_shared_hostile_c_answers_fail_without_showing_host_files(
    tmp_path: Path, case: str
) -> None:
    path = HOSTILE_CASES / "A-c-toolchain-host" / case
    if not path.is_file():
        pytest.skip(f"{path} is not present (the shared hostile cases are not on this machine)")
    secrets = [line for canary in sorted(SHARED_CANARIES.glob("*"))
               for line in canary.read_text().splitlines() if line.strip()]
    if os.access("/etc/shadow", os.R_OK):
        secrets += [line for line in Path("/etc/shadow").read_text().splitlines() if line]

    result = _check_c(tmp_path, path.read_text())

    assert result.ran and not result.ok
    assert not [line for line in secrets if line in result.message]


def test_a_checker_installed_where_the_sandbox_cannot_see_it_is_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private_bin = tmp_path / "bin"
    private_bin.mkdir()
    (private_bin / "gcc").write_text("#!/bin/sh\nexit 0\n")
    (private_bin / "gcc").chmod(0o755)
    monkeypatch.setenv("PATH", str(private_bin))

    result = _check_c(tmp_path, "int f(void) { return 0; }\n")

    assert (result.ran, result.ok) == (False, True)
    assert "outside what the sandbox shows" in result.message


@pytest.mark.skipif(not AS_ROOT or shutil.which("unshare") is None,
                    reason="hiding bwrap in a private mount namespace needs root and unshare")
def test_without_bubblewrap_the_check_raises_and_never_runs_on_the_host(tmp_path: Path) -> None:
    bwrap = shutil.which("bwrap")
    assert bwrap is not None
    stand_in = tmp_path / "no-bwrap"
    stand_in.write_text("")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.c").write_text('#include "/etc/shadow"\n')
    code = ("from pathlib import Path; from asebench.checks.toolchain import run_toolchain; "
            "from asebench.dataset.schema import Language\n"
            f"try: print('RAN', run_toolchain(Language.C, Path('{tree}'), 'a.c'))\n"
            "except Exception as exc: print('RAISED', type(exc).__name__, exc)")
    script = f"mount --bind {stand_in} {os.path.realpath(bwrap)} && {sys.executable} -c \"$0\""
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script,
                           code], capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")})

    assert done.stdout.startswith("RAISED SandboxUnavailable"), done.stdout + done.stderr
    assert "RAN" not in done.stdout
