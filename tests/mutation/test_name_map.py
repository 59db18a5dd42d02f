"""The name map applied outside the tree: gold snippets, variant answers, semgrep patterns."""

from __future__ import annotations

from pathlib import Path

from same_output import same_output

from asebench.dataset.schema import Language
from asebench.mutation.name_map import NameMap
from asebench.mutation.rules import rename_rule_file

NAMES = NameMap(plain={"target": "quiet_grove", "_join": "_amber_delta"},
                attribute={"_cache": "_misty_ridge"})


def test_an_indented_python_snippet_keeps_its_indentation_strings_and_keywords() -> None:
    gold = ("        target = _join(root, name)\n"
            "        self._cache[target] = 'target'\n"
            "        return open(target, mode='r', target=1)\n")
    assert NAMES.apply_code(gold, Language.PYTHON) == (
        "        quiet_grove = _amber_delta(root, name)\n"
        "        self._misty_ridge[quiet_grove] = 'target'\n"
        "        return open(quiet_grove, mode='r', target=1)\n")


def test_javascript_properties_follow_the_attribute_map_only() -> None:
    code = "const target = obj.target + this._cache[_join(target)];\n"
    assert NAMES.apply_code(code, Language.JAVASCRIPT) == (
        "const quiet_grove = obj.target + this._misty_ridge[_amber_delta(quiet_grove)];\n")


def test_a_variant_has_its_fenced_code_renamed_and_its_prose_kept() -> None:
    variant = "---\nidiom: joins target with _join\n---\n```python\nx = _join(target)\n```\n"
    assert NAMES.apply_markdown(variant, Language.PYTHON) == (
        "---\nidiom: joins target with _join\n---\n```python\nx = _amber_delta(quiet_grove)\n"
        "```\n")


def test_rule_patterns_are_renamed_but_metavariables_and_messages_are_not() -> None:
    rule = ("rules:\n- id: r\n  message: target must be checked by _join\n"
            "  pattern: open(_join($TARGET, target))\n")
    renamed = rename_rule_file(rule, NAMES)
    assert "pattern: open(_amber_delta($TARGET, quiet_grove))" in renamed
    assert "message: target must be checked by _join" in renamed


def test_a_c_member_after_an_arrow_in_a_rule_keeps_its_name() -> None:
    names = NameMap(plain={"count": "calm_delta"})
    assert names.apply_rule_text("pattern: $P->count = count;") == (
        "pattern: $P->count = calm_delta;")


def test_php_variables_of_a_gold_snippet_are_renamed_but_not_functions() -> None:
    names = NameMap(plain={"path": "calm_delta"})
    gold = "    $path = realpath($path);\n    return path($path, 'path');\n"
    assert names.apply_code(gold, Language.PHP) == (
        "    $calm_delta = realpath($calm_delta);\n    return path($calm_delta, 'path');\n")


def test_a_php_static_property_keeps_its_name_when_a_local_of_that_name_is_renamed() -> None:
    names = NameMap(plain={"colors": "calm_delta"})
    gold = "    $colors = self::$colors;\n    return $colors + static::$colors;\n"
    assert names.apply_code(gold, Language.PHP) == (
        "    $calm_delta = self::$colors;\n    return $calm_delta + static::$colors;\n")


def test_java_fields_and_methods_keep_their_names_when_a_local_is_renamed() -> None:
    names = NameMap(plain={"size": "calm_delta"})
    gold = "int size = other.size + size();\nreturn size;\n"
    assert names.apply_code(gold, Language.JAVA) == (
        "int calm_delta = other.size + size();\nreturn calm_delta;\n")


def test_patterns_of_semgreps_match_syntax_are_renamed_too() -> None:
    """A rule in `match:` syntax names the project's names in `inside`/`any`/`where` patterns:
    they follow the mutant (they stayed upstream's, so a mutant's gold was flagged)."""
    rule = (
        "rules:\n- id: r\n  message: urlparse is not called\n  languages: [python]\n"
        "  severity: ERROR\n  match:\n    all:\n    - inside: |\n        def rebuild(self, $R):\n"
        "          ...\n    - '$H[\"X\"] = $V'\n    - not:\n        inside: |\n"
        "          if $C:\n            ...\n        where:\n        - metavariable: $C\n"
        "          any:\n          - '<... urlparse($R.url) ...>'\n")
    renamed = rename_rule_file(rule, NameMap(imported={"urlparse": "quiet_fen"}))
    assert "- <... quiet_fen($R.url) ...>" in renamed
    assert "message: urlparse is not called" in renamed
    assert "metavariable: $C" in renamed and "def rebuild(self, $R)" in renamed


def test_a_description_has_the_code_it_quotes_renamed_and_its_prose_kept() -> None:
    names = NameMap(plain={"input_buffer": "keen_grove"}, imported={"escape": "plain_fern"})
    text = ("`parse_object(item, input_buffer)`: parses the input buffer at the offset of "
            "`input_buffer` (its `input_buffer->content`), then calls ``escape(x)``.")
    assert names.apply_prose(text, Language.C) == (
        "`parse_object(item, keen_grove)`: parses the input buffer at the offset of "
        "`keen_grove` (its `keen_grove->content`), then calls ``escape(x)``.")
    assert names.apply_prose("``escape(x)``", Language.PYTHON) == "``plain_fern(x)``"


def test_python_import_paths_keep_their_names_when_a_local_of_that_name_is_renamed(
        tmp_path: Path) -> None:
    names = NameMap(plain={"os": "calm_delta"})  # a parameter named like a module
    gold = ("def tail(os):\n"
            "    from os.path import basename\n"
            "    import os.path as paths\n"
            "    return basename(os) + paths.sep\n"
            "\n"
            "print(tail('/a/b'))\n")
    renamed = names.apply_code(gold, Language.PYTHON)
    assert renamed == gold.replace("(os)", "(calm_delta)")
    same_output(tmp_path, "python3", "python3 tail.py", "tail.py", gold, renamed)
