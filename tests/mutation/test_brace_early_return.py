"""early-return in JavaScript, Java, Go, PHP and C: both directions, run by the real toolchain
to print what the upstream code prints; regions after the statement move by the line; unsafe
moves refused."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest
from same_output import same_output

from asebench.dataset.schema import Language
from asebench.mutation import early_return as early_return_module
from asebench.mutation.early_return import early_return
from asebench.mutation.edits import Span
from asebench.mutation.outcome import FileState


@pytest.fixture(autouse=True)
def _every_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(early_return_module, "CHANGE_SHARE", 1.0)


def _rewritten(language: Language, path: str, source: str, region: Span
               ) -> tuple[str, list[str], list[str]]:
    outcome = early_return(language, FileState(path, source, [region]), random.Random(0))
    moved = outcome.regions[0]
    assert outcome.text.split("\n")[moved.start - 1:moved.end] == (
        source.split("\n")[region.start - 1:region.end])
    return outcome.text, outcome.changes, outcome.refusals


JAVASCRIPT = textwrap.dedent('''\
    function half(x) {
      if (x % 2) {
        return 'odd';
      }
      const y = x / 2;
      return String(y);
    }

    function sign(x) {
      if (x < 0) {
        throw new Error('negative');
      } else {
        let s = x === 0 ? 'zero' : 'positive';
        return s;
      }
    }
    console.log(half(3), half(4), sign(0), sign(2));
    ''')


def test_javascript_both_directions(tmp_path: Path) -> None:
    text, changes, _ = _rewritten(Language.JAVASCRIPT, "m.js", JAVASCRIPT, Span(17, 17))
    assert changes == ["if at line 10: else -> early exit", "if at line 2: early exit -> else"]
    assert "  } else {\n    const y = x / 2;\n    return String(y);\n  }\n}" in text
    assert "  }\n  let s = x === 0 ? 'zero' : 'positive';\n  return s;\n}" in text
    same_output(tmp_path, "node", "node m.js", "m.js", JAVASCRIPT, text)


def test_javascript_function_declared_after_the_exit_is_refused() -> None:
    source = ("function f(x) {\n  if (x) {\n    return helper();\n  }\n  return 0;\n"
              "  function helper() { return 1; }\n}\n")
    assert _rewritten(Language.JAVASCRIPT, "m.js", source, Span(8, 7))[0] == source


JAVA = textwrap.dedent('''\
    public class Main {
        static int clamp(int x) {
            if (x > 9) {
                return 9;
            }
            int y = x * 2;
            return y;
        }

        public static void main(String[] args) {
            System.out.println(clamp(3) + " " + clamp(12));
        }
    }
    ''')


def test_java_early_exit_becomes_else(tmp_path: Path) -> None:
    text, changes, _ = _rewritten(Language.JAVA, "Main.java", JAVA, Span(11, 11))
    assert changes == ["if at line 3: early exit -> else"]
    assert "        } else {\n            int y = x * 2;\n            return y;\n        }" in text
    same_output(tmp_path, "java", "java Main.java", "Main.java", JAVA, text)


GO = textwrap.dedent('''\
    package main

    import "fmt"

    func clamp(x int) int {
    \tif x > 9 {
    \t\treturn 9
    \t} else {
    \t\ty := x * 2
    \t\treturn y
    \t}
    }

    func main() {
    \tfmt.Println(clamp(3), clamp(12))
    }
    ''')


def test_go_else_becomes_early_exit(tmp_path: Path) -> None:
    text, changes, _ = _rewritten(Language.GO, "main.go", GO, Span(15, 15))
    assert changes == ["if at line 6: else -> early exit"]
    assert "\t\treturn 9\n\t}\n\ty := x * 2\n\treturn y\n}" in text
    same_output(tmp_path, "go", "go run main.go", "main.go", GO, text)


def test_go_else_declaring_a_name_used_elsewhere_is_refused() -> None:
    source = ("package p\n\nfunc f(x int) int {\n\ty := 1\n\tif x > 9 {\n\t\treturn y\n"
              "\t} else {\n\t\ty := 2\n\t\treturn y\n\t}\n}\n")
    text, changes, _ = _rewritten(Language.GO, "p.go", source, Span(12, 11))
    assert text == source and not changes


PHP = textwrap.dedent('''\
    <?php
    function label($x) {
        if (!is_int($x)) {
            throw new InvalidArgumentException("not an int");
        }
        $doubled = $x * 2;
        return "n=$doubled";
    }
    echo label(2), "\\n";
    ''')


def test_php_early_exit_becomes_else(tmp_path: Path) -> None:
    text, _, _ = _rewritten(Language.PHP, "m.php", PHP, Span(9, 9))
    assert "    } else {\n        $doubled = $x * 2;\n        return \"n=$doubled\";\n    }" in text
    same_output(tmp_path, "php", "php m.php", "m.php", PHP, text)


C = textwrap.dedent('''\
    #include <stdio.h>

    static int clamp(int x) {
        if (x > 9) {
            return 9;
        }
        int y = x * 2;
        return y;
    }

    int main(void) {
        printf("%d %d\\n", clamp(3), clamp(12));
        return 0;
    }
    ''')


def test_c_early_exit_becomes_else_and_a_region_after_moves(tmp_path: Path) -> None:
    text, changes, _ = _rewritten(Language.C, "m.c", C, Span(12, 12))
    assert changes == ["if at line 4: early exit -> else"]
    same_output(tmp_path, "gcc", "gcc -o m m.c && ./m", "m.c", C, text)


def test_c_rest_with_a_preprocessor_line_is_refused_and_a_region_blocks_the_rewrite() -> None:
    source = ("int f(int x) {\n    if (x) {\n        return 1;\n    }\n#ifdef TWO\n"
              "    x = 2;\n#endif\n    return x;\n}\n")
    assert _rewritten(Language.C, "m.c", source, Span(10, 9))[0] == source
    text, changes, refusals = _rewritten(Language.C, "m.c", C, Span(7, 7))
    assert text == C and not changes
    assert refusals == ["if at line 4: touches a masked region"]
