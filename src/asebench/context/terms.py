"""Turning code into BM25 terms: identifiers, whole and split into their words.

`getUserName` gives `getusername`, `get`, `user`, `name`; `MAX_PATH_LEN` gives `max_path_len`,
`max`, `path`, `len`. Keeping the whole identifier rewards exact matches of a name; its parts let
`sanitize_path` meet `sanitizePath` or `path`. Words shorter than two letters, numbers and the
keywords common to the supported languages are dropped: they carry no topic.
"""

from __future__ import annotations

import re
from functools import lru_cache

_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

# fmt: off
KEYWORDS = frozenset(
    {
        "and", "as", "assert", "async", "await", "break", "case", "catch", "char", "class",
        "const", "continue", "def", "default", "del", "do", "double", "elif", "else", "enum",
        "export", "extends", "false", "final", "finally", "float", "for", "from", "func",
        "function", "go", "if", "implements", "import", "in", "instanceof", "int", "interface",
        "is", "let", "long", "new", "nil", "none", "not", "null", "or", "package", "pass",
        "private", "protected", "public", "raise", "return", "self", "static", "struct", "switch",
        "this", "throw", "throws", "true", "try", "type", "typeof", "var", "void", "while", "with",
        "yield", "echo", "the",
    }
)
# fmt: on


def code_terms(text: str) -> list[str]:
    """The BM25 terms of `text`, in order, with repeats (term frequency matters)."""
    terms: list[str] = []
    for identifier in _IDENTIFIER.findall(text):
        terms.extend(identifier_terms(identifier))
    return terms


@lru_cache(maxsize=1 << 16)
def identifier_terms(identifier: str) -> tuple[str, ...]:
    """One identifier's terms: the whole name (if it has several words), then its words."""
    bare = identifier.strip("_$")
    whole = bare.lower()
    if len(whole) < 2:
        return ()
    words = [word.lower() for word in _WORD.findall(bare)]
    kept = [w for w in words if len(w) > 1 and not w.isdigit() and w not in KEYWORDS]
    if len(words) > 1 and whole not in KEYWORDS:
        return (whole, *kept)
    return tuple(kept)
