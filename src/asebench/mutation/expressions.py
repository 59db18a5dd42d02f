"""Structural operator: equivalent expressions, rewritten in place on one line.

Exactly these rewrites, each chosen because the language defines the two forms to be the same:

- comparison flip, every language: `a < b` <-> `b > a` (and `<=` <-> `>=`). Both operands
  are evaluated in the other order, so one of them must be a literal (or, outside Python, both
  plain variable names), and the other a name, literal, call, member or subscript access,
  parenthesised or arithmetic expression (never another comparison, which would regroup).
  Python: one operand must be a number literal (a number's own comparison defers to the other
  operand's reflected method, so both forms reach the same method); chains (`a < b < c`) are
  left alone.
- negated equality, JavaScript, Java, Go, PHP and C: `!(a == b)` <-> `a != b` (and `===` <->
  `!==`, which those languages define as the negation). Not Python, where `__ne__` may be
  written apart from `__eq__`.
- string building, Python: `f"x{a}y{b!r:>4}"` <-> `"x{}y{!r:>4}".format(a, b)`. Both format
  each value with `format(value, spec)` after its conversion; the literal text (with `{{`/`}}`)
  is the same in both. Only one-line strings without nested fields, `=` or bytes, whose values
  are names, dotted names or subscripts by a name or integer (no calls: `format` evaluates
  every value before formatting the first, the f-string interleaves them).
- string building, JavaScript: `` `x${a}y` `` -> `'x'.concat(a, 'y')` (one direction).
  A template converts each value with ToString, as `String.prototype.concat` does (`+` would
  prefer `valueOf`); untagged one-line templates only, values names or member chains (for the
  same reason as in Python), literal text without backslashes or quotes.

In C an operand may be a macro whose expansion is not parenthesised, so a C rewrite is left
alone when its expression names an UPPER_CASE identifier (other than `NULL`) or a macro the
file defines, and inside preprocessor directives. A rewrite touching a masked region is
refused (and reported); lines never change, so the regions stay where they are.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import tree_sitter

from asebench.dataset.schema import Language
from asebench.mutation.edits import Edit, apply_edits
from asebench.mutation.outcome import FileState, OperatorOutcome
from asebench.mutation.sites import choose_sites
from asebench.mutation.syntax import has_ancestor, parsed, text_of, walk

CHANGE_SHARE = 0.5
_FLIPPED = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}
_NEGATED = {"==": "!=", "!=": "==", "===": "!==", "!==": "===", "<>": "=="}
_NAMES = frozenset({"identifier", "variable_name"})
_LITERALS = frozenset({"number", "string", "true", "false", "null", "integer", "float",
                       "decimal_integer_literal", "hex_integer_literal",
                       "decimal_floating_point_literal", "string_literal", "character_literal",
                       "int_literal", "float_literal", "interpreted_string_literal",
                       "raw_string_literal", "rune_literal", "number_literal", "char_literal",
                       "encapsed_string", "boolean", "nil", "none"})
_TIGHT = frozenset({"call_expression", "call", "method_invocation", "member_expression",
                    "field_access", "selector_expression", "subscript_expression",
                    "index_expression", "subscript", "attribute", "parenthesized_expression",
                    "function_call_expression", "member_call_expression",
                    "member_access_expression", "field_expression", "array_access",
                    "scoped_call_expression", "unary_expression", "unary_op_expression",
                    "unary_operator", "pointer_expression", "cast_expression"})
_LOOSE_PARENTS = frozenset({"parenthesized_expression", "arguments", "argument_list",
                            "return_statement", "expression_statement", "variable_declarator",
                            "init_declarator", "if_statement", "while_statement",
                            "ternary_expression", "conditional_expression", "expression_list",
                            "short_var_declaration", "assignment_statement", "for_clause",
                            "do_statement", "echo_statement", "array",
                            "array_element_initializer"})
"""Parents whose child expression needs no parentheses however loosely it binds."""
_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "<<", ">>", ">>>", "**", ".", "//", "@"})
_VALUE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[(?:\d+|[A-Za-z_]\w*)\])*")
_FIELD = re.compile(r"(?P<expr>[^!:]*)(?:!(?P<conv>[rsa]))?(?::(?P<spec>.*))?", re.DOTALL)


@dataclass(frozen=True)
class _Site:
    node: tree_sitter.Node
    text: str
    kind: str


def _single_line(node: tree_sitter.Node) -> bool:
    return node.start_point[0] == node.end_point[0]


def _operand_kind(node: tree_sitter.Node) -> str | None:
    """`literal`, `name`, `other` (safe to move across a comparison) or None."""
    if node.type in _LITERALS:
        return "literal"
    if node.type in _NAMES:
        return "name"
    if node.type in _TIGHT:
        return "other"
    if node.type in ("binary_expression", "binary_operator"):
        operator = node.child_by_field_name("operator")
        if operator is not None and text_of(operator) in _ARITHMETIC:
            return "other"
    return None


def _flip(node: tree_sitter.Node, language: Language) -> str | None:
    """`b > a` for a comparison node `a < b`, or None when not safely flippable."""
    if language is Language.PYTHON:
        if node.type != "comparison_operator" or len(node.named_children) != 2:
            return None
        operators = node.children_by_field_name("operators")
        if len(operators) != 1:
            return None
        left, right = node.named_children
        operator = text_of(operators[0])
        numbers = ("integer", "float")
        if left.type not in numbers and right.type not in numbers:
            return None
    else:
        if node.type != "binary_expression":
            return None
        op_node = node.child_by_field_name("operator")
        left_or = node.child_by_field_name("left")
        right_or = node.child_by_field_name("right")
        if op_node is None or left_or is None or right_or is None:
            return None
        left, right, operator = left_or, right_or, text_of(op_node)
    if operator not in _FLIPPED:
        return None
    kinds = {_operand_kind(left), _operand_kind(right)}
    if None in kinds or not ("literal" in kinds or kinds == {"name"}):
        return None
    return f"{text_of(right)} {_FLIPPED[operator]} {text_of(left)}"


def _negation(node: tree_sitter.Node) -> str | None:
    """`a != b` for `!(a == b)` and back (brace languages)."""
    if node.type in ("unary_expression", "unary_op_expression"):
        operator = node.child_by_field_name("operator")
        argument = node.child_by_field_name("argument") or node.child_by_field_name("operand")
        if operator is None or text_of(operator) != "!" or argument is None or (
                argument.type != "parenthesized_expression" or
                len(argument.named_children) != 1):
            return None
        inner = argument.named_children[0]
        if inner.type != "binary_expression":
            return None
        op = inner.child_by_field_name("operator")
        left, right = inner.child_by_field_name("left"), inner.child_by_field_name("right")
        if op is None or left is None or right is None or text_of(op) not in ("==", "==="):
            return None
        negated = f"{text_of(left)} {_NEGATED[text_of(op)]} {text_of(right)}"
        return negated if _loose_context(node) else f"({negated})"
    if node.type == "binary_expression":
        op = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op is None or left is None or right is None or text_of(op) not in _NEGATED or (
                text_of(op) in ("==", "===")):
            return None
        return f"!({text_of(left)} {_NEGATED[text_of(op)]} {text_of(right)})"
    return None


def _loose_context(node: tree_sitter.Node) -> bool:
    """Whether `node` may be replaced by an equality without parentheses."""
    parent = node.parent
    if parent is None or parent.type in _LOOSE_PARENTS:
        return True
    if parent.type in ("assignment_expression", "augmented_assignment_expression"):
        return parent.child_by_field_name("right") == node
    if parent.type == "binary_expression":
        operator = parent.child_by_field_name("operator")
        return operator is not None and text_of(operator) in ("&&", "||", "and", "or", "xor")
    return False


def _fields(content: str) -> list[str | tuple[str, str | None, str | None]] | None:
    """The literal pieces and `(expression, conversion, spec)` fields of a format string's
    content, or None when a field nests another or a brace is unbalanced."""
    parts: list[str | tuple[str, str | None, str | None]] = []
    literal = ""
    index = 0
    while index < len(content):
        char = content[index]
        if content.startswith(("{{", "}}"), index):
            literal += content[index:index + 2]
            index += 2
        elif char == "}":
            return None
        elif char == "{":
            close = content.find("}", index)
            inner = content[index + 1:close]
            if close < 0 or "{" in inner:
                return None
            match = _FIELD.fullmatch(inner)
            if match is None:
                return None
            parts.append(literal)
            literal = ""
            parts.append((match["expr"], match["conv"], match["spec"]))
            index = close + 1
        else:
            literal += char
            index += 1
    parts.append(literal)
    return parts


def _field_text(expression: str, conversion: str | None, spec: str | None) -> str:
    return ("{" + expression + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec is not None else "") + "}")


def _split_string(node: tree_sitter.Node) -> tuple[str, str, str] | None:
    """(prefix, quote, content) of a one-line Python string literal, or None."""
    text = text_of(node)
    match = re.fullmatch(r"(?P<prefix>[A-Za-z]*)(?P<quote>'|\")(?P<content>.*)(?P=quote)",
                         text, re.DOTALL)
    if match is None or text[len(match["prefix"]):].startswith(("'''", '"""')):
        return None
    return match["prefix"].lower(), match["quote"], match["content"]


def _f_string_to_format(node: tree_sitter.Node) -> str | None:
    if node.type != "string" or not _single_line(node) or (
            node.parent is not None and node.parent.type == "concatenated_string"):
        return None
    split = _split_string(node)
    if split is None or "f" not in split[0] or "b" in split[0]:
        return None
    prefix, quote, content = split
    parts = _fields(content)
    if parts is None:
        return None
    fields = [p for p in parts if isinstance(p, tuple)]
    if not fields or any(not _VALUE.fullmatch(e.strip()) for e, _, _ in fields):
        return None
    body = "".join(p if isinstance(p, str) else _field_text("", p[1], p[2]) for p in parts)
    arguments = ", ".join(e.strip() for e, _, _ in fields)
    return f"{prefix.replace('f', '')}{quote}{body}{quote}.format({arguments})"


def _format_to_f_string(node: tree_sitter.Node) -> str | None:
    if node.type != "call" or not _single_line(node):
        return None
    function = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    if function is None or arguments is None or function.type != "attribute" or (
            arguments.type != "argument_list"):
        return None
    receiver = function.child_by_field_name("object")
    attribute = function.child_by_field_name("attribute")
    if receiver is None or attribute is None or text_of(attribute) != "format" or (
            receiver.type != "string"):
        return None
    split = _split_string(receiver)
    if split is None or set(split[0]) & {"f", "b", "u"}:
        return None
    prefix, quote, content = split
    values = [text_of(a) for a in arguments.named_children]
    parts = _fields(content)
    if parts is None or not all(_VALUE.fullmatch(value) for value in values):
        return None
    fields = [p for p in parts if isinstance(p, tuple)]
    if not fields or len(fields) != len(values) or any(e for e, _, _ in fields):
        return None
    pieces = iter(values)
    body = "".join(p if isinstance(p, str) else _field_text(next(pieces), p[1], p[2])
                   for p in parts)
    return f"{prefix}f{quote}{body}{quote}"


_JS_VALUE = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")


def _template_to_concat(node: tree_sitter.Node) -> str | None:
    if node.type != "template_string" or not _single_line(node) or (
            node.parent is not None and node.parent.type == "call_expression"):
        return None  # a tagged template receives the raw parts
    pieces: list[str] = []
    literal = ""
    for child in node.children:
        if child.type == "`":
            continue
        if child.type == "template_substitution":
            value = text_of(child)[2:-1].strip()
            if not _JS_VALUE.fullmatch(value):
                return None
            pieces.extend([literal, value])
            literal = ""
        elif child.type == "string_fragment" and not set(text_of(child)) & {"'", "\\"}:
            literal += text_of(child)
        else:
            return None  # an escape sequence, a quote
    if not pieces:
        return None
    if literal:
        pieces.append(literal)
    quoted = [f"'{p}'" if index % 2 == 0 else p for index, p in enumerate(pieces)]
    return f"{quoted[0]}.concat({', '.join(quoted[1:])})"


_MACRO_LIKE = re.compile(r"[A-Z][A-Z0-9_]*")
_PREPROCESSOR = frozenset({"preproc_if", "preproc_elif", "preproc_def", "preproc_function_def",
                           "preproc_call", "preproc_ifdef"})


def _macro_risk(node: tree_sitter.Node, macros: set[str]) -> bool:
    """A C expression that names a likely macro or sits in a preprocessor directive."""
    for inner in walk(node):
        if inner.type == "identifier":
            name = text_of(inner)
            if name in macros or (_MACRO_LIKE.fullmatch(name) and name != "NULL"):
                return True
    return has_ancestor(node, _PREPROCESSOR)


def _sites(root: tree_sitter.Node, language: Language) -> list[_Site]:
    sites = []
    macros = {text_of(name) for n in walk(root) if n.type in ("preproc_def",
                                                              "preproc_function_def")
              for name in [n.child_by_field_name("name")] if name is not None}
    for node in walk(root):
        if not _single_line(node):
            continue
        if language is Language.C and node.type in ("binary_expression", "unary_expression") \
                and _macro_risk(node, macros):
            continue
        flipped = _flip(node, language)
        if flipped is not None:
            sites.append(_Site(node, flipped, "comparison flipped"))
            continue
        if language is Language.PYTHON:
            formatted = _f_string_to_format(node) or _format_to_f_string(node)
            if formatted is not None:
                sites.append(_Site(node, formatted, "string building form"))
        else:
            negated = _negation(node)
            if negated is not None:
                sites.append(_Site(node, negated, "negated equality"))
            elif language is Language.JAVASCRIPT:
                concatenated = _template_to_concat(node)
                if concatenated is not None:
                    sites.append(_Site(node, concatenated, "string building form"))
    return sites


def equivalent_expressions(language: Language, state: FileState,
                           rng: random.Random) -> OperatorOutcome:
    """Rewrite a seeded choice of the eligible expressions outside the masked regions."""
    outcome = OperatorOutcome(state.text, list(state.regions))
    eligible = []
    for site in _sites(parsed(language, state.text, state.path).root_node, language):
        line = site.node.start_point[0] + 1
        if any(span.overlaps_lines(line, line) for span in state.regions):
            outcome.refusals.append(f"{site.kind} at line {line}: touches a masked region")
            continue
        eligible.append(site)
    chosen = choose_sites(eligible, rng, CHANGE_SHARE)
    taken: list[tuple[int, int]] = []
    edits = []
    for site in chosen:
        span = (site.node.start_byte, site.node.end_byte)
        if any(a < span[1] and span[0] < b for a, b in taken):
            continue  # inside (or around) an expression already rewritten
        taken.append(span)
        edits.append(Edit(*span, site.text))
        outcome.changes.append(f"line {site.node.start_point[0] + 1}: {site.kind}: "
                               f"{text_of(site.node)} -> {site.text}")
    outcome.text = apply_edits(state.text, edits)
    return outcome
