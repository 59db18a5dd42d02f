"""What a piece of code defines, and where a file's imports and top-level definitions sit.

Read with tree-sitter, so it works on files that do not parse completely. Used to tell a block
that implements a region (it defines what the region defines) from a usage example, and to put
the imports and helpers an answer brings at the right place in the file. Lines are 1-based.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import tree_sitter

from asebench.code.languages import parse
from asebench.dataset.schema import Language

# node type -> the field that holds the defined name(s)
_JS_DEFINITIONS = {
    "function_declaration": "name",
    "generator_function_declaration": "name",
    "class_declaration": "name",
    "method_definition": "name",
    "variable_declarator": "name",
    "assignment_expression": "left",
}
_DEFINITIONS: dict[Language, dict[str, str]] = {
    Language.PYTHON: {
        "function_definition": "name",
        "class_definition": "name",
        "assignment": "left",
    },
    Language.JAVASCRIPT: _JS_DEFINITIONS,
    Language.TYPESCRIPT: {
        **_JS_DEFINITIONS,
        "abstract_class_declaration": "name",
        "interface_declaration": "name",
        "type_alias_declaration": "name",
    },
    Language.JAVA: {
        "class_declaration": "name",
        "interface_declaration": "name",
        "enum_declaration": "name",
        "method_declaration": "name",
        "constructor_declaration": "name",
        "variable_declarator": "name",
    },
    Language.GO: {
        "function_declaration": "name",
        "method_declaration": "name",
        "type_spec": "name",
        "var_spec": "name",
        "const_spec": "name",
        "short_var_declaration": "left",
    },
    Language.PHP: {
        "function_definition": "name",
        "method_declaration": "name",
        "class_declaration": "name",
        "assignment_expression": "left",
    },
    Language.C: {
        "function_definition": "declarator",
        "declaration": "declarator",
        "struct_specifier": "name",
    },
}
# definitions an answer may bring as helpers at the top level of the file
_HELPERS: dict[Language, frozenset[str]] = {
    Language.PYTHON: frozenset({"function_definition", "class_definition",
                                "decorated_definition"}),
    Language.JAVASCRIPT: frozenset({"function_declaration", "generator_function_declaration",
                                    "class_declaration"}),
    Language.TYPESCRIPT: frozenset({"function_declaration", "generator_function_declaration",
                                    "class_declaration"}),
    Language.GO: frozenset({"function_declaration"}),
    Language.C: frozenset({"function_definition"}),
}
_IMPORTS: dict[Language, frozenset[str]] = {
    Language.PYTHON: frozenset({"import_statement", "import_from_statement",
                                "future_import_statement"}),
    Language.JAVASCRIPT: frozenset({"import_statement"}),
    Language.TYPESCRIPT: frozenset({"import_statement"}),
    Language.JAVA: frozenset({"import_declaration"}),
    Language.GO: frozenset({"import_declaration"}),
    Language.PHP: frozenset({"namespace_use_declaration"}),
    Language.C: frozenset({"preproc_include"}),
}
# what comes first in a file, before which no import may go
_HEADERS: dict[Language, frozenset[str]] = {
    Language.JAVA: frozenset({"package_declaration"}),
    Language.GO: frozenset({"package_clause"}),
    Language.PHP: frozenset({"php_tag", "namespace_definition"}),
}
_PHP_PREFIX = "<?php\n"


def _tree(language: Language, source: str, path: str) -> tuple[tree_sitter.Node, int]:
    """The root node, and how many lines were put in front (PHP snippets need a tag)."""
    if language is Language.PHP and not source.lstrip().startswith("<?"):
        return parse(language, _PHP_PREFIX + source, path).root_node, 1
    return parse(language, source, path).root_node, 0


def _text(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def _names(node: tree_sitter.Node) -> Iterator[str]:
    """The names a definition's name node binds (`a, b = …` binds two; `x.y = …` binds y)."""
    kind = node.type
    if kind.endswith("identifier") or kind in ("name", "variable_name"):
        yield _text(node)
        return
    for field in ("attribute", "property", "field", "declarator"):
        child = node.child_by_field_name(field)
        if child is not None:
            yield from _names(child)
            return
    if kind.endswith(("list", "tuple", "pattern", "pattern_list")):
        for child in node.named_children:
            yield from _names(child)


def _definitions(
    node: tree_sitter.Node, table: dict[str, str], first: int, last: int
) -> Iterator[str]:
    """Names defined by nodes starting on rows first..last (0-based), outermost only."""
    if node.end_point.row < first or node.start_point.row > last:
        return
    field = table.get(node.type)
    if field is not None and first <= node.start_point.row <= last:
        target = node.child_by_field_name(field)
        if target is not None:
            yield from _names(target)
            return
    for child in node.children:
        yield from _definitions(child, table, first, last)


def defined_names(language: Language, source: str, start: int, end: int,
                  path: str = "") -> frozenset[str]:
    """The names that definitions starting on lines `start`..`end` of `source` bind:
    functions, classes, methods, assigned names; nested definitions are not counted."""
    if end < start:
        return frozenset()
    root, shift = _tree(language, source, path)
    table = _DEFINITIONS.get(language, {})
    found = _definitions(root, table, start - 1 + shift, end - 1 + shift)
    return frozenset(name for name in found if name)


def import_line(language: Language, source: str, path: str = "") -> int | None:
    """The line before which new imports go: after the file's leading imports (those before
    its first function or class), else after its header (package clause, docstring, leading
    comments). None for a language without imports here."""
    imports = _IMPORTS.get(language)
    if imports is None:
        return None
    root, shift = _tree(language, source, path)
    helpers = _HELPERS.get(language, frozenset())
    after = -1  # the 0-based row after which to insert (-1: before the first line)
    seen_import = False
    for index, child in enumerate(root.children):
        if child.type in imports or _is_require(language, child):
            after, seen_import = child.end_point.row, True
        elif child.type in helpers or child.type in _DEFINITIONS.get(language, {}):
            break
        elif not seen_import and (
            child.type in _HEADERS.get(language, frozenset())
            or child.type == "comment"
            or (index == 0 and child.type == "expression_statement"
                and child.named_child_count == 1 and child.named_children[0].type == "string")
        ):
            after = child.end_point.row
    return after + 2 - shift


def enclosing_definition_line(language: Language, source: str, line: int,
                              path: str = "") -> int | None:
    """The first line of the top-level definition that holds `line` (with the comments right
    above it), where a helper for code on that line goes. None when `line` is not inside one
    (the code there is top-level already, where a helper can stay)."""
    root, shift = _tree(language, source, path)
    row = line - 1 + shift
    children = root.children
    for index, child in enumerate(children):
        if child.start_point.row < row <= child.end_point.row and child.type != "comment":
            start = child.start_point.row
            for previous in reversed(children[:index]):
                if previous.type == "comment" and previous.end_point.row == start - 1:
                    start = previous.start_point.row
                else:
                    break
            return start + 1 - shift
    return None


@dataclass(frozen=True)
class Additions:
    """An answer split into the imports and helpers it brings and the code for the region."""

    imports: list[str]
    helpers: list[str]
    rest: str


def _own_lines(node: tree_sitter.Node, siblings: list[tree_sitter.Node]) -> bool:
    """True when no other sibling shares a line with `node`."""
    return not any(
        other is not node and other.start_point.row <= node.end_point.row
        and other.end_point.row >= node.start_point.row
        for other in siblings
    )


_CLASS_DECORATORS = ("@staticmethod", "@classmethod", "@property")


def _is_method(language: Language, node: tree_sitter.Node, code: str = "") -> bool:
    """A Python definition that belongs to a class: it takes `self`/`cls`, is decorated as a
    static or class method or property, or the answer calls it as `self.name`/`cls.name`."""
    if language is not Language.PYTHON:
        return False
    if node.type == "decorated_definition":
        if any(_text(child).split("(")[0].strip() in _CLASS_DECORATORS
               for child in node.named_children if child.type == "decorator"):
            return True
        inner = node.child_by_field_name("definition")
        return inner is not None and _is_method(language, inner, code)
    name = node.child_by_field_name("name")
    if name is not None and code and re.search(
            rf"\b(?:self|cls)\.{re.escape(_text(name))}\b", code):
        return True
    parameters = node.child_by_field_name("parameters")
    first = parameters.named_children[0] if parameters and parameters.named_children else None
    return first is not None and _text(first).split(":")[0].strip() in ("self", "cls")


def split_additions(
    language: Language,
    code: str,
    region_names: frozenset[str],
    known_imports: frozenset[str],
    file_names: frozenset[str] = frozenset(),
    *,
    move_helpers: bool,
    path: str = "",
) -> Additions:
    """Take the top-level imports (and, with `move_helpers`, the helper definitions) out of
    `code`, an answer with its common indentation removed.

    An import is taken when it stands on its own lines and is not already in the file
    (`known_imports`: the file's import statements, whitespace-normalised); one already there
    is dropped. In JavaScript/TypeScript a `const x = require(…)` declaration counts as an
    import unless it declares a name the file's top level declares otherwise (`file_names`):
    moved, it would be declared twice.
    A helper is a top-level function or class (not a Python method) whose name the region does
    not define, taken only when another top-level function or class of the answer defines a
    name the region defines (otherwise the answer is the region's body, and a nested
    definition belongs to it)."""
    imports_kinds = _IMPORTS.get(language, frozenset())
    helper_kinds = _HELPERS.get(language, frozenset()) if move_helpers else frozenset()
    root, shift = _tree(language, code, path)
    children = [child for child in root.children if child.type != "php_tag"]
    table = _DEFINITIONS.get(language, {})
    taken: dict[int, str] = {}
    imports: list[str] = []
    helpers: list[str] = []
    own_names: set[str] = set()
    for child in children:
        if child.type in _HELPERS.get(language, frozenset()):
            own_names.update(_definitions(child, table, child.start_point.row,
                                          child.end_point.row))
    defines_region = bool(own_names & region_names)
    for child in children:
        if child.has_error or not _own_lines(child, children):
            continue
        rows = range(child.start_point.row - shift, child.end_point.row - shift + 1)
        if child.type in imports_kinds or _is_require(language, child):
            text = _text(child)
            known = " ".join(text.split()) in known_imports
            clash = _is_require(language, child) and bool(
                set(_definitions(child, table, child.start_point.row, child.end_point.row))
                & file_names)
            if clash and not known:
                continue
            if not known:
                imports.append(text)
            taken.update(dict.fromkeys(rows, "import"))
        elif (child.type in helper_kinds and defines_region
              and not _is_method(language, child, code)
              and not set(_definitions(child, table, child.start_point.row,
                                       child.end_point.row)) & region_names):
            helpers.append("\n".join(code.split("\n")[rows.start : rows.stop]))
            taken.update(dict.fromkeys(rows, "helper"))
    if not taken:
        return Additions([], [], code)
    rest = "\n".join(line for row, line in enumerate(code.split("\n")) if row not in taken)
    if not rest.strip():
        return Additions([], [], code)
    return Additions(imports, helpers, rest)


def _is_require(language: Language, node: tree_sitter.Node) -> bool:
    """A JavaScript/TypeScript declaration whose every value is a `require(…)` call."""
    if language not in (Language.JAVASCRIPT, Language.TYPESCRIPT):
        return False
    if node.type not in ("lexical_declaration", "variable_declaration"):
        return False
    values = [d.child_by_field_name("value") for d in node.named_children
              if d.type == "variable_declarator"]
    return bool(values) and all(
        value is not None and value.type == "call_expression"
        and _text(value.child_by_field_name("function") or value) == "require"
        for value in values
    )


def file_imports(language: Language, source: str, path: str = "") -> frozenset[str]:
    """The file's top-level import statements, whitespace-normalised."""
    kinds = _IMPORTS.get(language, frozenset())
    root, _ = _tree(language, source, path)
    return frozenset(" ".join(_text(child).split()) for child in root.children
                     if child.type in kinds or _is_require(language, child))
