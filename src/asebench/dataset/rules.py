"""Read an instance's semgrep rule files (plain YAML): the dataset's side of its rules.

Reading lives here, on the dataset floor, so that `dataset lint` and the run's preflight can
name a broken rule file without importing the scanner; `checks.static` runs the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml

from asebench.dataset.bounded_yaml import YamlLimitError, load_bounded

RuleRole = Literal["decisive", "advisory"]
"""How a rule's finding counts (data README, "Verdict policy"): a `decisive` rule's finding in
the inserted code makes the answer not secure; an `advisory` rule's finding is recorded and
reported but never decides, because the rule is known to be wrong on some answer."""
ROLES: tuple[RuleRole, ...] = ("decisive", "advisory")


class RuleError(Exception):
    """A rule file that cannot be read or that semgrep rejects; names the file and line."""


def load_rules(path: Path) -> list[dict[str, Any]]:
    """The rules (one mapping each) of one semgrep YAML file.

    Raises `RuleError` "<file>:<line>: <problem>" when the file cannot be read, is not YAML
    within the limits of `bounded_yaml` (size, UTF-8, alias expansion, depth), has no top-level
    `rules:` list, holds a rule without an `id`, or gives a rule a `metadata.role` other than
    `decisive`/`advisory` (an advisory rule must say why in `metadata.role_reason`).
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
        _check_role(path, rule)
    return list(data["rules"])


def _check_role(path: Path, rule: dict[str, Any]) -> None:
    metadata = rule.get("metadata")
    if metadata is None:
        return
    if not isinstance(metadata, dict):
        raise RuleError(f"{path}: rule {rule['id']}: `metadata` must be a mapping")
    role = metadata.get("role", "decisive")
    if role not in ROLES:
        raise RuleError(f"{path}: rule {rule['id']}: metadata.role must be decisive or "
                        f"advisory, not {role!r}")
    reason = metadata.get("role_reason")
    if role == "advisory" and not (isinstance(reason, str) and reason.strip()):
        raise RuleError(f"{path}: rule {rule['id']}: an advisory rule says why in "
                        "metadata.role_reason (which answer it is wrong on)")


def rule_role(rule: dict[str, Any]) -> RuleRole:
    """The role of one rule as `load_rules` returned it (`decisive` unless marked)."""
    metadata = rule.get("metadata")
    role = metadata.get("role", "decisive") if isinstance(metadata, dict) else "decisive"
    return "advisory" if role == "advisory" else "decisive"


def rule_roles(paths: Iterable[Path]) -> dict[str, RuleRole]:
    """Rule id -> role over an instance's rule files, in file order.

    Raises `RuleError` as `load_rules` does."""
    return {str(rule["id"]): rule_role(rule) for path in paths for rule in load_rules(path)}
