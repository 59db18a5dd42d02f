"""Fresh identifiers drawn from a seeded generator: readable, never already in use.

A new name is two words from small neutral vocabularies, in the style of the name it replaces
(snake_case, camelCase, CapWords or UPPER_CASE; leading underscores kept), and is refused when
the file, a reserved word of the language or an earlier pick already uses it: a rename can
therefore neither capture nor shadow anything.
"""

from __future__ import annotations

import builtins
import keyword
import random

_FIRST = (
    "amber", "brisk", "calm", "dusky", "eager", "fallow", "gentle", "hollow", "ivory", "jolly",
    "keen", "lunar", "mellow", "nimble", "olive", "plain", "quiet", "rustic", "silver", "tidal",
    "umber", "vivid", "woven", "young", "zesty", "coral", "misty", "sturdy", "polar", "sandy",
)
_SECOND = (
    "anchor", "basin", "cedar", "delta", "ember", "fjord", "grove", "harbor", "inlet", "juniper",
    "kettle", "lantern", "meadow", "nectar", "orchard", "pebble", "quarry", "ridge", "spruce",
    "thicket", "upland", "valley", "willow", "yarrow", "zephyr", "beacon", "canyon", "dune",
    "falcon", "garnet",
)
_JAVASCRIPT_RESERVED = frozenset({
    "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
    "else", "export", "extends", "false", "finally", "for", "function", "if", "import", "in",
    "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try",
    "typeof", "var", "void", "while", "with", "yield", "let", "static", "enum", "await",
    "implements", "package", "protected", "interface", "private", "public", "arguments", "eval",
    "undefined", "NaN", "Infinity", "globalThis", "window", "document", "require", "module",
    "exports", "process", "Buffer", "console", "Object", "Array", "String", "Number", "Boolean",
    "Symbol", "Map", "Set", "Promise", "Error", "JSON", "Math", "Date", "RegExp",
})
RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(
    dir(builtins)) | _JAVASCRIPT_RESERVED


def _styled(template: str, first: str, second: str) -> str:
    """Two words in the style of `template`: its leading underscores, UPPER_CASE for a
    constant, CapWords when it starts with a capital, camelCase when it has an inner one,
    snake_case otherwise."""
    core = template.lstrip("_")
    prefix = template[: len(template) - len(core)]
    if core.isupper() and len(core) > 1:
        word = f"{first}_{second}".upper()
    elif core[:1].isupper():
        word = first.capitalize() + second.capitalize()
    elif any(c.isupper() for c in core[1:]):
        word = first + second.capitalize()
    else:
        word = f"{first}_{second}"
    return prefix + word


class FreshNames:
    """Draws names never in `taken`, deterministically from `rng`.

    Why two vocabulary words: the mutant must read like ordinary code (a model should not be
    told apart by odd names), and 900 pairs are plenty for the few dozen renames of one file.
    Raises RuntimeError when every pair is taken (never for realistic files).
    """

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self._rng = rng
        self._taken = set(taken) | RESERVED

    def take(self, template: str) -> str:
        pairs = [(a, b) for a in _FIRST for b in _SECOND]
        self._rng.shuffle(pairs)
        for first, second in pairs:
            name = _styled(template, first, second)
            if name not in self._taken:
                self._taken.add(name)
                return name
        raise RuntimeError(f"no fresh name left for {template!r}")
