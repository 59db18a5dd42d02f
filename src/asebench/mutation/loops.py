"""Structural operator: a counting `for` loop rewritten as the equivalent `while` loop, and
(JavaScript, Java, C, PHP) a counting `while` loop back into a `for`.

Python: `for i in range(a, b):` (or `range(b)`) becomes `i = a` / `while i < b:` with
`i += 1` as the body's last line. Only where the two loops run the same: `a` and `b` are
integer literals or names, `b` a literal or a local of the function the body never assigns
(`range` reads it once, `while` every time), `i` a plain name the body never assigns and the
function mentions nowhere else (after the loop `for` leaves `b - 1`, `while` leaves `b`),
no `continue` of this loop (it would skip the increment), no `else:`, no `locals()`,
`vars()`, `exec` or `eval` in the function, and `range` never rebound in the file.

JavaScript, Java, C, PHP: `for (init; cond; step) { body }` becomes `init;` /
`while (cond) { body step; }` (a missing condition is `true`, `1` in C; the step's comma
expressions become one statement each). Only where: the body is a block with no `continue`
of this loop (nor a labelled `continue`, PHP `continue N`, C `goto` or label), the loop has no
label, the names the init declares appear nowhere else in the function (the declaration now
lives in the enclosing block), the body declares none of the names of the step, a JavaScript
`let`/`const` loop has no closure in its body (those see one binding per iteration), and in
Java the body ends in a plain statement (a step after `return` would be unreachable, which
Java rejects). Go is not rewritten (its `for` is its only loop).

Back, JavaScript, Java, C, PHP: a line `init;` (an assignment, or a declaration of one
variable) directly before `while (cond) {`, whose body ends in a line `step;` using that
variable, becomes `for (init; cond; step) {`. Only without a `continue` of this loop (the
`for` would then run the step), `goto` or label, with the step using no name the body
declares, and for a declaration, that name written nowhere else in the function (its scope
shrinks to the loop) and, in JavaScript, no closure in the body.

A loop touching a masked region is refused; a rewrite adds (or removes) one or two lines, so
regions after the loop move with their code. The loop must be laid out one header line, body
lines, a closing line of its own.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import tree_sitter

from asebench.dataset.schema import Language
from asebench.mutation.edits import Span
from asebench.mutation.outcome import FileState, OperatorOutcome
from asebench.mutation.sites import choose_sites
from asebench.mutation.syntax import lines_of, parsed, text_of, walk

CHANGE_SHARE = 0.5
LOOP_LANGUAGES = frozenset({Language.PYTHON, Language.JAVASCRIPT, Language.JAVA, Language.C,
                            Language.PHP})
_PY_FUNCTIONS = frozenset({"function_definition", "lambda"})
_BRACE_FUNCTIONS = frozenset({"function_declaration", "function_expression", "arrow_function",
                              "method_definition", "generator_function_declaration",
                              "generator_function", "class_declaration", "class",
                              "method_declaration", "constructor_declaration",
                              "lambda_expression", "function_definition",
                              "anonymous_function", "anonymous_function_creation_expression",
                              "class_body", "declaration_list"})
_LOOPS = frozenset({"for_statement", "while_statement", "do_statement", "for_in_statement",
                    "enhanced_for_statement", "foreach_statement"})
_BLOCKS = frozenset({"statement_block", "block", "compound_statement"})
_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration",
                           "local_variable_declaration", "declaration"})
_JAVA_PLAIN_ENDS = frozenset({"expression_statement", "local_variable_declaration"})
_PY_BINDERS = {
    "assignment": "left", "augmented_assignment": "left", "for_statement": "left",
    "for_in_clause": "left", "named_expression": "name", "as_pattern": "alias",
}
_PY_BINDING_STATEMENTS = frozenset({"delete_statement", "global_statement",
                                    "nonlocal_statement", "parameters", "lambda_parameters",
                                    "import_statement", "import_from_statement",
                                    "case_pattern"})
_PY_REFLECTION = frozenset({"locals", "vars", "exec", "eval"})
_NAME = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True)
class _Rewrite:
    """Replace lines `first`..`last` (1-based) with `lines`."""

    first: int
    last: int
    lines: tuple[str, ...]
    line: int  # the loop's first line, for messages


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _enclosing(node: tree_sitter.Node, kinds: frozenset[str]) -> tree_sitter.Node | None:
    parent = node.parent
    while parent is not None and parent.type not in kinds:
        parent = parent.parent
    return parent


def _inside(node: tree_sitter.Node, outer: tree_sitter.Node) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def _own_continue(body: tree_sitter.Node, loop: tree_sitter.Node,
                  functions: frozenset[str]) -> bool:
    """Whether a `continue` in `body` continues `loop` (or names a label or a level)."""
    for node in walk(body):
        if node.type != "continue_statement":
            continue
        if node.named_child_count:  # a label or a PHP level: may reach this loop
            return True
        owner = _enclosing(node, _LOOPS | functions)
        if owner is not None and owner.id == loop.id:
            return True
    return False


# --- Python -------------------------------------------------------------------------------

def _py_assigned(name: str, within: tree_sitter.Node, skip: tree_sitter.Node | None = None
                 ) -> bool:
    """Whether `within` binds `name` anywhere (skipping the subtree `skip`)."""
    for node in walk(within):
        if node.type != "identifier" or text_of(node) != name or (
                skip is not None and _inside(node, skip)):
            continue
        child, parent = node, node.parent
        while parent is not None and parent.id != within.id:
            field = _PY_BINDERS.get(parent.type)
            if field is not None and any(c.id == child.id for c in
                                         parent.children_by_field_name(field)):
                return True
            if parent.type in _PY_BINDING_STATEMENTS or (
                    parent.type in ("function_definition", "class_definition")
                    and parent.child_by_field_name("name") == node):
                return True
            child, parent = parent, parent.parent
    return False


def _py_bound(node: tree_sitter.Node) -> str | None:
    """The bound text of a `range` argument: an integer literal or a name, else None."""
    if node.type == "integer" or node.type == "identifier":
        return text_of(node)
    return None


def _py_site(loop: tree_sitter.Node, lines: list[str], range_rebound: bool) -> str | _Rewrite:
    """The rewrite of one Python `for`, or why it is refused (None: not a counting loop)."""
    left, right = loop.child_by_field_name("left"), loop.child_by_field_name("right")
    body = loop.child_by_field_name("body")
    if left is None or right is None or body is None or right.type != "call":
        return ""
    function, arguments = right.child_by_field_name("function"), right.child_by_field_name(
        "arguments")
    if function is None or text_of(function) != "range" or arguments is None:
        return ""
    values = arguments.named_children
    if left.type != "identifier" or not 1 <= len(values) <= 2 or any(
            v.type in ("keyword_argument", "list_splat", "dictionary_splat") for v in values):
        return ""
    bounds = [_py_bound(v) for v in values]
    if None in bounds:
        return "a range bound is neither an integer literal nor a name"
    start, stop = (bounds[0], bounds[1]) if len(bounds) == 2 else ("0", bounds[0])
    assert start is not None and stop is not None
    name = text_of(left)
    if range_rebound:
        return "`range` is rebound in this file"
    if loop.child_by_field_name("alternative") is not None or text_of(loop).startswith(
            "async"):
        return "the loop has an else clause or is async"
    if body.start_point[0] == loop.start_point[0] or (
            right.end_point[0] != loop.start_point[0]):
        return "the loop header and body are not on lines of their own"
    scope = _enclosing(loop, frozenset({"function_definition"}))
    if scope is None:
        return "the loop is not inside a function"
    if any(n.type == "call" and text_of(n.child_by_field_name("function") or n)
           in _PY_REFLECTION for n in walk(scope)):
        return "the function uses locals(), vars(), exec or eval"
    if _own_continue(body, loop, _PY_FUNCTIONS):
        return "the body continues the loop (would skip the increment)"
    if _py_assigned(name, body):
        return f"the body assigns {name}"
    if any(n.type == "identifier" and text_of(n) == name and not _inside(n, loop)
           for n in walk(scope)):
        return f"{name} is used outside the loop in the function"
    for bound in (start, stop):
        if _NAME.fullmatch(bound) and (_py_assigned(bound, body) or any(
                n.type == "nonlocal_statement" and bound in text_of(n).split()
                for n in walk(scope))):
            return f"the body (or a closure) may change {bound}"
    if _NAME.fullmatch(stop) and (not _py_assigned(stop, scope, skip=loop) or any(
            n.type == "global_statement" and stop in text_of(n).split() for n in walk(scope))):
        return f"{stop} is not a local of the function (a call could change it)"
    indent = _indent(lines[loop.start_point[0]])
    encoded = lines[loop.start_point[0]].encode("utf-8")
    colon = encoded.find(b":", right.end_point[1])
    if colon < 0:
        return "the loop header is not on one line"
    after_colon = encoded[colon:].decode("utf-8")
    body_indent = _indent(lines[body.start_point[0]])
    return _Rewrite(loop.start_point[0] + 1, body.end_point[0] + 1, (
        f"{indent}{name} = {start}", f"{indent}while {name} < {stop}{after_colon}",
        *lines[body.start_point[0]:body.end_point[0] + 1], f"{body_indent}{name} += 1"),
        loop.start_point[0] + 1)


def _range_rebound(root: tree_sitter.Node) -> bool:
    for node in walk(root):
        if node.type == "identifier" and text_of(node) == "range":
            parent = node.parent
            if parent is None or parent.type != "call" or (
                    parent.child_by_field_name("function") != node):
                return True
    return False


# --- brace languages ----------------------------------------------------------------------

def _split_top(text: str, separator: str) -> list[str] | None:
    """`text` split at `separator` outside brackets and string literals (None: unbalanced)."""
    parts, depth, quote, current = [], 0, "", ""
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            current += char
            if char == "\\" and index + 1 < len(text):
                current += text[index + 1]
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"`":
            quote = char
            current += char
        elif char in "([{":
            depth += 1
            current += char
        elif char in ")]}":
            depth -= 1
            current += char
        elif char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
        index += 1
    if depth or quote:
        return None
    parts.append(current)
    return parts


def _declared(node: tree_sitter.Node) -> list[str]:
    """Names a JavaScript, Java or C declaration binds (`?` for a destructuring pattern)."""
    names = []
    for child in walk(node):
        if child.type == "variable_declarator":
            name = child.child_by_field_name("name")
            names.append(text_of(name) if name is not None and name.type == "identifier"
                         else "?")
        elif child.type == "declaration":
            for top in child.children_by_field_name("declarator"):
                declarator: tree_sitter.Node | None = top
                while declarator is not None and declarator.type != "identifier":
                    declarator = declarator.child_by_field_name("declarator")
                names.append(text_of(declarator) if declarator is not None else "?")
        elif child.type in ("function_declaration", "class_declaration"):
            name = child.child_by_field_name("name")
            names.append(text_of(name) if name is not None else "?")
    return names


def _braced_site(loop: tree_sitter.Node, language: Language,
                 lines: list[str]) -> str | _Rewrite:
    body = loop.child_by_field_name("body")
    opening = next((c for c in loop.children if c.type == "("), None)
    closing = next((c for c in reversed(loop.children) if c.type == ")"), None)
    if body is None or opening is None or closing is None:
        return ""
    if body.type not in _BLOCKS or not body.named_children:
        return "the body is not a non-empty block"
    if loop.parent is None or loop.parent.type not in _BLOCKS | {"program"}:
        return "the loop is not a statement of a block"
    header_line = loop.start_point[0]
    last_line = body.end_point[0]
    after_brace = lines[header_line].encode("utf-8")[body.start_point[1] + 1:]
    if body.start_point[0] != header_line or after_brace.strip() or (
            lines[last_line].strip() != "}" or lines[header_line].strip()[:3] != "for"):
        return "the loop is not laid out as `for (…) {` / body / `}`"
    header = (loop.text or b"")[opening.end_byte - loop.start_byte:
                                closing.start_byte - loop.start_byte].decode("utf-8")
    if "//" in header or "/*" in header or "\n" in header:
        return "the loop header spans lines or holds a comment"
    parts = _split_top(header, ";")
    if parts is None or len(parts) != 3:
        return ""
    init, condition, step = (p.strip() for p in parts)
    if loop.parent is not None and loop.parent.type == "labeled_statement":
        return "the loop has a label"
    functions = _BRACE_FUNCTIONS
    if _own_continue(body, loop, functions):
        return "the body continues the loop (would skip the step)"
    if language is Language.C and any(n.type in ("goto_statement", "labeled_statement")
                                      for n in walk(body)):
        return "the body holds a goto or a label"
    init_node = next((c for c in loop.named_children if c.start_byte >= opening.end_byte
                      and c.end_byte <= opening.end_byte + len(parts[0]) + 1
                      and c.type != "comment"), None)
    declared = _declared(init_node) if init_node is not None and (
        init_node.type in _DECLARATIONS) else []
    if "?" in declared:
        return "the init destructures"
    scope = _enclosing(loop, functions) or loop.parent
    assert scope is not None
    for name in declared:
        if any(n.type == "identifier" and text_of(n) == name and not _inside(n, loop)
               for n in walk(scope)):
            return f"{name}, declared by the init, is also used elsewhere in the function"
    steps = [s.strip() for s in (_split_top(step, ",") or [step]) if s.strip()]
    step_names = set(_NAME.findall(step))
    shadowed = sorted(step_names & set(_declared(body)))
    if shadowed:
        return f"the body declares {shadowed[0]}, which the step uses"
    if language is Language.JAVASCRIPT and init.startswith(("let", "const")) and any(
            n.type in _BRACE_FUNCTIONS for n in walk(body)):
        return "a closure in the body would see one binding instead of one per iteration"
    if language is Language.JAVA and step and body.named_children[-1].type not in (
            _JAVA_PLAIN_ENDS):
        return "the body does not end in a plain statement (the step could be unreachable)"
    indent = _indent(lines[header_line])
    body_indent = _indent(lines[body.named_children[0].start_point[0]])
    if not condition:
        condition = "1" if language is Language.C else "true"
    new = []
    if init:
        if init_node is not None and init_node.type in _DECLARATIONS:
            new.append(f"{indent}{init};")
        else:
            new.append(indent + " ".join(
                f"{s.strip()};" for s in (_split_top(init, ",") or [init]) if s.strip()))
    new.append(f"{indent}while ({condition}) {{")
    new.extend(lines[header_line + 1:last_line])
    if steps:
        new.append(body_indent + " ".join(f"{s};" for s in steps))
    new.append(lines[last_line])
    return _Rewrite(header_line + 1, last_line + 1, tuple(new), header_line + 1)


def _while_site(loop: tree_sitter.Node, language: Language,
                lines: list[str]) -> str | _Rewrite:
    """`init;` / `while (cond) { body step; }` back to `for (init; cond; step) { body }`."""
    body, condition = loop.child_by_field_name("body"), loop.child_by_field_name("condition")
    init = loop.prev_named_sibling
    if body is None or condition is None or init is None or body.type not in _BLOCKS:
        return ""
    statements = [c for c in body.named_children if c.type != "comment"]
    if len(statements) < 2 or statements[-1].type != "expression_statement":
        return ""
    step = statements[-1]
    header_line, last_line = loop.start_point[0], body.end_point[0]
    after_brace = lines[header_line].encode("utf-8")[body.start_point[1] + 1:]
    if loop.parent is None or loop.parent.type not in _BLOCKS | {"program"} or (
            init.end_point[0] != header_line - 1 or init.start_point[0] != header_line - 1
            or lines[init.start_point[0]].strip() != text_of(init)
            or lines[step.start_point[0]].strip() != text_of(step)
            or step.end_point[0] != last_line - 1 or lines[last_line].strip() != "}"
            or body.start_point[0] != header_line or after_brace.strip()
            or condition.end_point[0] != header_line
            or not lines[header_line].strip().startswith("while")):
        return ""  # not laid out as one init line, `while (…) {`, body, step line, `}`
    declaration = init.type in _DECLARATIONS
    if declaration:
        names = _declared(init)
    elif init.type == "expression_statement" and init.named_children and (
            init.named_children[0].type == "assignment_expression"):
        target = init.named_children[0].child_by_field_name("left")
        names = [text_of(target).lstrip("$")] if target is not None else []
    else:
        return ""
    step_text = text_of(step).rstrip().removesuffix(";").rstrip()
    step_names = set(_NAME.findall(step_text))
    if not names or "?" in names or not set(names) & step_names:
        return ""  # not a counting loop over the init's variable
    if _own_continue(body, loop, _BRACE_FUNCTIONS):
        return "the body continues the loop (the for would run the step)"
    if language is Language.C and any(n.type in ("goto_statement", "labeled_statement")
                                      for n in walk(body)):
        return "the body holds a goto or a label"
    shadowed = sorted(step_names & set(_declared(body)))
    if shadowed:
        return f"the step uses {shadowed[0]}, which the body declares"
    if declaration:
        scope = _enclosing(loop, _BRACE_FUNCTIONS) or loop.parent
        assert scope is not None
        for name in names:
            if any(n.type == "identifier" and text_of(n) == name and not (
                    _inside(n, loop) or _inside(n, init)) for n in walk(scope)):
                return f"{name}, declared before the loop, is also used elsewhere"
        if language is Language.JAVASCRIPT and any(n.type in _BRACE_FUNCTIONS
                                                   for n in walk(body)):
            return "a closure in the body would see one binding per iteration instead of one"
    inner = text_of(condition)
    if condition.type == "parenthesized_expression":
        inner = inner[1:-1].strip()
    indent = _indent(lines[header_line])
    return _Rewrite(header_line, last_line + 1, (
        f"{indent}for ({text_of(init).rstrip().removesuffix(';')}; {inner}; {step_text}) {{",
        *lines[header_line + 1:step.start_point[0]], *lines[step.end_point[0] + 1:last_line],
        lines[last_line]), header_line + 1)


def for_to_while(language: Language, state: FileState, rng: random.Random) -> OperatorOutcome:
    """Rewrite a seeded choice of the eligible counting loops outside the masked regions.
    Raises ValueError for a language without the rewrite (Go)."""
    if language not in LOOP_LANGUAGES:
        raise ValueError(f"for-while does not support {language}")
    outcome = OperatorOutcome(state.text, list(state.regions))
    root = parsed(language, state.text, state.path).root_node
    lines = state.text.split("\n")
    rebound = language is Language.PYTHON and _range_rebound(root)
    eligible = []
    kinds = {"for_statement"} | ({"while_statement"} if language is not Language.PYTHON
                                 else set())
    for loop in (n for n in walk(root) if n.type in kinds):
        label = f"{loop.type.split('_')[0]} at line {lines_of(loop)[0]}"
        if language is Language.PYTHON:
            site = _py_site(loop, lines, rebound)
        elif loop.type == "while_statement":
            site = _while_site(loop, language, lines)
        else:
            site = _braced_site(loop, language, lines)
        if isinstance(site, str):
            if site:
                outcome.refusals.append(f"{label}: {site}")
            continue
        if any(span.overlaps_lines(site.first, site.last) for span in state.regions):
            outcome.refusals.append(f"{label}: touches a masked region")
            continue
        eligible.append(site)
    chosen = choose_sites(eligible, rng, CHANGE_SHARE)
    kept: list[_Rewrite] = []
    for site in sorted(chosen, key=lambda s: s.first):
        if all(site.first > other.last or site.last < other.first for other in kept):
            kept.append(site)  # a loop nested in a rewritten one waits for another mutant
    regions = list(state.regions)
    for site in sorted(kept, key=lambda s: s.first, reverse=True):
        lines[site.first - 1:site.last] = list(site.lines)
        delta = len(site.lines) - (site.last - site.first + 1)
        regions = [_moved(span, site.last, delta) for span in regions]
        outcome.changes.append(f"for at line {site.line} -> while" if delta > 0
                               else f"while at line {site.line} -> for")
    outcome.text = "\n".join(lines)
    outcome.regions = regions
    return outcome


def _moved(span: Span, last: int, delta: int) -> Span:
    return span.shifted(delta) if span.start > last else span
