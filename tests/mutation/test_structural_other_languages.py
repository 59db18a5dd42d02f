"""Structural operators on Java, Go, PHP and C: each mutant still builds and prints what the
upstream program prints (real toolchains; a missing one skips with the reason)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from asebench.dataset.schema import Language
from asebench.mutation.if_swap import swap_if_else
from asebench.mutation.outcome import FileState
from asebench.mutation.reorder import reorder

JAVA = textwrap.dedent('''\
    public class Main {
        static String label(int x) {
            if (!(x > 2)) {
                return "small";
            } else {
                return "big";
            }
        }

        static int twice(int x) {
            return 2 * x;
        }

        public static void main(String[] args) {
            System.out.println(label(1) + label(5) + twice(3));
        }
    }
    ''')
GO = textwrap.dedent('''\
    package main

    import "fmt"

    func label(x int) string {
    \tif x > 2 && x < 9 {
    \t\treturn "mid"
    \t} else {
    \t\treturn "out"
    \t}
    }

    func twice(x int) int {
    \treturn 2 * x
    }

    func main() {
    \tfmt.Println(label(1), label(5), twice(3))
    }
    ''')
PHP = textwrap.dedent('''\
    <?php
    function label($x) {
        if (!is_int($x)) {
            return "other";
        } else {
            return "int";
        }
    }

    function twice($x) {
        return 2 * $x;
    }

    echo label(1), label("a"), twice(3), "\\n";
    ''')
C = textwrap.dedent('''\
    #include <stdio.h>

    static const char *label(int x) {
        if (x > 2 || x < -2) {
            return "far";
        } else {
            return "near";
        }
    }

    int main(void) {
        printf("%s%s\\n", label(1), label(5));
        return 0;
    }
    ''')


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def _output(command: list[str], cwd: Path) -> str:
    environment = {**os.environ, "GOCACHE": str(cwd / "gocache"), "GOPATH": str(cwd / "gopath"),
                   "GOFLAGS": "-mod=mod", "GOPROXY": "off"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True,
                          timeout=300, env=environment).stdout


def _mutated(language: Language, path: str, source: str) -> str:
    swapped = swap_if_else(language, FileState(path, source, []), random.Random(0))
    assert swapped.changes, "the fixture has an if/else to swap"
    if language is Language.C:
        with pytest.raises(ValueError, match="does not support c"):
            reorder(language, FileState(path, swapped.text, []), random.Random(0))
        return swapped.text
    moved = reorder(language, FileState(path, swapped.text, []), random.Random(0))
    assert moved.changes, "the fixture has definitions to reorder"
    return moved.text


def test_java_mutant_prints_the_same(tmp_path: Path) -> None:
    java = _tool("java")
    mutant = _mutated(Language.JAVA, "Main.java", JAVA)
    assert "if (x > 2) {\n            return \"big\";" in mutant
    (tmp_path / "Main.java").write_text(JAVA)
    expected = _output([java, "Main.java"], tmp_path)
    (tmp_path / "Main.java").write_text(mutant)
    assert _output([java, "Main.java"], tmp_path) == expected


def test_go_mutant_prints_the_same(tmp_path: Path) -> None:
    go = _tool("go")
    mutant = _mutated(Language.GO, "main.go", GO)
    assert "if !(x > 2 && x < 9) {" in mutant
    (tmp_path / "main.go").write_text(GO)
    expected = _output([go, "run", "main.go"], tmp_path)
    (tmp_path / "main.go").write_text(mutant)
    assert _output([go, "run", "main.go"], tmp_path) == expected


def test_php_mutant_prints_the_same(tmp_path: Path) -> None:
    php = _tool("php")
    mutant = _mutated(Language.PHP, "m.php", PHP)
    assert "if (is_int($x)) {" in mutant
    (tmp_path / "m.php").write_text(PHP)
    expected = _output([php, "m.php"], tmp_path)
    (tmp_path / "m.php").write_text(mutant)
    assert _output([php, "m.php"], tmp_path) == expected


def test_c_mutant_prints_the_same_and_is_never_reordered(tmp_path: Path) -> None:
    gcc = _tool("gcc")
    mutant = _mutated(Language.C, "m.c", C)
    assert "if (!(x > 2 || x < -2)) {" in mutant
    outputs = []
    for name, text in (("up", C), ("mut", mutant)):
        (tmp_path / f"{name}.c").write_text(text)
        subprocess.run([gcc, "-o", name, f"{name}.c"], cwd=tmp_path, check=True, timeout=120)
        outputs.append(_output([str(tmp_path / name)], tmp_path))
    assert outputs[0] == outputs[1]
