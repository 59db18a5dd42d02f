"""Without bubblewrap, dynamic checks stop with an install hint and never run unsandboxed.

The test hides `bwrap` for one command only, in a private mount namespace (`unshare -m`) where
an empty, non-executable file is bind-mounted over it; the host is untouched.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ASEBENCH = Path(sys.executable).with_name("asebench")


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                    reason="hiding bwrap in a private mount namespace needs root and unshare")
def test_missing_bwrap_gives_an_install_hint_and_runs_nothing(tmp_path: Path) -> None:
    bwrap = shutil.which("bwrap")
    assert bwrap is not None
    stand_in = tmp_path / "no-bwrap"
    stand_in.write_text("")
    stand_in.chmod(0o644)
    marker = tmp_path / "workspace" / "ran"
    marker.parent.mkdir()
    script = (f"mount --bind {stand_in} {os.path.realpath(bwrap)} && "
              f"{ASEBENCH} sandbox run --workspace {marker.parent} -- touch ran")
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 125, done.stdout + done.stderr
    assert "apt-get install bubblewrap" in done.stdout + done.stderr
    assert not marker.exists()
