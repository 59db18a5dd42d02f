"""Which names of a Python file can be renamed, with every occurrence, or why not.

Scope rules used (conservative on purpose): a local is a name bound in a function's own scope
(parameter, assignment, `for`/`with`/`except` target, walrus, nested `def`/`class` name) and
not declared `global`/`nonlocal`; Python makes it local to the whole function, so renaming
every plain occurrence inside the function (nested functions and comprehensions included,
which see it or shadow it the same way after the rename) keeps the meaning. Attribute
positions (`x.name`) and keyword-argument names (`f(name=…)`) are other namespaces and stay.
"""

from __future__ import annotations

import re
from collections import defaultdict

import tree_sitter

from asebench.mutation.candidates import Candidate, Surroundings
from asebench.mutation.syntax import has_ancestor, lines_of, string_words, text_of, walk

_FUNCTION = "function_definition"
_SCOPES = frozenset({"function_definition", "lambda", "class_definition"})
_REFLECTION = frozenset({"locals", "vars", "eval", "exec", "globals", "__import__"})
_PATTERN_PARENTS = frozenset({"pattern_list", "tuple_pattern", "list_pattern", "tuple", "list",
                              "parenthesized_expression", "list_splat_pattern",
                              "as_pattern_target"})
_PRIVATE = re.compile(r"^_[A-Za-z0-9]\w*$")
_IMPORTS = frozenset({"import_statement", "import_from_statement", "future_import_statement"})
_SKIP_NAMES = frozenset({"self", "cls"})


def _plain(node: tree_sitter.Node) -> bool:
    """An identifier that names a variable (not an attribute, keyword, or import path)."""
    parent = node.parent
    if parent is None:
        return True
    if parent.type == "attribute" and parent.child_by_field_name("attribute") == node:
        return False
    if parent.type == "keyword_argument" and parent.child_by_field_name("name") == node:
        return False
    return not has_ancestor(node, _IMPORTS)


def _targets(node: tree_sitter.Node | None) -> list[tree_sitter.Node]:
    """The identifiers an assignment target binds (through tuples and lists, not into
    attributes or subscripts)."""
    if node is None:
        return []
    if node.type == "identifier":
        return [node]
    if node.type in _PATTERN_PARENTS:
        return [n for child in node.named_children for n in _targets(child)]
    return []


def _parameter_names(parameters: tree_sitter.Node | None) -> list[tree_sitter.Node]:
    out: list[tree_sitter.Node] = []
    for child in parameters.named_children if parameters is not None else []:
        if child.type == "identifier":
            out.append(child)
        elif child.type in ("default_parameter", "typed_default_parameter"):
            name = child.child_by_field_name("name")
            out.extend([name] if name is not None and name.type == "identifier" else [])
        elif child.type in ("typed_parameter", "list_splat_pattern", "dictionary_splat_pattern"):
            out.extend(c for c in child.named_children[:1] if c.type == "identifier")
    return out


def _own_scope(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """Every node of `node`'s body in its own scope: not inside a nested function, lambda,
    class or comprehension (those bind their own names)."""
    out = []
    stack = list(reversed(node.children))
    while stack:
        current = stack.pop()
        out.append(current)
        if current.type in _SCOPES or current.type.endswith("comprehension") or (
                current.type == "generator_expression"):
            continue
        stack.extend(reversed(current.children))
    return out


def _bindings(body: list[tree_sitter.Node]) -> tuple[set[str], set[str], set[str]]:
    """(names bound, names declared global/nonlocal, names bound by imports) among `body`."""
    bound: set[str] = set()
    declared: set[str] = set()
    imported: set[str] = set()
    for node in body:
        kind = node.type
        if kind in ("assignment", "augmented_assignment") or kind == "for_statement":
            bound.update(text_of(n) for n in _targets(node.child_by_field_name("left")))
        elif kind == "as_pattern_target":
            bound.update(text_of(n) for n in _targets(node))
        elif kind == "named_expression":
            bound.update(text_of(n) for n in _targets(node.child_by_field_name("name")))
        elif kind in _SCOPES and kind != "lambda":
            name = node.child_by_field_name("name")
            if name is not None:
                bound.add(text_of(name))
        elif kind in ("global_statement", "nonlocal_statement"):
            declared.update(text_of(c) for c in node.named_children if c.type == "identifier")
        elif kind in _IMPORTS:
            for child in walk(node):
                if child.type == "identifier":
                    imported.add(text_of(child))
    return bound, declared, imported


def _calls_reflection(node: tree_sitter.Node) -> str | None:
    for child in walk(node):
        if child.type == "call":
            function = child.child_by_field_name("function")
            if function is not None and function.type == "identifier" and (
                    text_of(function) in _REFLECTION):
                return text_of(function)
    return None


def _class_body_bindings(node: tree_sitter.Node) -> dict[str, list[tree_sitter.Node]]:
    """Names bound directly in a class body (methods, class attributes) under `node`."""
    out: dict[str, list[tree_sitter.Node]] = defaultdict(list)
    for child in walk(node):
        if child.type != "class_definition":
            continue
        body = child.child_by_field_name("body")
        for statement in body.named_children if body is not None else []:
            inner = statement
            if inner.type == "decorated_definition":
                inner = inner.child_by_field_name("definition") or inner
            if inner.type in ("function_definition", "class_definition"):
                name = inner.child_by_field_name("name")
                if name is not None:
                    out[text_of(name)].append(name)
            elif inner.type == "expression_statement":
                for expression in inner.named_children:
                    if expression.type == "assignment":
                        for target in _targets(expression.child_by_field_name("left")):
                            out[text_of(target)].append(target)
    return out


class PythonNames:
    """The rename candidates of one Python file (parsed once)."""

    def __init__(self, tree: tree_sitter.Tree, around: Surroundings) -> None:
        self.root = tree.root_node
        self.around = around
        self.identifiers = [n for n in walk(self.root) if n.type == "identifier"]
        self.file_strings = string_words(self.root)
        self.keywords = {text_of(n.child_by_field_name("name") or n)
                         for n in walk(self.root) if n.type == "keyword_argument"}
        self.class_bound = _class_body_bindings(self.root)
        self.plain: dict[str, list[tree_sitter.Node]] = defaultdict(list)
        """Every plain (variable) occurrence of each name in the file."""
        self.in_regions: dict[str, list[int]] = defaultdict(list)
        """Plain names written inside a masked region, with their lines."""
        for node in self.identifiers:
            if not _plain(node):
                continue
            self.plain[text_of(node)].append(node)
            line = node.start_point[0] + 1
            if around.in_region(line, line):
                self.in_regions[text_of(node)].append(line)

    def candidates(self) -> list[Candidate]:
        return [*self._locals(), *self._privates(), *self._attributes()]

    def imports(self, path: str) -> list[Candidate]:
        """The names module-level imports bind (`python_imports`); `path`: the file's
        project path, whose module other files may import names from."""
        from asebench.mutation.python_imports import import_candidates

        return import_candidates(self.root, path, self.around, self.plain)

    def _functions_around(self) -> list[tree_sitter.Node]:
        return [n for n in walk(self.root)
                if n.type == _FUNCTION and self.around.in_region(*lines_of(n))]

    def _locals(self) -> list[Candidate]:
        out: list[Candidate] = []
        for function in self._functions_around():
            parameters = function.child_by_field_name("parameters")
            body = function.child_by_field_name("body")
            if body is None:
                continue
            own = _own_scope(body)
            bound, declared, imported = _bindings(own)
            parameter_nodes = _parameter_names(parameters)
            names = {text_of(n) for n in parameter_nodes}
            params = set(names)
            names |= bound
            name = text_of(function.child_by_field_name("name") or function)
            scope = f"function {name} (line {function.start_point[0] + 1})"
            reflection = _calls_reflection(body)
            inner_strings = string_words(body)
            inner_classes = _class_body_bindings(body)
            occurrences: dict[str, list[tuple[int, int]]] = defaultdict(list)
            global_names: set[str] = set()
            for node in walk(body):
                if node.type == "identifier" and _plain(node):
                    occurrences[text_of(node)].append((node.start_byte, node.end_byte))
                elif node.type in ("global_statement", "nonlocal_statement"):
                    global_names.update(text_of(c) for c in node.named_children)
            for local in sorted(names - declared - _SKIP_NAMES):
                if local.startswith("__"):
                    continue
                spans = [(n.start_byte, n.end_byte) for n in parameter_nodes
                         if text_of(n) == local] + occurrences.get(local, [])
                candidate = Candidate(local, "local", scope, tuple(sorted(set(spans))))
                if local in global_names:
                    candidate = candidate.refused("declared global/nonlocal in a nested "
                                                  "function")
                out.append(self._local_refusal(candidate, function, reflection, inner_strings,
                                               inner_classes, local in params,
                                               local in imported))
        return out

    def _local_refusal(self, candidate: Candidate, function: tree_sitter.Node,
                       reflection: str | None, strings: dict[str, int],
                       classes: dict[str, list[tree_sitter.Node]], parameter: bool,
                       imported: bool) -> Candidate:
        name = candidate.name
        if candidate.refusal:
            return candidate
        if imported:
            return candidate.refused("bound by an import")
        if reflection:
            return candidate.refused(f"the function calls {reflection}(), which sees names")
        if name in classes:
            return candidate.refused("also a class attribute in a class inside the function")
        if name in strings:
            return candidate.refused(f"appears in a string literal at line {strings[name]}")
        if name in self.keywords:
            return candidate.refused("used as a keyword-argument name in this file")
        if parameter:
            other = self.around.keyword_use(name)
            if other:
                return candidate.refused(f"passed as keyword argument {name}= in {other}")
        first, last = lines_of(function)
        for line in self.in_regions.get(name, []):
            if not first <= line <= last:
                return candidate.refused(f"also used outside the function in a masked region "
                                         f"(line {line})")
        return candidate

    def _privates(self) -> list[Candidate]:
        bound, _, imported = _bindings(_own_scope(self.root))
        reflection = _calls_reflection(self.root)
        attributes = {text_of(n) for n in self.identifiers if not _plain(n)
                      and n.parent is not None and n.parent.type == "attribute"}
        out = []
        for name in sorted(n for n in bound if _PRIVATE.match(n)):
            spans = tuple((n.start_byte, n.end_byte) for n in self.plain.get(name, []))
            candidate = Candidate(name, "private", "module", spans)
            other = self.around.mentioned_in(name)
            if name in imported:
                candidate = candidate.refused("bound by an import")
            elif reflection:
                candidate = candidate.refused(f"the module calls {reflection}(), which sees names")
            elif name in self.file_strings:
                candidate = candidate.refused(
                    f"appears in a string literal at line {self.file_strings[name]} "
                    "(getattr, __all__, a name looked up by text)")
            elif other:
                candidate = candidate.refused(f"named in {other}")
            elif name in attributes:
                candidate = candidate.refused("also an attribute name in this file")
            elif name in self.keywords:
                candidate = candidate.refused("used as a keyword-argument name in this file")
            elif name in self.class_bound:
                candidate = candidate.refused("also bound in a class body")
            out.append(candidate)
        return out

    def _attributes(self) -> list[Candidate]:
        occurrences: dict[str, list[tree_sitter.Node]] = defaultdict(list)
        defined: set[str] = set()
        _, _, imported = _bindings(_own_scope(self.root))
        # attributes reached on an imported name: `shapes._renderPath = …` monkeypatches
        # another project's module, whose names are not ours to rename
        on_imported: set[str] = set()
        for node in self.identifiers:
            parent = node.parent
            if parent is not None and parent.type == "attribute" and (
                    parent.child_by_field_name("attribute") == node):
                occurrences[text_of(node)].append(node)
                base = parent.child_by_field_name("object")
                if base is not None and base.type == "identifier" and text_of(base) in imported:
                    on_imported.add(text_of(node))
                grand = parent.parent
                if grand is not None and grand.type in ("assignment", "augmented_assignment") \
                        and grand.child_by_field_name("left") == parent:
                    defined.add(text_of(node))
        for name, nodes in self.class_bound.items():
            occurrences[name].extend(nodes)
            defined.add(name)
        out = []
        for name in sorted(occurrences):
            if not _PRIVATE.match(name):
                continue
            nodes = occurrences[name]
            class_nodes = {(n.start_byte, n.end_byte) for n in self.class_bound.get(name, [])}
            plain_elsewhere = any((n.start_byte, n.end_byte) not in class_nodes
                                  for n in self.plain.get(name, []))
            spans = tuple(sorted({(n.start_byte, n.end_byte) for n in nodes}))
            candidate = Candidate(name, "attribute", "attribute", spans)
            other = self.around.mentioned_in(name)
            if name in self.file_strings:
                candidate = candidate.refused(
                    f"appears in a string literal at line {self.file_strings[name]} "
                    "(getattr/setattr/__slots__)")
            elif other:
                candidate = candidate.refused(f"named in {other}")
            elif name not in defined:
                candidate = candidate.refused("never assigned or defined in this file (an "
                                              "attribute of code outside the project?)")
            elif name in on_imported:
                candidate = candidate.refused("reached on an imported name (an attribute of "
                                              "another module)")
            elif plain_elsewhere:
                candidate = candidate.refused("also a plain name in this file")
            elif name in self.keywords:
                candidate = candidate.refused("used as a keyword-argument name in this file")
            out.append(candidate)
        return out

