"""The renames of one mutant, and how they are applied to code that is not in the tree.

The gold fix, the variants and the rules are written against the upstream names; a mutant's
copies must use the mutant's names. `NameMap.apply_code` renames a snippet through its
tree-sitter parse (plain names only where a plain name was renamed, property names only where
an attribute was), `apply_markdown` every fenced block of a variant, `apply_rule_text` the
semgrep patterns of a rule file.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

import tree_sitter

from asebench.dataset.schema import Language
from asebench.mutation.edits import Edit, apply_edits
from asebench.mutation.syntax import has_ancestor, parsed, text_of, walk

_PLAIN_TYPES = frozenset({"identifier"})
_PROPERTY_TYPES = frozenset({"property_identifier"})
_PYTHON_IMPORTS = frozenset({"import_statement", "import_from_statement",
                             "future_import_statement"})
_CODE_SPAN = re.compile(r"(`+)([^`\n]+?)\1")
_FENCE = re.compile(r"^(?P<fence>`{3,})[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                    re.MULTILINE | re.DOTALL)


_PHP_MEMBERS = frozenset({"member_access_expression", "nullsafe_member_access_expression",
                          "member_call_expression", "nullsafe_member_call_expression",
                          "scoped_property_access_expression", "scoped_call_expression",
                          "method_declaration"})


def _php_property(variable: tree_sitter.Node) -> bool:
    """Whether a `variable_name` is a property's: `private $x;` or the `$x` of `Class::$x`."""
    parent = variable.parent
    return parent is not None and (parent.type == "property_element" or (
        parent.type == "scoped_property_access_expression"
        and parent.child_by_field_name("name") == variable))


def php_variable(node: tree_sitter.Node) -> bool:
    """Whether a tree-sitter-php `name` node names a variable (`$name`): not a property
    (`private $name;`, the static `Class::$name`), which belongs to the class, not to the
    function."""
    parent = node.parent
    return (node.type == "name" and parent is not None and parent.type == "variable_name"
            and not _php_property(parent))


def php_member(node: tree_sitter.Node) -> bool:
    """Whether a tree-sitter-php `name` node names a class member: a property or method where
    it is declared (`private $name;`, `function name()`) or reached (`$o->name`,
    `$o->name()`, `self::$name`, `self::name()`)."""
    parent = node.parent
    if node.type != "name" or parent is None:
        return False
    if parent.type == "variable_name":
        return _php_property(parent)
    return parent.type in _PHP_MEMBERS and parent.child_by_field_name("name") == node


@dataclass
class NameMap:
    """`plain`: renamed variables and functions (old -> new); `attribute`: renamed attribute,
    method and property names. One old name has one new name per mutant."""

    plain: dict[str, str] = field(default_factory=dict)
    attribute: dict[str, str] = field(default_factory=dict)
    imported: dict[str, str] = field(default_factory=dict)
    """Names module-level imports bind, aliased (`import x as new`): renamed in code like
    plain names, but kept in semgrep patterns that reach them through their module
    (`os.system(...)`), which semgrep resolves through the alias."""

    def __bool__(self) -> bool:
        return bool(self.plain or self.attribute or self.imported)

    def table(self, kind: str) -> dict[str, str]:
        """The map a rename of `kind` (`candidates.Kind`) writes to."""
        return {"attribute": self.attribute, "import": self.imported}.get(kind, self.plain)

    def merge(self, other: NameMap) -> None:
        self.plain.update(other.plain)
        self.attribute.update(other.attribute)
        self.imported.update(other.imported)

    def as_dict(self) -> dict[str, dict[str, str]]:
        out = {"plain": dict(sorted(self.plain.items())),
               "attribute": dict(sorted(self.attribute.items()))}
        if self.imported:  # absent when empty: the records of mutants made before it
            out["imported"] = dict(sorted(self.imported.items()))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, dict[str, str]]) -> NameMap:
        """The inverse of `as_dict`."""
        return cls(dict(data.get("plain", {})), dict(data.get("attribute", {})),
                   dict(data.get("imported", {})))

    def _new_name(self, node: tree_sitter.Node, language: Language) -> str | None:
        name = text_of(node)
        parent = node.parent
        if language is Language.PYTHON and node.type == "identifier":
            if has_ancestor(node, _PYTHON_IMPORTS):
                return None  # `python_import_edits` aliases the names imports bind
            if parent is not None and parent.type == "attribute" and (
                    parent.child_by_field_name("attribute") == node):
                return self.attribute.get(name)
            if parent is not None and parent.type == "keyword_argument" and (
                    parent.child_by_field_name("name") == node):
                return None
            if parent is not None and parent.type in ("function_definition",
                                                      "class_definition") \
                    and name in self.attribute and name not in self.plain:
                return self.attribute[name]
            return self.imported.get(name) or self.plain.get(name)
        if language is Language.JAVA and parent is not None and (
                (parent.type == "field_access" and parent.child_by_field_name("field") == node)
                or (parent.type in ("method_invocation", "method_declaration")
                    and parent.child_by_field_name("name") == node)):
            return None  # a field or method name, never a local
        if language is Language.PHP and node.type == "name":  # `$name`: a variable
            if php_variable(node):
                return self.plain.get(name)
            return self.attribute.get(name) if php_member(node) else None
        if node.type in _PLAIN_TYPES:
            return self.plain.get(name)
        if node.type in _PROPERTY_TYPES:
            return self.attribute.get(name)
        return None

    def apply_code(self, code: str, language: Language) -> str:
        """`code` (a region, a gold fix: may be indented, may not parse alone) with every
        renamed name replaced; strings, comments and other namespaces untouched."""
        if not self or not code.strip():
            return code
        prefix = _common_indent(code)
        dedented = textwrap.dedent(code) if prefix else code
        tag = "<?php\n" if language is Language.PHP and not dedented.lstrip().startswith(
            "<?") else ""  # a PHP snippet is text until the tag opens code
        tree = parsed(language, tag + dedented)
        lines = dedented.split("\n")
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line.encode("utf-8")) + 1)
        edits: list[Edit] = []
        for node in walk(tree.root_node):
            if node.type not in _PLAIN_TYPES | _PROPERTY_TYPES and not (
                    language is Language.PHP and node.type == "name"):
                continue
            new = self._new_name(node, language)
            if new is not None:
                edits.append(Edit(node.start_byte - len(tag), node.end_byte - len(tag), new))
        if language is Language.PYTHON and self.imported:
            edits.extend(python_import_edits(tree.root_node, self.imported))
        renamed = apply_edits(dedented, edits)
        if not prefix:
            return renamed
        return "\n".join(prefix + line if line.strip() else line
                         for line in renamed.split("\n"))

    def apply_markdown(self, text: str, language: Language) -> str:
        """Every fenced code block of `text` renamed (`apply_code`); the prose untouched."""
        def rename(match: re.Match[str]) -> str:
            body = match.group("body")
            start = match.start("body") - match.start()
            whole = match.group(0)
            return whole[:start] + self.apply_code(body, language) + whole[start + len(body):]
        return _FENCE.sub(rename, text)

    def apply_prose(self, text: str, language: Language) -> str:
        """`text` (an instance's description) with the code it quotes in backticks renamed
        (`apply_code` on each span), so the prompt never names what the mutant renamed; the
        prose itself untouched."""
        if not self:
            return text
        return _CODE_SPAN.sub(lambda m: m.group(1) + self.apply_code(m.group(2), language)
                              + m.group(1), text)

    def apply_rule_text(self, text: str) -> str:
        """A semgrep pattern with renamed names replaced: a plain name where it is not a
        property (`.name`) or a metavariable, a property name after a dot, `def` or (PHP)
        `->`."""
        for old, new in self.plain.items():
            text = re.sub(r"(?<![\w$.])(?<!->)" + re.escape(old) + r"(?![\w$])", new, text)
        for old, new in self.imported.items():  # `module.x` resolves through the alias
            text = re.sub(r"(?<![\w$.])" + re.escape(old) + r"(?![\w$])(?!\s*\.)", new, text)
        for old, new in self.attribute.items():
            text = re.sub(r"(?<=\.)" + re.escape(old) + r"(?![\w$])", new, text)
            text = re.sub(r"(?<=def )" + re.escape(old) + r"(?![\w$])", new, text)
            text = re.sub(r"(?<=->)" + re.escape(old) + r"(?![\w$])", new, text)  # PHP
        return text


def python_import_edits(root: tree_sitter.Node, imported: dict[str, str]) -> list[Edit]:
    """The edits that alias, in a Python snippet, the imports of names `imported` renames:
    `import x` / `from m import x` -> `x as new`, an alias `as x` -> `as new`."""
    from asebench.mutation.python_imports import import_bindings

    edits = []
    for node in walk(root):
        if node.type in ("import_statement", "import_from_statement"):
            for name, bound, aliased in import_bindings(node):
                if name in imported:
                    edits.append(Edit(bound.start_byte, bound.end_byte,
                                      imported[name] if aliased
                                      else f"{name} as {imported[name]}"))
    return edits


def _common_indent(code: str) -> str:
    indents = [line[: len(line) - len(line.lstrip())] for line in code.split("\n")
               if line.strip()]
    if not indents:
        return ""
    prefix = indents[0]
    for indent in indents[1:]:
        while not indent.startswith(prefix):
            prefix = prefix[:-1]
    return prefix
