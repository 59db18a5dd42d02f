"""The tree-sitter grammar that parses a source file, chosen by its extension."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import tree_sitter_c
import tree_sitter_go
import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_php
import tree_sitter_python
import tree_sitter_typescript
from tree_sitter import Language, Parser

_GRAMMARS: dict[str, Callable[[], object]] = {
    ".py": tree_sitter_python.language,
    ".pyi": tree_sitter_python.language,
    ".js": tree_sitter_javascript.language,
    ".mjs": tree_sitter_javascript.language,
    ".cjs": tree_sitter_javascript.language,
    ".jsx": tree_sitter_javascript.language,
    ".ts": tree_sitter_typescript.language_typescript,
    ".mts": tree_sitter_typescript.language_typescript,
    ".cts": tree_sitter_typescript.language_typescript,
    ".tsx": tree_sitter_typescript.language_tsx,
    ".java": tree_sitter_java.language,
    ".go": tree_sitter_go.language,
    ".php": tree_sitter_php.language_php,
    ".phtml": tree_sitter_php.language_php,
    ".inc": tree_sitter_php.language_php,
    ".c": tree_sitter_c.language,
    ".h": tree_sitter_c.language,
}


def parser_for(path: str) -> Parser | None:
    """A fresh parser for `path`'s language (parsers are not shared), None without a grammar."""
    dot = path.rfind(".")
    suffix = path[dot:].lower() if dot >= 0 else ""
    return Parser(_language(suffix)) if suffix in _GRAMMARS else None


@cache
def _language(suffix: str) -> Language:
    return Language(_GRAMMARS[suffix]())
