"""Every check an instance must pass before it is sampled, for `run` and `dataset lint` alike.

`run` prepares each instance through `open_checked` and `dataset lint` through
`check_instance`, so what `run` would skip, lint reports, in the same words. Two kinds of
finding, both a `DatasetProblem` naming instance, file and field:

- problems stop the instance (`run` refuses to start, or skips it with `--keep-going`): an
  unreadable rule file or one semgrep rejects, a location file that links out of its source
  tree, a source that cannot be fetched, a region past the end of its file, a
  mask that hides other lines than the region names, a fix that fits no region;
- notes leave it runnable but are worth fixing: no gold fix (the reference baseline cannot
  answer), a gold identical to the vulnerable code, a mutable revision such as `HEAD`, no
  security oracle at all, an empty description, a PoC or test on the single-sandbox protocol.

Lines are counted on "\\n" only, as everywhere else in asebench.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from asebench.code.task import MaskedTask, mask_instance
from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.gold import line_count, region_text, same_code
from asebench.dataset.rules import RuleError, load_rules
from asebench.dataset.schema import JUDGED_COMMAND, GitSource, Instance
from asebench.dataset.semgrep_validation import semgrep_rejections
from asebench.mutation.engine import MutationError
from asebench.mutation.tree import mutated_tree
from asebench.sources.errors import SourceError
from asebench.sources.fetch import fetch_tree
from asebench.sources.fix_commit import error_line, fix_reference, with_derived_gold
from asebench.sources.tree import SourceTree

MUTABLE_REV = re.compile(r"^(HEAD|FETCH_HEAD|ORIG_HEAD)([~^].*)?$")


@dataclass
class Preflight:
    """What checking one instance found. `instance` has its golds derived and regions widened;
    `tree` and `task` are set once the source was fetched and masked without a problem."""

    instance: Instance
    problems: list[DatasetProblem] = field(default_factory=list)
    notes: list[DatasetProblem] = field(default_factory=list)
    tree: SourceTree | None = None
    task: MaskedTask | None = None


def _read_rules(instance: Instance) -> tuple[list[DatasetProblem], list[tuple[int, Path]]]:
    """Problems of the rule files that cannot be read as rule YAML, and (index, path) of the
    others."""
    problems, readable = [], []
    for index, rule in enumerate(instance.rules):
        try:
            load_rules(rule)
        except RuleError as exc:
            problems.append(DatasetProblem(instance.id, rule, f"rules.{index}", str(exc)))
            continue
        readable.append((index, rule))
    return problems, readable


def readable_rule_files(instances: list[Instance]) -> list[Path]:
    """Every rule file of `instances` that reads as rule YAML (what semgrep may be shown)."""
    return [rule for instance in instances for _, rule in _read_rules(instance)[1]]


def rule_problems(instance: Instance) -> list[DatasetProblem]:
    """One problem per rule file that cannot be read as semgrep rules (file and line) or that
    semgrep itself rejects (`semgrep_validation`, cached by file content)."""
    problems, readable = _read_rules(instance)
    rejected = semgrep_rejections([rule for _, rule in readable])
    problems.extend(
        DatasetProblem(instance.id, rule, f"rules.{index}", f"{rule}: {rejected[rule]}")
        for index, rule in readable if rule in rejected)
    return problems


def record_notes(instance: Instance) -> list[DatasetProblem]:
    """Notes that need no source: mutable revision, no oracle, empty description, and a gold
    that is missing with no fix to derive it from."""
    notes = []
    where = instance.root
    source = instance.source
    if isinstance(source, GitSource):
        for name, rev in (("rev", source.rev), ("fixed_rev", source.fixed_rev)):
            if rev is not None and MUTABLE_REV.match(rev.strip()):
                notes.append(DatasetProblem(
                    instance.id, where, f"source.{name}",
                    f"{rev!r} is a mutable revision: the code under test changes when the "
                    "repository does; name a commit sha or a tag"))
    if not instance.rules and instance.poc is None and instance.container is None:
        notes.append(DatasetProblem(instance.id, where, "rules",
                                    "no semgrep rule and no PoC: security cannot be judged"))
    for name, command in (("poc", instance.poc), ("test", instance.test)):
        if command is not None and not command.judged:
            notes.append(DatasetProblem(
                instance.id, where, f"{name}.run",
                "single-sandbox protocol: the candidate's code runs beside the script that "
                "prints the verdict and can forge it or read the instance; use "
                f"[{JUDGED_COMMAND}, SCRIPT] (data README, the judged protocol)"))
    if instance.root is not None and not instance.description.strip():
        notes.append(DatasetProblem(instance.id, where, "description",
                                    "empty: models get no statement of what to write"))
    derivable = fix_reference(source) is not None
    if not derivable:
        notes.extend(
            DatasetProblem(instance.id, where, f"locations.{i}.gold", "no gold fix")
            for i, location in enumerate(instance.locations)
            if location.gold is None and location.gold_patch is None)
    return notes


def _outside_tree(tree: SourceTree, file: str) -> bool:
    """Whether `file` of the tree resolves (through symlinks) outside the tree: a git or
    archive source may hold links to host files, which must never be read into a prompt."""
    root = tree.root.resolve()
    target = (tree.root / file).resolve()
    return target != root and not target.is_relative_to(root)


def _close_files(tree: SourceTree, file: str) -> str:
    """"; did you mean …?" with the tree's file whose path is closest to `file` (a typo in a
    folder or file name), or ""."""
    root = tree.root
    known = [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()]
    close = difflib.get_close_matches(file, known, n=1, cutoff=0.8)
    return f"; did you mean {close[0]}?" if close else ""


def _region_problems(instance: Instance, tree: SourceTree) -> list[DatasetProblem]:
    problems = []
    for index, location in enumerate(instance.locations):
        path = tree.root / location.file
        if _outside_tree(tree, location.file):
            problems.append(DatasetProblem(
                instance.id, path, f"locations.{index}.file",
                f"{location.file} is a symlink that leaves the source tree"))
            continue
        if not path.is_file():
            record = instance.root / "instance.yaml" if instance.root is not None else path
            problems.append(DatasetProblem(
                instance.id, record, f"locations.{index}.file",
                f"no file {location.file!r} in the source tree{_close_files(tree, location.file)}"))
            continue
        try:
            lines = line_count(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue  # masking names the unreadable file
        if location.end > lines:
            problems.append(DatasetProblem(
                instance.id, path, f"locations.{index}.end",
                f"region {location.start}-{location.end} ends past the end of the file, "
                f"which has {lines} line(s) (counted on \\n)"))
    return problems


def _without_blank_edges(text: str) -> list[str]:
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _mask_problems(instance: Instance, task: MaskedTask, tree: SourceTree
                   ) -> list[DatasetProblem]:
    """The masked text of each region must be its lines counted on "\\n" (a masker that also
    breaks lines at form feeds or other separators would hide the wrong lines)."""
    problems = []
    for index, location in enumerate(instance.locations):
        path = tree.root / location.file
        with path.open(encoding="utf-8", newline="") as stream:  # keep "\r\n" as written
            expected = region_text(stream.read(), location.start, location.end)
        masked = task.file_of(index + 1).originals[index + 1]
        # blank lines at a region's edges stay in the file (code/regions.py)
        if _without_blank_edges(masked) != _without_blank_edges(expected):
            problems.append(DatasetProblem(
                instance.id, path, f"locations.{index}",
                f"the masked text is not lines {location.start}-{location.end} of the file "
                "counted on \\n (str.splitlines() would break at form feeds and other separators)"))
    return problems


def _gold_notes(instance: Instance, task: MaskedTask, noted: set[str]) -> list[DatasetProblem]:
    notes = []
    for index, location in enumerate(instance.locations):
        where = f"locations.{index}.gold"
        if location.gold is None:
            if where not in noted:
                notes.append(DatasetProblem(instance.id, instance.root, where, "no gold fix"))
            continue
        original = task.file_of(index + 1).originals[index + 1]
        if same_code(location.gold, original):
            notes.append(DatasetProblem(
                instance.id, instance.root, where,
                f"the gold fix is the vulnerable code of lines {location.start}-{location.end} "
                "itself: the fix changes nothing in this region"))
    return notes


def open_checked(instance: Instance) -> Preflight:
    """Fetch, derive missing golds, check and mask one instance.

    Raises `SourceError` when the source cannot be fetched; every other fault of the instance
    is a problem or note of the returned `Preflight` (the task is None when a problem stops it).
    """
    checked = Preflight(instance, rule_problems(instance), record_notes(instance))
    tree = fetch_tree(instance.source, instance_root=instance.root)
    checked.tree = tree
    if instance.mutation is not None:  # the mutant's tree, and the regions where they moved
        # golds not written are derived from the upstream fix on the upstream tree (the
        # regions widened there, as when the mutant was made), then renamed with the mutant
        missing = frozenset(i for i, loc in enumerate(instance.locations) if loc.gold is None)
        if missing:
            derived = with_derived_gold(instance, tree.root)
            checked.instance = instance = derived.instance
            checked.problems.extend(derived.problems)
            checked.notes.extend(derived.notes)
            if derived.problems:
                return checked
        try:
            tree, instance, _ = mutated_tree(tree, instance, missing)
        except (MutationError, OSError, UnicodeDecodeError) as exc:
            checked.problems.append(DatasetProblem(instance.id, instance.root, "mutation",
                                                   f"cannot apply the mutation: {exc}"))
            return checked
        checked.tree, checked.instance = tree, instance
    regions = _region_problems(instance, tree)
    checked.problems.extend(regions)
    if regions:
        return checked
    derived = with_derived_gold(instance, tree.root)
    checked.instance = instance = derived.instance
    checked.problems.extend(derived.problems)
    checked.notes.extend(derived.notes)
    if derived.problems:
        return checked
    try:
        task = mask_instance(instance, tree.root)
    except DatasetError as exc:
        checked.problems.extend(exc.problems)
        return checked
    checked.problems.extend(_mask_problems(instance, task, tree))
    noted = {note.field for note in checked.notes if note.field}
    checked.notes.extend(_gold_notes(instance, task, noted))
    if not checked.problems:
        checked.task = task
    return checked


def check_instance(instance: Instance, *, fetch: bool = True) -> Preflight:
    """Every pre-sampling check of one instance; never raises for the instance's own faults.
    With `fetch=False` only the checks that need no source run (rules, revision, record)."""
    if not fetch:
        return Preflight(instance, rule_problems(instance), record_notes(instance))
    try:
        return open_checked(instance)
    except SourceError as exc:
        checked = Preflight(instance, rule_problems(instance), record_notes(instance))
        checked.problems.append(
            DatasetProblem(instance.id, instance.root,
                           f"source.{exc.field}" if exc.field else "source", error_line(exc)))
        return checked

