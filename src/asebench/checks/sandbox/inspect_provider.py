"""`sandbox="bwrap"` for any Inspect eval: each sample gets a private workspace, each `exec`
runs in a fresh bubblewrap sandbox over it (no network, read-only host, `nobody`, limits).

Files persist in the workspace (`/workspace`, the default cwd) between calls; `/tmp` and
processes do not. `exec_judged` runs a judged PoC or test: the judge script and the candidate's
code in two sandboxes (`paired.py`). Configure with `("bwrap", BwrapSandboxConfig(...))` to
mount an instance directory at `/instance`, an environment at `/env`, or change the limits.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Literal, TypeVar, overload

from inspect_ai.util import (
    ExecResult,
    OutputLimitExceededError,
    SandboxEnvironment,
    SandboxEnvironmentConfigType,
    SandboxEnvironmentLimits,
    SandboxUserUnsupportedError,
    sandboxenv,
)
from pydantic import BaseModel, ConfigDict

from asebench.checks.sandbox.bwrap import run_sandboxed_async
from asebench.checks.sandbox.invocation import Mount, tool
from asebench.checks.sandbox.limits import Limits
from asebench.checks.sandbox.paired import PairedResult, run_paired_async
from asebench.checks.sandbox.workspace_access import sandbox_uid
from asebench.sources.tree import remove_tree
from asebench.workspace import Workspace

WORKSPACE = PurePosixPath("/workspace")
SANDBOX_USERS = ("nobody", str(65534))
SAMPLES_PER_CPU = 5
"""Samples holding a bwrap sandbox at once per CPU, by default (`default_concurrency`)."""


class BwrapSandboxConfig(BaseModel):
    """Options of the bwrap sandbox (all optional)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base: Path | None = None
    instance_dir: Path | None = None
    env_dir: Path | None = None
    wall_s: float = 600.0
    memory_mb: int = 2048
    processes: int = 512
    workspace_mb: int | None = 512
    """What one command may write to `/workspace` (None: no quota)."""


@sandboxenv(name="bwrap")
class BwrapSandboxEnvironment(SandboxEnvironment):
    """A per-sample workspace on the host, entered through bubblewrap for every command."""

    def __init__(self, config: BwrapSandboxConfig) -> None:
        super().__init__()
        self.config = config
        self._tree: Workspace | None = None
        if config.base is not None:
            # the sample's project tree: a cheap copy of the read-only cached source
            self._tree = Workspace(config.base, Path(tempfile.mkdtemp(prefix="asebench-bwrap-")))
            self.workspace = self._tree.materialise(hardlink=os.geteuid() == 0)
        else:
            self.workspace = Path(tempfile.mkdtemp(prefix="asebench-bwrap-"))
        os.chown(self.workspace, sandbox_uid(), -1)

    def remove(self) -> None:
        """Delete the workspace (and, for a project tree, everything it was built in)."""
        if self._tree is not None:
            self._tree.remove()
        else:
            remove_tree(self.workspace)

    @classmethod
    def config_deserialize(cls, config: dict[str, object]) -> BaseModel:
        return BwrapSandboxConfig.model_validate(config)

    @classmethod
    def default_concurrency(cls) -> int | None:
        """How many samples Inspect runs with a bwrap sandbox at once (`--max-sandboxes`
        lowers or raises it): `SAMPLES_PER_CPU` per CPU. A sample mostly waits (semgrep
        batches, toolchain and PoC processes, the control runs), so at one per CPU the machine
        idled: the built-in set x 3 cycles took 909.5 s with 2 at once and 380.6 s (0.42x) with
        6 on 2 CPUs, with every verdict right. 5 per CPU (10 at once on 2 CPUs) was validated
        at that concurrency, the machine at load 8-17 with other work: the whole built-in
        reference baseline, and for the eight ReDoS instances plus express, send, shell-quote
        and urllib3-20060 the reference and vulnerable baselines, their mutants' and
        `validate --repeat 2`, every verdict right. What makes it safe: the timing PoCs budget
        their requests from a control request on the judge's clock and retry a miss once after
        a fresh one (`asebench_probe.timing`), and every other wall-clock limit in the
        instances' scripts is a hang guard sized for load 20-30."""
        return SAMPLES_PER_CPU * (os.cpu_count() or 1)

    @classmethod
    async def task_init(cls, task_name: str, config: SandboxEnvironmentConfigType | None) -> None:
        tool("bwrap")
        tool("prlimit")
        if os.geteuid() == 0:
            tool("setpriv")

    @classmethod
    async def sample_init(
        cls,
        task_name: str,
        config: SandboxEnvironmentConfigType | None,
        metadata: dict[str, str],
    ) -> dict[str, SandboxEnvironment]:
        return {"default": cls(_config(config))}

    @classmethod
    async def sample_cleanup(
        cls,
        task_name: str,
        config: SandboxEnvironmentConfigType | None,
        environments: dict[str, SandboxEnvironment],
        interrupted: bool,
    ) -> None:
        for environment in environments.values():
            if isinstance(environment, BwrapSandboxEnvironment):
                environment.remove()

    @classmethod
    async def task_cleanup(
        cls, task_name: str, config: SandboxEnvironmentConfigType | None, cleanup: bool
    ) -> None:
        return None

    async def exec(
        self,
        cmd: list[str],
        input: str | bytes | None = None,
        cwd: str | None = None,
        env: dict[str, str] | None = None,
        user: str | None = None,
        timeout: int | None = None,
        timeout_retry: bool = True,
        concurrency: bool = True,
    ) -> ExecResult[str]:
        if user is not None and user not in SANDBOX_USERS:
            raise SandboxUserUnsupportedError(f"the bwrap sandbox runs as nobody, not {user!r}")
        inside = WORKSPACE / (cwd or ".")
        host_cwd = self._host_path(str(inside))
        if not host_cwd.is_dir():
            return ExecResult(False, 1, "", f"cwd {inside} is not a directory in the sandbox")
        limits = Limits(
            wall_s=float(timeout) if timeout is not None else self.config.wall_s,
            memory_mb=self.config.memory_mb,
            processes=self.config.processes,
            output_bytes=SandboxEnvironmentLimits.MAX_EXEC_OUTPUT_SIZE,
            workspace_mb=self.config.workspace_mb,
        )
        instance_dir, extra_mounts = self.exec_view()
        result = await run_sandboxed_async(
            cmd,
            workspace=self.workspace,
            instance_dir=instance_dir,
            env_dir=self.config.env_dir,
            limits=limits,
            env=env,
            stdin=input.encode() if isinstance(input, str) else input,
            cwd=str(inside),
            extra_mounts=extra_mounts,
        )
        if result.timed_out:
            raise TimeoutError(f"command timed out after {limits.wall_s:g}s in the bwrap sandbox")
        if result.output_truncated:
            raise OutputLimitExceededError(
                SandboxEnvironmentLimits.MAX_EXEC_OUTPUT_SIZE_STR, result.stdout
            )
        stderr = result.stderr
        if result.workspace_full:  # say why writes failed; a full workspace is no success
            stderr += f"\n[bwrap sandbox] /workspace quota ({limits.workspace_mb} MiB) exceeded\n"
        if result.out_of_memory:  # the whole sandbox was killed at its memory limit
            stderr += f"\n[bwrap sandbox] out of memory ({limits.memory_mb} MiB): killed\n"
        return ExecResult(result.success, result.exit_code, result.stdout, stderr)

    def exec_view(self) -> tuple[Path | None, Sequence[Mount]]:
        """What `exec` shows besides the workspace: the instance directory (or None) and
        further mounts (a subclass narrows the view: `agents/sandbox_view.py`)."""
        return self.config.instance_dir, ()

    async def exec_judged(self, script: str, *, timeout: float,
                          env: dict[str, str] | None = None) -> PairedResult:
        """Run a judged PoC or test: `script` (a path under `/instance`) in a judge's sandbox,
        the candidate's code from this workspace in a sandbox of its own with `env`
        (`checks/sandbox/paired.py`). The judge gets `timeout` seconds; what the candidate
        writes to `/workspace` meanwhile is dropped. Raises `SandboxUnavailable` when either
        sandbox cannot start, `ValueError` without an instance directory."""
        if self.config.instance_dir is None:
            raise ValueError("a judged check needs the instance directory (instance_dir)")
        limits = Limits(
            wall_s=timeout,
            memory_mb=self.config.memory_mb,
            processes=self.config.processes,
            output_bytes=SandboxEnvironmentLimits.MAX_EXEC_OUTPUT_SIZE,
            workspace_mb=self.config.workspace_mb,
        )
        return await run_paired_async(script, workspace=self.workspace,
                                      instance_dir=self.config.instance_dir,
                                      env_dir=self.config.env_dir, limits=limits, env=env)

    async def write_file(self, file: str, contents: str | bytes) -> None:
        path = self._host_path(file)
        uid = sandbox_uid()
        missing = [p for p in [path.parent, *path.parent.parents] if not p.exists()]
        path.parent.mkdir(parents=True, exist_ok=True)
        for directory in missing:
            os.chown(directory, uid, -1)
        data = contents.encode("utf-8") if isinstance(contents, str) else contents
        # A new inode, renamed over the old name: never write through a hard link into the
        # read-only source cache the workspace is made of.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".write-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chown(temporary, uid, -1)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)

    @overload
    async def read_file(self, file: str, text: Literal[True] = True) -> str: ...

    @overload
    async def read_file(self, file: str, text: Literal[False]) -> bytes: ...

    async def read_file(self, file: str, text: bool = True) -> str | bytes:
        path = self._host_path(file)
        if not path.is_file():
            raise FileNotFoundError(f"no such file in the sandbox: {file}")
        size = path.stat().st_size
        if size > SandboxEnvironmentLimits.MAX_READ_FILE_SIZE:
            raise OutputLimitExceededError(SandboxEnvironmentLimits.MAX_READ_FILE_SIZE_STR, None)
        data = path.read_bytes()
        return data.decode("utf-8") if text else data

    def default_polling_interval(self) -> float:
        return 0.2

    def _host_path(self, file: str) -> Path:
        """Where a sandbox path (relative to, or under, `/workspace`) lives on the host."""
        inside = PurePosixPath(os.path.normpath(WORKSPACE / file))
        if not inside.is_relative_to(WORKSPACE):
            raise PermissionError(f"{file}: only /workspace persists in the bwrap sandbox")
        host = (self.workspace / inside.relative_to(WORKSPACE)).resolve()
        if not host.is_relative_to(self.workspace.resolve()):
            raise PermissionError(f"{file} leaves the sandbox workspace")
        return host


ConfigModel = TypeVar("ConfigModel", bound=BaseModel)


def sandbox_config(model: type[ConfigModel], config: SandboxEnvironmentConfigType | None,
                   sandbox: str) -> ConfigModel:
    """`config` (as Inspect hands it to a provider: None, the model itself, or another pydantic
    model with the same fields) as `model`. Raises `ValueError` naming `sandbox` otherwise."""
    if isinstance(config, model):
        return config
    if config is None:
        return model()
    if isinstance(config, BaseModel):
        return model.model_validate(config.model_dump())
    article = "an" if model.__name__[0] in "AEIOU" else "a"
    raise ValueError(f"the {sandbox} sandbox takes {article} {model.__name__}, not {config!r}")


def _config(config: SandboxEnvironmentConfigType | None) -> BwrapSandboxConfig:
    return sandbox_config(BwrapSandboxConfig, config, "bwrap")
