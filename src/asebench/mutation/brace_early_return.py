"""early-return for JavaScript, Java, Go, PHP and C: early exit <-> nested `else`, as in Python.

Forward: `if (c) { A }` whose A ends in `return`/`throw`, followed by the rest R of its block,
becomes `if (c) { A } else { R }` (the `}` line becomes `} else {`, R is indented one level and
closed by a new `}` line). Backward: `if (c) { A } else { B }` with such an A, the last
statement of its block, becomes `if (c) { A }` followed by B one level less indented (the
`} else {` line becomes `}`, B's closing line goes). R (or B) moves between scopes, so refused:
a function or class declaration in it (JavaScript and PHP hoist or define them by place), a
label, `goto` or Go `fallthrough`, a multi-line string literal (its text would change with the
indentation), a preprocessor line, a Go `if` with an initializer (its names reach the
`else`), and a name R (or B) declares that the function also writes outside it. Layout: the
braces on the lines described, nothing else on them. Regions touching the statement (or R)
are refused; regions after it move by the one line.
"""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter

from asebench.dataset.schema import Language
from asebench.mutation.syntax import lines_of, text_of, walk

BRACE_EARLY_RETURN = frozenset({Language.JAVASCRIPT, Language.JAVA, Language.GO, Language.PHP,
                                Language.C})
_BLOCKS = frozenset({"statement_block", "block", "compound_statement", "statement_list"})
_LEAVES = frozenset({"return_statement", "throw_statement"})
_MOVED_BADLY = frozenset({"function_declaration", "generator_function_declaration",
                          "class_declaration", "function_definition", "labeled_statement",
                          "goto_statement", "preproc_if", "preproc_ifdef", "preproc_def",
                          "preproc_include", "preproc_call", "preproc_function_def",
                          "interface_declaration", "enum_declaration", "trait_declaration",
                          "fallthrough_statement"})
_STRINGS = frozenset({"string", "template_string", "string_literal", "raw_string_literal",
                      "interpreted_string_literal", "text_block", "encapsed_string",
                      "heredoc", "nowdoc", "concatenated_string"})
_FUNCTIONS = frozenset({"function_declaration", "method_declaration", "function_definition",
                        "constructor_declaration", "func_literal", "function_expression",
                        "arrow_function", "method_definition", "lambda_expression",
                        "anonymous_function", "anonymous_function_creation_expression"})


@dataclass(frozen=True)
class BraceSite:
    """One rewrite: lines are 1-based. Forward: `close_line` (the `}` of the consequence)
    becomes `} else {`, lines `close_line + 1`..`last` are indented and `}` follows them.
    Backward: `close_line` (`} else {`) becomes `}`, the lines up to `last - 1` are dedented
    and line `last` (the else's `}`) goes."""

    first: int
    last: int
    forward: bool
    close_line: int
    unit: str


def _statements(block: tree_sitter.Node) -> list[tree_sitter.Node]:
    named = [c for c in block.named_children if c.type != "comment"]
    if len(named) == 1 and named[0].type == "statement_list":
        return [c for c in named[0].named_children if c.type != "comment"]
    return named


def _leaves(block: tree_sitter.Node) -> bool:
    statements = _statements(block)
    if not statements:
        return False
    last = statements[-1]
    if last.type in _LEAVES:
        return True
    return last.type == "expression_statement" and bool(last.named_children) and (
        last.named_children[0].type == "throw_expression")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _movable(nodes: list[tree_sitter.Node], lines: list[str]) -> bool:
    for node in nodes:
        for inner in walk(node):
            if inner.type in _MOVED_BADLY:
                return False
            if inner.type in _STRINGS and inner.start_point[0] != inner.end_point[0]:
                return False
        first, last = lines_of(node)
        if any(line.lstrip().startswith("#") for line in lines[first - 1:last]):
            return False
    return True


def _parts(node: tree_sitter.Node) -> tuple[tree_sitter.Node | None, tree_sitter.Node | None]:
    """The consequence block and the else block (None when there is none or it is not a
    plain block: `else if`, a statement without braces)."""
    consequence = node.child_by_field_name("consequence") or node.child_by_field_name("body")
    alternative = node.child_by_field_name("alternative")
    if alternative is not None and alternative.type == "else_clause":
        alternative = alternative.child_by_field_name("body") or (
            alternative.named_children[-1] if alternative.named_children else None)
    return consequence, alternative


def _declared_names(nodes: list[tree_sitter.Node]) -> set[str]:
    """The names the statements `nodes` declare (variables, constants; any depth)."""
    names: set[str] = set()
    for node in (inner for top in nodes for inner in walk(top)):
        targets: list[tree_sitter.Node] = []
        if node.type == "declaration":
            targets = node.children_by_field_name("declarator")
        elif node.type in ("variable_declarator", "var_spec", "const_spec"):
            targets = node.children_by_field_name("name")
        elif node.type == "short_var_declaration":
            targets = node.children_by_field_name("left")
        for target in targets:
            current: tree_sitter.Node | None = target
            while current is not None and current.type not in ("identifier",
                                                               "expression_list"):
                current = current.child_by_field_name("declarator")
            if current is not None:
                names.update(text_of(n) for n in walk(current) if n.type == "identifier")
    return names


def _declared_elsewhere(moved: list[tree_sitter.Node], anchor: tree_sitter.Node) -> bool:
    """Whether a name `moved` declares is written in the enclosing function outside it."""
    declared = _declared_names(moved)
    if not declared:
        return False
    scope = anchor
    while scope.parent is not None and scope.type not in _FUNCTIONS:
        scope = scope.parent
    start, end = moved[0].start_byte, moved[-1].end_byte
    return any(n.type == "identifier" and text_of(n) in declared
               and not start <= n.start_byte < end for n in walk(scope))


def brace_sites(root: tree_sitter.Node, lines: list[str]) -> list[BraceSite]:
    """Every early-return rewrite of a brace-language file (regions not yet considered)."""
    sites = []
    for node in walk(root):
        if node.type != "if_statement" or node.parent is None or (
                node.parent.type not in _BLOCKS) or node.child_by_field_name("initializer"):
            continue
        consequence, alternative = _parts(node)
        if consequence is None or consequence.type not in _BLOCKS or not _leaves(consequence):
            continue
        close_line = consequence.end_point[0] + 1
        inner = _statements(consequence)
        indent = _indent(lines[node.start_point[0]])
        unit = _indent(lines[inner[0].start_point[0]])[len(indent):]
        if not unit or lines[node.start_point[0]].rstrip()[-1:] != "{":
            continue
        siblings = _statements(node.parent)
        if alternative is None:
            rest = siblings[siblings.index(node) + 1:] if node in siblings else []
            if not rest or lines[close_line - 1].strip() != "}" or not _movable(
                    rest, lines) or _declared_elsewhere(rest, node):
                continue
            sites.append(BraceSite(lines_of(node)[0], lines_of(rest[-1])[1], True,
                                   close_line, unit))
        elif alternative.type in _BLOCKS and siblings and siblings[-1] == node:
            body = _statements(alternative)
            last = alternative.end_point[0] + 1
            if not body or lines[close_line - 1].strip() != "} else {" or (
                    lines[last - 1].strip() != "}") or last - 1 <= close_line or (
                    not _movable(body, lines)):
                continue
            if any(line.strip() and not line.startswith(indent + unit)
                   for line in lines[close_line:last - 1]):
                continue  # a body line less indented than the block
            if _declared_elsewhere(body, node):
                continue
            sites.append(BraceSite(lines_of(node)[0], last, False, close_line, unit))
    return sites


def apply_brace_site(lines: list[str], site: BraceSite) -> list[str]:
    """`lines` with `site` rewritten (one line more forward, one fewer backward)."""
    close = lines[site.close_line - 1]
    indent = _indent(close)
    if site.forward:
        moved = [site.unit + line if line.strip() else line
                 for line in lines[site.close_line:site.last]]
        return [*lines[:site.close_line - 1], f"{indent}}} else {{", *moved, f"{indent}}}",
                *lines[site.last:]]
    body = [line.removeprefix(site.unit) if line.strip() else line
            for line in lines[site.close_line:site.last - 1]]
    return [*lines[:site.close_line - 1], f"{indent}}}", *body, *lines[site.last:]]
