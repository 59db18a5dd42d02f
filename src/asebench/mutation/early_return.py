"""Structural operator: early exit <-> nested `else` (Python here; JavaScript, Java, Go, PHP
and C in `brace_early_return`).

`if c: A` where A always leaves (its last statement is `return` or `raise`) followed by the
rest of the block R is the same as `if c: A else: R`; and `if c: A else: B` with such an A is
the same as `if c: A` followed by B. The forward form adds an `else:` line and indents R one
level, the backward form removes the `else:` line and dedents B; regions after the statement
move by that one line. Refused: a region touching the statement (or R), a multi-line string
(its text would change with the indentation), a branch with `elif`, a body on the `if` line.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import tree_sitter

from asebench.dataset.schema import Language
from asebench.mutation.brace_early_return import (
    BRACE_EARLY_RETURN,
    BraceSite,
    apply_brace_site,
    brace_sites,
)
from asebench.mutation.outcome import FileState, OperatorOutcome
from asebench.mutation.sites import choose_sites
from asebench.mutation.syntax import lines_of, parsed, walk

CHANGE_SHARE = 0.5
_LEAVES = frozenset({"return_statement", "raise_statement"})


@dataclass(frozen=True)
class _Site:
    first: int  # first line of the `if`
    last: int  # last line the change touches (end of R, or of B)
    forward: bool
    indent: str  # the `if` line's indentation
    unit: str  # one indentation level
    else_line: int  # forward: line after which `else:` goes; backward: the `else:` line


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _multiline_string(nodes: list[tree_sitter.Node]) -> bool:
    return any(n.type == "string" and n.start_point[0] != n.end_point[0]
               for node in nodes for n in walk(node))


def _sites(root: tree_sitter.Node, lines: list[str]) -> list[_Site]:
    sites = []
    for node in walk(root):
        if node.type != "if_statement" or node.parent is None or node.parent.type != "block":
            continue
        consequence = node.child_by_field_name("consequence")
        alternatives = node.children_by_field_name("alternative")
        if consequence is None or consequence.start_point[0] == node.start_point[0]:
            continue
        statements = consequence.named_children
        if not statements or statements[-1].type not in _LEAVES:
            continue
        indent = _indent(lines[node.start_point[0]])
        unit = _indent(lines[consequence.start_point[0]])[len(indent):]
        if not unit:
            continue
        first, last = lines_of(node)
        if not alternatives:
            siblings = node.parent.named_children
            rest = siblings[siblings.index(node) + 1:]
            rest = [s for s in rest if s.type != "comment"] and rest
            if not rest or _multiline_string(rest):
                continue
            sites.append(_Site(first, lines_of(rest[-1])[1], True, indent, unit, last))
        elif len(alternatives) == 1 and alternatives[0].type == "else_clause":
            clause = alternatives[0]
            body = clause.child_by_field_name("body")
            else_line = clause.start_point[0] + 1
            if body is None or body.start_point[0] == clause.start_point[0] or (
                    lines[else_line - 1].strip() != "else:") or _multiline_string([body]):
                continue
            sites.append(_Site(first, last, False, indent, unit, else_line))
    return sites


def _apply(lines: list[str], site: _Site) -> list[str]:
    if site.forward:
        rest = [site.unit + line if line.strip() else line
                for line in lines[site.else_line:site.last]]
        return ([*lines[:site.else_line], site.indent + "else:", *rest, *lines[site.last:]])
    body = []
    for line in lines[site.else_line:site.last]:
        body.append(line.removeprefix(site.unit) if line.strip() else line)
    return lines[:site.else_line - 1] + body + lines[site.last:]


def early_return(language: Language, state: FileState, rng: random.Random) -> OperatorOutcome:
    """Rewrite a seeded choice of the eligible sites. Raises ValueError for a language
    without the rewrite."""
    if language is not Language.PYTHON and language not in BRACE_EARLY_RETURN:
        raise ValueError(f"early-return does not support {language}")
    outcome = OperatorOutcome(state.text, list(state.regions))
    lines = state.text.split("\n")
    root = parsed(language, state.text, state.path).root_node
    found: list[_Site | BraceSite] = list(
        _sites(root, lines) if language is Language.PYTHON else brace_sites(root, lines))
    eligible: list[_Site | BraceSite] = []
    for site in found:
        if any(span.overlaps_lines(site.first, site.last) for span in state.regions):
            outcome.refusals.append(f"if at line {site.first}: touches a masked region")
            continue
        if isinstance(site, _Site) and site.forward is False and any(
                line.strip() and not line.startswith(site.indent + site.unit)
                for line in lines[site.else_line:site.last]):
            continue  # a body line (a comment) less indented than the block
        eligible.append(site)
    chosen = choose_sites(eligible, rng, CHANGE_SHARE)
    kept: list[_Site | BraceSite] = []
    for site in sorted(chosen, key=lambda s: s.first):
        if all(site.first > other.last or site.last < other.first for other in kept):
            kept.append(site)
    regions = list(state.regions)
    for site in sorted(kept, key=lambda s: s.first, reverse=True):
        lines = _apply(lines, site) if isinstance(site, _Site) else apply_brace_site(lines,
                                                                                      site)
        delta = 1 if site.forward else -1
        regions = [span.shifted(delta) if span.start > site.last else span
                   for span in regions]
        outcome.changes.append(f"if at line {site.first}: "
                               + ("early exit -> else" if site.forward else "else -> early exit"))
    outcome.text = "\n".join(lines)
    outcome.regions = regions
    return outcome
