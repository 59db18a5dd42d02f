"""`asebench.dataset` is the ground floor: none of its modules imports the scanner (`checks`)
or the fetchers (`sources`), so the dataset can be loaded and linted without either."""

from __future__ import annotations

import ast
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import asebench.dataset

FORBIDDEN = ("asebench.checks", "asebench.sources")


def _dataset_modules() -> list[str]:
    return sorted(
        f"asebench.dataset.{info.name}"
        for info in pkgutil.iter_modules(asebench.dataset.__path__)
    )


def test_the_dataset_package_has_modules_to_check() -> None:
    assert {"asebench.dataset.load", "asebench.dataset.ase_import", "asebench.dataset.gold",
            "asebench.dataset.rules"} <= set(_dataset_modules())


def test_no_dataset_module_imports_checks_or_sources() -> None:
    script = (
        "import importlib, json, sys\n"
        f"for name in {_dataset_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('asebench.'))))\n"
    )
    src = Path(asebench.dataset.__file__).resolve().parents[2]
    path = os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, check=True)
    loaded = json.loads(done.stdout)
    assert "asebench.dataset.ase_import" in loaded
    assert [m for m in loaded if m.startswith(FORBIDDEN)] == []


def _imports(module: str) -> set[str]:
    """The modules a dataset module imports, anywhere in its body (top level or in a function)."""
    path = Path(asebench.dataset.__file__).parent / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_load_and_ase_import_do_not_import_each_other_in_a_circle() -> None:
    assert "asebench.dataset.ase_import" in _imports("load")
    assert "asebench.dataset.load" not in _imports("ase_import")
