"""`asebench dataset lint`: every problem of a dataset that `run` would meet, before any model.

It loads the dataset (schema problems, paths that leave the dataset, YAML past its limits),
has semgrep validate every rule file in one process (cached by content), then runs each
instance through the run's own preflight (`preflight.check_instance`): rules, revisions,
source, regions, golds. With
`fetch=False` the source is not fetched and only the checks that need none run.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.load import load_dataset, resolve_dataset_path
from asebench.dataset.semgrep_validation import semgrep_rejections
from asebench.preflight import check_instance, readable_rule_files


@dataclass
class LintReport:
    """`problems` stop `run` (or are skipped with `--keep-going`); `notes` do not. `loaded`
    counts the instances that loaded, `unfetched` those whose source checks did not run."""

    loaded: int = 0
    problems: list[DatasetProblem] = field(default_factory=list)
    notes: list[DatasetProblem] = field(default_factory=list)
    unfetched: int = 0

    def lines(self) -> list[str]:
        """One line per finding, problems first: instance (file) [field]: message."""
        return [str(p) for p in self.problems] + [str(n) for n in self.notes]


def lint_dataset(spec: str, *, fetch: bool = True) -> LintReport:
    """Lint the dataset `spec` (`builtin`, a directory, an A.S.E JSON file). A finding without a
    file of its own names the dataset file (A.S.E JSON entries have no directory)."""
    dataset_file = resolve_dataset_path(spec)
    report = LintReport()
    try:
        loaded = load_dataset(spec)
    except DatasetError as exc:
        report.problems = exc.problems
        return report
    report.problems.extend(loaded.problems)
    report.loaded = len(loaded.instances)
    # one semgrep process validates every rule file of the dataset (cached by file content);
    # the per-instance checks below then find the verdicts in the cache
    semgrep_rejections(readable_rule_files(loaded.instances))
    for instance in loaded.instances:
        checked = check_instance(instance, fetch=fetch)
        report.problems.extend(checked.problems)
        report.notes.extend(checked.notes)
        report.unfetched += not fetch
    report.problems = [p if p.file else replace(p, file=dataset_file) for p in report.problems]
    report.notes = [n if n.file else replace(n, file=dataset_file) for n in report.notes]
    return report
