"""Which file-scope `static` functions and variables of a C file can be renamed.

A `static` name at file scope has internal linkage: no other translation unit can name it, so
a consistent rename of every occurrence in the file keeps the program's meaning. It is the
lever against recited upstream code: a masked C region is usually a whole function that
declares its own locals, but it calls or reads the file's static helpers (or is one); once
they are renamed, the verbatim upstream region names what the mutant no longer declares and
fails to compile or link.

A candidate is a name some file-scope declaration of which (a definition, a prototype, a
variable) says `static`; every `identifier` of that spelling in the file is renamed, never a
struct member (`a.x`, `a->x`), a label, a tag, a comment or a string.

Refused, with the reason: `main`; a name written in a `#define` of the project or in any
preprocessor line of the file (a macro could reach it by spelling); a name another project
file or the instance's PoC, test or harness writes (a `.c` file may `#include` this one); a
name in a string literal; a name passed to a project macro that stringifies or pastes tokens
(`#x`, `a ## b`); a name also declared as a parameter, a local or by any block-scope
declaration anywhere in the file (shadowing: conservative, the whole file); a name written
where tree-sitter sees no plain identifier (inside a parse error, or as anything but a member,
label or tag).
"""

from __future__ import annotations

import re
from collections import defaultdict

import tree_sitter

from asebench.mutation.c_names import _outside_functions, _pasting_macros, macro_words
from asebench.mutation.candidates import Candidate, Surroundings
from asebench.mutation.syntax import has_ancestor, string_words, text_of, walk

_BLOCKS = frozenset({"compound_statement", "for_statement"})
_SKIPPED_TEXT = frozenset({"comment", "string_literal", "char_literal", "system_lib_string",
                           "concatenated_string"})
_IDENT = re.compile(r"[A-Za-z_]\w*")
_PREPROCESSOR_LINE = re.compile(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", re.MULTILINE)


def _is_static(node: tree_sitter.Node) -> bool:
    return any(c.type == "storage_class_specifier" and text_of(c) == "static"
               for c in node.children)


def _declared(node: tree_sitter.Node | None) -> list[tree_sitter.Node]:
    """The identifiers a declarator declares (a function declarator: its name, not its
    parameters, which are parameter declarations of their own)."""
    if node is None:
        return []
    if node.type == "identifier":
        return [node]
    if node.type == "parenthesized_declarator":
        return [n for child in node.named_children for n in _declared(child)]
    if node.type in ("init_declarator", "function_declarator", "pointer_declarator",
                     "array_declarator", "attributed_declarator"):
        return _declared(node.child_by_field_name("declarator"))
    return []


def _in_broken_code(node: tree_sitter.Node) -> bool:
    """Whether `node` lies in a parse error or in a definition or declaration that has one."""
    ancestor: tree_sitter.Node | None = node
    while ancestor is not None:
        if ancestor.type == "ERROR" or ancestor.is_missing or (
                ancestor.type in ("function_definition", "declaration") and ancestor.has_error):
            return True
        ancestor = ancestor.parent
    return False


def _other_namespace(node: tree_sitter.Node) -> bool:
    """Whether `node` spells a struct member, a label or a struct/union/enum tag."""
    if node.type in ("field_identifier", "statement_identifier"):
        return True
    parent = node.parent
    return node.type == "type_identifier" and parent is not None and parent.type in (
        "struct_specifier", "union_specifier", "enum_specifier")


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _pasted_arguments(text: str, pasting: set[str]) -> dict[str, str]:
    """The words written in the arguments of every invocation, in `text`, of a macro that
    stringifies or pastes tokens: word -> the macro."""
    out: dict[str, str] = {}
    for macro in sorted(pasting):
        for match in re.finditer(r"(?<![\w$])" + re.escape(macro) + r"\s*\(", text):
            depth, index = 1, match.end()
            while index < len(text) and depth:
                depth += {"(": 1, ")": -1}.get(text[index], 0)
                index += 1
            for word in _IDENT.findall(text[match.end():index]):
                out.setdefault(word, macro)
    return out


class CStatics:
    """The static-rename candidates of one C file (parsed once)."""

    def __init__(self, tree: tree_sitter.Tree, around: Surroundings) -> None:
        self.root = tree.root_node
        self.around = around
        self.data = self.root.text or b""
        self.text = self.data.decode("utf-8")
        project = [self.text] + [t for label, t in sorted(around.others.items())
                                 if label.endswith((".c", ".h"))]
        _, self.macro_mentions = macro_words(project)
        self.pasted = _pasted_arguments(self.text, _pasting_macros(project))
        self.preprocessor: dict[str, int] = {}
        for match in _PREPROCESSOR_LINE.finditer(self.text):
            line = self.text.count("\n", 0, match.start()) + 1
            for word in _IDENT.findall(match.group(0)):
                self.preprocessor.setdefault(word, line)
        self.strings = string_words(self.root)
        self.statics: dict[str, int] = {}  # name -> line of its first static declaration
        self.shadowed: dict[str, int] = {}  # name -> line of a non-file-scope declaration
        self.identifiers: dict[str, list[tree_sitter.Node]] = defaultdict(list)
        self.skipped: list[tuple[int, int]] = []  # comments and strings (byte spans)
        self._collect()

    def _collect(self) -> None:
        for node in _outside_functions(self.root):
            if node.type in ("declaration", "function_definition") and _is_static(node) \
                    and not has_ancestor(node, _BLOCKS):
                for name in (n for d in node.children_by_field_name("declarator")
                             for n in _declared(d)):
                    self.statics.setdefault(text_of(name), name.start_point[0] + 1)
        for node in walk(self.root):
            kind = node.type
            if kind == "identifier":
                self.identifiers[text_of(node)].append(node)
            if kind in _SKIPPED_TEXT:
                self.skipped.append((node.start_byte, node.end_byte))
            declared: list[tree_sitter.Node] = []
            if kind == "parameter_declaration":
                declared = _declared(node.child_by_field_name("declarator"))
            elif kind == "declaration" and has_ancestor(node, _BLOCKS):
                declared = [n for d in node.children_by_field_name("declarator")
                            for n in _declared(d)]
            elif kind == "enumerator" and has_ancestor(node, _BLOCKS):
                declared = [n for n in [node.child_by_field_name("name")] if n is not None]
            for name in declared:
                self.shadowed.setdefault(text_of(name), name.start_point[0] + 1)

    def _misfit(self, name: str, occurrences: set[tuple[int, int]]) -> str | None:
        """Why a spelling of `name` outside comments and strings is unsafe to leave or to
        rename (in code tree-sitter cannot parse cleanly, or parsed as neither a renamed
        identifier nor a member, label or tag), or None."""
        pattern = re.compile(rb"(?<![\w$])" + re.escape(name.encode()) + rb"(?![\w$])")
        for match in pattern.finditer(self.data):
            span = (match.start(), match.end())
            if any(s <= span[0] and span[1] <= e for s, e in self.skipped):
                continue
            line = _line(self.data, span[0])
            node = self.root.descendant_for_byte_range(*span)
            if node is None or _in_broken_code(node):
                return f"written at line {line} in code tree-sitter cannot parse cleanly"
            if span in occurrences or _other_namespace(node):
                continue
            return f"written at line {line} where tree-sitter sees a {node.type}"
        return None

    def candidates(self) -> list[Candidate]:
        out = []
        for name, line in sorted(self.statics.items()):
            nodes = self.identifiers.get(name, [])
            spans = tuple(sorted({(n.start_byte, n.end_byte) for n in nodes}))
            kind = "function" if any(n.parent is not None and n.parent.type
                                     == "function_declarator" for n in nodes) else "variable"
            candidate = Candidate(name, "private", f"static {kind} (line {line})", spans)
            other = self.around.mentioned_in(name)
            misfit = self._misfit(name, set(spans))
            if name == "main":
                candidate = candidate.refused("main is called by the C runtime by name")
            elif name in self.macro_mentions:
                candidate = candidate.refused("written in a #define of the project (a macro "
                                              "could reach the name by spelling)")
            elif name in self.preprocessor:
                candidate = candidate.refused(
                    f"appears in a preprocessor line at line {self.preprocessor[name]}")
            elif other is not None:
                candidate = candidate.refused(f"also written in {other}")
            elif name in self.strings:
                candidate = candidate.refused(
                    f"appears in a string literal at line {self.strings[name]}")
            elif name in self.pasted:
                candidate = candidate.refused(f"passed to the macro {self.pasted[name]}, "
                                              "which stringifies or pastes tokens")
            elif name in self.shadowed:
                candidate = candidate.refused("also declared as a parameter or in a block "
                                              f"(line {self.shadowed[name]})")
            elif misfit is not None:
                candidate = candidate.refused(misfit)
            out.append(candidate)
        return out
