"""Maven artifacts, fetched the way a user would: `mvn dependency:copy` of the `-sources.jar`
(the instance's source tree) and `mvn dependency:copy-dependencies` of a generated pom (the
jars an environment compiles and runs against).

mvn runs on the host, in an empty working directory (no project of the dataset's is read as a
build), with its own local repository under `cache_dir("maven")` (nothing of `~/.m2` is read or
written) and the dependency plugin pinned by version. Resolving and copying jars runs no code of
the artifacts; the artifacts' own code only ever runs in the sandbox. Where mvn downloads from is
the user's Maven configuration (`/etc/maven/settings.xml`, `~/.m2/settings.xml`, mirrors).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from asebench.cache import cache_dir
from asebench.dataset.packages import maven_coordinate_problem
from asebench.dataset.schema import MavenSource
from asebench.sources.archive_store import ReleaseKey, download_once, tree_from_archive
from asebench.sources.errors import SourceError
from asebench.sources.tree import SourceTree

DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
"""The plugin that copies artifacts, pinned so that a fetch does the same on every machine."""


def local_repository() -> Path:
    """asebench's private Maven repository (the download cache mvn keeps)."""
    return cache_dir("maven") / "repository"


def mvn_argv(goal: str, *arguments: str) -> list[str]:
    """`mvn` in batch mode, quiet, on asebench's local repository, running `goal` of the
    pinned dependency plugin. Raises `SourceError` when mvn is not installed."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise SourceError("maven", "mvn is not installed (install maven, e.g. `make system-deps`)")
    return [mvn, "--batch-mode", "--quiet", "--no-transfer-progress", "-Dstyle.color=never",
            f"-Dmaven.repo.local={local_repository()}", f"{DEPENDENCY_PLUGIN}:{goal}", *arguments]


def run_mvn(argv: Sequence[str], *, source: str, cwd: Path) -> None:
    """Run mvn in `cwd`; raise `SourceError` naming `source`, with mvn's output (it prints
    its errors on stdout), when it fails."""
    try:
        done = subprocess.run(list(argv), cwd=cwd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              encoding="utf-8", errors="replace", check=False)
    except OSError as exc:
        raise SourceError(source, f"cannot run mvn: {exc}", command=argv) from exc
    if done.returncode != 0:
        errors = [line[line.index("[ERROR]"):] for line in done.stdout.splitlines()
                  if "[ERROR] " in line and not line.split("[ERROR] ", 1)[1].startswith(
                      ("To see the full", "Re-run Maven", "For more information", "[Help"))]
        raise SourceError(source, f"mvn failed with exit code {done.returncode}", command=argv,
                          stderr="\n".join(errors[:2]) or done.stdout)


def _key(group: str, artifact: str, version: str) -> ReleaseKey:
    return ReleaseKey("maven", f"{group}:{artifact}", version)


def download_sources_jar(group: str, artifact: str, version: str, *,
                         sha256: str | None = None) -> Path:
    """The `-sources.jar` of `group:artifact:version` in the archive store; mvn runs only if
    it is not stored. Raises `SourceError` naming the artifact when mvn fails, or when the
    jar does not match `sha256`."""
    key = _key(group, artifact, version)

    def download(scratch: Path) -> None:
        saved = scratch / "saved"
        saved.mkdir()
        run_mvn(mvn_argv("copy", f"-Dartifact={group}:{artifact}:{version}:jar:sources",
                         f"-DoutputDirectory={saved}"), source=str(key), cwd=saved)
        for jar in saved.iterdir():
            jar.rename(scratch / jar.name)

    return download_once(key, sha256, download, tool="mvn",
                         keep=lambda path: path.name.endswith("-sources.jar"))


def fetch_release(group: str, artifact: str, version: str, *,
                  sha256: str | None = None) -> SourceTree:
    """The read-only source root of `group:artifact:version`: its sources jar unpacked as it
    is (a jar's paths start at the package folders; nothing is stripped)."""
    archive = download_sources_jar(group, artifact, version, sha256=sha256)
    return tree_from_archive(archive, source=str(_key(group, artifact, version)),
                             strip_top=False)


def fetch_maven(source: MavenSource) -> SourceTree:
    """The vulnerable release of a Maven instance, checked against its pinned sha256."""
    return fetch_release(source.group, source.artifact, source.version, sha256=source.sha256)


def dependencies_pom(coordinates: Sequence[str]) -> str:
    """A minimal pom whose dependencies are `coordinates` (`group:artifact:version` each;
    `ValueError` for anything else), for `copy-dependencies` to resolve."""
    entries = []
    for coordinate in coordinates:
        reason = maven_coordinate_problem(coordinate)
        if reason is not None:
            raise ValueError(f"{coordinate!r}: {reason}")
        group, artifact, version = (escape(part) for part in coordinate.split(":"))
        entries.append(f"    <dependency><groupId>{group}</groupId><artifactId>{artifact}"
                       f"</artifactId><version>{version}</version></dependency>")
    body = "\n".join(entries)
    return ("<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
            "  <modelVersion>4.0.0</modelVersion>\n"
            "  <groupId>asebench.environment</groupId><artifactId>jars</artifactId>"
            "<version>0</version><packaging>pom</packaging>\n"
            f"  <dependencies>\n{body}\n  </dependencies>\n</project>\n")


def copy_jars(coordinates: Sequence[str], destination: Path, *, work: Path) -> list[Path]:
    """Copy the jars of `coordinates` and their runtime dependencies (as Maven resolves them)
    into the directory `destination`, using the empty directory `work` for the generated pom.
    Returns the jars copied. Raises `SourceError` naming the coordinates when mvn fails."""
    pom = work / "pom.xml"
    pom.write_text(dependencies_pom(coordinates), encoding="utf-8")
    destination.mkdir(parents=True, exist_ok=True)
    run_mvn(mvn_argv("copy-dependencies", "-f", str(pom), "-DincludeScope=runtime",
                     f"-DoutputDirectory={destination}"),
            source="maven " + " ".join(coordinates), cwd=work)
    return sorted(destination.glob("*.jar"))
