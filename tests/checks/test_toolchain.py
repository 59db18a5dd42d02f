"""Each language's toolchain check from the language table, run with the real tools."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from asebench.checks.toolchain import run_toolchain
from asebench.code.languages import info
from asebench.dataset.schema import Language

GOOD = {
    Language.PYTHON: ("app/a.py", "def f(x):\n    return x\n"),
    Language.JAVASCRIPT: ("a.js", "function f(x) { return x; }\n"),
    Language.TYPESCRIPT: ("a.ts", "function f(x: number): number { return x; }\n"),
    Language.JAVA: ("src/A.java", "class A { int f(int x) { return x; } }\n"),
    Language.GO: ("pkg/a.go", "package pkg\n\nfunc F(x int) int { return x }\n"),
    Language.PHP: ("a.php", "<?php function f($x) { return $x; }\n"),
    Language.C: ("src/a.c", "int f(int x) { return x; }\n"),
}
BROKEN = {
    Language.PYTHON: "def f(x):\n    return (x\n",
    Language.JAVASCRIPT: "function f(x) { return x; \n",
    Language.TYPESCRIPT: "function f(x: number): number { return 'x'; }\n",
    Language.JAVA: "class A { int f(int x) { return y; } }\n",
    Language.GO: "package pkg\n\nfunc F(x int) int { return y }\n",
    Language.PHP: "<?php function f($x) { return $x }\n",
    Language.C: "int f(int x) { return y; }\n",
}


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A small project in `tmp_path/tree` (pytest's own directory is private to root, and the
    sandbox's `nobody` must read the tree)."""
    root = tmp_path / "tree"
    root.mkdir(mode=0o755, exist_ok=True)
    files = {"go.mod": "module example.com/t\n\ngo 1.20\n", **files}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _require_tool(language: Language) -> None:
    program = info(language).toolchain.command(Path("/t"), "f", Path("/s"))[0]
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed here")


@pytest.mark.parametrize("language", list(Language))
def test_valid_file_passes_its_languages_check(language: Language, tmp_path: Path) -> None:
    _require_tool(language)
    rel, text = GOOD[language]

    result = run_toolchain(language, _tree(tmp_path, {rel: text}), rel)

    assert (result.name, result.ran, result.ok) == (info(language).toolchain.name, True, True)


@pytest.mark.parametrize("language", list(Language))
def test_broken_file_fails_its_languages_check(language: Language, tmp_path: Path) -> None:
    _require_tool(language)
    rel, _ = GOOD[language]

    result = run_toolchain(language, _tree(tmp_path, {rel: BROKEN[language]}), rel)

    assert result.ran and not result.ok and result.message


def test_missing_tool_is_recorded_as_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))

    result = run_toolchain(Language.PHP, _tree(tmp_path, {"a.php": "<?php\n"}), "a.php")

    assert (result.ran, result.ok, result.message) == (False, True, "php is not installed")


def test_c_check_finds_a_header_at_the_tree_root(tmp_path: Path) -> None:
    _require_tool(Language.C)
    tree = _tree(tmp_path, {"defs.h": "#define LIMIT 4\n", "src/a.c": '#include "defs.h"\n'
                            "int f(void) { return LIMIT; }\n"})

    assert run_toolchain(Language.C, tree, "src/a.c").ok


def test_java_check_compiles_the_file_with_the_rest_of_the_tree(tmp_path: Path) -> None:
    _require_tool(Language.JAVA)
    tree = _tree(tmp_path, {"src/B.java": "class B { static int g() { return 1; } }\n",
                            "src/A.java": "class A { int f() { return B.g(); } }\n"})

    assert run_toolchain(Language.JAVA, tree, "src/A.java").ok


def test_python_check_leaves_no_bytecode_in_the_tree(tmp_path: Path) -> None:
    rel, text = GOOD[Language.PYTHON]
    tree = _tree(tmp_path, {rel: text})

    assert run_toolchain(Language.PYTHON, tree, rel).ok
    assert not list(tree.rglob("__pycache__"))
