"""How much faster a sample's tree is built from the cache than by copying the release.

Fetches the Django 3.2 sdist through the PyPI source (once; later runs are offline), then
prints the file count and the median times of:

- `shutil.copytree` of the whole release root (the naive way),
- `Workspace.materialise` (hard links to the cache, one changed file written),
- `Workspace.materialise` as an overlay mount (root only; same changed file),
- the static-only path: `Workspace.write` of one changed file, no tree at all,

each with its speed-up over copytree. First calls: the farm lists the base once per process;
the overlay builds its skeleton of directories once per cache (later runs find it).
Run: `.venv/bin/python benchmarks/materialise.py` (as root for the overlay figures).
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
from asebench.workspace import Workspace, overlay_supported

CHANGED_FILE = "django/contrib/admindocs/views.py"


def _remove(path: Path) -> None:
    for directory, dirnames, _files in os.walk(path):
        for name in dirnames:
            os.chmod(os.path.join(directory, name), 0o755)
    os.chmod(path, 0o755)
    shutil.rmtree(path)


def _cpu_seconds() -> float:
    return time.process_time()  # user + system, finer-grained than os.times()


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
        f"{cpu * 1000:10.2f} ms cpu ({cpu_ratio:7.1f}x)"
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

        workspaces: list[Workspace] = []

        def materialiser(overlay: bool) -> Callable[[Path], None]:
            def materialise(target: Path) -> None:
                workspace = Workspace(base, target)
                workspaces.append(workspace)
                workspace.write(CHANGED_FILE, text)
                workspace.materialise(overlay=overlay)

            return materialise

        def write_only(target: Path) -> None:
            Workspace(base, target).write(CHANGED_FILE, text)

        kinds: dict[str, Callable[[Path], object]] = {
            "copy": copy, "link": materialiser(False), "write": write_only
        }
        if overlay_supported():
            kinds["overlay"] = materialiser(True)
        # interleaved, and nothing deleted until the end: deleting trees between runs makes
        # the next run pay for the file system's background work (discard, writeback)
        firsts = {
            name: _timed(kinds[name], scratch / f"first-{name}")  # lists the base, per process
            for name in ("link", "overlay") if name in kinds
        }
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in kinds}
        for index in range(args.repeat):
            for name, run in kinds.items():
                runs[name].append(_timed(run, scratch / f"{name}-{index}"))
        medians = {name: _median(figures) for name, figures in runs.items()}
        for workspace in workspaces:
            workspace.unmount()
        for path in scratch.iterdir():
            _remove(path)

    naive = medians["copy"]
    print("speed-up over copytree in brackets")
    print(_row("copytree (naive)", naive, naive))
    print(_row("hard links, first call", firsts["link"], naive))
    print(_row("materialise (hard links)", medians["link"], naive))
    if "overlay" in medians:
        print(_row("overlay, first call", firsts["overlay"], naive))
        print(_row("materialise (overlay)", medians["overlay"], naive))
    else:
        print("materialise (overlay)       not measured: overlay mounts need root")
    print(_row("write one file (static)", medians["write"], naive))


if __name__ == "__main__":
    main()
