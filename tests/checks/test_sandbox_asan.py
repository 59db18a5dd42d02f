"""Why C PoCs use a guard-page heap, not AddressSanitizer: under the sandbox's rlimits an ASan
program cannot map its shadow memory (README, Sandbox). If this test starts failing, ASan has
become usable under the ordinary limits and the decision can be revisited."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from asebench.checks.sandbox.bwrap import run_sandboxed

OVERFLOW = """\
#include <stdlib.h>
#include <string.h>
int main(void) { char *b = malloc(8); memcpy(b, "12345678", 8); return b[8]; }
"""


def _asan_program(tmp_path: Path) -> Path:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "overflow.c").write_text(OVERFLOW)
    done = subprocess.run(["gcc", "-fsanitize=address", "-O0", "-o", str(workspace / "overflow"),
                           str(workspace / "overflow.c")], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"gcc cannot build with -fsanitize=address here: {done.stderr[-200:]}")
    os.chmod(workspace / "overflow", 0o755)
    return workspace


def test_asan_cannot_reserve_its_shadow_memory_under_the_sandbox_limits(tmp_path: Path) -> None:
    workspace = _asan_program(tmp_path)
    result = run_sandboxed(["/workspace/overflow"], workspace=workspace)
    assert result.exit_code != 0
    assert "ReserveShadowMemoryRange failed" in result.stderr
    assert "heap-buffer-overflow" not in result.stderr
