"""PyPI source distributions, fetched the way a user would: `pip download --no-binary :all:`.

pip prepares an sdist's metadata before it saves it, which runs the sdist's `setup.py` or build
backend: code the dataset chose. So the download runs as a sandboxed install step
(`checks.sandbox.install_step`: `nobody`, network, no secrets, only the scratch folder
writable)."""

from __future__ import annotations

import re
from pathlib import Path

from asebench.checks.sandbox.errors import SandboxUnavailable
from asebench.checks.sandbox.install_step import (
    WORKSPACE,
    InstallStepError,
    run_install_step,
    sandbox_pip,
)
from asebench.dataset.schema import PypiSource
from asebench.sources.archive_store import ReleaseKey, download_once, tree_from_archive
from asebench.sources.errors import SourceError
from asebench.sources.tree import SourceTree

PIP_VENV = ".pip"
SAVED = "saved"


def _key(name: str, version: str) -> ReleaseKey:
    return ReleaseKey("pypi", re.sub(r"[-_.]+", "-", name).lower(), version)


def download_sdist(name: str, version: str, *, sha256: str | None = None) -> Path:
    """The sdist of `name==version` in the archive store; pip runs (sandboxed) only if it is
    not stored. Raises `SourceError` naming the release when pip fails or the sandbox is
    unavailable, or when the archive does not match `sha256`."""
    key = _key(name, version)

    def download(scratch: Path) -> None:
        argv: list[str] = []
        try:
            argv = [
                *sandbox_pip(scratch, venv=PIP_VENV), "download",
                "--no-deps", "--no-binary", ":all:", "--disable-pip-version-check",
                f"{name}=={version}", "-d", f"{WORKSPACE}/{SAVED}",
            ]  # fmt: skip
            run_install_step(argv, "pip download", scratch)
        except InstallStepError as exc:
            raise SourceError(str(key), "pip download failed", command=argv or None,
                              stderr=str(exc)) from exc
        except SandboxUnavailable as exc:
            raise SourceError(str(key), "pip download runs the sdist's build code and needs "
                              f"the sandbox, which is unavailable: {exc}") from exc
        for saved in (scratch / SAVED).iterdir():  # the one archive, beside nothing else
            saved.rename(scratch / saved.name)

    return download_once(key, sha256, download, tool="pip")


def fetch_release(name: str, version: str, *, sha256: str | None = None) -> SourceTree:
    """The read-only release root of `name==version` (e.g. the fixed release of an instance)."""
    archive = download_sdist(name, version, sha256=sha256)
    return tree_from_archive(archive, source=str(_key(name, version)))


def fetch_pypi(source: PypiSource) -> SourceTree:
    """The vulnerable release of a PyPI instance, checked against its pinned sha256."""
    return fetch_release(source.name, source.version, sha256=source.sha256)
