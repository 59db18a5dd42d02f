"""Gold fixes from the fix: a git fix commit (A.S.E's `patch_commit`, or the `<sha>` of
`<sha>^`), the fixed release of a PyPI, npm, Maven or Go module source (`fixed_version`), or
a Debian source's tree with its CVE patch (`fix_patch`) applied.

For every location without a gold, the file is read at the fix and the gold derived by
`dataset.gold.derive_gold`. When a fix hunk crosses the region's start or end, the region is
widened to the smallest run of whole syntax nodes (tree-sitter) that holds both the region and
the hunk; when no such run smaller than the whole file exists, or the gold still does not parse
in place, the instance is rejected with a problem naming instance, file and field. A gold that
cannot be obtained at all (fix commit unreachable, file gone in the fix) leaves `gold` None:
the instance still runs, and lint names it. A location's `gold_patch` (lines written here over
an incomplete upstream fix) is then applied strictly to the derived gold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tree_sitter

from asebench.code.languages import language_of_path, parse
from asebench.code.syntax import check_syntax
from asebench.dataset.errors import DatasetProblem
from asebench.dataset.gold import (
    GoldCrossesRegion,
    crossing_hunks,
    derive_gold,
    line_count,
    region_text,
    replace_region,
)
from asebench.dataset.gold_patch import GoldPatchError, apply_gold_patch
from asebench.dataset.schema import (
    DebianSource,
    GitSource,
    GomodSource,
    Instance,
    Language,
    Location,
    MavenSource,
    NpmSource,
    PypiSource,
)
from asebench.sources.errors import SourceError
from asebench.sources.fetch import fetch_fixed_tree
from asebench.sources.git import fetch_file_at

MAX_WIDENINGS = 50


@dataclass(frozen=True)
class DerivedGold:
    """The instance with golds filled in and regions widened where needed; `problems` reject
    the instance, `notes` name locations whose gold could not be obtained (gold left None)."""

    instance: Instance
    problems: list[DatasetProblem] = field(default_factory=list)
    notes: list[DatasetProblem] = field(default_factory=list)


def _whole_lines(lines: list[bytes], first: tree_sitter.Node, last: tree_sitter.Node) -> bool:
    """Whether nodes `first`..`last` own their lines: nothing but blanks before `first` on its
    line and after `last` on its line."""
    start_row, start_col = first.start_point
    end_row, end_col = last.end_point
    if end_col == 0 and end_row > start_row:  # a node that ends with its line's newline
        return not lines[start_row][:start_col].strip()
    return (not lines[start_row][:start_col].strip()
            and not lines[end_row][end_col:].strip())


def _last_row(node: tree_sitter.Node) -> int:
    row, column = node.end_point
    return row - 1 if column == 0 and row > node.start_point[0] else row


def widen_to_syntax(text: str, language: Language, path: str, first: int, last: int
                    ) -> tuple[int, int] | None:
    """The smallest line span (1-based, inclusive) that holds lines `first..last` and is made
    of whole syntax nodes: one node, or a run of neighbouring children of one node. None when
    only the whole file would do (or the file does not parse to anything smaller)."""
    tree = parse(language_of_path(path, language), text, path)
    lines = text.encode("utf-8").split(b"\n")
    high = min(last, line_count(text)) - 1
    low = min(first - 1, high)
    if low < 0:
        return None
    low_text, high_text = lines[low], lines[high].rstrip()
    begin = (low, len(low_text) - len(low_text.lstrip()))  # the first and last code
    finish = (high, max(len(high_text) - 1, 0))               # on the lines, not the blanks
    node: tree_sitter.Node | None = tree.root_node.descendant_for_point_range(begin, finish)
    while node is not None:
        if node.start_point[0] <= low and _last_row(node) >= high:
            touching = [child for child in node.named_children
                        if child.start_point[0] <= high and _last_row(child) >= low]
            if (touching and touching[0].start_point[0] <= low
                    and _last_row(touching[-1]) >= high
                    and _whole_lines(lines, touching[0], touching[-1])):
                return touching[0].start_point[0] + 1, _last_row(touching[-1]) + 1
            if node.parent is not None and _whole_lines(lines, node, node):
                return node.start_point[0] + 1, _last_row(node) + 1
        node = node.parent
    return None


def error_line(exc: SourceError) -> str:
    """A `SourceError` on one line: the source, what failed and the last line git printed."""
    tail = [line.strip() for line in exc.stderr.splitlines() if line.strip()]
    return f"{exc.source}: {exc.message}" + (f" ({tail[-1]})" if tail else "")


class GoldRejected(ValueError):
    """No region around the location holds the fix: the instance cannot be judged as given."""


def fit_gold(vulnerable: str, fixed: str, location: Location, language: Language
             ) -> Location:
    """`location` with its gold derived from `fixed`, widened to syntax nodes when a fix hunk
    crosses its start or end. Raises `GoldRejected` naming the hunk when that cannot be done,
    or when the gold does not parse in place although the vulnerable file does."""
    start, end = location.start, location.end
    for _ in range(MAX_WIDENINGS):
        crossing = crossing_hunks(vulnerable, fixed, start, end)
        if not crossing:
            break
        first = min(start, *(h.start for h in crossing))
        last = max(end, *(h.end for h in crossing))
        widened = widen_to_syntax(vulnerable, language, location.file, first, last)
        if widened is None:
            raise GoldRejected(f"{GoldCrossesRegion(start, end, crossing)}, and no syntax node "
                               f"smaller than the file holds lines {first}-{last}")
        start, end = widened
    else:
        raise GoldRejected(f"region {location.start}-{location.end}: widening did not settle")
    gold = derive_gold(vulnerable, fixed, start, end)
    if (check_syntax(vulnerable, language, location.file).ok
            and not check_syntax(replace_region(vulnerable, start, end, gold), language,
                                 location.file).ok):
        raise GoldRejected(f"the gold derived for lines {start}-{end} does not parse in place")
    return location.model_copy(update={"start": start, "end": end, "gold": gold})


def _overlap(locations: list[Location]) -> tuple[int, int] | None:
    for i, one in enumerate(locations):
        for j, other in enumerate(locations[i + 1:], start=i + 1):
            if one.file == other.file and one.start <= other.end and other.start <= one.end:
                return i, j
    return None


def fix_reference(source: object) -> str | None:
    """What the gold is derived from: a git source's `fixed_rev`, a registry source's
    `fixed_version` (the fixed release: PyPI, npm, Maven, Go module) or a Debian source's
    `fix_patch` name; None when the source names none."""
    if isinstance(source, GitSource):
        return source.fixed_rev
    if isinstance(source, (PypiSource, NpmSource, MavenSource, GomodSource)):
        return source.fixed_version
    if isinstance(source, DebianSource):
        return source.fix_patch.name
    return None


def _fixed_file(instance: Instance, path: str) -> str:
    """`path` as the fix has it: at the git fix commit, or in the fixed release.
    Raises `SourceError` when it cannot be fetched or read."""
    source = instance.source
    if isinstance(source, GitSource) and source.fixed_rev is not None:
        return fetch_file_at(source, source.fixed_rev, path, instance_root=instance.root)
    tree = fetch_fixed_tree(source, instance_root=instance.root)
    try:
        return (tree.root / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(str(source), f"{path} cannot be read in the fixed release: "
                          f"{exc}") from exc


def with_derived_gold(instance: Instance, tree: Path) -> DerivedGold:
    """Fill every missing gold from the fix (`fix_reference`: a git `fixed_rev`, or a PyPI,
    npm or Go module `fixed_version`), reading the vulnerable files from the fetched `tree`,
    then apply each location's `gold_patch` to it (`with_gold_patches`).
    Never raises for a gold it cannot obtain: see `DerivedGold`."""
    return with_gold_patches(_derived(instance, tree), tree)


def with_gold_patches(derived: DerivedGold, tree: Path) -> DerivedGold:
    """`derived` with each location's `gold_patch` applied strictly to its derived gold (to
    the vulnerable region of `tree` when the source names no fix), the result in `gold` and
    `gold_patch` cleared. A patch that cannot be read or does not apply is a problem naming
    instance, patch file and `locations.N.gold_patch`; a location whose gold could not be
    derived keeps no gold (its note or problem already says why)."""
    instance = derived.instance
    if all(location.gold_patch is None for location in instance.locations):
        return derived
    reference = fix_reference(instance.source)
    locations = list(instance.locations)
    problems = list(derived.problems)
    for index, location in enumerate(locations):
        if location.gold_patch is None:
            continue
        field = f"locations.{index}.gold_patch"
        if instance.root is None:
            problems.append(DatasetProblem(instance.id, None, field, "no instance folder to "
                                           f"read {location.gold_patch} from"))
            continue
        patch_file = instance.root / location.gold_patch
        base, over = location.gold, f"the gold derived from the fix {reference}"
        if reference is None:
            over = f"the vulnerable lines {location.start}-{location.end}"
            try:
                base = region_text((tree / location.file).read_text(encoding="utf-8"),
                                   location.start, location.end)
            except (OSError, UnicodeDecodeError):
                continue  # masking the file reports it, naming the file
        if base is None:
            continue
        try:
            gold = apply_gold_patch(base, patch_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(DatasetProblem(instance.id, patch_file, field, str(exc)))
            continue
        except GoldPatchError as exc:
            problems.append(DatasetProblem(
                instance.id, patch_file, field,
                f"{location.gold_patch} does not apply to {over}: {exc}"))
            continue
        locations[index] = location.model_copy(update={"gold": gold, "gold_patch": None})
    return DerivedGold(instance.model_copy(update={"locations": locations}), problems,
                       derived.notes)


def _derived(instance: Instance, tree: Path) -> DerivedGold:
    """Every missing gold derived from the fix (see `with_derived_gold`)."""
    source = instance.source
    missing = [i for i, loc in enumerate(instance.locations) if loc.gold is None]
    if not missing or fix_reference(source) is None:
        return DerivedGold(instance)
    locations = list(instance.locations)
    problems: list[DatasetProblem] = []
    notes: list[DatasetProblem] = []
    fixed_files: dict[str, str | SourceError] = {}
    widened: list[str] = []
    for index in missing:
        location = locations[index]
        where = f"locations.{index}.gold"
        try:
            vulnerable = (tree / location.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # masking the file reports it, naming the file
        if location.file not in fixed_files:
            try:
                fixed_files[location.file] = _fixed_file(instance, location.file)
            except SourceError as exc:
                fixed_files[location.file] = exc
        fixed = fixed_files[location.file]
        if isinstance(fixed, SourceError):
            notes.append(DatasetProblem(instance.id, tree / location.file, where,
                                        f"no gold fix: {error_line(fixed)}"))
            continue
        try:
            fitted = fit_gold(vulnerable, fixed, location, instance.language)
        except GoldRejected as exc:
            problems.append(DatasetProblem(instance.id, tree / location.file, where, str(exc)))
            continue
        if (fitted.start, fitted.end) != (location.start, location.end):
            widened.append(f"locations.{index}: {location.start}-{location.end} -> "
                           f"{fitted.start}-{fitted.end}")
        locations[index] = fitted
    clash = _overlap(locations)
    if clash is not None and widened:
        i, j = clash
        problems.append(DatasetProblem(
            instance.id, tree / locations[j].file, f"locations.{j}",
            f"overlaps locations.{i} once widened to the syntax node the fix needs "
            f"({'; '.join(widened)})"))
    update: dict[str, object] = {"locations": locations}
    if widened:
        update["metadata"] = {**instance.metadata, "widened_regions": widened}
    return DerivedGold(instance.model_copy(update=update), problems, notes)

