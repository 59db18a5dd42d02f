"""The native dataset format: one directory per instance.

```
<instance>/instance.yaml   the record (see `schema.Instance`)
<instance>/rules/*.yaml    semgrep rules, found automatically
<instance>/gold/…          optional files referenced by `locations[].gold_file` (a gold) or
                           `locations[].gold_patch` (a diff over the derived gold)
<instance>/poc.py, test.py optional scripts referenced by `poc.run` / `test.run`
```

A dataset is a directory of instance directories (searched recursively for `instance.yaml`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError

from asebench.dataset.bounded_yaml import YamlLimitError, decode_utf8, load_bounded, read_bounded
from asebench.dataset.confined import PathEscape, confined_path
from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.git_url import git_url_problem
from asebench.dataset.gold_patch import GoldPatchError, parse_gold_patch
from asebench.dataset.packages import is_package_file
from asebench.dataset.schema import JUDGED_COMMAND, Instance

INSTANCE_FILE = "instance.yaml"
_NAMED_FIELD = re.compile(r"^([a-z_]+\.\d+) ")


def problems_from_validation(
    instance: str, file: Path | None, error: ValidationError,
    model: type[BaseModel] | None = None,
) -> list[DatasetProblem]:
    """Turn a pydantic error into one problem per failing field. A whole-record check (e.g.
    overlapping locations) has no field of its own: the field its message names is used.
    With the record's `model`, the field is named as the YAML spells it (`source.version`,
    without the union tag pydantic adds: `source.pypi.version`), and an unknown field (a
    typo) names the known fields it is close to."""
    problems = []
    for item in error.errors():
        loc: tuple[int | str, ...] = tuple(item["loc"])
        models: list[type[BaseModel]] = []
        if model is not None:
            loc, models = _follow(model, loc)
        field = ".".join(str(part) for part in loc) or None
        message = str(item["msg"]).removeprefix("Value error, ")
        named = _NAMED_FIELD.match(message)
        if field is None and named:
            field = named.group(1)
        if item["type"] == "extra_forbidden" and model is not None:
            message = "unknown field" + _close_fields(models, loc[-1])
        problems.append(DatasetProblem(instance, file, field, message))
    return problems


def _follow(model: type[BaseModel], loc: tuple[int | str, ...]
            ) -> tuple[tuple[int | str, ...], list[type[BaseModel]]]:
    """`loc` without the tags of tagged unions (such as `source`'s `kind`), and the models
    its last key may belong to (followed through nested models and lists of them)."""
    kept: list[int | str] = []
    candidates: list[type[BaseModel]] = [model]
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(part, int) or not candidates:
            kept.append(part)
            continue
        fields = [c.model_fields[part] for c in candidates if part in c.model_fields]
        tagged = [c for c in candidates
                  if "kind" in c.model_fields and c.model_fields["kind"].default == part]
        if not fields and tagged and not last:  # a union's tag: keep the member it names
            candidates = tagged
            continue
        kept.append(part)
        if last:
            break
        annotation = fields[0].annotation if fields else None
        candidates = [t for t in (annotation, *get_args(annotation))
                      if isinstance(t, type) and issubclass(t, BaseModel)]
    return tuple(kept), candidates


def _close_fields(models: list[type[BaseModel]], key: int | str) -> str:
    """"; did you mean …?" for an unknown `key` when one model holds it and some of its
    fields are close to it, else ""."""
    if len(models) != 1:
        return ""
    close = difflib.get_close_matches(str(key), list(models[0].model_fields), n=2, cutoff=0.6)
    return f"; did you mean {' or '.join(close)}?" if close else ""


def yaml_problem(error: yaml.YAMLError) -> str:
    """A YAML parser error on one line: where it stopped (1-based line and column) and why,
    without the source excerpt and caret lines PyYAML adds."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None)
    if mark is None or problem is None:
        return "not valid YAML: " + " ".join(str(error).split())
    context = getattr(error, "context", None)
    why = f"{problem} ({context})" if context else str(problem)
    return f"not valid YAML at line {mark.line + 1}, column {mark.column + 1}: {why}"


INSTANCE_MOUNT = "/instance/"
"""Where the sandbox shows the instance folder: PoC and test arguments under it name files."""
_IN_INSTANCE = "the instance folder"
_IN_DATASET = "the dataset folder"


def _gold_patch_problem(location: dict[str, Any], root: Path) -> str | None:
    """Why `location`'s `gold_patch` cannot be used (None when it can): written beside a gold,
    outside the instance folder, missing, unreadable, or not a unified diff of one text."""
    if "gold_file" in location or location.get("gold") is not None:
        written = "gold_file" if "gold_file" in location else "gold"
        return (f"cannot go with {written}: the patch applies to the gold derived from the fix; "
                f"keep one of them")
    named = location["gold_patch"]
    if not isinstance(named, str):
        return None  # the schema names the mistyped field
    try:
        patch_path = confined_path(named, root, folder=root, what=_IN_INSTANCE)
        if not patch_path.is_file():
            raise PathEscape(f"no such file {patch_path}")
        parse_gold_patch(decode_utf8(read_bounded(patch_path)))
    except (PathEscape, YamlLimitError) as exc:
        return str(exc)
    except GoldPatchError as exc:
        return f"{named}: {exc}"
    return None


def _read_gold_files(record: dict[str, Any], root: Path, name: str, path: Path
                     ) -> list[DatasetProblem]:
    """Read each `gold_file` into the location's `gold`, and check each `gold_patch` (kept as
    its path: it applies at fetch time, `sources/fix_commit.py`); one problem per bad one."""
    problems = []
    for index, location in enumerate(record.get("locations") or []):
        if not isinstance(location, dict):
            continue
        if "gold_patch" in location:
            field = f"locations.{index}.gold_patch"
            problem = _gold_patch_problem(location, root)
            if problem is not None:
                location.pop("gold_patch")  # reported here, not again by the schema
                problems.append(DatasetProblem(name, path, field, problem))
        if "gold_file" not in location:
            continue
        field = f"locations.{index}.gold_file"
        try:
            gold_path = confined_path(str(location.pop("gold_file")), root, folder=root,
                                      what=_IN_INSTANCE)
            if not gold_path.is_file():
                raise PathEscape(f"no such file {gold_path}")
            location["gold"] = decode_utf8(read_bounded(gold_path))
        except (PathEscape, YamlLimitError) as exc:
            problems.append(DatasetProblem(name, path, field, str(exc)))
    return problems


def _rule_files(record: dict[str, Any], root: Path, name: str, path: Path
                ) -> list[DatasetProblem]:
    """Confine the rule files (listed, or found in `rules/`) to the instance folder and make
    them absolute in `record`; one problem per file that leaves it or does not exist."""
    rules_dir = root / "rules"
    if "rules" not in record and rules_dir.is_dir():
        named = sorted(f"rules/{p.name}" for p in rules_dir.iterdir()
                       if p.suffix in (".yaml", ".yml"))
    else:
        listed = record.get("rules") or []
        if not isinstance(listed, list):
            return []  # the schema names the mistyped field
        named = [str(r) for r in listed]
    problems, rules = [], []
    for index, rule in enumerate(named):
        try:
            resolved = confined_path(rule, root, folder=root, what=_IN_INSTANCE)
        except PathEscape as exc:
            problems.append(DatasetProblem(name, path, f"rules.{index}", str(exc)))
            continue
        if not resolved.is_file():
            problems.append(DatasetProblem(name, path, f"rules.{index}", f"no such file {rule}"))
        rules.append(str(resolved))
    record["rules"] = rules
    return problems


def _script_problems(record: dict[str, Any], root: Path, name: str, path: Path
                     ) -> list[DatasetProblem]:
    """PoC and test arguments naming `/instance/…` must name a file inside the instance, and
    so must the script of a judged command (`run: [asebench-judge, poc.py]`), which is
    relative to the instance folder: a missing one would only show as an infrastructure
    failure of every sample."""
    problems = []
    for key in ("poc", "test"):
        command = record.get(key)
        run = command.get("run") if isinstance(command, dict) else None
        arguments = run if isinstance(run, list) else []
        judged = bool(arguments) and arguments[0] == JUDGED_COMMAND
        for index, argument in enumerate(arguments):
            if not isinstance(argument, str):
                continue
            if not argument.startswith(INSTANCE_MOUNT) and not (judged and index == 1):
                continue
            field = f"{key}.run.{index}"
            try:
                script = confined_path(argument.removeprefix(INSTANCE_MOUNT), root,
                                       folder=root, what=_IN_INSTANCE)
            except PathEscape as exc:
                problems.append(DatasetProblem(name, path, field, str(exc)))
                continue
            if not script.exists():
                problems.append(DatasetProblem(name, path, field, f"no such file {script}"))
    return problems


def _source_problems(record: dict[str, Any], root: Path, dataset: Path, name: str, path: Path
                     ) -> list[DatasetProblem]:
    """A local source must be a directory inside the dataset folder; a git source's URL a
    network address or a repository inside it (`git_url`)."""
    source = record.get("source")
    if not isinstance(source, dict) or source.get("kind") not in ("local", "git"):
        return []
    field = "source.path" if source["kind"] == "local" else "source.url"
    named = source.get(field.removeprefix("source."))
    if not isinstance(named, str):
        return []  # the schema names the missing or mistyped field
    if source["kind"] == "git":
        problem = git_url_problem(named, root, dataset)
        return [DatasetProblem(name, path, field, problem)] if problem else []
    try:
        confined_path(named, root, folder=dataset, what=_IN_DATASET)
    except PathEscape as exc:
        return [DatasetProblem(name, path, field, str(exc))]
    return []


def _package_files(record: dict[str, Any], root: Path, name: str, path: Path
                   ) -> list[DatasetProblem]:
    """Package files to install (a wheel, an sdist, an npm tarball) must lie inside the
    instance folder; each is made absolute in `record` for the environment builder."""
    environment = record.get("environment")
    if not isinstance(environment, dict):
        return []
    problems = []
    for key in ("python", "npm"):
        entries = environment.get(key)
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if not isinstance(entry, str) or not is_package_file(entry):
                continue
            field = f"environment.{key}.{index}"
            try:
                resolved = confined_path(entry, root, folder=root, what=_IN_INSTANCE)
            except PathEscape as exc:
                problems.append(DatasetProblem(name, path, field, str(exc)))
                continue
            if not resolved.is_file():
                problems.append(DatasetProblem(name, path, field, f"no such file {entry}"))
            entries[index] = str(resolved)
    return problems


def load_instance(directory: Path, *, dataset_root: Path | None = None) -> Instance:
    """Load one instance directory; raise `DatasetError` naming every bad field.

    Every path the record names must stay inside its folder (`confined`): gold files, rule
    files, `/instance/…` script arguments and package files inside the instance directory, a
    local source inside `dataset_root` (default: the instance directory itself).
    """
    directory = directory.resolve()
    dataset = (dataset_root or directory).resolve()
    path = directory / INSTANCE_FILE
    name = directory.name
    try:
        record = load_bounded(path)
    except YamlLimitError as exc:
        raise DatasetError([DatasetProblem(name, path, None, str(exc))]) from exc
    except yaml.YAMLError as exc:
        raise DatasetError([DatasetProblem(name, path, None, yaml_problem(exc))]) from exc
    if not isinstance(record, dict):
        raise DatasetError([DatasetProblem(name, path, None, "must be a YAML mapping")])
    name = str(record.get("id") or name)
    problems = _read_gold_files(record, directory, name, path)
    problems += _rule_files(record, directory, name, path)
    problems += _script_problems(record, directory, name, path)
    problems += _source_problems(record, directory, dataset, name, path)
    problems += _package_files(record, directory, name, path)
    record["root"] = directory
    try:
        instance = Instance.model_validate(record)
    except ValidationError as exc:
        problems.extend(problems_from_validation(name, path, exc, Instance))
        raise DatasetError(problems) from exc
    if problems:
        raise DatasetError(problems)
    return instance


def instance_dirs(root: Path) -> Iterator[Path]:
    """Every directory under `root` (or `root` itself) holding an `instance.yaml`, sorted."""
    if (root / INSTANCE_FILE).is_file():
        yield root
        return
    for path in sorted(root.rglob(INSTANCE_FILE)):
        yield path.parent


def dump_instance(instance: Instance) -> dict[str, Any]:
    """The YAML-ready record of an instance (rules made relative to its directory)."""
    data = instance.model_dump(mode="json", exclude_none=True)
    if instance.root is not None:
        data["rules"] = [
            str(Path(r).relative_to(instance.root)) if Path(r).is_relative_to(instance.root) else r
            for r in data.get("rules", [])
        ]
    return data
