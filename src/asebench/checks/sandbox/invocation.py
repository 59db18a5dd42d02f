"""The argv that runs one command under bubblewrap.

As root, bubblewrap itself runs as `nobody` (`setpriv`), so the sandbox holds the real uid 65534
with no capability, and the host's permissions apply to it as to any unprivileged user. Because
`nobody` cannot reach directories such as `/root/.cache`, a first, privileged bubblewrap builds
a private mount namespace where the workspace, instance, environment and Python installation
are bound under a world-traversable `/tmp/asebench-stage`; the unprivileged one binds them from
there. Not root: one unprivileged bubblewrap binds them directly.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asebench.checks.sandbox.errors import SandboxUnavailable
from asebench.checks.sandbox.host_view import (
    etc_entries,
    is_system_path,
    python_prefixes,
    system_entries,
)
from asebench.checks.sandbox.limits import MIB, Limits

NOBODY = 65534
STAGE = "/tmp/asebench-stage"
SANDBOX_PATH = "/env/bin:/usr/local/bin:/usr/bin:/bin"
RESOLV_CONF = "/etc/resolv.conf"
INSTALL_HINT = (
    "bubblewrap is required to run PoCs and tests safely and was not found; install it "
    "(Debian/Ubuntu: `apt-get install bubblewrap`, Fedora: `dnf install bubblewrap`)"
)


@dataclass(frozen=True)
class Mount:
    """A host directory shown at `target` inside the sandbox."""

    source: Path
    target: str
    writable: bool = False


@dataclass(frozen=True)
class Invocation:
    """Everything needed to start the sandbox: argv, and the directories it binds."""

    argv: list[str]
    mounts: list[Mount] = field(default_factory=list)


def tool(name: str) -> str:
    """The absolute path of a host tool the sandbox needs, or `SandboxUnavailable`."""
    found = shutil.which(name, path="/usr/bin:/bin:/usr/sbin:/sbin:/usr/local/bin")
    if found is None:
        hint = INSTALL_HINT if name == "bwrap" else f"`{name}` (util-linux) is required"
        raise SandboxUnavailable(hint)
    return found


TOOLCHAIN_COMMANDS = ("go", "java", "javac", "node", "php", "gcc", "cc")
"""Host toolchains whose directory joins the sandbox's PATH when it lies outside the standard
ones but inside a system directory the sandbox shows (e.g. Go's `/usr/local/go/bin`)."""


GO_MODULE_CACHE = "gomod"
"""An environment's Go module cache (`checks.environment`), at `/env/gomod` in the sandbox."""
GO_BUILD_CACHE = "gocache"
"""An environment's warm Go build cache, read-only at `/env/gocache`: a Go command copies it
to its own `GOCACHE` in `/tmp` first (`go_seeded`), since go writes to its cache."""
GO_OFFLINE = {
    "GOMODCACHE": f"/env/{GO_MODULE_CACHE}", "GOFLAGS": "-mod=mod", "GOPROXY": "off",
    "GOSUMDB": "off", "GOTOOLCHAIN": "local", "GOCACHE": "/tmp/gocache",
    "GOPATH": "/tmp/gopath",
}
"""Go in a sandbox whose environment holds a module cache: modules only from that cache (no
network, no checksum database: the cache was verified when it was built), build cache and
GOPATH in the sandbox's private `/tmp`."""


def go_seeded(argv: Sequence[str], env_dir: Path | None) -> list[str]:
    """`argv` (a go command), started after the environment's warm build cache is copied to
    `$GOCACHE` when `env_dir` holds one; `argv` unchanged otherwise."""
    if env_dir is None or not (env_dir / GO_BUILD_CACHE).is_dir():
        return list(argv)
    script = (f'cp -R /env/{GO_BUILD_CACHE} "$GOCACHE" && chmod -R u+w "$GOCACHE" '
              '&& exec "$@"')
    return ["sh", "-c", script, "go-seeded", *argv]


def toolchain_dirs() -> list[str]:
    """Directories of host toolchains visible in the sandbox but not on `SANDBOX_PATH`."""
    standard = SANDBOX_PATH.split(":")
    found: list[str] = []
    for name in TOOLCHAIN_COMMANDS:
        where = shutil.which(name)
        if where is None:
            continue
        directory = str(Path(where).parent)
        if directory not in standard and directory not in found and is_system_path(
            Path(directory)
        ):
            found.append(directory)
    return found


def sandbox_env(
    env_dir: Path | None, prefixes: Sequence[Path], extra: Mapping[str, str] | None
) -> dict[str, str]:
    """The complete environment of the sandboxed command (nothing leaks from the host)."""
    path = ":".join([SANDBOX_PATH, *toolchain_dirs(), *(f"{prefix}/bin" for prefix in prefixes)])
    env = {
        "PATH": path,
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "USER": "nobody",
    }
    if env_dir is not None and (env_dir / "node_modules").is_dir():
        env["NODE_PATH"] = "/env/node_modules"
    if env_dir is not None and (env_dir / GO_MODULE_CACHE).is_dir():
        env.update(GO_OFFLINE)
    env.update(extra or {})
    return env


RESERVED_TARGETS = ("/workspace", "/instance", "/env", "/tmp", "/proc", "/dev", "/sys")
"""Where the sandbox puts its own mounts: no extra read-only directory may cover them."""


def sandbox_mounts(
    workspace: Path, instance_dir: Path | None, env_dir: Path | None,
    read_only: Sequence[Path] = (), *, workspace_writable: bool = True,
) -> list[Mount]:
    """The per-run directories: workspace read-write (unless `workspace_writable` is False),
    the rest read-only; each of `read_only` (absolute) at its own path. Raises `ValueError` for
    one that is `/` or covers a directory the sandbox mounts itself (`RESERVED_TARGETS`) or
    lies in one (other than under `/tmp`)."""
    mounts = [Mount(workspace, "/workspace", writable=workspace_writable)]
    if instance_dir is not None:
        mounts.append(Mount(instance_dir, "/instance"))
    if env_dir is not None:
        mounts.append(Mount(env_dir, "/env"))
    mounts.extend(Mount(prefix, str(prefix)) for prefix in python_prefixes(env_dir))
    for directory in read_only:
        target = Path(os.path.normpath(directory))
        covers = any(Path(reserved).is_relative_to(target) for reserved in RESERVED_TARGETS)
        inside = any(target.is_relative_to(r) for r in RESERVED_TARGETS if r != "/tmp")
        if not target.is_absolute() or covers or inside:
            raise ValueError(
                f"sandbox read-only directory {directory}: must be an absolute path that neither "
                f"covers nor lies in {', '.join(RESERVED_TARGETS)} (below /tmp is allowed)")
        mounts.append(Mount(target, str(target)))
    return mounts


def inner_argv(
    command: Sequence[str],
    mounts: Sequence[Mount],
    sources: Sequence[str],
    env: Mapping[str, str],
    limits: Limits,
    *,
    bwrap: str,
    cwd: str = "/workspace",
    ids: tuple[int, int] | None = None,
    network: bool = False,
) -> list[str]:
    """The unprivileged bubblewrap: fresh namespaces, a read-only system, one writable dir.

    `ids` (uid, gid) is who the command is inside; default: whoever starts bubblewrap.
    `network` keeps the host's network namespace (and shows `/etc/resolv.conf`): only for
    installing an environment's packages from the registry, never for candidate code.
    """
    argv = [bwrap, "--unshare-all", "--unshare-user", "--die-with-parent", "--new-session"]
    if network:
        argv.append("--share-net")
    if ids is not None:
        argv += ["--uid", str(ids[0]), "--gid", str(ids[1])]
    argv += ["--cap-drop", "ALL", "--disable-userns", "--hostname", "sandbox"]
    for path, link in system_entries():
        argv += ["--symlink", link, path] if link is not None else ["--ro-bind", path, path]
    for entry in etc_entries():
        argv += ["--ro-bind", entry, entry]
    if network and os.path.exists(RESOLV_CONF):
        argv += ["--ro-bind", RESOLV_CONF, RESOLV_CONF]
    argv += ["--proc", "/proc", "--dev", "/dev"]
    argv += ["--size", str(limits.tmp_mb * MIB), "--tmpfs", "/tmp"]
    argv += ["--size", str(limits.tmp_mb * MIB), "--tmpfs", "/dev/shm"]
    for mount, source in zip(mounts, sources, strict=True):
        argv += ["--bind" if mount.writable else "--ro-bind", source, mount.target]
    argv += ["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", cwd, "--clearenv"]
    for key, value in env.items():
        argv += ["--setenv", key, value]
    return [*argv, "--", *command]


def outer_argv(mounts: Sequence[Mount], *, bwrap: str, setpriv: str) -> tuple[list[str], list[str]]:
    """The privileged staging bubblewrap, and where it shows each mount to the inner one."""
    argv = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--bind", "/proc", "/proc"]
    argv += ["--tmpfs", "/tmp", "--perms", "0755", "--dir", STAGE, "--die-with-parent"]
    argv += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    staged: list[str] = []
    for index, mount in enumerate(mounts):
        target = f"{STAGE}/{index}"
        argv += ["--bind" if mount.writable else "--ro-bind", str(mount.source), target]
        staged.append(target)
    argv += ["--", setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    return argv, staged


def build_invocation(
    command: Sequence[str],
    *,
    workspace: Path,
    instance_dir: Path | None,
    env_dir: Path | None,
    limits: Limits,
    env: Mapping[str, str] | None,
    cwd: str = "/workspace",
    network: bool = False,
    read_only: Sequence[Path] = (),
    workspace_writable: bool = True,
    extra_mounts: Sequence[Mount] = (),
) -> Invocation:
    """The full argv: `prlimit`, then (as root) staging + `setpriv`, then bubblewrap.

    `network` shares the host's network (see `inner_argv`); off by default. `read_only`:
    further host directories shown read-only at their own path. `extra_mounts` come last (in
    order, so one may sit inside another) and are not checked here: their caller creates them
    before the sandbox starts."""
    bwrap = tool("bwrap")
    prefix = [tool("prlimit"), *limits.prlimit_args(), "--"]
    mounts = sandbox_mounts(workspace, instance_dir, env_dir, read_only,
                            workspace_writable=workspace_writable)
    for mount in mounts:
        if not mount.source.is_dir():
            raise FileNotFoundError(f"sandbox mount {mount.target}: no directory {mount.source}")
    mounts.extend(extra_mounts)
    variables = sandbox_env(env_dir, python_prefixes(env_dir), env)
    if os.geteuid() == 0:
        outer, sources = outer_argv(mounts, bwrap=bwrap, setpriv=tool("setpriv"))
        inner = inner_argv(command, mounts, sources, variables, limits, bwrap=bwrap, cwd=cwd,
                           network=network)
        return Invocation([*prefix, *outer, *inner], mounts)
    sources = [str(mount.source) for mount in mounts]
    # our own ids, also when started as root of a user namespace (the workspace quota's)
    ids = (os.getuid(), os.getgid())
    inner = inner_argv(command, mounts, sources, variables, limits, bwrap=bwrap, cwd=cwd, ids=ids,
                       network=network)
    return Invocation([*prefix, *inner], mounts)
