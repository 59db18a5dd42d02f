"""A rule file with the mutant's names: every semgrep pattern string renamed (`NameMap`).

Only the values of pattern keys (`pattern`, `pattern-inside`, `pattern-not`, `pattern-regex`,
`regex`, …, and the patterns of semgrep's `match:` syntax, at any depth) change (a
`metavariable-regex` in the namespace where the rule uses its metavariable); messages,
metadata and structure stay. Raises
`yaml.YAMLError` for a file that is not YAML.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from asebench.mutation.name_map import NameMap


def _renamed(value: Any, names: NameMap, pattern: bool | str, text: str) -> Any:
    if isinstance(value, str):
        if pattern == "regex":  # a word after a backslash is an escape (`\s`), not a name
            return _regex_words(value, {**names.plain, **names.attribute, **names.imported})
        return names.apply_rule_text(value) if pattern else value
    if isinstance(value, list):
        return [_renamed(item, names, pattern, text) for item in value]
    if isinstance(value, dict):
        if isinstance(value.get("metavariable"), str) and isinstance(value.get("regex"), str):
            return {key: _metavariable_regex(item, value["metavariable"], names, text)
                    if key == "regex" else _renamed(item, names, False, text)
                    for key, item in value.items()}
        return {key: _renamed(item, names, _pattern_key(key, pattern), text)
                for key, item in value.items()}
    return value


def _metavariable_regex(regex: str, metavariable: str, names: NameMap, text: str) -> str:
    """A `metavariable-regex` constrains what the metavariable binds: where the rule uses it
    as an attribute or method (`$O.$M(...)`), only attribute renames apply to the words of
    the regex, else only plain ones (a local `match` renamed must not rename the method
    `self.match` a regex `^(search|match)$` names)."""
    attribute = re.search(r"\." + re.escape(metavariable) + r"(?![\w$])", text) is not None
    return _regex_words(regex, names.attribute if attribute
                        else {**names.plain, **names.imported})


def _regex_words(regex: str, renames: dict[str, str]) -> str:
    for old, new in renames.items():
        regex = re.sub(r"(?<![\w$.\\])" + re.escape(old) + r"(?![\w$])", new, regex)
    return regex


_MATCH_KEYS = frozenset({"match", "all", "any", "not", "inside", "anywhere", "sources",
                         "sinks", "sanitizers", "propagators", "where"})
"""Keys of semgrep's `match:` syntax whose strings (at any depth) are patterns."""
_NOT_PATTERN = frozenset({"metavariable", "focus", "comparison", "type", "types", "label",
                          "requires", "language", "languages", "by-side-effect", "exact",
                          "from", "to", "message", "id", "severity", "metadata"})


def _pattern_key(key: object, inherited: bool | str = False) -> bool | str:
    """"regex" for a regular expression key, True for another pattern key, else False;
    inside a `match:` tree (`inherited`) every key is a pattern key but those naming a
    metavariable, a comparison or an option."""
    if not isinstance(key, str):
        return False
    if key in ("regex", "pattern-regex", "pattern-not-regex"):
        return "regex"
    if inherited is True:
        return key not in _NOT_PATTERN
    return key.startswith("pattern") or key in _MATCH_KEYS


def rename_rule_file(text: str, names: NameMap) -> str:
    """The YAML text of a rule file with its patterns renamed (the text itself when nothing
    is renamed)."""
    if not names:
        return text
    data = yaml.safe_load(text)
    return yaml.safe_dump(_renamed(data, names, False, text), sort_keys=False, allow_unicode=True,
                          width=100)
