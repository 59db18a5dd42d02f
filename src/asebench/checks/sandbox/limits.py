"""Resource limits for one sandboxed command: rlimits (`prlimit`), and a cgroup where there is
one (`cgroup`)."""

from __future__ import annotations

import resource
from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one sandboxed command may use.

    `memory_mb` bounds the memory of the whole sandbox (all its processes together, and what
    they keep in its `/tmp` and `/workspace` tmpfs layers) where the host gives it a memory
    cgroup (`cgroup`); past it, the whole sandbox is killed ("out of memory"). Each process
    is also held to it by RLIMIT_DATA (heap and private writable mappings, so one big
    allocation fails cleanly with ENOMEM), which stops memory bombs without breaking the JVM,
    V8 or Go, which reserve gigabytes of address space up front; `address_space_mb`
    (RLIMIT_AS) is a looser backstop. `processes` caps the sandbox's tasks in a pids cgroup,
    or else is RLIMIT_NPROC, which the kernel counts per real uid: every sandbox runs as
    `nobody`, so concurrent sandboxes share it. `cpus` (None: no cap) is how many CPUs' worth
    of time the sandbox may use at once, where the host has a cpu cgroup. `cpu_s` is per
    process (RLIMIT_CPU); `wall_s` ends the whole sandbox. `workspace_mb` bounds what the
    command may write to `/workspace` (files it creates or changes, held on a tmpfs until it
    ends; see `workspace_quota`) and `workspace_files` how many files and directories it may
    create there; past either, writes fail with ENOSPC. None turns the quota off (writes go
    straight to the host directory).
    """

    wall_s: float = 60.0
    cpu_s: int = 120
    memory_mb: int = 2048
    address_space_mb: int = 16384
    processes: int = 512
    cpus: float | None = None
    file_size_mb: int = 1024
    open_files: int = 1024
    tmp_mb: int = 512
    workspace_mb: int | None = 512
    workspace_files: int = 100_000
    output_bytes: int = 10 * MIB

    def prlimit_args(self) -> list[str]:
        """The `prlimit` options that apply these limits to the sandbox process tree."""
        # never above the hard limits this process already runs under (a user's `ulimit`):
        # an unprivileged process cannot raise them, and the sandbox would not start
        cpu_soft = _capped(resource.RLIMIT_CPU, self.cpu_s)
        return [
            f"--data={_capped(resource.RLIMIT_DATA, self.memory_mb * MIB)}",
            f"--as={_capped(resource.RLIMIT_AS, self.address_space_mb * MIB)}",
            f"--nproc={_capped(resource.RLIMIT_NPROC, self.processes)}",
            # SIGXCPU first, SIGKILL 5 s later
            f"--cpu={cpu_soft}:{_capped(resource.RLIMIT_CPU, cpu_soft + 5)}",
            f"--fsize={_capped(resource.RLIMIT_FSIZE, self.file_size_mb * MIB)}",
            f"--nofile={_capped(resource.RLIMIT_NOFILE, self.open_files)}",
            "--core=0",
        ]


def _capped(which: int, wanted: int) -> int:
    """`wanted`, or the current hard limit of `which` when that is lower."""
    hard = resource.getrlimit(which)[1]
    return wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)


DEFAULT_LIMITS = Limits()
