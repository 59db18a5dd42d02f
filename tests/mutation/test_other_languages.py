"""Operators on Java, Go, PHP and C (structural; local renames, C's in test_rename_c.py): each
mutant still builds and prints what the upstream program prints (real toolchains; a missing
one skips with the reason), and unsafe renames are refused."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from asebench.dataset.schema import Language
from asebench.mutation.candidates import Surroundings
from asebench.mutation.edits import Span
from asebench.mutation.if_swap import swap_if_else
from asebench.mutation.outcome import FileState
from asebench.mutation.rename import candidates, rename
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
    # the user's build cache is kept: a fresh one rebuilds the standard library every run
    environment = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off"}
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


def _renamed(language: Language, path: str, source: str, region: Span) -> tuple[str, list[str]]:
    outcome = rename("local", language, FileState(path, source, [region]), random.Random(0),
                     Surroundings([region]))
    return outcome.text, outcome.changes


def test_java_locals_are_renamed_and_the_program_prints_the_same(tmp_path: Path) -> None:
    java = _tool("java")
    mutant, changes = _renamed(Language.JAVA, "Main.java", JAVA, Span(3, 7))
    assert [c.split()[0] for c in changes] == ["x"] and "label(int x)" not in mutant
    (tmp_path / "Main.java").write_text(JAVA)
    expected = _output([java, "Main.java"], tmp_path)
    (tmp_path / "Main.java").write_text(mutant)
    assert _output([java, "Main.java"], tmp_path) == expected


PHP_LOCALS = textwrap.dedent('''\
    <?php
    function label($x) {
        $kind = is_int($x) ? "int" : "other";
        return $kind . "!";
    }
    echo label(1), label("a"), "\\n";
    ''')


def test_go_and_php_locals_are_renamed_and_print_the_same(tmp_path: Path) -> None:
    go, php = _tool("go"), _tool("php")
    go_mutant, go_changes = _renamed(Language.GO, "main.go", GO, Span(6, 10))
    php_mutant, php_changes = _renamed(Language.PHP, "m.php", PHP_LOCALS, Span(3, 4))
    assert go_changes and [c.split()[0] for c in php_changes] == ["kind"]
    assert "$kind" not in php_mutant and "function label($x)" in php_mutant
    for name, upstream, mutant, command in (("main.go", GO, go_mutant, [go, "run", "main.go"]),
                                            ("m.php", PHP_LOCALS, php_mutant,
                                             [php, "m.php"])):
        (tmp_path / name).write_text(upstream)
        expected = _output(command, tmp_path)
        (tmp_path / name).write_text(mutant)
        assert _output(command, tmp_path) == expected


def test_unsafe_locals_in_java_go_and_php_are_refused_with_the_reason() -> None:
    java = "class A {\n  int n;\n  int f(int n) {\n    return n + this.n;\n  }\n}\n"
    go = "package p\n\nvar n = 1\n\nfunc f(n int) int {\n\treturn n\n}\n"
    php = "<?php\nfunction f($n) {\n    return compact('n');\n}\n"
    cases = ((Language.JAVA, "A.java", java, Span(4, 4), "also a field, package-level name"),
             (Language.GO, "p.go", go, Span(6, 6), "also a field, package-level name"),
             (Language.PHP, "f.php", php, Span(3, 3), "the function uses compact()"),
             (Language.PHP, "g.php", "<?php\nfunction g($n) {\n    return $n;\n}\n",
              Span(3, 3), "a PHP parameter (named arguments and reflection call it by name)"))
    for language, path, source, region, reason in cases:
        found = candidates(language, FileState(path, source, [region]), Surroundings([region]))
        refusals = [c.refusal or "" for c in found if c.name == "n"]
        assert refusals and refusals[0].startswith(reason), language


def test_the_go_blank_identifier_is_never_a_candidate() -> None:
    go = "package p\n\nfunc f(xs []int) int {\n\tt := 0\n\tfor _, v := range xs {\n" \
         "\t\tt += v\n\t}\n\treturn t\n}\n"
    found = candidates(Language.GO, FileState("p.go", go, [Span(6, 6)]),
                       Surroundings([Span(6, 6)]))
    assert sorted(c.name for c in found) == ["t", "v", "xs"]


PHP_STATIC = textwrap.dedent('''\
    <?php
    class Palette {
        private static $colors = ['big' => 'red'];
        public static function pick($size) {
            $colors = self::$colors;
            return $colors[$size] ?? static::$colors['big'];
        }
    }
    echo Palette::pick('big'), Palette::pick('tiny'), "\\n";
    ''')


def test_php_static_properties_are_never_renamed_as_locals(tmp_path: Path) -> None:
    php = _tool("php")
    mutant, changes = _renamed(Language.PHP, "m.php", PHP_STATIC, Span(5, 6))
    assert [c.split()[0] for c in changes] == ["colors"]
    assert "self::$colors;" in mutant and "static::$colors['big']" in mutant
    (tmp_path / "m.php").write_text(PHP_STATIC)
    expected = _output([php, "m.php"], tmp_path)
    (tmp_path / "m.php").write_text(mutant)
    assert _output([php, "m.php"], tmp_path) == expected
