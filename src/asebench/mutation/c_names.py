"""Which locals of a C function around a masked region can be renamed, resolved by block scope.

Every identifier of the function is resolved the way C does: parameters, then each block
(`{…}`, a `for` header) opens a scope, and a declaration is in scope from its declarator to
the end of its block. A name is a candidate when every occurrence of it in the function
resolves to a local variable or parameter of the function; all of them are renamed together,
so shadowing between nested blocks is kept as it was.

Refused, with the reason: a name some occurrence of which resolves to nothing local (a global,
a function, a macro argument from outside), a local `extern` or function prototype of that
name, a name that is also file-level in this file (global, function, enumerator, macro), a
name written in a `#define` of this file or of another project C file (a macro body could
reach the local by its spelling), a name in a string literal or in a preprocessor condition
of the function, a name also used in a masked region outside the function; and every name of
a function that invokes a project macro using `#`/`##` (stringification and token pasting
see spellings) or that tree-sitter cannot parse cleanly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import tree_sitter

from asebench.mutation.candidates import Candidate, Surroundings
from asebench.mutation.syntax import lines_of, string_words, text_of, walk

_SCOPES = frozenset({"compound_statement", "for_statement"})
_WRAPPERS = frozenset({"pointer_declarator", "array_declarator", "parenthesized_declarator",
                       "attributed_declarator", "init_declarator"})
_DEFINE = re.compile(r"^[ \t]*#[ \t]*define\b((?:[^\n]*\\\n)*[^\n]*)", re.MULTILINE)
_IDENT = re.compile(r"[A-Za-z_]\w*")
_PREPROC_CONDITIONS = frozenset({"preproc_if", "preproc_elif", "preproc_ifdef",
                                 "preproc_elifdef", "preproc_defined"})


@dataclass
class _Binding:
    name: str
    local: bool  # a variable or parameter (False: extern, prototype, enumerator)


@dataclass
class _Resolution:
    """What the identifiers of one function resolve to."""

    occurrences: dict[str, list[tree_sitter.Node]] = field(
        default_factory=lambda: defaultdict(list))
    nonlocal_: dict[str, str] = field(default_factory=dict)  # name -> why (first seen)
    bound: set[str] = field(default_factory=set)


def macro_words(texts: list[str]) -> tuple[set[str], set[str]]:
    """The macro names `#define`d in `texts`, and every word of their definitions (name,
    parameters and body, continuation lines included)."""
    names: set[str] = set()
    mentioned: set[str] = set()
    for text in texts:
        for match in _DEFINE.finditer(text):
            found = _IDENT.findall(match.group(1))
            if found:
                names.add(found[0])
                mentioned.update(found)
    return names, mentioned


def _pasting_macros(texts: list[str]) -> set[str]:
    """The macros whose body stringifies or pastes tokens (`#x`, `a ## b`)."""
    out = set()
    for text in texts:
        for match in _DEFINE.finditer(text):
            body = match.group(1)
            found = _IDENT.findall(body)
            if found and "#" in body:
                out.add(found[0])
    return out


def _outside_functions(root: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The nodes of the file outside function bodies (preprocessor blocks entered), with the
    function definitions themselves."""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        if node.type != "function_definition":
            stack.extend(reversed(node.children))
    return out


def _file_level_names(root: tree_sitter.Node) -> set[str]:
    """Names declared outside every function: globals, functions, typedef'd and enumerated
    names (macros are counted by `macro_words`)."""
    names: set[str] = set()
    for node in _outside_functions(root):
        if node.type == "function_definition":
            names.update(_declared_names(node.child_by_field_name("declarator")))
        elif node.type == "enumerator":
            name = node.child_by_field_name("name")
            if name is not None:
                names.add(text_of(name))
        elif node.type in ("declaration", "type_definition"):
            for declarator in node.children_by_field_name("declarator"):
                names.update(_declared_names(declarator))
    return names


def _declared_names(node: tree_sitter.Node | None) -> set[str]:
    while node is not None and node.type not in ("identifier", "type_identifier"):
        node = node.child_by_field_name("declarator")
    return {text_of(node)} if node is not None else set()


class _Resolver:
    """Walks one function, keeping the block scopes, and files every identifier."""

    def __init__(self) -> None:
        self.scopes: list[dict[str, _Binding]] = []
        self.out = _Resolution()

    def function(self, function: tree_sitter.Node) -> _Resolution:
        self.scopes.append({})
        declarator = function.child_by_field_name("declarator")
        while declarator is not None and declarator.type != "function_declarator":
            declarator = declarator.child_by_field_name("declarator")
        parameters = declarator.child_by_field_name("parameters") if declarator else None
        for parameter in parameters.named_children if parameters else []:
            if parameter.type == "parameter_declaration":
                self._declaration(parameter)
        body = function.child_by_field_name("body")
        if body is not None:
            self._visit(body)
        return self.out

    def _bind(self, node: tree_sitter.Node, local: bool) -> None:
        name = text_of(node)
        self.scopes[-1][name] = _Binding(name, local)
        self.out.occurrences[name].append(node)
        if local:
            self.out.bound.add(name)
        else:
            self.out.nonlocal_.setdefault(name, "also declared extern or as a function "
                                                f"(line {node.start_point[0] + 1})")

    def _use(self, node: tree_sitter.Node) -> None:
        name = text_of(node)
        self.out.occurrences[name].append(node)
        for scope in reversed(self.scopes):
            if name in scope:
                return
        self.out.nonlocal_.setdefault(name, "also names something outside the function "
                                            f"(line {node.start_point[0] + 1})")

    def _declaration(self, node: tree_sitter.Node) -> None:
        external = any(c.type == "storage_class_specifier" and text_of(c) == "extern"
                       for c in node.children)
        for index, child in enumerate(node.children):
            if node.field_name_for_child(index) == "declarator":
                self._declarator(child, external)
            else:
                self._visit(child)

    def _declarator(self, node: tree_sitter.Node, external: bool) -> None:
        if node.type == "identifier":
            self._bind(node, not external)
        elif node.type == "function_declarator":
            inner = node.child_by_field_name("declarator")
            if inner is not None and inner.type == "identifier":
                self._bind(inner, False)
            elif inner is not None:  # a function pointer: (*name)(params)
                self._declarator(inner, external)
        elif node.type in _WRAPPERS:
            for index, child in enumerate(node.children):
                if node.field_name_for_child(index) == "declarator":
                    self._declarator(child, external)
                else:
                    self._visit(child)
        else:
            self._visit(node)

    def _visit(self, node: tree_sitter.Node) -> None:
        kind = node.type
        if kind in _SCOPES:
            self.scopes.append({})
            for child in node.children:
                self._visit(child)
            self.scopes.pop()
        elif kind == "declaration":
            self._declaration(node)
        elif kind == "enumerator":
            name = node.child_by_field_name("name")
            if name is not None:
                self._bind(name, False)
            for child in node.children:
                if child != name:
                    self._visit(child)
        elif kind == "identifier":
            self._use(node)
        elif kind in _PREPROC_CONDITIONS:
            condition = node.child_by_field_name("condition") or node.child_by_field_name(
                "name")
            for word in (text_of(n) for n in walk(condition) if n.type == "identifier") \
                    if condition is not None else ():
                self.out.nonlocal_.setdefault(word, "also in a preprocessor condition")
            for child in node.children:
                if child != condition:
                    self._visit(child)
        else:
            for child in node.children:
                self._visit(child)


class CLocals:
    """The local-rename candidates of one C file (parsed once)."""

    def __init__(self, tree: tree_sitter.Tree, around: Surroundings) -> None:
        self.root = tree.root_node
        self.around = around
        text = text_of(self.root)
        project = [text] + [t for label, t in sorted(around.others.items())
                            if label.endswith((".c", ".h"))]
        self.macros, self.macro_mentions = macro_words(project)
        self.pasting = _pasting_macros(project)
        self.outer = _file_level_names(self.root)
        self.in_regions: dict[str, list[int]] = defaultdict(list)
        for node in walk(self.root):
            line = node.start_point[0] + 1
            if node.type == "identifier" and around.in_region(line, line):
                self.in_regions[text_of(node)].append(line)

    def candidates(self) -> list[Candidate]:
        out = []
        for function in _outside_functions(self.root):
            if function.type == "function_definition" and self.around.in_region(
                    *lines_of(function)):
                out.extend(self._function(function))
        return out

    def _function(self, function: tree_sitter.Node) -> list[Candidate]:
        resolution = _Resolver().function(function)
        name = next(iter(_declared_names(function.child_by_field_name("declarator"))), "?")
        scope = f"function {name} (line {function.start_point[0] + 1})"
        strings = string_words(function)
        first, last = lines_of(function)
        pasting = sorted(n for n in resolution.occurrences if n in self.pasting)
        out = []
        for local in sorted(resolution.bound):
            nodes = resolution.occurrences[local]
            spans = tuple(sorted({(n.start_byte, n.end_byte) for n in nodes}))
            candidate = Candidate(local, "local", scope, spans)
            outside = [line for line in self.in_regions.get(local, [])
                       if not first <= line <= last]
            if function.has_error:
                candidate = candidate.refused("the function does not parse cleanly")
            elif pasting:
                candidate = candidate.refused(f"the function uses the macro {pasting[0]}, "
                                              "which stringifies or pastes tokens")
            elif local in resolution.nonlocal_:
                candidate = candidate.refused(resolution.nonlocal_[local])
            elif local in self.outer or local in self.macros:
                candidate = candidate.refused("also a file-level name or macro in this file")
            elif local in self.macro_mentions:
                candidate = candidate.refused("written in a #define of the project (a macro "
                                              "could reach the local by name)")
            elif local in strings:
                candidate = candidate.refused(
                    f"appears in a string literal at line {strings[local]}")
            elif outside:
                candidate = candidate.refused(
                    f"also used outside the function in a masked region (line {outside[0]})")
            out.append(candidate)
        return out
