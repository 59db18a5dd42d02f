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


def _first_error(node: tree_sitter.Node) -> tree_sitter.Node | None:
    if node.is_error or node.is_missing:
        return node
    if not node.has_error:
        return None
    for child in node.children:
        found = _first_error(child)
        if found is not None:
            return found
    return node


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
    return SyntaxResult(True)
