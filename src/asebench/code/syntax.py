"""Does a file parse? tree-sitter for every language, plus `ast.parse` for Python."""

from __future__ import annotations

import ast
import threading
from dataclasses import dataclass

import tree_sitter

from asebench.code.languages import info, language_of_path, parse
from asebench.dataset.schema import Language


@dataclass(frozen=True)
class SyntaxResult:
    ok: bool
    message: str = ""


def _first_error(root: tree_sitter.Node) -> tree_sitter.Node | None:
    """The innermost first error or missing node in document order (iterative: answers may
    nest deeper than Python's recursion limit). tree-sitter often wraps a whole file in one
    ERROR node that starts at line 1 around well-formed code: the descent goes on inside it
    while a child holds the error, so the line reported is near the fault."""
    if not root.has_error and not (root.is_error or root.is_missing):
        return None
    node = root
    while True:
        if node.is_missing:
            return node
        child = next((c for c in node.children if c.has_error or c.is_error or c.is_missing),
                     None)
        if child is None:
            return node
        node = child


_AST_LOCK = threading.Lock()
"""One `ast.parse` at a time: CPython 3.11 counts the AST validator's recursion depth per
interpreter, so two threads parsing at once can raise `SystemError: AST constructor recursion
depth mismatch` (python/cpython#106905) — a sample judged in a worker thread then failed as
infrastructure while another was parsed."""


def _ast_problem(source: str) -> str | None:
    """Why `ast.parse` refuses `source` (with CPython's own line), or None."""
    try:
        with _AST_LOCK:
            ast.parse(source)
    except SyntaxError as exc:
        return f"{exc.msg} at line {exc.lineno} (ast)"
    except ValueError as exc:  # null bytes
        return str(exc)
    except (RecursionError, MemoryError) as exc:  # nesting deeper than CPython parses
        return f"nested too deeply to parse ({type(exc).__name__})"
    return None


def check_syntax(source: str, language: Language, path: str = "") -> SyntaxResult:
    """Parse `source`; report the first error's line. Python also goes through `ast.parse`,
    because tree-sitter accepts some invalid Python (e.g. bad indentation), and CPython's
    line is the one reported when both refuse it (it is exact; tree-sitter's is near)."""
    language = language_of_path(path, language) if path else language
    tree = parse(language, source, path)
    error = _first_error(tree.root_node)
    python = info(language).python_ast
    if python:
        problem = _ast_problem(source)
        if problem is not None:
            return SyntaxResult(False, problem)
    if error is not None:
        line = error.start_point[0] + 1
        kind = "missing " + error.type if error.is_missing else "syntax error"
        return SyntaxResult(False, f"{kind} at line {line} (tree-sitter)")
    return SyntaxResult(True)
