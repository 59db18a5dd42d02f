"""What running each language's checker in the sandbox costs, against running it on the host.

For every language whose checker is installed, a small valid project (written here) is checked
N times both ways, alternately, each run with a fresh scratch directory (cold caches both ways):

- host: the table's argv as a plain subprocess with the host's environment (how checks ran
  before they were sandboxed; only this script's own files are compiled),
- sandboxed: `run_toolchain` (bubblewrap, `nobody`, limits, `/workspace` quota).

Prints the median of each, the added time and the ratio sandboxed / host.
Run: `.venv/bin/python benchmarks/toolchain_cost.py [--runs 10]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from asebench.checks.toolchain import run_toolchain
from asebench.code.languages import info
from asebench.dataset.schema import Language

PROJECTS: dict[Language, tuple[str, dict[str, str]]] = {
    Language.PYTHON: ("app/a.py", {"app/a.py": "def f(x):\n    return x\n"}),
    Language.JAVASCRIPT: ("a.js", {"a.js": "function f(x) { return x; }\n"}),
    Language.TYPESCRIPT: ("a.ts", {"a.ts": "function f(x: number): number { return x; }\n"}),
    Language.JAVA: ("src/A.java", {"src/A.java": "class A { int f() { return B.g(); } }\n",
                                   "src/B.java": "class B { static int g() { return 1; } }\n"}),
    Language.GO: ("pkg/a.go", {"go.mod": "module example.com/t\n\ngo 1.20\n",
                               "pkg/a.go": 'package pkg\n\nimport "strings"\n\n'
                               "func F(x string) string { return strings.TrimSpace(x) }\n"}),
    Language.PHP: ("a.php", {"a.php": "<?php function f($x) { return $x; }\n"}),
    Language.C: ("src/a.c", {"src/a.c": "#include <stdio.h>\nint f(void) "
                             '{ return printf("x"); }\n'}),
}


def write_project(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(mode=0o755)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def host_run(language: Language, tree: Path, rel: str) -> float:
    """One check as it ran before: a host subprocess with the host's environment."""
    toolchain = info(language).toolchain
    scratch = Path(tempfile.mkdtemp(prefix="asebench-bench-"))
    try:
        env = {**os.environ, **toolchain.environment(scratch)}
        started = time.perf_counter()
        done = subprocess.run(toolchain.command(tree, rel, scratch), cwd=tree, env=env,
                              capture_output=True, check=False)
        elapsed = time.perf_counter() - started
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(scratch)], check=False)
        shutil.rmtree(scratch)
    if done.returncode != 0:
        raise SystemExit(f"{language.value}: the host check failed: {done.stderr.decode()[-300:]}")
    return elapsed


def sandboxed_run(language: Language, tree: Path, rel: str) -> float:
    started = time.perf_counter()
    result = run_toolchain(language, tree, rel)
    elapsed = time.perf_counter() - started
    if not (result.ran and result.ok):
        raise SystemExit(f"{language.value}: the sandboxed check failed: {result.message}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    print(f"per-check cost, median of {args.runs} runs (ms)")
    print(f"  {'language':<11} {'checker':<18} {'host':>8} {'sandboxed':>10} {'added':>8} "
          f"{'ratio':>6}")
    with tempfile.TemporaryDirectory(prefix="asebench-bench-") as tmp:
        for language, (rel, files) in PROJECTS.items():
            toolchain = info(language).toolchain
            program = toolchain.command(Path(tmp), rel, Path(tmp))[0]
            if shutil.which(program) is None:
                print(f"  {language.value:<11} {toolchain.name:<18} not installed")
                continue
            tree = write_project(Path(tmp) / language.value, files)
            host_run(language, tree, rel)  # warm the page cache for both
            pairs = [(host_run(language, tree, rel), sandboxed_run(language, tree, rel))
                     for _ in range(args.runs)]  # alternated: a busy machine slows both alike
            host = statistics.median(pair[0] for pair in pairs)
            boxed = statistics.median(pair[1] for pair in pairs)
            print(f"  {language.value:<11} {toolchain.name:<18} {host * 1000:8.0f} "
                  f"{boxed * 1000:10.0f} {(boxed - host) * 1000:8.0f} {boxed / host:6.2f}")


if __name__ == "__main__":
    main()
