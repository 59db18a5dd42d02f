"""Which names of a JavaScript file can be renamed, with every occurrence, or why not.

Scope rules used (conservative on purpose): a local is a parameter of a function around a
masked region, a `var` anywhere in its own scope, or a `let`/`const`/`function` declared
directly in its body, so it is bound in the whole function; renaming every `identifier`
occurrence inside the function (nested functions shadow or see it the same way after the
rename) keeps the meaning. Property names (`x.name`, `{name: v}`) are another namespace; a
shorthand `{name}` ties a variable to a property name, so such a name is refused. A top-level
name is module-private unless something exports it.
"""

from __future__ import annotations

import re
from collections import defaultdict

import tree_sitter

from asebench.mutation.candidates import Candidate, Surroundings
from asebench.mutation.syntax import lines_of, string_words, text_of, walk

FUNCTIONS = frozenset({"function_declaration", "function_expression", "function",
                       "arrow_function", "method_definition", "generator_function_declaration",
                       "generator_function"})
_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration"})
_SHORTHAND = frozenset({"shorthand_property_identifier", "shorthand_property_identifier_pattern"})
_PRIVATE_PROPERTY = re.compile(r"^_[A-Za-z0-9]\w*$")


def _pattern_names(node: tree_sitter.Node | None) -> list[tree_sitter.Node]:
    """The identifiers a binding pattern binds (destructuring included)."""
    if node is None:
        return []
    if node.type == "identifier":
        return [node]
    if node.type == "assignment_pattern":
        return _pattern_names(node.child_by_field_name("left"))
    if node.type == "pair_pattern":
        return _pattern_names(node.child_by_field_name("value"))
    if node.type in ("object_pattern", "array_pattern", "rest_pattern"):
        return [n for child in node.named_children for n in _pattern_names(child)]
    return []


def _declared(statement: tree_sitter.Node) -> list[tree_sitter.Node]:
    if statement.type in _DECLARATIONS:
        return [n for declarator in statement.named_children
                if declarator.type == "variable_declarator"
                for n in _pattern_names(declarator.child_by_field_name("name"))]
    if statement.type in ("function_declaration", "generator_function_declaration",
                          "class_declaration"):
        name = statement.child_by_field_name("name")
        return [name] if name is not None else []
    return []


def _requires(statement: tree_sitter.Node) -> bool:
    return statement.type in _DECLARATIONS and "require(" in text_of(statement)


def _own_vars(body: tree_sitter.Node) -> list[tree_sitter.Node]:
    """`var` declarations anywhere in `body` outside nested functions."""
    out = []
    stack = list(body.children)
    while stack:
        node = stack.pop()
        if node.type in FUNCTIONS or node.type == "class_declaration":
            continue
        if node.type == "variable_declaration":
            out.extend(_declared(node))
        stack.extend(node.children)
    return out


def _parameters(function: tree_sitter.Node) -> list[tree_sitter.Node]:
    single = function.child_by_field_name("parameter")
    if single is not None:
        return _pattern_names(single)
    parameters = function.child_by_field_name("parameters")
    return [n for child in (parameters.named_children if parameters else [])
            for n in _pattern_names(child)]


def _dynamic(node: tree_sitter.Node, *, constructor: bool = True) -> str | None:
    """Code that reaches names by text: eval, new Function, with. `constructor=False` leaves
    out `Function(...)`: the code it builds sees only global names, never a function's locals
    (lodash's whole body is one function that calls `Function('return this')`)."""
    names = ("eval", "Function") if constructor else ("eval",)
    for child in walk(node):
        if child.type == "with_statement":
            return "a with statement"
        if child.type in ("call_expression", "new_expression"):
            callee = child.child_by_field_name("function") or child.child_by_field_name(
                "constructor")
            if callee is not None and text_of(callee) in names:
                return f"{text_of(callee)}()"
    return None


def _export_names(node: tree_sitter.Node | None) -> set[str]:
    """Names an exported value makes public: an identifier, the values of an object literal
    (shorthand included), a declaration's name, an `export { a as b }` list."""
    if node is None:
        return set()
    if node.type in ("identifier", *_SHORTHAND):
        return {text_of(node)}
    if node.type == "object":
        return {name for child in node.named_children
                for name in _export_names(child.child_by_field_name("value")
                                          if child.type == "pair" else child)}
    if node.type == "export_statement":
        declaration = node.child_by_field_name("declaration")
        names = {text_of(n) for n in _declared(declaration)} if declaration else set()
        value = node.child_by_field_name("value")
        names |= _export_names(value)
        names |= {text_of(n.child_by_field_name("name") or n) for n in walk(node)
                  if n.type == "export_specifier"}
        return names
    return set()


def _exported(root: tree_sitter.Node) -> tuple[set[str], bool]:
    """(names an export or a `module.exports`/`exports` assignment makes public, whether any
    export is computed: `module.exports[k] = …`)."""
    names: set[str] = set()
    computed = False
    for node in walk(root):
        if node.type == "export_statement":
            names |= _export_names(node)
        elif node.type == "assignment_expression":
            left = text_of(node.child_by_field_name("left") or node)
            if left.startswith(("module.exports", "exports.", "exports[")):
                computed = computed or "exports[" in left
                names |= _export_names(node.child_by_field_name("right"))
    return names, computed


class JavascriptNames:
    """The rename candidates of one JavaScript file (parsed once)."""

    def __init__(self, tree: tree_sitter.Tree, around: Surroundings) -> None:
        self.root = tree.root_node
        self.around = around
        self.identifiers = [n for n in walk(self.root) if n.type == "identifier"]
        self.shorthand = {text_of(n) for n in walk(self.root) if n.type in _SHORTHAND}
        self.file_strings = string_words(self.root)
        self.in_regions: dict[str, list[int]] = defaultdict(list)
        """Names written inside a masked region, with their lines."""
        for node in self.identifiers:
            line = node.start_point[0] + 1
            if around.in_region(line, line):
                self.in_regions[text_of(node)].append(line)

    def candidates(self) -> list[Candidate]:
        return [*self._locals(), *self._privates(), *self._attributes()]

    def _locals(self) -> list[Candidate]:
        out = []
        for function in (n for n in walk(self.root) if n.type in FUNCTIONS
                         and self.around.in_region(*lines_of(n))):
            body = function.child_by_field_name("body")
            if body is None:
                continue
            bound = [*_parameters(function), *_own_vars(body)]
            if body.type == "statement_block":
                bound += [n for statement in body.named_children for n in _declared(statement)]
            imported = {text_of(n) for statement in body.named_children
                        if _requires(statement) for n in _declared(statement)}
            name = function.child_by_field_name("name")
            scope = (f"function {text_of(name) if name else '(anonymous)'} "
                     f"(line {function.start_point[0] + 1})")
            dynamic = _dynamic(function, constructor=False)
            strings = string_words(function)
            first, last = lines_of(function)
            occurrences: dict[str, set[tuple[int, int]]] = defaultdict(set)
            for node in walk(function):
                if node.type == "identifier":
                    occurrences[text_of(node)].add((node.start_byte, node.end_byte))
            for local in sorted({text_of(n) for n in bound}):
                spans = tuple(sorted(occurrences[local]))
                candidate = Candidate(local, "local", scope, spans)
                if local in imported:
                    candidate = candidate.refused("bound by require()")
                elif dynamic:
                    candidate = candidate.refused(f"the function uses {dynamic}")
                elif local in self.shorthand:
                    candidate = candidate.refused("written as a shorthand property {"
                                                  f"{local}}} in this file")
                elif local in strings:
                    candidate = candidate.refused(
                        f"appears in a string literal at line {strings[local]}")
                elif local == "arguments":
                    candidate = candidate.refused("the arguments object")
                else:
                    outside = [line for line in self.in_regions.get(local, [])
                               if not first <= line <= last]
                    if outside:
                        candidate = candidate.refused(
                            f"also used outside the function in a masked region "
                            f"(line {outside[0]})")
                out.append(candidate)
        return out

    def _privates(self) -> list[Candidate]:
        exported, computed = _exported(self.root)
        dynamic = _dynamic(self.root)
        out = []
        by_name: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for identifier in self.identifiers:
            by_name[text_of(identifier)].append((identifier.start_byte, identifier.end_byte))
        for statement in self.root.named_children:
            for node in _declared(statement):
                name = text_of(node)
                spans = tuple(sorted(by_name[name]))
                candidate = Candidate(name, "private", "module", spans)
                if _requires(statement):
                    candidate = candidate.refused("bound by require()")
                elif computed:
                    candidate = candidate.refused("the module exports computed names "
                                                  "(module.exports[...])")
                elif name in exported:
                    candidate = candidate.refused("exported (module.exports / export)")
                elif dynamic:
                    candidate = candidate.refused(f"the module uses {dynamic}")
                elif name in self.shorthand:
                    candidate = candidate.refused(
                        "written as a shorthand property {" + name + "} in this file")
                elif name in self.file_strings:
                    candidate = candidate.refused(
                        f"appears in a string literal at line {self.file_strings[name]}")
                out.append(candidate)
        return sorted(out, key=lambda c: c.name)

    def _attributes(self) -> list[Candidate]:
        occurrences: dict[str, list[tree_sitter.Node]] = defaultdict(list)
        defined: set[str] = set()
        for node in walk(self.root):
            if node.type != "property_identifier" or not _PRIVATE_PROPERTY.match(text_of(node)):
                continue
            parent = node.parent
            occurrences[text_of(node)].append(node)
            if parent is None:
                continue
            if parent.type in ("method_definition", "pair", "field_definition"):
                defined.add(text_of(node))
            grand = parent.parent
            if parent.type == "member_expression" and grand is not None and (
                    grand.type == "assignment_expression"
                    and grand.child_by_field_name("left") == parent):
                defined.add(text_of(node))
        plain = {text_of(n) for n in self.identifiers} | self.shorthand
        out = []
        for name in sorted(occurrences):
            spans = tuple(sorted({(n.start_byte, n.end_byte) for n in occurrences[name]}))
            candidate = Candidate(name, "attribute", "attribute", spans)
            other = self.around.mentioned_in(name)
            if name in self.file_strings:
                candidate = candidate.refused(
                    f"appears in a string literal at line {self.file_strings[name]} "
                    "(obj['name'])")
            elif other:
                candidate = candidate.refused(f"named in {other}")
            elif name not in defined:
                candidate = candidate.refused("never assigned or defined in this file")
            elif name in plain:
                candidate = candidate.refused("also a plain name in this file")
            out.append(candidate)
        return out
