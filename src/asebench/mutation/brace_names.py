"""Which locals of a Java, Go or PHP function around a masked region can be renamed.

Only locals: parameters and variables declared in the function (PHP: every `$variable` of the
function, which PHP scopes to the whole function, but not its parameters: PHP 8 named
arguments and reflection reach those by name). Every occurrence inside the function is
renamed, nested blocks and closures included (they shadow or see the name the same way after
the rename). Refused: a name written in a string of the function, a name also used outside
the function in a masked region, a use before the first declaration (it may name something
outer), a Java field or Go package-level name of the same spelling, a Go name also used as a
composite-literal key, PHP `global` names and functions that reach variables by text
(`compact`, `extract`, `$$name`, `get_defined_vars`). A PHP static property
(`self::$name`) is the class's, never a local.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import tree_sitter

from asebench.dataset.schema import Language
from asebench.mutation.candidates import Candidate, Surroundings
from asebench.mutation.name_map import php_variable
from asebench.mutation.syntax import lines_of, string_words, text_of, walk

_PHP_REFLECTION = ("compact", "extract", "get_defined_vars", "parse_str")
_PHP_PARAMETERS = frozenset({"simple_parameter", "variadic_parameter",
                             "property_promotion_parameter"})
_PHP_KEEP = frozenset({"this", "GLOBALS", "_GET", "_POST", "_COOKIE", "_FILES", "_SERVER",
                       "_REQUEST", "_SESSION", "_ENV", "http_response_header", "argv", "argc"})


@dataclass(frozen=True)
class _Dialect:
    functions: frozenset[str]
    declarations: frozenset[str]
    """Node types whose `name`/`left` identifiers declare a local."""


_DIALECTS = {
    Language.JAVA: _Dialect(frozenset({"method_declaration", "constructor_declaration"}),
                            frozenset({"variable_declarator", "formal_parameter",
                                       "catch_formal_parameter", "enhanced_for_statement",
                                       "spread_parameter"})),
    Language.GO: _Dialect(frozenset({"function_declaration", "method_declaration",
                                     "func_literal"}),
                          frozenset({"parameter_declaration", "short_var_declaration",
                                     "var_spec", "range_clause",
                                     "variadic_parameter_declaration"})),
    Language.PHP: _Dialect(frozenset({"function_definition", "method_declaration"}),
                           frozenset()),
}
SUPPORTED = frozenset(_DIALECTS)


def _variable(node: tree_sitter.Node, language: Language) -> bool:
    """An identifier that names a variable in this language (not a field, method, key)."""
    parent = node.parent
    if language is Language.PHP:
        return php_variable(node)
    if node.type != "identifier" or parent is None:
        return False
    if language is Language.JAVA:
        if parent.type == "field_access" and parent.child_by_field_name("field") == node:
            return False
        if parent.type in ("method_invocation", "method_declaration") and (
                parent.child_by_field_name("name") == node):
            return False
        return parent.type not in ("element_value_pair", "method_reference",
                                   "labeled_statement", "class_declaration")
    return parent.type not in ("function_declaration", "method_declaration", "label_name")


def _declared(node: tree_sitter.Node, language: Language) -> list[tree_sitter.Node]:
    """The identifiers a declaration node binds."""
    if node.type == "short_var_declaration" or node.type == "range_clause":
        left = node.child_by_field_name("left")
        return [c for c in (left.named_children if left else []) if c.type == "identifier"]
    if node.type == "enhanced_for_statement":
        name = node.child_by_field_name("name")
        return [name] if name is not None else []
    names = node.children_by_field_name("name")
    if not names and node.type in ("catch_formal_parameter", "spread_parameter"):
        names = [c for c in node.named_children if c.type == "identifier"]
    if node.type == "spread_parameter":
        names = [n for c in node.named_children if c.type == "variable_declarator"
                 for n in c.children_by_field_name("name")] or names
    return [n for n in names if n.type == "identifier"]


def _file_level_names(root: tree_sitter.Node, language: Language) -> set[str]:
    """Names the function could reach from outside: Java fields, Go package-level names and
    imported packages, Go composite-literal keys."""
    names: set[str] = set()
    for node in walk(root):
        if language is Language.JAVA and node.type == "field_declaration":
            names.update(text_of(n) for d in node.children_by_field_name("declarator")
                         for n in d.children_by_field_name("name"))
        elif language is Language.GO:
            if node.type in ("import_spec", "package_clause"):
                names.update(text_of(n) for n in walk(node) if n.type == "package_identifier")
                path = node.child_by_field_name("path")
                if path is not None:
                    names.add(text_of(path).strip('"`').rsplit("/", 1)[-1])
            elif node.type == "keyed_element" and node.named_children:
                names.update(text_of(n) for n in walk(node.named_children[0])
                             if n.type == "identifier")
            elif node.parent is not None and node.parent.type == "source_file":
                for spec in walk(node):
                    if spec.type in ("var_spec", "const_spec", "type_spec"):
                        names.update(text_of(n) for n in spec.children_by_field_name("name"))
                name = node.child_by_field_name("name")
                if name is not None:
                    names.add(text_of(name))
    return names


def _php_dynamic(function: tree_sitter.Node) -> str | None:
    for node in walk(function):
        if node.type == "function_call_expression":
            callee = node.child_by_field_name("function")
            if callee is not None and text_of(callee).lower() in _PHP_REFLECTION:
                return f"{text_of(callee)}()"
        if node.type in ("dynamic_variable_name",):
            return "a variable variable ($$name)"
    return None


class BraceLocals:
    """The local-rename candidates of one Java, Go or PHP file (parsed once)."""

    def __init__(self, language: Language, tree: tree_sitter.Tree, around: Surroundings) -> None:
        self.language = language
        self.dialect = _DIALECTS[language]
        self.root = tree.root_node
        self.around = around
        self.outer = _file_level_names(self.root, language)
        self.in_regions: dict[str, list[int]] = defaultdict(list)
        for node in walk(self.root):
            line = node.start_point[0] + 1
            if _variable(node, language) and around.in_region(line, line):
                self.in_regions[text_of(node)].append(line)

    def candidates(self) -> list[Candidate]:
        out = []
        for function in (n for n in walk(self.root) if n.type in self.dialect.functions
                         and self.around.in_region(*lines_of(n))):
            out.extend(self._function(function))
        return out

    def _function(self, function: tree_sitter.Node) -> list[Candidate]:
        occurrences: dict[str, list[tree_sitter.Node]] = defaultdict(list)
        first_binding: dict[str, int] = {}
        globals_: set[str] = set()
        for node in walk(function):
            if _variable(node, self.language):
                occurrences[text_of(node)].append(node)
            if node.type in self.dialect.declarations:
                for binding in _declared(node, self.language):
                    first_binding.setdefault(text_of(binding), binding.start_byte)
            if node.type == "global_declaration":
                globals_.update(text_of(n) for n in walk(node) if n.type == "name")
        if self.language is Language.PHP:
            first_binding = {key: nodes[0].start_byte for key, nodes in occurrences.items()
                             if key not in _PHP_KEEP}
        name_node = function.child_by_field_name("name")
        scope = (f"function {text_of(name_node) if name_node else '(literal)'} "
                 f"(line {function.start_point[0] + 1})")
        strings = string_words(function)
        dynamic = _php_dynamic(function) if self.language is Language.PHP else None
        parameters = {text_of(n) for p in walk(function) if p.type in _PHP_PARAMETERS
                      for v in p.children_by_field_name("name") for n in walk(v)
                      if n.type == "name"} if self.language is Language.PHP else set()
        first, last = lines_of(function)
        out = []
        for name in sorted(set(first_binding) - {"_"}):  # Go's and Java's blank name
            nodes = occurrences.get(name, [])
            spans = tuple(sorted({(n.start_byte, n.end_byte) for n in nodes}))
            candidate = Candidate(name, "local", scope, spans)
            outside = [line for line in self.in_regions.get(name, [])
                       if not first <= line <= last]
            if dynamic:
                candidate = candidate.refused(f"the function uses {dynamic}")
            elif name in parameters:
                candidate = candidate.refused("a PHP parameter (named arguments and reflection "
                                              "call it by name)")
            elif name in globals_:
                candidate = candidate.refused("declared global")
            elif name in self.outer:
                candidate = candidate.refused("also a field, package-level name or "
                                              "literal key in this file")
            elif name in strings:
                candidate = candidate.refused(
                    f"appears in a string literal at line {strings[name]}")
            elif any(n.start_byte < first_binding[name] for n in nodes):
                candidate = candidate.refused("used before its declaration (may name "
                                              "something outer)")
            elif outside:
                candidate = candidate.refused(
                    f"also used outside the function in a masked region (line {outside[0]})")
            out.append(candidate)
        return out
