"""Context index speed on a real tree: cold build vs warm (cached) load, and query latency.

Uses a Django 3.2 tree from the asebench cache (`trees/` under `$ASEBENCH_CACHE` or the default
cache) when one is there, else fetches the sdist with pip and unpacks it under /tmp/ctxbench.
Indexes go to a temporary directory, so the cold figure is really cold.

    .venv/bin/python benchmarks/context_index.py [--tree PATH] [--queries N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import platformdirs

from asebench.cache import CACHE_ENV
from asebench.context import ContextRequest
from asebench.context.bm25 import Bm25Context
from asebench.context.code_index import CodeIndex
from asebench.context.graph import GraphContext
from asebench.context.index_cache import load_or_build
from asebench.context.query import query_terms
from asebench.context.source_files import source_files
from asebench.dataset.schema import Language

DOWNLOAD_DIR = Path("/tmp/ctxbench")
MARKER = "# <MASKED>"


def find_django_tree() -> Path | None:
    roots = [Path(os.environ[CACHE_ENV])] if os.environ.get(CACHE_ENV) else []
    roots.append(Path(platformdirs.user_cache_dir("asebench")))
    for root in roots:
        for tree in sorted((root / "trees").glob("*")):
            init = tree / "django" / "__init__.py"
            if init.is_file() and "VERSION = (3, 2," in init.read_text(encoding="utf-8"):
                return tree
    return None


def download_django() -> Path:
    unpacked = DOWNLOAD_DIR / "Django-3.2"
    if not unpacked.is_dir():
        DOWNLOAD_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "Django==3.2",
                "-d",
                str(DOWNLOAD_DIR),
            ],
            check=True,
        )
        with tarfile.open(next(DOWNLOAD_DIR.glob("Django-3.2*.tar.gz"))) as archive:
            archive.extractall(DOWNLOAD_DIR, filter="data")
    return unpacked


def masked_requests(tree: Path, count: int, budget: int) -> list[ContextRequest]:
    """`count` requests, each masking ten lines in the middle of a different file."""
    files = [p for p in source_files(tree, Language.PYTHON) if p.startswith("django/")]
    step = max(1, len(files) // count)
    requests = []
    for path in files[::step][:count]:
        lines = (tree / path).read_text(encoding="utf-8", errors="replace").split("\n")
        middle = len(lines) // 2
        masked = [*lines[:middle], MARKER, *lines[middle + 10 :]]
        requests.append(
            ContextRequest(
                tree=tree,
                masked_files={path: "\n".join(masked)},
                language=Language.PYTHON,
                budget_tokens=budget,
                tree_digest=f"bench:{tree}",
            )
        )
    return requests


def seconds(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--budget", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    tree = args.tree or find_django_tree() or download_django()
    files = source_files(tree, Language.PYTHON)
    print(f"tree            {tree}")
    print(f"python files    {len(files)}")

    with tempfile.TemporaryDirectory(prefix="ctxbench-index-") as scratch:
        root = Path(scratch)
        digest = f"bench:{tree}"
        start = time.perf_counter()
        built = load_or_build(tree, Language.PYTHON, digest, root)
        cold = time.perf_counter() - start
        print(f"chunks          {len(built.chunks)}")
        print(f"cold build      {cold * 1000:8.1f} ms  (chunk + index + save)")

        build_only = seconds(lambda: CodeIndex.build(tree, Language.PYTHON))
        print(f"  of which build{build_only * 1000:8.1f} ms  (chunk + index, no save)")

        warm_times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            loaded = load_or_build(tree, Language.PYTHON, digest, root)
            warm_times.append(time.perf_counter() - start)
            assert loaded.origin == "cache"
        warm = statistics.median(warm_times)
        print(f"warm load       {warm * 1000:8.1f} ms  (median of {args.repeat})")
        print(f"warm / cold     {warm / cold:8.3f}")

        requests = masked_requests(tree, args.queries, args.budget)
        search_times = []
        for request in requests:
            start = time.perf_counter()
            terms = query_terms(request.masked_files, request.marker_pattern)
            loaded.search(terms, exclude_paths=set(request.masked_files), limit=200)
            search_times.append(time.perf_counter() - start)
        print(
            f"query + search  {statistics.median(search_times) * 1000:8.2f} ms median, "
            f"{max(search_times) * 1000:.2f} ms max over {len(requests)} queries (index in memory)"
        )

        strategy = Bm25Context(cache_root=root)
        first_call = seconds(lambda: strategy.build(requests[0]))
        build_times = [seconds(lambda r=request: strategy.build(r)) for request in requests]
        print(f"strategy.build  {first_call * 1000:8.2f} ms first call (loads the cached index)")
        print(
            f"strategy.build  {statistics.median(build_times) * 1000:8.2f} ms median, "
            f"{max(build_times) * 1000:.2f} ms max after it (index kept in memory; query + "
            f"budget of {args.budget} tokens)"
        )
        graph = GraphContext(cache_root=root)
        graph.build(requests[0])
        graph_times = [seconds(lambda r=request: graph.build(r)) for request in requests]
        print(
            f"graph.build     {statistics.median(graph_times) * 1000:8.2f} ms median, "
            f"{max(graph_times) * 1000:.2f} ms max (index in memory)"
        )
        sample = strategy.build(requests[0])
        print(
            f"sample context  {len(sample.snippets)} snippets, {sample.tokens} tokens for "
            f"{next(iter(requests[0].masked_files))}"
        )


if __name__ == "__main__":
    main()
