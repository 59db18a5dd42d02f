"""Go module releases, fetched the way a user would: `go mod download -json MODULE@VERSION`.

The go command runs with a private module cache and GOPATH under `cache_dir("gomod")` (the
user's own module cache is neither read nor filled), `GOFLAGS=-mod=mod` and the local toolchain
(`GOTOOLCHAIN=local`: never a toolchain download); where modules come from is the user's own
setting (`GOPROXY`, `GOSUMDB`, `GOPRIVATE`… from the environment or `go env -w`), which the go
command reads as it always does. The go command checks the module against the checksum
database; the module zip it saved is then stored by content (`archive_store`) and checked
against the instance's pinned `sha256`. Downloading a module runs none of its code.

A module zip holds every file under one top folder named `MODULE@VERSION/` (for
`golang.org/x/net`, the three folders `golang.org/x/net@v0.12.0/`): all of them are removed,
so the release root is the module root, where its `go.mod` lies.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from asebench.cache import cache_dir
from asebench.dataset.schema import GomodSource
from asebench.sources.archive_store import ReleaseKey, download_once
from asebench.sources.command import run_command
from asebench.sources.errors import SourceError
from asebench.sources.extract import extract_archive
from asebench.sources.tree import SourceTree, build_tree

GO_SETTINGS = ("GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GONOPROXY", "GOINSECURE")
"""Where modules come from and how they are checked: the user's values pass to every go
command asebench runs (`go_registry_settings`), nothing else of the user's Go setup does."""


def _key(module: str, version: str) -> ReleaseKey:
    return ReleaseKey("gomod", module, version)


def go_program() -> str:
    """The go command on PATH; raises `SourceError` naming what to install when it is absent."""
    found = shutil.which("go")
    if found is None:
        raise SourceError("gomod", "the go command is not installed (install Go 1.21 or "
                          "newer, e.g. `make system-deps`, and put `go` on PATH)")
    return found


def go_registry_settings() -> dict[str, str]:
    """The user's module-source settings (`GO_SETTINGS`) as the go command resolves them from
    the environment, `go env -w` and its defaults. Raises `SourceError` when go fails."""
    output = run_command([go_program(), "env", "-json", *GO_SETTINGS], source="gomod")
    try:
        values = json.loads(output)
    except json.JSONDecodeError as exc:
        raise SourceError("gomod", f"`go env -json` printed no JSON: {output[:200]!r}") from exc
    return {name: str(value) for name, value in values.items()
            if name in GO_SETTINGS and value}


def host_go_environment(module_cache: Path) -> dict[str, str]:
    """The environment of a go command run on the host by asebench: this process's
    environment with a private module cache and GOPATH, module mode, the local toolchain."""
    env = dict(os.environ)
    env.update({
        "GOMODCACHE": str(module_cache),
        "GOPATH": str(cache_dir("gomod") / "gopath"),
        "GOFLAGS": "-mod=mod",
        "GOTOOLCHAIN": "local",
        "GO111MODULE": "on",
    })
    return env


def download_zip(module: str, version: str, *, sha256: str | None = None) -> Path:
    """The module zip of `module@version` in the archive store; go runs only if it is not
    stored. Raises `SourceError` naming the release when go fails, prints no zip, or the zip
    does not match `sha256`."""
    key = _key(module, version)

    def download(scratch: Path) -> None:
        module_cache = cache_dir("gomod") / "modcache"
        argv = [go_program(), "mod", "download", "-json", f"{module}@{version}"]
        try:
            done = subprocess.run(argv, cwd=scratch, env=host_go_environment(module_cache),
                                  stdin=subprocess.DEVNULL, capture_output=True,
                                  encoding="utf-8", errors="replace", check=False)
        except OSError as exc:
            raise SourceError(str(key), f"cannot run go: {exc}", command=argv) from exc
        output = done.stdout
        try:
            record = json.loads(output)
        except json.JSONDecodeError:
            record = {}
        error = str(record.get("Error") or "") if isinstance(record, dict) else ""
        if done.returncode != 0 or error or not isinstance(record, dict):
            # with -json, go reports a module it cannot get in the JSON's "Error"
            raise SourceError(str(key), f"go mod download failed (exit {done.returncode})",
                              command=argv, stderr=f"{done.stderr}{error}".strip() or output)
        zip_path = Path(str(record.get("Zip") or ""))
        if not zip_path.is_file():
            raise SourceError(str(key), f"go mod download saved no module zip ({output[:200]!r})")
        shutil.copyfile(zip_path, scratch / f"{module.rsplit('/', 1)[-1]}@{version}.zip")

    return download_once(key, sha256, download, tool="go")


def _unpack_module(archive: Path, module: str, version: str, staging: Path, source: str) -> None:
    """Unpack the module zip into `staging` without its `MODULE@VERSION/` folders."""
    with tempfile.TemporaryDirectory(prefix="asebench-gomod-", dir=staging.parent) as scratch:
        unpacked = Path(scratch)
        extract_archive(archive, unpacked, source=source)  # strips the first path element
        rest = f"{module}@{version}".split("/")[1:]
        root = unpacked.joinpath(*rest)
        if not root.is_dir():
            raise SourceError(source, f"module zip {archive.name} has no folder "
                              f"{module}@{version}/")
        for entry in root.iterdir():
            entry.rename(staging / entry.name)


def fetch_release(module: str, version: str, *, sha256: str | None = None) -> SourceTree:
    """The read-only module root of `module@version` (e.g. the fixed release of an instance)."""
    archive = download_zip(module, version, sha256=sha256)
    source = str(_key(module, version))
    digest = archive.name.removesuffix(".zip")
    return build_tree(digest,
                      lambda staging: _unpack_module(archive, module, version, staging, source))


def fetch_gomod(source: GomodSource) -> SourceTree:
    """The vulnerable release of a Go module instance, checked against its pinned sha256."""
    return fetch_release(source.module, source.version, sha256=source.sha256)
