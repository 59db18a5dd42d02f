"""Structural operator: `if not c: A else: B` <-> `if c: B else: A` (and the same with `!`
in JavaScript, Java, Go, PHP and C).

Only an `if` with exactly one `else` (no `elif` / `else if`), both branches blocks on lines of
their own, nothing but whitespace between the first branch and `else`, and no masked region
touching the statement. The two branches swap text and the condition is negated (an outer
`not`/`!` removed, else added with parentheses where precedence needs them), so the file keeps
its number of lines and every region stays where it is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import tree_sitter

from asebench.dataset.schema import Language
from asebench.mutation.edits import Edit, apply_edits
from asebench.mutation.outcome import FileState, OperatorOutcome
from asebench.mutation.sites import choose_sites
from asebench.mutation.syntax import lines_of, parsed, text_of, walk

SWAP_SHARE = 0.5
_PY_LOOSE = frozenset({"boolean_operator", "conditional_expression", "lambda",
                       "named_expression", "not_operator"})
_TIGHT = frozenset({"identifier", "member_expression", "call_expression", "method_invocation",
                    "field_access", "selector_expression", "function_call_expression",
                    "member_call_expression", "parenthesized_expression", "true", "false",
                    "variable_name", "name", "subscript_expression", "index_expression"})
_BLOCKS = frozenset({"statement_block", "block", "compound_statement"})
_UNARY = frozenset({"unary_expression", "unary_op_expression"})
BRACE_LANGUAGES = frozenset({Language.JAVASCRIPT, Language.JAVA, Language.GO, Language.PHP,
                             Language.C})
"""Languages whose if/else branches are brace blocks (Go's condition has no parentheses)."""


@dataclass(frozen=True)
class _Site:
    node: tree_sitter.Node
    condition: tree_sitter.Node
    first: tree_sitter.Node
    second: tree_sitter.Node


def _negated_python(condition: tree_sitter.Node) -> str:
    if condition.type == "not_operator":
        argument = condition.child_by_field_name("argument")
        if argument is not None:
            return text_of(argument)
    if condition.type in _PY_LOOSE:
        return f"not ({text_of(condition)})"
    return f"not {text_of(condition)}"


def _negated_expression(inner: tree_sitter.Node) -> str:
    """`!inner` without a double negation, parenthesised where precedence needs it."""
    text = text_of(inner)
    if inner.type in _UNARY and text.startswith("!") and not text.startswith("!!"):
        argument = inner.child_by_field_name("argument") or inner.child_by_field_name(
            "operand")
        if argument is not None:
            if argument.type == "parenthesized_expression" and argument.named_children:
                return text_of(argument.named_children[0])
            return text_of(argument)
    if inner.type in _TIGHT:
        return f"!{text}"
    return f"!({text})"


def _negated_braced(condition: tree_sitter.Node, language: Language) -> str:
    """The new condition of a brace-language `if` (parenthesised unless Go; the whitespace
    inside the parentheses kept, so a condition closed on a line of its own keeps it)."""
    if language is Language.GO or not condition.named_children:
        return _negated_expression(condition)
    inner = condition.named_children[0]
    data = text_of(condition).encode("utf-8")
    lead = data[1:inner.start_byte - condition.start_byte].decode("utf-8")
    trail = data[inner.end_byte - condition.start_byte:-1].decode("utf-8")
    return f"({lead}{_negated_expression(inner)}{trail})"


def _python_sites(root: tree_sitter.Node, text: bytes) -> list[_Site]:
    sites = []
    for node in walk(root):
        if node.type != "if_statement":
            continue
        alternatives = node.children_by_field_name("alternative")
        consequence = node.child_by_field_name("consequence")
        condition = node.child_by_field_name("condition")
        if len(alternatives) != 1 or alternatives[0].type != "else_clause" or (
                consequence is None or condition is None):
            continue
        other = alternatives[0].child_by_field_name("body")
        if other is None or consequence.start_point[0] == node.start_point[0] or (
                other.start_point[0] == alternatives[0].start_point[0]):
            continue
        if text[consequence.end_byte:alternatives[0].start_byte].strip():
            continue  # a comment between the branch and `else` would change sides
        sites.append(_Site(node, condition, consequence, other))
    return sites


def _braced_sites(root: tree_sitter.Node) -> list[_Site]:
    """`if (c) {…} else {…}` in every brace language (not `else if`, not alternative syntax)."""
    sites = []
    for node in walk(root):
        if node.type != "if_statement":
            continue
        consequence = node.child_by_field_name("consequence") or node.child_by_field_name(
            "body")
        alternatives = node.children_by_field_name("alternative")
        condition = node.child_by_field_name("condition")
        if consequence is None or len(alternatives) != 1 or condition is None:
            continue
        other: tree_sitter.Node | None = alternatives[0]
        if other is not None and other.type == "else_clause":
            other = other.child_by_field_name("body") or (
                other.named_children[-1] if other.named_children else None)
        if consequence.type not in _BLOCKS or other is None or other.type not in _BLOCKS:
            continue
        sites.append(_Site(node, condition, consequence, other))
    return sites


def swap_if_else(language: Language, state: FileState, rng: random.Random) -> OperatorOutcome:
    """Swap a seeded choice of the eligible if/else statements outside the masked regions."""
    outcome = OperatorOutcome(state.text, list(state.regions))
    tree = parsed(language, state.text, state.path)
    data = state.text.encode("utf-8")
    if language is Language.PYTHON:
        sites = _python_sites(tree.root_node, data)
    elif language in BRACE_LANGUAGES:
        sites = _braced_sites(tree.root_node)
    else:
        raise ValueError(f"swap-if-else does not support {language}")
    eligible = []
    for site in sites:
        first, last = lines_of(site.node)
        if any(span.overlaps_lines(first, last) for span in state.regions):
            outcome.refusals.append(f"if at line {first}: touches a masked region")
            continue
        eligible.append(site)
    chosen = choose_sites(eligible, rng, SWAP_SHARE)
    taken: list[tuple[int, int]] = []
    edits = []
    for site in chosen:
        span = (site.node.start_byte, site.node.end_byte)
        if any(a < span[1] and span[0] < b for a, b in taken):
            continue  # nested in (or holding) an if already swapped
        taken.append(span)
        condition = (_negated_python(site.condition) if language is Language.PYTHON
                     else _negated_braced(site.condition, language))
        if condition.count("\n") != text_of(site.condition).count("\n"):
            outcome.refusals.append(f"if at line {site.node.start_point[0] + 1}: the negated "
                                    "condition would take another number of lines")
            continue
        edits += [
            Edit(site.condition.start_byte, site.condition.end_byte, condition),
            Edit(site.first.start_byte, site.first.end_byte, text_of(site.second)),
            Edit(site.second.start_byte, site.second.end_byte, text_of(site.first)),
        ]
        outcome.changes.append(f"if at line {site.node.start_point[0] + 1}")
    outcome.text = apply_edits(state.text, edits)
    return outcome
