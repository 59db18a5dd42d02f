"""Per-instance environments for PoCs and tests: a Python venv and/or `node_modules`.

Built once per (spec, language, source digest) under `cache_dir("envs")/<key>`, in a temporary
directory renamed into place when complete, then left read-only. Inside the sandbox the
directory is mounted at `/env`: `/env/bin/python` is the venv's interpreter (its base
interpreter is bound read-only at its own path), console scripts are rewritten to start with
`#!/env/bin/python`, `node_modules/.bin` entries are linked into `/env/bin`, and
`NODE_PATH=/env/node_modules`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from asebench.cache import cache_dir
from asebench.code.languages import SourceInstaller, info
from asebench.dataset.schema import Environment, Language

ENVS = "envs"
SANDBOX_PYTHON = "/env/bin/python"
HEADER_BYTES = 1024


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


def tree_digest(root: Path) -> str:
    """sha256 over the relative paths, modes and contents of every file under `root`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def environment_key(spec: Environment, language: Language, source_digest: str | None) -> str:
    """The cache key: the spec, the language, the source (when installed) and the interpreter."""
    record = {
        "spec": spec.model_dump(mode="json"),
        "language": language.value,
        "source": source_digest if spec.install_source else None,
        "python": [sys.version, str(Path(sys.base_prefix).resolve())],
    }
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
    source cache already knows it, else it is computed from the tree.
    """
    python, npm = needs_python(spec, language), needs_npm(spec, language)
    if not (python or npm):
        return None
    if spec.install_source and source_root is None:
        raise ValueError("environment.install_source needs the source tree")
    if spec.install_source and source_digest is None and source_root is not None:
        source_digest = tree_digest(source_root)
    root = cache_dir(ENVS)
    final = root / environment_key(spec, language, source_digest)
    if final.is_dir():
        return final
    with _locked(root / f"{final.name}.lock"):
        if final.is_dir():
            return final
        staging = root / f"{final.name}.tmp-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            staging.mkdir()
            if python:
                _build_venv(staging, spec, language, source_root)
            if npm:
                _build_node_modules(staging, spec, language, source_root)
            _make_read_only(staging)
            staging.rename(final)
        except BaseException:
            _remove(staging)
            raise
    return final


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(argv: list[str], what: str) -> None:
    completed = subprocess.run(argv, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        output = (completed.stdout + completed.stderr)[-4000:]
        raise EnvironmentBuildError(f"{what} failed (exit {completed.returncode}):\n{output}")


def _build_venv(
    target: Path, spec: Environment, language: Language, source_root: Path | None
) -> None:
    host_pip = importlib.util.find_spec("pip") is not None
    venv_argv = [sys.executable, "-m", "venv", str(target)]
    _run(venv_argv + (["--without-pip"] if host_pip else []), "python -m venv")
    pip = [sys.executable, "-m", "pip", "--python", str(target / "bin" / "python")]
    if not host_pip:
        pip = [str(target / "bin" / "python"), "-m", "pip"]
    install = [*pip, "install", "--no-input", "--disable-pip-version-check"]
    if spec.python:
        _run([*install, *spec.python], "pip install")
    if _installs_source_with(spec, language, "pip") and source_root is not None:
        _run([*install, "--no-deps", str(source_root)], "pip install of the source")
    _rewrite_shebangs(target / "bin", f"{target}/bin/python")


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
    manifest = json.loads((source_root / "package.json").read_text(encoding="utf-8"))
    dependencies = manifest.get("dependencies") or {}
    return [f"{name}@{version}" for name, version in dependencies.items()]


def _build_node_modules(
    target: Path, spec: Environment, language: Language, source_root: Path | None
) -> None:
    packages = list(spec.npm)
    if _installs_source_with(spec, language, "npm") and source_root is not None:
        packages += _source_dependencies(source_root)
    if packages:
        npm = shutil.which("npm")
        if npm is None:
            raise EnvironmentBuildError("npm is required to build this environment")
        argv = [npm, "install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund"]
        _run([*argv, "--prefix", str(target), *packages], "npm install")
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


def _make_read_only(root: Path) -> None:
    for directory, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = os.path.join(directory, name)
            if not os.path.islink(path):
                os.chmod(path, os.lstat(path).st_mode & ~0o222)
    os.chmod(root, root.stat().st_mode & ~0o222)


def _remove(path: Path) -> None:
    """Delete a partial build (its directories may already be read-only)."""
    if not path.exists():
        return
    for directory, _dirs, _files in os.walk(path):
        os.chmod(directory, 0o755)
    shutil.rmtree(path, ignore_errors=True)
