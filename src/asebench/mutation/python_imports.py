"""Which module-level imports of a Python file can be aliased (`rename-imports`), or why not.

`import x` becomes `import x as <fresh>` and `from m import x` becomes `from m import x as
<fresh>` (an existing alias `as y` is renamed instead), and every plain use of the name in the
file follows. This reaches what renames of locals cannot: a masked region that is a whole
function using only its own locals and imported names. Upstream code recited verbatim into
the mutant then names what the mutant no longer binds and fails when it runs.

Refused (conservative on purpose): a name bound anywhere else in the file (another import, an
import inside a block, a module-level assignment or definition, a parameter or local of any
function, lambda or comprehension, a class-body attribute, `global`/`nonlocal`/`del`), a
module that calls a reflection builtin, a string literal whose whole text is the name
(`__all__`, `getattr`), and a name another project file or the instance's PoC, test or
harness reaches through this module (`from <module> import name`, `<module>.name`, including
inside `mock.patch("pkg.module.name")`). `import a.b` (it binds `a` with submodule semantics),
`from m import *` and `from __future__` are never touched.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath

import tree_sitter

from asebench.mutation.candidates import Candidate, Surroundings
from asebench.mutation.python_names import (
    _bindings,
    _calls_reflection,
    _class_body_bindings,
    _own_scope,
    _parameter_names,
    _targets,
)
from asebench.mutation.syntax import text_of, walk

_IMPORT_TYPES = frozenset({"import_statement", "import_from_statement"})
_FUNCTIONS = frozenset({"function_definition", "lambda"})


def _one_identifier(node: tree_sitter.Node) -> bool:
    return node.type == "dotted_name" and node.named_child_count == 1


def import_bindings(statement: tree_sitter.Node) -> list[tuple[str, tree_sitter.Node, bool]]:
    """The names an import statement binds: (name, node, aliased), where `aliased` says the
    node is an `as` alias (renamed in place) rather than the imported name itself (which
    gets `as <fresh>` appended). `import a.b` and `*` bind nothing renamable."""
    out: list[tuple[str, tree_sitter.Node, bool]] = []
    for child in statement.children_by_field_name("name"):
        if child.type == "aliased_import":
            alias = child.child_by_field_name("alias")
            if alias is not None:
                out.append((text_of(alias), alias, True))
        elif _one_identifier(child):
            out.append((text_of(child), child, False))
    return out


def _module_name(path: str) -> str:
    """The last component of the module a file defines (`pkg/html.py` -> `html`,
    `pkg/__init__.py` -> `pkg`)."""
    pure = PurePosixPath(path)
    return pure.parent.name if pure.stem == "__init__" else pure.stem


def _reached_from(name: str, module: str, around: Surroundings) -> str | None:
    """The first other text that imports `name` from this module or reaches it as
    `<module>.name`, or None."""
    attribute = re.compile(r"\b" + re.escape(module) + r"\s*\.\s*" + re.escape(name) + r"\b")
    imported = re.compile(r"\bfrom\s+[\w.]*?\b" + re.escape(module)
                          + r"\s+import\s+(\([^)]*\)|[^\n]*)")
    word = re.compile(r"\b" + re.escape(name) + r"\b")
    for label in sorted(around.others):
        text = around.others[label]
        if name not in text:
            continue
        if attribute.search(text) or any(word.search(m.group(1))
                                         for m in imported.finditer(text)):
            return label
    return None


def _string_names(root: tree_sitter.Node) -> set[str]:
    """The texts of string literals that are one whole identifier (`"name"`)."""
    out = set()
    for node in walk(root):
        if node.type == "string":
            parts = [c for c in node.named_children if c.type == "string_content"]
            if len(parts) == 1 and len(node.named_children) <= 3:
                text = text_of(parts[0])
                if text.isidentifier():
                    out.add(text)
    return out


def _bound_elsewhere(root: tree_sitter.Node) -> dict[str, str]:
    """Every name bound other than by a module-level import, with where (first found)."""
    where: dict[str, str] = {}

    def note(names: set[str] | list[str], what: str) -> None:
        for name in names:
            where.setdefault(name, what)

    bound, declared, _ = _bindings(_own_scope(root))
    note(bound, "assigned or defined at module level")
    note(declared, "declared global/nonlocal")
    for node in walk(root):
        line = node.start_point[0] + 1
        if node.type in _FUNCTIONS:
            note([text_of(n) for n in _parameter_names(node.child_by_field_name("parameters"))],
                 f"a parameter at line {line}")
            body = node.child_by_field_name("body")
            if body is not None:
                inner, inner_declared, inner_imported = _bindings(_own_scope(body))
                note(inner | inner_declared | inner_imported, f"bound in the function at line "
                     f"{line}")
        elif node.type == "for_in_clause":
            note([text_of(n) for n in _targets(node.child_by_field_name("left"))],
                 f"a comprehension variable at line {line}")
        elif node.type == "delete_statement":
            note([text_of(n) for n in walk(node) if n.type == "identifier"],
                 f"deleted at line {line}")
        elif node.type in ("global_statement", "nonlocal_statement"):
            note([text_of(c) for c in node.named_children if c.type == "identifier"],
                 f"declared global/nonlocal at line {line}")
    note(list(_class_body_bindings(root)), "a class-body attribute")
    return where


def import_candidates(root: tree_sitter.Node, path: str, around: Surroundings,
                      plain: dict[str, list[tree_sitter.Node]]) -> list[Candidate]:
    """Every name bound by a module-level import of the file at `path` (parsed as `root`),
    with its plain occurrences (`plain`: every plain identifier node by name) and the
    import node that takes `as <fresh>`, or refused with the reason."""
    top = [n for n in root.named_children if n.type in _IMPORT_TYPES]
    top_ids = {n.id for n in top}
    counts: dict[str, int] = defaultdict(int)
    bindings: list[tuple[str, tree_sitter.Node, bool, int]] = []
    for statement in top:
        for name, node, aliased in import_bindings(statement):
            counts[name] += 1
            bindings.append((name, node, aliased, statement.start_point[0] + 1))
    dotted = {text_of(child.named_children[0]) for statement in top
              if statement.type == "import_statement"
              for child in statement.children_by_field_name("name")
              if child.type == "dotted_name" and child.named_child_count > 1}
    nested = {name: n.start_point[0] + 1 for n in walk(root)
              if n.type in _IMPORT_TYPES and n.id not in top_ids
              for name, _, _ in import_bindings(n)}
    elsewhere = _bound_elsewhere(root)
    reflection = _calls_reflection(root)
    strings = _string_names(root)
    module = _module_name(path)
    out = []
    for name, node, aliased, line in bindings:
        spans = [(n.start_byte, n.end_byte) for n in plain.get(name, [])]
        if aliased:
            spans.append((node.start_byte, node.end_byte))
        candidate = Candidate(name, "import", f"import (line {line})", tuple(sorted(spans)),
                              aliased=() if aliased else ((node.start_byte, node.end_byte),))
        other = _reached_from(name, module, around)
        if name.startswith("__") or name in ("self", "cls"):
            candidate = candidate.refused("a special name")
        elif counts[name] > 1:
            candidate = candidate.refused("imported more than once at module level")
        elif name in dotted:
            candidate = candidate.refused(f"also imported as a dotted path (import {name}.… "
                                          f"binds {name})")
        elif name in nested:
            candidate = candidate.refused(f"also imported inside a block at line {nested[name]}")
        elif name in elsewhere:
            candidate = candidate.refused(f"also {elsewhere[name]}")
        elif reflection:
            candidate = candidate.refused(f"the module calls {reflection}(), which sees names")
        elif name in strings:
            candidate = candidate.refused("a string literal is the name (__all__, getattr)")
        elif other:
            candidate = candidate.refused(f"reached through this module from {other}")
        out.append(candidate)
    return out
