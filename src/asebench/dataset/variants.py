"""Variants: answers written independently of the gold and the original, each saying what it is.

An instance's `variants/` folder holds one Markdown file per variant: YAML front matter, then
the answer exactly as a model would give it (fenced blocks, each starting with its
`<MASKED REGION n>` marker line). `asebench validate` judges every variant with every oracle;
an oracle that is right only on the gold and the original is not right.

```
---
expect: vulnerable          # or: secure
kind: bypassable-guard      # rewrite | bypassable-guard | other-idiom | … (free text)
idiom: checks the prefix with startswith on the unresolved path
bypass: "../" after a matching prefix, e.g. "docs/../../etc/passwd"   # vulnerable only
---
```python
# <MASKED REGION 1>
...
```
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from asebench.dataset.errors import DatasetProblem

VARIANTS_DIR = "variants"
MIN_EACH = 3
"""At least this many secure and this many vulnerable variants per instance."""
Expect = Literal["secure", "vulnerable"]
_FRONT = "---"


@dataclass(frozen=True)
class Variant:
    """One variant: its file, what it is expected to be, how it is written, and the answer."""

    path: Path
    expect: Expect
    kind: str
    idiom: str
    bypass: str | None
    answer: str

    @property
    def name(self) -> str:
        return self.path.stem


def _front_matter(text: str) -> tuple[str, str] | None:
    """(front matter, body) of a Markdown file that starts with a `---` block."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != _FRONT:
        return None
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == _FRONT:
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1:])
    return None


def read_variant(path: Path, instance: str) -> Variant | DatasetProblem:
    """One variant file, or the problem that makes it unusable (naming file and field)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return DatasetProblem(instance, path, "variants", f"cannot read: {exc}")
    split = _front_matter(text)
    if split is None:
        return DatasetProblem(instance, path, "variants",
                              "no front matter: start with a `---` block saying `expect:`")
    try:
        meta = yaml.safe_load(split[0]) or {}
    except yaml.YAMLError as exc:
        return DatasetProblem(instance, path, "variants", f"front matter is not YAML: {exc}")
    if not isinstance(meta, dict):
        return DatasetProblem(instance, path, "variants", "front matter is not a mapping")
    expect = meta.get("expect")
    if expect not in ("secure", "vulnerable"):
        return DatasetProblem(instance, path, "variants.expect",
                              f"expect must be secure or vulnerable, not {expect!r}")
    bypass = meta.get("bypass")
    if expect == "vulnerable" and not (isinstance(bypass, str) and bypass.strip()):
        return DatasetProblem(instance, path, "variants.bypass",
                              "a vulnerable variant says which input gets through (`bypass:`)")
    idiom = meta.get("idiom")
    if not (isinstance(idiom, str) and idiom.strip()):
        return DatasetProblem(instance, path, "variants.idiom",
                              "say how this variant is written (`idiom:`)")
    if not split[1].strip():
        return DatasetProblem(instance, path, "variants", "the answer after the front matter "
                              "is empty")
    return Variant(path, expect, str(meta.get("kind") or ""), idiom.strip(),
                   bypass.strip() if isinstance(bypass, str) else None, split[1].strip() + "\n")


def load_variants(root: Path | None, instance: str) -> tuple[list[Variant], list[DatasetProblem]]:
    """Every variant under `root/variants/` (sorted by file name) and the problems found."""
    if root is None or not (root / VARIANTS_DIR).is_dir():
        return [], []
    variants: list[Variant] = []
    problems: list[DatasetProblem] = []
    for path in sorted((root / VARIANTS_DIR).glob("*.md")):
        read = read_variant(path, instance)
        if isinstance(read, Variant):
            variants.append(read)
        else:
            problems.append(read)
    return variants, problems


def coverage_problems(root: Path | None, instance: str, variants: list[Variant]
                      ) -> list[DatasetProblem]:
    """What an instance's variant suite lacks: `MIN_EACH` of each expectation, and among the
    vulnerable ones a bypassable guard and a plain rewrite."""
    where = root / VARIANTS_DIR if root is not None else None
    problems = []
    for expect in ("secure", "vulnerable"):
        count = sum(v.expect == expect for v in variants)
        if count < MIN_EACH:
            problems.append(DatasetProblem(instance, where, "variants",
                                           f"{count} {expect} variant(s), at least {MIN_EACH} "
                                           "needed"))
    kinds = {v.kind for v in variants if v.expect == "vulnerable"}
    for kind in ("bypassable-guard", "rewrite"):
        if variants and kind not in kinds:
            problems.append(DatasetProblem(instance, where, "variants.kind",
                                           f"no vulnerable variant of kind {kind!r}"))
    return problems
