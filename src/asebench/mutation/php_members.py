"""Which private members of a PHP class around a masked region can be renamed (the PHP side of
`rename-attributes`), with every occurrence, or why not.

A `private` property or method is visible only inside its class, so renaming its declaration
and every `$this->name`, `$this?->name`, `self::$name`, `static::name()` (or the class's own
name as scope) inside the class keeps the meaning. Refused, conservatively: a member written in
a string of the file (`[$this, 'name']`, `property_exists($o, 'name')`), named in another
project file, the PoC, test or harness, reached on another object than `$this` or with
`parent::`, or named by a member access outside the class; every member of a class that reaches
members by text (`$this->$name`, magic `__get`/`__call`/serialisation methods, reflection and
the functions that list or dump properties, an anonymous class inside). Promoted constructor
parameters stay (named arguments call them by name).
"""

from __future__ import annotations

from collections import defaultdict

import tree_sitter

from asebench.mutation.candidates import Candidate, Surroundings
from asebench.mutation.syntax import lines_of, string_words, text_of, walk

_ACCESS = frozenset({"member_access_expression", "nullsafe_member_access_expression",
                     "member_call_expression", "nullsafe_member_call_expression"})
_SCOPED = frozenset({"scoped_property_access_expression", "scoped_call_expression"})
_MAGIC = frozenset({"__get", "__set", "__isset", "__unset", "__call", "__callstatic",
                    "__sleep", "__wakeup", "__serialize", "__unserialize", "__set_state",
                    "__debuginfo"})
_BY_TEXT = frozenset({"get_object_vars", "get_class_vars", "get_class_methods",
                      "property_exists", "method_exists", "is_callable", "serialize",
                      "var_export", "var_dump", "print_r", "debug_zval_dump", "json_encode",
                      "call_user_func", "call_user_func_array"})


def _member_name(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The `name` node a member access or scoped access names (`$this->x`, `self::$x`,
    `self::x()`), or None when the member is reached by a variable (`$this->$x`)."""
    name = node.child_by_field_name("name")
    if name is not None and name.type == "variable_name" and node.type in _SCOPED:
        name = next((c for c in name.named_children if c.type == "name"), None)
    return name if name is not None and name.type == "name" else None


def _private(declaration: tree_sitter.Node) -> bool:
    return any(c.type == "visibility_modifier" and text_of(c) == "private"
               for c in declaration.children)


def _by_text(body: tree_sitter.Node) -> str | None:
    """How the class reaches members by text, or None."""
    for node in walk(body):
        if node.type == "method_declaration":
            name = node.child_by_field_name("name")
            if name is not None and text_of(name).lower() in _MAGIC:
                return f"the class defines {text_of(name)}()"
        if node.type in _ACCESS | _SCOPED and _member_name(node) is None:
            return f"a member reached by a variable at line {node.start_point[0] + 1}"
        if node.type == "function_call_expression":
            callee = node.child_by_field_name("function")
            if callee is not None and text_of(callee).lstrip("\\").lower() in _BY_TEXT:
                return f"the class calls {text_of(callee)}()"
        if node.type in ("object_creation_expression", "scoped_call_expression",
                         "name") and text_of(node).lstrip("\\").startswith("Reflection"):
            return f"the class uses reflection at line {node.start_point[0] + 1}"
        if node.type == "cast_type" and text_of(node).lower() == "array":
            return f"an (array) cast at line {node.start_point[0] + 1}"
        if node.type == "anonymous_class":  # its `$this` is another object
            return f"an anonymous class at line {node.start_point[0] + 1}"
        if node.type == "foreach_statement" and node.named_children and text_of(
                node.named_children[0]) == "$this":
            return f"foreach over $this at line {node.start_point[0] + 1}"
    return None


class PhpMembers:
    """The private-member rename candidates of one PHP file (parsed once)."""

    def __init__(self, tree: tree_sitter.Tree, around: Surroundings) -> None:
        self.root = tree.root_node
        self.around = around
        self.strings = string_words(self.root)

    def candidates(self) -> list[Candidate]:
        out = []
        for klass in walk(self.root):
            if klass.type == "class_declaration" and self.around.in_region(*lines_of(klass)):
                out.extend(self._class(klass))
        return out

    def _class(self, klass: tree_sitter.Node) -> list[Candidate]:
        body = klass.child_by_field_name("body")
        name_node = klass.child_by_field_name("name")
        if body is None or name_node is None:
            return []
        own = text_of(name_node)
        scope = f"class {own} (line {klass.start_point[0] + 1})"
        declared: dict[str, tree_sitter.Node] = {}
        for member in body.named_children:
            if member.type == "property_declaration" and _private(member):
                for element in member.named_children:
                    if element.type == "property_element":
                        found = [n for n in walk(element) if n.type == "name"]
                        if found:
                            declared.setdefault(text_of(found[0]), found[0])
            elif member.type == "method_declaration" and _private(member):
                method = member.child_by_field_name("name")
                if method is not None:
                    declared.setdefault(text_of(method), method)
        if not declared:
            return []
        occurrences: dict[str, list[tree_sitter.Node]] = defaultdict(list)
        problems: dict[str, str] = {}
        for node in walk(self.root):
            if node.type not in _ACCESS | _SCOPED:
                continue
            reached = _member_name(node)
            if reached is None or text_of(reached) not in declared:
                continue
            inside = klass.start_byte <= node.start_byte < klass.end_byte
            target = node.child_by_field_name(
                "object" if node.type in _ACCESS else "scope")
            reach = text_of(target) if target is not None else ""
            line = node.start_point[0] + 1
            if not inside:
                problems.setdefault(text_of(reached), f"a member of that name is reached "
                                    f"outside the class at line {line}")
            elif reach not in ("$this", "self", "static", own):
                problems.setdefault(text_of(reached), f"reached on {reach} at line {line}")
            occurrences[text_of(reached)].append(reached)
        dynamic = _by_text(body)
        out = []
        for name, declaration in sorted(declared.items()):
            nodes = [declaration, *occurrences[name]]
            spans = tuple(sorted({(n.start_byte, n.end_byte) for n in nodes}))
            candidate = Candidate(name, "attribute", scope, spans)
            other = self.around.mentioned_in(name)
            if name.startswith("__"):
                candidate = candidate.refused("a magic name")
            elif dynamic:
                candidate = candidate.refused(dynamic)
            elif name in problems:
                candidate = candidate.refused(problems[name])
            elif name in self.strings:
                candidate = candidate.refused(
                    f"appears in a string literal at line {self.strings[name]}")
            elif other:
                candidate = candidate.refused(f"named in {other}")
            out.append(candidate)
        return out
