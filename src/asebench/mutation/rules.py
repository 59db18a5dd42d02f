"""A rule file with the mutant's names: every semgrep pattern string renamed (`NameMap`).

Only the values of pattern keys (`pattern`, `pattern-inside`, `pattern-not`, `pattern-regex`,
`regex`, …, at any depth) change; messages, metadata and structure stay. Raises
`yaml.YAMLError` for a file that is not YAML.
"""

from __future__ import annotations

from typing import Any

import yaml

from asebench.mutation.name_map import NameMap


def _renamed(value: Any, names: NameMap, pattern: bool) -> Any:
    if isinstance(value, str):
        return names.apply_rule_text(value) if pattern else value
    if isinstance(value, list):
        return [_renamed(item, names, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _renamed(item, names, _pattern_key(key)) for key, item in value.items()}
    return value


def _pattern_key(key: object) -> bool:
    return isinstance(key, str) and (key.startswith("pattern") or key == "regex")


def rename_rule_file(text: str, names: NameMap) -> str:
    """The YAML text of a rule file with its patterns renamed (the text itself when nothing
    is renamed)."""
    if not names:
        return text
    data = yaml.safe_load(text)
    return yaml.safe_dump(_renamed(data, names, False), sort_keys=False, allow_unicode=True,
                          width=100)
