"""How much faster a sample's tree is built from the cache than by copying the release.

Fetches the Django 3.2 sdist through the PyPI source (once; later runs are offline), then
prints the file count and the median times of:

- `shutil.copytree` of the whole release root (the naive way),
- `Workspace.materialise` (hard links to the cache, one changed file written),
- the static-only path: `Workspace.write` of one changed file, no tree at all,

each with its speed-up over copytree. Run: `.venv/bin/python benchmarks/materialise.py`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from asebench.sources.pypi import fetch_release
from asebench.workspace import Workspace

CHANGED_FILE = "django/contrib/admindocs/views.py"


def _remove(path: Path) -> None:
    for directory, dirnames, _files in os.walk(path):
        for name in dirnames:
            os.chmod(os.path.join(directory, name), 0o755)
    os.chmod(path, 0o755)
    shutil.rmtree(path)


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _timed(run: Callable[[Path], object], target: Path) -> tuple[float, float]:
    """(wall, cpu) seconds of one `run` into a fresh `target`."""
    wall, cpu = time.perf_counter(), _cpu_seconds()
    run(target)
    return time.perf_counter() - wall, _cpu_seconds() - cpu


def _median(figures: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(f[0] for f in figures), statistics.median(f[1] for f in figures)


def _row(label: str, figures: tuple[float, float], naive: tuple[float, float]) -> str:
    wall, cpu = figures
    wall_ratio = naive[0] / wall if wall else float("inf")
    cpu_ratio = naive[1] / cpu if cpu else float("inf")
    return (
        f"{label:<28}{wall * 1000:10.2f} ms wall ({wall_ratio:7.1f}x)"
        f"{cpu * 1000:10.0f} ms cpu ({cpu_ratio:7.1f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    base = fetch_release("Django", "3.2").root
    counts = [(len(dirs), len(names)) for _dir, dirs, names in os.walk(base)]
    files, directories = sum(c[1] for c in counts), sum(c[0] for c in counts)
    text = (base / CHANGED_FILE).read_text(encoding="utf-8") + "\n# changed\n"
    print(f"release root: {base}")
    print(f"files: {files}  directories: {directories}  (median of {args.repeat} runs)")

    with tempfile.TemporaryDirectory(prefix="asebench-bench-") as scratch_name:
        scratch = Path(scratch_name)

        def copy(target: Path) -> None:
            shutil.copytree(base, target, symlinks=True)

        def materialise(target: Path) -> None:
            workspace = Workspace(base, target)
            workspace.write(CHANGED_FILE, text)
            workspace.materialise()

        def write_only(target: Path) -> None:
            Workspace(base, target).write(CHANGED_FILE, text)

        # interleaved, and nothing deleted until the end: deleting trees between runs makes
        # the next run pay for the file system's background work (discard, writeback)
        first = _timed(materialise, scratch / "first")  # lists the base once per process
        runs: dict[str, list[tuple[float, float]]] = {"copy": [], "link": [], "write": []}
        for index in range(args.repeat):
            runs["copy"].append(_timed(copy, scratch / f"copy-{index}"))
            runs["link"].append(_timed(materialise, scratch / f"link-{index}"))
            runs["write"].append(_timed(write_only, scratch / f"write-{index}"))
        naive, linked, written = (_median(runs[name]) for name in ("copy", "link", "write"))
        for path in scratch.iterdir():
            _remove(path)

    print("speed-up over copytree in brackets")
    print(_row("copytree (naive)", naive, naive))
    print(_row("materialise, first call", first, naive))
    print(_row("materialise (hard links)", linked, naive))
    print(_row("write one file (static)", written, naive))


if __name__ == "__main__":
    main()
