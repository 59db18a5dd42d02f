"""Read an instance's semgrep rule files (plain YAML): the dataset's side of its rules.

Reading lives here, on the dataset floor, so that `dataset lint` and the run's preflight can
name a broken rule file without importing the scanner; `checks.static` runs the rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from asebench.dataset.bounded_yaml import YamlLimitError, load_bounded


class RuleError(Exception):
    """A rule file that cannot be read or that semgrep rejects; names the file and line."""


def load_rules(path: Path) -> list[dict[str, Any]]:
    """The rules (one mapping each) of one semgrep YAML file.

    Raises `RuleError` "<file>:<line>: <problem>" when the file cannot be read, is not YAML
    within the limits of `bounded_yaml` (size, UTF-8, alias expansion, depth), has no top-level
    `rules:` list, or holds a rule without an `id`.
    """
    try:
        data = load_bounded(path)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise RuleError(f"{path}:{line}: {exc.problem}") from exc
    except (YamlLimitError, yaml.YAMLError) as exc:
        raise RuleError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{path}:1: a semgrep rule file needs a top-level `rules:` list")
    for number, rule in enumerate(data["rules"]):
        if not isinstance(rule, dict) or "id" not in rule:
            raise RuleError(f"{path}: rule #{number + 1} has no `id`")
    return list(data["rules"])
