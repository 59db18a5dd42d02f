"""Per-language facts: tree-sitter grammar, file extensions, comment syntax for marker lines."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import tree_sitter
import tree_sitter_c
import tree_sitter_go
import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_php
import tree_sitter_python
import tree_sitter_typescript

from asebench.dataset.schema import Language


@dataclass(frozen=True)
class LanguageInfo:
    """What asebench needs to know about one language."""

    language: Language
    extensions: tuple[str, ...]
    line_comment: str
    fence_tags: tuple[str, ...]


LANGUAGES: dict[Language, LanguageInfo] = {
    Language.PYTHON: LanguageInfo(
        Language.PYTHON, (".py", ".pyi"), "#", ("python", "py", "python3")
    ),
    Language.JAVASCRIPT: LanguageInfo(
        Language.JAVASCRIPT,
        (".js", ".mjs", ".cjs", ".jsx"),
        "//",
        ("javascript", "js", "jsx", "node", "mjs"),
    ),
    Language.TYPESCRIPT: LanguageInfo(
        Language.TYPESCRIPT, (".ts", ".tsx", ".mts", ".cts"), "//", ("typescript", "ts", "tsx")
    ),
    Language.JAVA: LanguageInfo(Language.JAVA, (".java",), "//", ("java",)),
    Language.GO: LanguageInfo(Language.GO, (".go",), "//", ("go", "golang")),
    Language.PHP: LanguageInfo(Language.PHP, (".php", ".phtml", ".inc"), "//", ("php",)),
    Language.C: LanguageInfo(Language.C, (".c", ".h"), "//", ("c", "h")),
}


def info(language: Language) -> LanguageInfo:
    return LANGUAGES[language]


def language_of_path(path: str, default: Language) -> Language:
    """The language a file is written in, judged by its extension (TS/JS/C mixes in one repo)."""
    lowered = path.lower()
    for candidate in LANGUAGES.values():
        if lowered.endswith(candidate.extensions):
            return candidate.language
    return default


@cache
def grammar(language: Language, tsx: bool = False) -> tree_sitter.Language:
    """The tree-sitter grammar for a language (TSX's for `.tsx` files when `tsx`)."""
    match language:
        case Language.PYTHON:
            capsule = tree_sitter_python.language()
        case Language.JAVASCRIPT:
            capsule = tree_sitter_javascript.language()
        case Language.TYPESCRIPT:
            if tsx:
                capsule = tree_sitter_typescript.language_tsx()
            else:
                capsule = tree_sitter_typescript.language_typescript()
        case Language.JAVA:
            capsule = tree_sitter_java.language()
        case Language.GO:
            capsule = tree_sitter_go.language()
        case Language.PHP:
            capsule = tree_sitter_php.language_php()
        case Language.C:
            capsule = tree_sitter_c.language()
    return tree_sitter.Language(capsule)


def parse(language: Language, source: str, path: str = "") -> tree_sitter.Tree:
    """Parse `source` with the language's tree-sitter grammar."""
    parser = tree_sitter.Parser(grammar(language, path.lower().endswith(".tsx")))
    return parser.parse(source.encode("utf-8"))


def parser_for(path: str) -> tree_sitter.Parser | None:
    """A fresh parser for the language of `path` (by extension), None when none fits."""
    lowered = path.lower()
    for candidate in LANGUAGES.values():
        if lowered.endswith(candidate.extensions):
            return tree_sitter.Parser(grammar(candidate.language, lowered.endswith(".tsx")))
    return None
