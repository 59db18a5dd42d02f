"""`asebench dataset lint`: every problem of a dataset, without fetching any source."""

from __future__ import annotations

from asebench.checks.static import RuleError, load_rules
from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.load import load_dataset
from asebench.dataset.schema import Instance


def rule_file_problems(instance: Instance) -> list[DatasetProblem]:
    """One problem per rule file that cannot be read as semgrep rules (file and line)."""
    problems = []
    for index, rule in enumerate(instance.rules):
        try:
            load_rules(rule)
        except RuleError as exc:
            problems.append(DatasetProblem(instance.id, rule, f"rules.{index}", str(exc)))
    return problems


def lint_dataset(spec: str) -> list[DatasetProblem]:
    """Schema problems, unreadable rules, missing gold fixes and rule-less instances."""
    try:
        loaded = load_dataset(spec)
    except DatasetError as exc:
        return exc.problems
    problems = list(loaded.problems)
    for instance in loaded.instances:
        if not instance.rules and instance.container is None:
            problems.append(DatasetProblem(instance.id, instance.root, "rules",
                                           "no semgrep rule: security cannot be judged"))
        problems.extend(rule_file_problems(instance))
        for index, location in enumerate(instance.locations):
            if location.gold is None and instance.root is not None:
                problems.append(DatasetProblem(instance.id, instance.root,
                                               f"locations.{index}.gold", "no gold fix"))
        if instance.description.strip() == "" and instance.root is not None:
            problems.append(DatasetProblem(instance.id, instance.root, "description",
                                           "empty: models get no statement of what to write"))
    return problems
