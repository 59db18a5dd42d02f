"""What fetching a source and building its environment costs per source kind, cold and warm.

For one built-in instance of each source kind, times the two things a run does before the
first sample can be judged:

- fetch: the vulnerable tree and the fixed tree (the gold is derived from it) through
  `fetch_tree` / `fetch_fixed_tree`: download with the ecosystem's client (git, `pip
  download`, `npm pack`, `mvn`, `go mod download`, `apt-get source`), checksum, unpack, and
  for Debian apply the series patches (cold Debian includes the `apt-get update` of the
  private package lists);
- environment: `build_environment` of the instance's `environment` (a pip venv, `node_modules`,
  Maven jars, a Go module cache plus a warm `go build`, a C library configured and built),
  all in the sandbox as a run builds them.

Cold is a fresh, empty `ASEBENCH_CACHE` in a temporary directory (every client's cache
asebench controls lives there: git mirrors, archives, the npm cache, the Maven local
repository, the Go module cache, the apt lists); warm is the same steps a second time with
that cache. The git kind has no built-in instance (git hosts are not reachable here): it
clones a local repository made from the synthetic Go instance's project, two commits, so it
measures the clone/checkout machinery, not a network. Prints one row per kind (cold in
seconds, warm in milliseconds: a warm cache only looks the result up; and the cold/warm
ratio) and the load average before and after; under load (8 helpers on 2 cores)
the cold figures vary by tens of percent between runs.

Run: `PYTHONPATH=src .venv/bin/python benchmarks/fetch_cost.py [--kinds debian,gomod]
[--keep-cache]` (needs the network through the ecosystems' clients; several minutes cold).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from asebench.cache import CACHE_ENV
from asebench.checks.environment import (
    build_environment,
    needs_go,
    needs_jars,
    needs_npm,
    needs_python,
)
from asebench.dataset.load import builtin_path
from asebench.dataset.native import load_instance
from asebench.dataset.schema import GitSource, Instance
from asebench.sources.fetch import fetch_fixed_tree, fetch_tree
from asebench.sources.tree import SourceTree

INSTANCES: dict[str, str] = {
    "git": "synthetic/synthetic-go-sql-injection",  # re-homed into a local git repository
    "pypi": "real/jinja2-CVE-2024-22195",
    "npm": "real/express-CVE-2024-43796",
    "maven": "real/jsoup-CVE-2022-36033",
    "gomod": "real/ulikunitz-xz-CVE-2021-29482",
    "debian": "real/giflib-CVE-2026-26740",
}
"""The built-in instance measured for each source kind (one with an environment where the
kind has one)."""


def _git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=bench", "-c",
               "user.email=bench@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def as_git_instance(instance: Instance, scratch: Path) -> Instance:
    """`instance` with its local project committed into a repository under `scratch` (the
    vulnerable commit, then a one-line change as the fix commit) and named as a git source."""
    if instance.root is None:
        raise ValueError(f"{instance.id}: loaded without its folder")
    repo = scratch / "repo"
    shutil.copytree(instance.root / "project", repo)
    _git(repo, "init", "--quiet", "--initial-branch=main")
    _git(repo, "add", ".")
    _git(repo, "commit", "--quiet", "-m", "vulnerable")
    vulnerable = _git(repo, "rev-parse", "HEAD")
    first = instance.locations[0].file
    with open(repo / first, "a", encoding="utf-8") as stream:
        stream.write("// fixed\n")
    _git(repo, "commit", "--quiet", "-am", "fix")
    source = GitSource(url=str(repo), rev=vulnerable, fixed_rev=_git(repo, "rev-parse", "HEAD"))
    return instance.model_copy(update={"source": source})


@dataclass
class Figures:
    """Seconds of one kind's fetch and environment build, cold and warm (None: no
    environment)."""

    instance: str
    fetch: list[float]
    environment: list[float | None]
    what: str


def _timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _environment_kind(instance: Instance) -> str:
    """What the instance's environment holds, as `build_environment` decides it."""
    spec, language = instance.environment, instance.language
    parts = [name for name, present in (
        ("pip venv", needs_python(spec, language)),
        ("node_modules", needs_npm(spec, language)),
        ("maven jars", needs_jars(spec)),
        ("go modules + warm build", needs_go(spec, language)),
        ("project build", bool(spec.build)),
    ) if present]
    return ", ".join(parts) or "none"


def measure(instance: Instance, figures: Figures) -> None:
    """One pass (cold or warm, as the cache is): fetch both trees, then build the
    environment; appends the seconds to `figures`."""
    holder: list[SourceTree] = []

    def fetch() -> None:
        holder.append(fetch_tree(instance.source, instance_root=instance.root))
        fetch_fixed_tree(instance.source, instance_root=instance.root)

    figures.fetch.append(_timed(fetch))
    root, digest = holder[0].root, holder[0].digest
    if figures.what == "none":
        figures.environment.append(None)
        return
    figures.environment.append(_timed(lambda: build_environment(
        instance.environment, instance.language, source_root=root, source_digest=digest)))


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:8.2f}"


def _milliseconds(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f}"


def _ratio(cold: float | None, warm: float | None) -> str:
    if cold is None or warm is None:
        return "-"
    if warm <= 0:
        return "inf"
    ratio = cold / warm
    return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:.0f}x"


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default=",".join(INSTANCES),
                        help="comma-separated source kinds (default: all)")
    parser.add_argument("--keep-cache", action="store_true",
                        help="leave the temporary cache in place and print where it is")
    args = parser.parse_args()
    kinds = [kind for kind in args.kinds.split(",") if kind]
    unknown = [kind for kind in kinds if kind not in INSTANCES]
    if unknown:
        parser.error(f"unknown kind(s) {', '.join(unknown)} (known: {', '.join(INSTANCES)})")
    scratch = Path(tempfile.mkdtemp(prefix="asebench-fetch-cost-"))
    os.environ[CACHE_ENV] = str(scratch / "cache")  # read by cache_root() on every call
    builtin = builtin_path()
    print(f"cache: {scratch / 'cache'} (fresh); cores: {os.cpu_count()}; "
          f"load average before: {_load()}")
    instances: dict[str, Instance] = {}
    results: dict[str, Figures] = {}
    for kind in kinds:
        instance = load_instance(builtin / INSTANCES[kind], dataset_root=builtin)
        if kind == "git":
            instance = as_git_instance(instance, scratch)
        instances[kind] = instance
        results[kind] = Figures(instance.id, [], [], _environment_kind(instance))
    started = time.perf_counter()
    try:
        for phase in ("cold", "warm"):
            for kind in kinds:
                measure(instances[kind], results[kind])
                figures = results[kind]
                print(f"  {phase} {kind}: fetch {figures.fetch[-1]:.2f} s, environment "
                      f"{_seconds(figures.environment[-1]).strip()} s", flush=True)
    finally:
        if args.keep_cache:
            print(f"cache kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print()
    print(f"{'kind':7} {'instance':28} {'fetch cold s':>12} {'warm ms':>8} {'ratio':>8}  "
          f"{'env cold s':>10} {'warm ms':>8} {'ratio':>8}  environment")
    for kind in kinds:
        figures = results[kind]
        (cold_fetch, warm_fetch), (cold_env, warm_env) = figures.fetch, figures.environment
        print(f"{kind:7} {figures.instance:28} {cold_fetch:12.2f} "
              f"{_milliseconds(warm_fetch):>8} {_ratio(cold_fetch, warm_fetch):>8}"
              f"  {_seconds(cold_env):>10} {_milliseconds(warm_env):>8} "
              f"{_ratio(cold_env, warm_env):>8}  {figures.what}")
    print(f"\nwall: {time.perf_counter() - started:.1f} s; load average after: {_load()}")


if __name__ == "__main__":
    main()
