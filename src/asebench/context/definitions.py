"""The names a syntax node defines: functions, classes, methods, types, constants, macros.

Works across the grammars by their shared field names: a node's `name` (Python, JavaScript,
TypeScript, Java, Go, PHP, C structs and macros), a C `declarator` chain down to its identifier,
an assignment's `left`; wrappers (decorators, `export`, `const`/`var` lists, Go `type` blocks,
statements) are looked through.
"""

from __future__ import annotations

from tree_sitter import Node

_NAME_TYPES = frozenset(
    {
        "identifier",
        "type_identifier",
        "field_identifier",
        "property_identifier",
        "name",
        "constant",
        "simple_identifier",
    }
)
_WRAPPERS = frozenset(
    {
        "decorated_definition",
        "export_statement",
        "lexical_declaration",
        "variable_declaration",
        "type_declaration",
        "const_declaration",
        "var_declaration",
        "expression_statement",
        "declaration",
        "type_definition",
        "const_spec",
        "var_spec",
        "ambient_declaration",
        "preproc_ifdef",
        "preproc_if",
        "field_declaration",
    }
)
_MAX_DEPTH = 4


def defined_names(node: Node) -> list[str]:
    """The names `node` defines at its own level (methods of a class are not included)."""
    names: list[str] = []
    _collect(node, names, 0)
    return names


def _collect(node: Node, names: list[str], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    for field in ("name", "declarator", "left"):
        target = node.child_by_field_name(field)
        if target is None:
            continue
        if target.type in _NAME_TYPES and target.text is not None:
            names.append(target.text.decode("utf-8", "replace"))
        else:
            _collect(target, names, depth + 1)
        return
    if node.type in _WRAPPERS:
        for child in node.named_children:
            _collect(child, names, depth + 1)
