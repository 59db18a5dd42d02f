"""equivalent-expressions: each documented rewrite in each language, run by the real
interpreter or compiler to print what the upstream code prints, and left alone where unsafe."""

from __future__ import annotations

import random
import shutil
import textwrap
from pathlib import Path

import pytest
from same_output import same_output

from asebench.dataset.schema import Language
from asebench.mutation import expressions
from asebench.mutation.edits import Span
from asebench.mutation.expressions import equivalent_expressions
from asebench.mutation.outcome import FileState


@pytest.fixture(autouse=True)
def _every_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(expressions, "CHANGE_SHARE", 1.0)  # rewrite every eligible site


def _rewritten(language: Language, path: str, source: str,
               regions: list[Span] | None = None) -> tuple[str, list[str], list[str]]:
    outcome = equivalent_expressions(language, FileState(path, source, regions or []),
                                     random.Random(0))
    assert outcome.text.count("\n") == source.count("\n")
    return outcome.text, outcome.changes, outcome.refusals



PYTHON = textwrap.dedent('''\
    class Box:
        size = 7


    def show(name, box, items):
        head = f"<{name!r:>6}|{{{box.size}}}>"
        tail = "{}: {:03d}".format(items[0], box.size)
        small = 3 < box.size and not items[1] >= 2.5
        return head, tail, small, f"{len(items)}", "{}".format(items[0], 1)


    print(show("ab", Box(), [1, 2]), show("x", Box(), [9, 2.5]))
    ''')


def test_python_f_strings_format_calls_and_comparisons(tmp_path: Path) -> None:
    text, changes, _ = _rewritten(Language.PYTHON, "m.py", PYTHON)
    assert '"<{!r:>6}|{{{}}}>".format(name, box.size)' in text
    assert 'f"{items[0]}: {box.size:03d}"' in text
    assert "box.size > 3 and not 2.5 <= items[1]" in text
    assert 'f"{len(items)}", "{}".format(items[0], 1)' in text  # a call; two values, one field
    assert len(changes) == 4
    same_output(tmp_path, "python3", "python3 m.py", "m.py", PYTHON, text)


def test_python_names_on_both_sides_and_not_equal_are_left_alone() -> None:
    source = "def f(a, b):\n    return a < b, not a == b\n"
    assert _rewritten(Language.PYTHON, "m.py", source)[0] == source


JAVASCRIPT = textwrap.dedent('''\
    function check(a, b, items) {
      const same = !(a === b);
      const loose = a != b;
      const text = `${a}<${items.length}>`;
      return [same, loose, a < b, 2 <= items.length, 1 + !(a == b), text, `${items}`.length];
    }
    console.log(JSON.stringify([check(1, 2, [1]), check(3, 3, [1, 2, 3]), check('1', 1, [])]));
    ''')


def test_javascript_negated_equality_and_comparison(tmp_path: Path) -> None:
    text, changes, _ = _rewritten(Language.JAVASCRIPT, "m.js", JAVASCRIPT)
    assert "const same = a !== b;" in text and "const loose = !(a == b);" in text
    assert "b > a, items.length >= 2, 1 + (a != b), text, ''.concat(items).length" in text
    assert "const text = ''.concat(a, '<', items.length, '>');" in text
    assert len(changes) == 7
    same_output(tmp_path, "node", "node m.js", "m.js", JAVASCRIPT, text)


JAVA = textwrap.dedent('''\
    public class Main {
        static String check(int a, int b) {
            return "" + !(a == b) + (a != b) + (a < 3) + (b >= a);
        }

        public static void main(String[] args) {
            System.out.println(check(1, 2) + check(3, 3));
        }
    }
    ''')


def test_java_negated_equality_and_comparison(tmp_path: Path) -> None:
    text, _, _ = _rewritten(Language.JAVA, "Main.java", JAVA)
    assert '"" + (a != b) + (!(a == b)) + (3 > a) + (a <= b)' in text
    same_output(tmp_path, "java", "java Main.java", "Main.java", JAVA, text)


GO = textwrap.dedent('''\
    package main

    import "fmt"

    func check(a, b int, s string) bool {
    \tif !(a == b) {
    \t\treturn len(s) > 2
    \t}
    \treturn a <= b
    }

    func main() {
    \tfmt.Println(check(1, 2, "abc"), check(2, 2, ""), check(1, 2, ""))
    }
    ''')


def test_go_negated_equality_and_comparison(tmp_path: Path) -> None:
    text, _, _ = _rewritten(Language.GO, "main.go", GO)
    assert "if a != b {" in text and "return 2 < len(s)" in text and "return b >= a" in text
    same_output(tmp_path, "go", "go run main.go", "main.go", GO, text)


PHP = textwrap.dedent('''\
    <?php
    function check($a, $b) {
        return [!($a === $b), $a <> $b, 3 > strlen($a), $a < $b];
    }
    echo json_encode([check("1", 1), check("ab", "ab"), check("abcd", "b")]), "\\n";
    ''')


def test_php_negated_equality_and_comparison(tmp_path: Path) -> None:
    text, _, _ = _rewritten(Language.PHP, "m.php", PHP)
    assert "[$a !== $b, !($a == $b), strlen($a) < 3, $b > $a]" in text
    same_output(tmp_path, "php", "php m.php", "m.php", PHP, text)


C = textwrap.dedent('''\
    #include <stdio.h>

    static int check(int a, const int *p) {
        return !(a == 1) * 100 + (*p < 3) * 10 + (a != 2);
    }

    int main(void) {
        int three = 3, one = 1;
        printf("%d %d %d\\n", check(1, &three), check(2, &one), check(5, &one));
        return 0;
    }
    ''')


def test_c_negated_equality_and_comparison(tmp_path: Path) -> None:
    text, _, _ = _rewritten(Language.C, "m.c", C)
    assert "return (a != 1) * 100 + (3 > *p) * 10 + (!(a == 2));" in text
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    same_output(tmp_path, "gcc", "gcc -o m m.c && ./m", "m.c", C, text)


def test_an_expression_in_a_masked_region_is_refused_with_the_reason() -> None:
    text, changes, refusals = _rewritten(Language.JAVA, "Main.java", JAVA, [Span(3, 3)])
    assert text == JAVA and not changes
    assert refusals[0] == "negated equality at line 3: touches a masked region"


def test_c_expressions_naming_a_macro_are_left_alone() -> None:
    source = ("#define MASK a & b\n#if VERSION != 2\n#endif\n"
              "int f(int a, int b, int *p) {\n    return !(MASK == 1) + (lo < 3) + (MAX > a)"
              " + (p != NULL);\n}\n")
    text, changes, _ = _rewritten(Language.C, "m.c", source)
    assert changes == ["line 5: comparison flipped: lo < 3 -> 3 > lo",
                       "line 5: negated equality: p != NULL -> !(p == NULL)"]
    assert "#if VERSION != 2" in text
