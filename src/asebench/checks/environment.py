"""Per-instance environments for PoCs and tests: a Python venv, `node_modules`, Java jars in
`lib/`, a Go module cache, and/or the project built once by its own commands
(`environment.build`, `checks.source_build`).

Built once per (spec, language, source digest, package files) under `cache_dir("envs")/<key>`,
in a build directory whose `env/` is renamed into place when complete, then left read-only and
owned by us. Inside the sandbox the directory is mounted at `/env`: `/env/bin/python` is the
venv's interpreter (its base interpreter is bound read-only at its own path), console scripts
are rewritten to start with `#!/env/bin/python`, `node_modules/.bin` entries are linked into
`/env/bin`, and `NODE_PATH=/env/node_modules`. A Go module's requirements (`go mod download`
in the project, `install_source` of a Go instance) fill `/env/gomod`, which the sandbox uses
offline (`invocation.GO_OFFLINE`: `GOMODCACHE=/env/gomod`, `GOPROXY=off`, `GOFLAGS=-mod=mod`).

Installing runs code the dataset chose (an sdist's `setup.py`, a build backend, the project
itself), so every step (`python -m venv`, `pip install`, `npm install`, `go mod download`)
runs in the bubblewrap
sandbox as `nobody`, with the host's network but an environment holding only the registry
configuration (`registry_config`; no API keys, no `HOME`), and no host write access except the
build directory, which it sees as `/workspace` (package files and the source are copied in
first). Package names are validated when the dataset loads (`dataset.packages`).

Java jars (`environment.maven`: the artifacts and their runtime dependencies) are copied into
`lib/` by mvn on the host (`sources.maven.copy_jars`): resolving and copying jars runs no code
of the artifacts, and mvn's own configuration (mirrors) is the user's. Inside the sandbox they
are `/env/lib/*.jar`; the Java compile check compiles against them (`toolchain_environment`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from asebench.cache import cache_dir
from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.checks.sandbox.install_step import (
    INSTALL_LIMITS,
    WORKSPACE,
    InstallStepError,
    base_python,
    run_install_step,
)
from asebench.checks.sandbox.invocation import GO_BUILD_CACHE, GO_MODULE_CACHE
from asebench.checks.source_build import SourceBuildError, build_source
from asebench.code.languages import SourceInstaller, info
from asebench.dataset.packages import npm_spec_problem
from asebench.dataset.schema import Environment, Language
from asebench.sources.errors import SourceError
from asebench.sources.gomod import go_program, go_registry_settings
from asebench.sources.maven import copy_jars
from asebench.sources.tree import tree_path

ENVS = "envs"
SANDBOX_PYTHON = "/env/bin/python"
HEADER_BYTES = 1024
COMPILE_LOG_FORMAT = 1
"""Version of what a build environment records besides the build (`compile_commands.json`)."""
BUILD_DIR = WORKSPACE
"""Where the install sandbox sees the build directory (`env/`, `packages/`, `src/`)."""
class EnvironmentBuildError(RuntimeError):
    """Installing an environment's packages failed (the message holds the installer's output)."""


def _installs_source_with(
    spec: Environment, language: Language, installer: SourceInstaller
) -> bool:
    """Whether `spec` installs the project itself, and `language` does so with `installer`."""
    return spec.install_source and info(language).source_installer == installer


def needs_python(spec: Environment, language: Language) -> bool:
    """Whether the environment holds a venv: packages to pip-install, or a pip-installed source."""
    return bool(spec.python) or _installs_source_with(spec, language, "pip")


def needs_npm(spec: Environment, language: Language) -> bool:
    """Whether the environment holds `node_modules`: packages, or the source's dependencies."""
    return bool(spec.npm) or _installs_source_with(spec, language, "npm")


def needs_jars(spec: Environment) -> bool:
    """Whether the environment holds Java jars (`lib/`)."""
    return bool(spec.maven)


def needs_go(spec: Environment, language: Language) -> bool:
    """Whether the environment holds a Go module cache: the requirements of a Go source."""
    return _installs_source_with(spec, language, "go")


def toolchain_environment(spec: Environment, language: Language, source_root: Path
                          ) -> Path | None:
    """The environment a compile check reads (Java's jars, a Go source's module cache, the
    compile commands of the project's own build, `environment.build`), built on first use;
    None when `spec` holds nothing a toolchain check uses, or when it needs go and go is not
    installed (the check then reports itself as not run). Raises as `build_environment`."""
    if needs_jars(spec) or spec.build or (
            needs_go(spec, language) and shutil.which("go") is not None):
        return build_environment(spec, language, source_root=source_root)
    return None


def source_tree_digest(root: Path) -> str:
    """The digest an environment is keyed by for the source tree `root`: a published tree's
    own (`SourceTree.digest`, the name of its folder in the trees cache, which is what Inspect's
    sample sandboxes pass), else `tree_digest`. One source tree thus gets one environment
    whichever part of asebench asks first (the toolchain check and `validate` pass no digest;
    before, they built a second environment for the same tree)."""
    if root.resolve() == tree_path(root.name).resolve():
        return root.name
    return tree_digest(root)


def tree_digest(root: Path) -> str:
    """sha256 over the relative paths, modes and contents of every file under `root`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _file_digests(spec: Environment) -> dict[str, str]:
    """sha256 of each package file the spec names by absolute path (an edit rebuilds)."""
    digests = {}
    for entry in [*spec.python, *spec.npm]:
        if os.path.isabs(entry) and os.path.isfile(entry):
            digests[entry] = hashlib.sha256(Path(entry).read_bytes()).hexdigest()
    return digests


def environment_key(spec: Environment, language: Language, source_digest: str | None) -> str:
    """The cache key: the spec, the language, the source (when installed), the package files'
    contents and the interpreter."""
    record: dict[str, object] = {
        "spec": spec.model_dump(mode="json"),
        "language": language.value,
        "source": source_digest if spec.install_source or spec.build else None,
        "files": _file_digests(spec),
        "python": [sys.version, str(Path(sys.base_prefix).resolve())],
    }
    if spec.build:
        record["compile_commands"] = COMPILE_LOG_FORMAT  # built before it was recorded: rebuild
    blob = json.dumps(record, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:32]


def build_environment(
    spec: Environment,
    language: Language,
    *,
    source_root: Path | None,
    source_digest: str | None = None,
) -> Path | None:
    """The environment directory for `spec` (built on first use), or None when it is empty.

    `source_root` is the unpacked source, installed when `spec.install_source` (`pip install
    --no-deps`, or the project's `dependencies` for npm); pass `source_digest` when the
    source cache already knows it, else `source_tree_digest` gives it. Package files named by
    absolute path (the loader confines them to the instance folder) must be readable by
    others. Every install step runs sandboxed (`_install`). Raises `EnvironmentBuildError`
    when an install fails and `SandboxUnavailable` when it cannot be sandboxed.
    """
    python, npm = needs_python(spec, language), needs_npm(spec, language)
    jars = needs_jars(spec)
    go = needs_go(spec, language)
    if not (python or npm or jars or go or spec.build):
        return None
    if (spec.install_source or spec.build) and source_root is None:
        raise ValueError("environment.install_source and environment.build need the source "
                         "tree")
    if (spec.install_source or spec.build) and source_digest is None \
            and source_root is not None:
        source_digest = source_tree_digest(source_root)
    root = cache_dir(ENVS)
    final = root / environment_key(spec, language, source_digest)
    if final.is_dir():
        return final
    with _locked(root / f"{final.name}.lock"):
        if final.is_dir():
            return final
        build = root / f"{final.name}.tmp-{os.getpid()}"
        _remove(build)
        try:
            build.mkdir()
            (build / "env").mkdir()
            staged = _stage_inputs(spec, language, source_root, build)
            if python:
                _build_venv(build, staged.python, staged.source)
            if npm:
                _build_node_modules(build, staged.npm)
            if jars:
                _copy_jars(build, spec.maven)
            if go:
                _build_go_modules(build)
                _warm_go_cache(build, spec.go_build)
            if spec.build and source_root is not None:
                try:
                    build_source(build, source_root, spec.build)
                except SourceBuildError as exc:
                    raise EnvironmentBuildError(str(exc)) from exc
            built = build / "env"
            _own_and_seal(built)
            built.rename(final)
        finally:
            _remove(build)
    return final


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class _Staged:
    """The install arguments as the sandbox sees them (package files copied under
    `/workspace/packages`, the source under `/workspace/src`)."""

    python: list[str]
    npm: list[str]
    source: str | None


def _stage_inputs(spec: Environment, language: Language, source_root: Path | None,
                  build: Path) -> _Staged:
    """Copy what the install reads from the host into the build directory, the only host
    directory the install sandbox sees."""
    python = [_stage_package(entry, build, index) for index, entry in enumerate(spec.python)]
    npm = [_stage_package(entry, build, len(python) + index)
           for index, entry in enumerate(spec.npm)]
    source = None
    if spec.install_source and source_root is not None:
        shutil.copytree(source_root, build / "src", symlinks=True)
        if _installs_source_with(spec, language, "pip"):
            source = f"{BUILD_DIR}/src"
        if _installs_source_with(spec, language, "npm"):
            npm += _source_dependencies(source_root)
    return _Staged(python, npm, source)


def _stage_package(entry: str, build: Path, index: int) -> str:
    """A registry package as it is; a package file copied into the build directory."""
    if not os.path.isabs(entry):
        return entry
    path = Path(entry)
    if not path.is_file():
        raise EnvironmentBuildError(f"package file {entry}: no such file")
    if not path.stat().st_mode & stat.S_IROTH:
        raise EnvironmentBuildError(
            f"package file {entry}: not a file readable by others (an install never reads a "
            "file its owner kept private)")
    target = build / "packages" / str(index) / path.name
    target.parent.mkdir(parents=True)
    shutil.copyfile(path, target)
    return f"{BUILD_DIR}/packages/{index}/{path.name}"


def _install(argv: list[str], what: str, build: Path) -> None:
    """Run one install step sandboxed (`install_step.run_install_step`), `build` as its only
    writable host directory (at `/workspace`)."""
    try:
        run_install_step(argv, what, build)
    except InstallStepError as exc:
        raise EnvironmentBuildError(str(exc)) from exc


def _build_venv(build: Path, packages: list[str], source: str | None) -> None:
    python, base_pip = base_python()
    target = f"{BUILD_DIR}/env"
    venv_argv = [python, "-m", "venv", target]
    _install(venv_argv + (["--without-pip"] if base_pip else []), "python -m venv", build)
    pip = [python, "-m", "pip", "--python", f"{target}/bin/python"]
    if not base_pip:
        pip = [f"{target}/bin/python", "-m", "pip"]
    install = [*pip, "install", "--no-input", "--disable-pip-version-check"]
    if packages:
        _install([*install, *packages], "pip install", build)
    if source is not None:
        _install([*install, "--no-deps", source], "pip install of the source", build)
    _rewrite_shebangs(build / "env" / "bin", f"{target}/bin/python")


def _rewrite_shebangs(bin_dir: Path, built_python: str) -> None:
    """Point console scripts at `/env/bin/python`, where the sandbox sees the venv.

    pip writes `#!<python>` or, for long paths, a `#!/bin/sh` header that `exec`s `<python>`:
    the interpreter path is replaced wherever it appears in the script's header.
    """
    old, new = built_python.encode(), SANDBOX_PYTHON.encode()
    for script in bin_dir.iterdir():
        if script.is_symlink() or not script.is_file():
            continue
        data = script.read_bytes()
        head, body = data[:HEADER_BYTES], data[HEADER_BYTES:]
        if data.startswith(b"#!") and old in head:
            script.write_bytes(head.replace(old, new) + body)


def _source_dependencies(source_root: Path) -> list[str]:
    """The project's `dependencies` as npm specs; each must be a registry package (a `file:`,
    git or URL dependency is refused, as in a record)."""
    manifest = json.loads((source_root / "package.json").read_text(encoding="utf-8"))
    dependencies = manifest.get("dependencies") or {}
    specs = [f"{name}@{version}" for name, version in dependencies.items()]
    for spec in specs:
        reason = npm_spec_problem(spec)
        if reason is not None:
            raise EnvironmentBuildError(f"package.json dependency {spec!r}: {reason}")
    return specs


def _build_node_modules(build: Path, packages: list[str]) -> None:
    target = build / "env"
    if packages:
        npm = shutil.which("npm")
        if npm is None:
            raise EnvironmentBuildError("npm is required to build this environment")
        argv = [npm, "install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund"]
        _install([*argv, "--prefix", f"{BUILD_DIR}/env", *packages], "npm install", build)
    (target / "node_modules").mkdir(exist_ok=True)
    _link_node_bins(target)


def _link_node_bins(target: Path) -> None:
    """Expose `node_modules/.bin/*` as `bin/*` (relative links, valid at `/env`)."""
    node_bin = target / "node_modules" / ".bin"
    if not node_bin.is_dir():
        return
    bin_dir = target / "bin"
    bin_dir.mkdir(exist_ok=True)
    for entry in node_bin.iterdir():
        link = bin_dir / entry.name
        if not link.exists():
            link.symlink_to(Path("..") / "node_modules" / ".bin" / entry.name)


def _copy_jars(build: Path, coordinates: list[str]) -> None:
    """The jars of `coordinates` and their runtime dependencies into `env/lib` (mvn, host)."""
    work = build / "maven"
    work.mkdir()
    try:
        copy_jars(coordinates, build / "env" / "lib", work=work)
    except SourceError as exc:
        raise EnvironmentBuildError(str(exc)) from exc


def _build_go_modules(build: Path) -> None:
    """`go mod download` in the staged project (`/workspace/src`): every module its packages
    need to build and test, into `env/gomod`, from where the user's `GOPROXY` serves modules
    and checked against `go.sum` and the user's checksum database."""
    try:
        go = go_program()
        settings = go_registry_settings()
    except SourceError as exc:
        raise EnvironmentBuildError(str(exc)) from exc
    settings.update({
        "GOMODCACHE": f"{BUILD_DIR}/env/{GO_MODULE_CACHE}", "GOFLAGS": "-mod=mod",
        "GOTOOLCHAIN": "local", "GOPATH": "/tmp/gopath", "GOCACHE": "/tmp/gocache",
        "GO111MODULE": "on",
    })
    (build / "env" / GO_MODULE_CACHE).mkdir()
    _make_writable(build / "src")  # go may complete go.mod/go.sum of the copy
    try:
        run_install_step([go, "-C", f"{BUILD_DIR}/src", "mod", "download"],
                         "go mod download", build, settings)
    except InstallStepError as exc:
        raise EnvironmentBuildError(str(exc)) from exc


def _make_writable(root: Path) -> None:
    """Give the owner write access to everything under `root` (a copy of a sealed tree)."""
    for directory, _dirs, files in os.walk(root):
        os.chmod(directory, 0o755)
        for name in files:
            path = os.path.join(directory, name)
            if not os.path.islink(path):
                os.chmod(path, os.lstat(path).st_mode | 0o200)


def _warm_go_cache(build: Path, packages: list[str]) -> None:
    """Compile `packages` offline into `env/gocache`, the build cache a Go check or PoC build
    copies into its private `/tmp` before it starts (the standard library and the modules
    compile once per environment, not once per sandbox). The modules are read from `/env`,
    where checks see them too, so their cache entries match."""
    if not packages:
        return
    go = go_program()  # go makes the cache folder itself (the sandbox user owns `env/`)
    result = run_sandboxed(
        [go, "-C", f"{BUILD_DIR}/src", "build", *packages], workspace=build,
        env_dir=build / "env", limits=INSTALL_LIMITS,
        env={"GOCACHE": f"{BUILD_DIR}/env/{GO_BUILD_CACHE}"})
    if result.exit_code != 0 or result.timed_out or result.killed_reason:
        how = result.killed_reason or f"exit {result.exit_code}"
        raise EnvironmentBuildError(f"go build of {' '.join(packages)} (offline, from the "
                                    f"environment's modules) failed ({how}):\n"
                                    f"{(result.stdout + result.stderr)[-4000:]}")


def _own_and_seal(root: Path) -> None:
    """Give the built tree back to us (the install ran as `nobody`) and make it read-only, so
    no later sandbox user owns, and could change, a file of the cached environment."""
    uid, gid = os.geteuid(), os.getegid()
    for directory, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = os.path.join(directory, name)
            os.lchown(path, uid, gid)
            if not os.path.islink(path):
                os.chmod(path, os.lstat(path).st_mode & 0o5555)
    os.chown(root, uid, gid)
    os.chmod(root, root.stat().st_mode & 0o5555)


def _remove(path: Path) -> None:
    """Delete a partial build (its directories may already be read-only)."""
    if not path.exists():
        return
    for directory, _dirs, _files in os.walk(path):
        os.chmod(directory, 0o755)
    shutil.rmtree(path, ignore_errors=True)
