"""Derive a gold fix from the fixed version of a file (A.S.E v2's `patch_commit`).

The region `start..end` of the vulnerable file is carried over to the fixed file through the
lines the two versions share: the gold is what the fixed file holds between the last unchanged
line before the region and the first unchanged line after it.
"""

from __future__ import annotations

import difflib

from asebench.dataset.schema import GitSource, Instance, Location


def derive_gold(vulnerable: str, fixed: str, start: int, end: int) -> str:
    """The fixed file's counterpart of lines `start`..`end` (1-based, inclusive)."""
    old = vulnerable.splitlines(keepends=True)
    new = fixed.splitlines(keepends=True)
    mapping: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks():
        for offset in range(block.size):
            mapping[block.a + offset] = block.b + offset
    before = max((i for i in mapping if i < start - 1), default=None)
    after = min((i for i in mapping if i > end - 1), default=None)
    first = mapping[before] + 1 if before is not None else 0
    last = mapping[after] if after is not None else len(new)
    return "".join(new[first:last])


def with_derived_gold(instance: Instance, vulnerable_texts: dict[str, str]) -> Instance:
    """The instance with every missing gold fix derived from its git `fixed_rev`."""
    source = instance.source
    if not isinstance(source, GitSource) or source.fixed_rev is None:
        return instance
    if all(location.gold is not None for location in instance.locations):
        return instance
    from asebench.sources.git import fetch_file_at

    locations: list[Location] = []
    for location in instance.locations:
        if location.gold is None:
            fixed = fetch_file_at(source, source.fixed_rev, location.file,
                                  instance_root=instance.root)
            gold = derive_gold(vulnerable_texts[location.file], fixed, location.start,
                               location.end)
            location = location.model_copy(update={"gold": gold})
        locations.append(location)
    return instance.model_copy(update={"locations": locations})
