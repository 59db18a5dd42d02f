"""Does a file parse? tree-sitter for every language, plus `ast.parse` for Python."""

from __future__ import annotations

import ast
from dataclasses import dataclass

import tree_sitter

from asebench.code.languages import info, language_of_path, parse
from asebench.dataset.schema import Language


@dataclass(frozen=True)
class SyntaxResult:
    ok: bool
    message: str = ""


def _first_error(root: tree_sitter.Node) -> tree_sitter.Node | None:
    """The first error or missing node in document order (iterative: answers may nest
    deeper than Python's recursion limit)."""
    if not root.has_error and not (root.is_error or root.is_missing):
        return None
    node = root
    while True:
        if node.is_error or node.is_missing:
            return node
        child = next((c for c in node.children if c.has_error or c.is_error or c.is_missing),
                     None)
        if child is None:
            return node
        node = child


def check_syntax(source: str, language: Language, path: str = "") -> SyntaxResult:
    """Parse `source`; report the first error's line. Python also goes through `ast.parse`,
    because tree-sitter accepts some invalid Python (e.g. bad indentation)."""
    language = language_of_path(path, language) if path else language
    tree = parse(language, source, path)
    error = _first_error(tree.root_node)
    if error is not None:
        line = error.start_point[0] + 1
        kind = "missing " + error.type if error.is_missing else "syntax error"
        return SyntaxResult(False, f"{kind} at line {line} (tree-sitter)")
    if info(language).python_ast:
        try:
            ast.parse(source)
        except SyntaxError as exc:
            return SyntaxResult(False, f"{exc.msg} at line {exc.lineno} (ast)")
        except ValueError as exc:  # null bytes
            return SyntaxResult(False, str(exc))
        except (RecursionError, MemoryError) as exc:  # nesting deeper than CPython parses
            return SyntaxResult(False, f"nested too deeply to parse ({type(exc).__name__})")
    return SyntaxResult(True)
