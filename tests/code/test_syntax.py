"""Syntax checks: tree-sitter for every language, `ast.parse` as well for Python."""

import pytest

from asebench.code.syntax import check_syntax
from asebench.dataset.schema import Language

VALID = {
    Language.PYTHON: "def f(x):\n    return x\n",
    Language.JAVASCRIPT: "function f(x) { return x; }\n",
    Language.TYPESCRIPT: "function f(x: number): number { return x; }\n",
    Language.JAVA: "class A { int f(int x) { return x; } }\n",
    Language.GO: "package a\nfunc f(x int) int { return x }\n",
    Language.PHP: "<?php function f($x) { return $x; }\n",
    Language.C: "int f(int x) { return x; }\n",
}
BROKEN = {
    Language.PYTHON: "def f(x):\n    return (x\n",
    Language.JAVASCRIPT: "function f(x) { return x; \n",
    Language.TYPESCRIPT: "function f(x: number { return x; }\n",
    Language.JAVA: "class A { int f(int x) { return x } }\n",
    Language.GO: "package a\nfunc f(x int) int { return x \n",
    Language.PHP: "<?php function f($x) { return $x }\n",
    Language.C: "int f(int x) { return x }\n",
}


@pytest.mark.parametrize("language", list(Language))
def test_valid_code_parses(language: Language) -> None:
    assert check_syntax(VALID[language], language).ok


@pytest.mark.parametrize("language", list(Language))
def test_broken_code_is_reported_with_a_line(language: Language) -> None:
    result = check_syntax(BROKEN[language], language)
    assert not result.ok
    assert "line" in result.message


def test_python_indentation_error_that_tree_sitter_accepts_is_caught_by_ast() -> None:
    result = check_syntax("def f():\nreturn 1\n", Language.PYTHON)
    assert not result.ok



def test_deep_nesting_is_reported_without_recursion_errors() -> None:
    from asebench.code.syntax import check_syntax as check
    from asebench.dataset.schema import Language as Lang

    broken = "const x = " + "[" * 5000 + "]" * 4999 + ";\n"
    assert not check(broken, Lang.JAVASCRIPT, "a.js").ok
    assert check("const x = " + "[" * 5000 + "]" * 5000 + ";\n", Lang.JAVASCRIPT, "a.js").ok


# the `if` head and body of an `if … else` replaced by `pass`: the `else` on line 8 is the
# fault, and tree-sitter wraps the whole file, from line 1, in one ERROR node
PASS_BEFORE_ELSE = (
    "import re\n\nPATTERN = re.compile('x')\n\n\ndef split(text):\n    pass\n"
    "    else:\n        return None\n    return text\n"
)


def test_python_reports_the_line_cpython_reports() -> None:
    result = check_syntax(PASS_BEFORE_ELSE, Language.PYTHON, "a.py")
    assert result.message == "invalid syntax at line 8 (ast)"


def test_an_error_inside_a_file_wide_error_node_is_reported_near_its_line() -> None:
    # a missing `}` of an `if` in the second function, after a well-formed first one
    code = ("function a(x) {\n  return x;\n}\nfunction b(y) {\n  if (y) {\n    return 1;\n"
            "  else {\n    return 2;\n  }\n}\nfunction c() { return 3; }\n")
    result = check_syntax(code, Language.JAVASCRIPT, "a.js")
    assert not result.ok and "line 1 " not in result.message
    line = int(result.message.split(" at line ")[1].split()[0])
    assert 5 <= line <= 7, result.message
