"""The native dataset format: one directory per instance.

```
<instance>/instance.yaml   the record (see `schema.Instance`)
<instance>/rules/*.yaml    semgrep rules, found automatically
<instance>/gold/…          optional files referenced by `locations[].gold_file`
<instance>/poc.py, test.py optional scripts referenced by `poc.run` / `test.run`
```

A dataset is a directory of instance directories (searched recursively for `instance.yaml`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.schema import Instance

INSTANCE_FILE = "instance.yaml"
_NAMED_FIELD = re.compile(r"^([a-z_]+\.\d+) ")


def problems_from_validation(
    instance: str, file: Path | None, error: ValidationError
) -> list[DatasetProblem]:
    """Turn a pydantic error into one problem per failing field. A whole-record check (e.g.
    overlapping locations) has no field of its own: the field its message names is used."""
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or None
        message = str(item["msg"]).removeprefix("Value error, ")
        named = _NAMED_FIELD.match(message)
        if field is None and named:
            field = named.group(1)
        problems.append(DatasetProblem(instance, file, field, message))
    return problems


def _read_gold_files(record: dict[str, Any], root: Path, name: str) -> list[DatasetProblem]:
    problems = []
    for index, location in enumerate(record.get("locations") or []):
        if not isinstance(location, dict) or "gold_file" not in location:
            continue
        gold_path = root / str(location.pop("gold_file"))
        try:
            location["gold"] = gold_path.read_text(encoding="utf-8")
        except OSError as exc:
            problems.append(
                DatasetProblem(name, gold_path, f"locations.{index}.gold_file", str(exc))
            )
    return problems


def load_instance(directory: Path) -> Instance:
    """Load one instance directory; raise `DatasetError` naming every bad field."""
    directory = directory.resolve()
    path = directory / INSTANCE_FILE
    name = directory.name
    try:
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DatasetError([DatasetProblem(name, path, None, f"cannot read: {exc}")]) from exc
    if not isinstance(record, dict):
        raise DatasetError([DatasetProblem(name, path, None, "must be a YAML mapping")])
    name = str(record.get("id") or name)
    problems = _read_gold_files(record, directory, name)
    rules_dir = directory / "rules"
    if "rules" not in record and rules_dir.is_dir():
        record["rules"] = sorted(
            str(p) for p in rules_dir.iterdir() if p.suffix in (".yaml", ".yml")
        )
    else:
        record["rules"] = [str(directory / r) for r in record.get("rules") or []]
    for index, rule in enumerate(record["rules"]):
        if not Path(rule).is_file():
            problems.append(DatasetProblem(name, path, f"rules.{index}", f"no such file {rule}"))
    record["root"] = directory
    try:
        instance = Instance.model_validate(record)
    except ValidationError as exc:
        problems.extend(problems_from_validation(name, path, exc))
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
