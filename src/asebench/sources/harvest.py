"""`asebench dataset new`: turn an advisory (a source, its fixed version, the fixed file) into an
instance skeleton.

Both versions are fetched the way `run` fetches them (`fetch_tree` / `fetch_fixed_tree`), the
file is diffed, and every change is mapped to the function or method that holds it
(tree-sitter): one location per touched function; a change outside any function becomes the
smallest run of whole syntax nodes around it, and code the fix only adds between definitions
becomes a zero-line insertion point. The record written names no gold: it is derived from the
fixed version at fetch time, as for every real instance. Rules, PoC, test, variants and the
neutral description are left to write, listed in `README-TODO.md`.

A new source kind plugs in by adding its `--source` spelling to `SOURCE_SPECS` (and its fetch
to `sources.fetch`); its pin (sha256) is filled by `_pinned`. A Debian source package has no
fixed version: `debian:PACKAGE[:VERSION]` with `--patch NAME` (a `DebianFix`) names the CVE's
patch in `debian/patches/series`, and `sources.debian_fix` pins the orig, the patches before it
and the patch itself before both trees are built.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tree_sitter
import yaml
from pydantic import ValidationError

from asebench.code.languages import LANGUAGES, parse
from asebench.dataset.gold import changed_hunks, derive_gold, line_count, replace_region
from asebench.dataset.native import INSTANCE_FILE
from asebench.dataset.schema import (
    DebianSource,
    GitSource,
    GomodSource,
    Language,
    Location,
    MavenSource,
    NpmSource,
    PypiSource,
    Source,
)
from asebench.sources.debian_fix import pin_fix
from asebench.sources.fetch import fetch_fixed_tree, fetch_tree
from asebench.sources.fix_commit import GoldRejected, fit_gold, widen_to_syntax
from asebench.sources.git import resolve_url
from asebench.sources.tree import SourceTree

TODO_FILE = "README-TODO.md"
PLACEHOLDER_CWE = "CWE-0"
"""Not a weakness: the skeleton's stand-in until the advisory's CWE is written in."""
DESCRIPTION_TODO = ("TODO: describe what the masked code does, neutrally (what a developer "
                    "would be asked to write), without naming the weakness or the fix.")
MAX_FUNCTION_LINES = 200
"""A touched function longer than this (a module wrapper, a huge switch) is not masked whole:
the change is masked as the smallest run of syntax nodes around it instead."""

FUNCTION_NODES: dict[Language, frozenset[str]] = {
    Language.PYTHON: frozenset({"function_definition"}),
    Language.JAVASCRIPT: frozenset({
        "function_declaration", "generator_function_declaration", "function_expression",
        "function", "arrow_function", "method_definition"}),
    Language.TYPESCRIPT: frozenset({
        "function_declaration", "generator_function_declaration", "function_expression",
        "function", "arrow_function", "method_definition"}),
    Language.JAVA: frozenset({"method_declaration", "constructor_declaration"}),
    Language.GO: frozenset({"function_declaration", "method_declaration", "func_literal"}),
    Language.PHP: frozenset({"function_definition", "method_declaration"}),
    Language.C: frozenset({"function_definition"}),
}
"""The tree-sitter node types that are a function or method, per language."""


class HarvestError(ValueError):
    """The advisory cannot be turned into a skeleton: the message names the field and why."""


def _pypi(rest: str, fixed: str) -> Source:
    name, _, version = rest.rpartition(":")
    return PypiSource(name=name, version=version, fixed_version=fixed)


def _npm(rest: str, fixed: str) -> Source:
    name, _, version = rest.rpartition(":")
    return NpmSource(name=name, version=version, fixed_version=fixed)


def _maven(rest: str, fixed: str) -> Source:
    parts = rest.split(":")
    if len(parts) != 3 or not all(parts):
        raise HarvestError(f"--source 'maven:{rest}': expected maven:GROUP:ARTIFACT:VERSION")
    group, artifact, version = parts
    return MavenSource(group=group, artifact=artifact, version=version, fixed_version=fixed)


def _gomod(rest: str, fixed: str) -> Source:
    module, _, version = rest.rpartition(":")
    return GomodSource(module=module, version=version, fixed_version=fixed)


def _git(rest: str, fixed: str) -> Source:
    url, _, rev = rest.rpartition(":")  # the URL may hold ':' (https://, host:path)
    return GitSource(url=url, rev=rev, fixed_rev=fixed)


SOURCE_SPECS: dict[str, tuple[str, Callable[[str, str], Source]]] = {
    "pypi": ("pypi:NAME:VERSION", _pypi),
    "npm": ("npm:NAME:VERSION", _npm),
    "maven": ("maven:GROUP:ARTIFACT:VERSION", _maven),
    "gomod": ("gomod:MODULE:VERSION", _gomod),
    "git": ("git:URL:REV", _git),
}
"""`--source` kinds: the spelling shown in errors, and the parser of what follows `KIND:`
(given the `--fixed` version or revision)."""

DEBIAN_SPEC = "debian:PACKAGE[:VERSION]"
"""The `--source` spelling of a Debian source package (with `--patch`, not `--fixed`);
without VERSION, the newest version in the package lists."""
DEBIAN_PACKAGE = re.compile(r"^[a-z0-9][a-z0-9.+-]+$")


@dataclass(frozen=True)
class DebianFix:
    """A Debian CVE patch to harvest: `--source debian:PACKAGE[:VERSION] --patch NAME`
    (`version` None: the newest in the package lists)."""

    package: str
    version: str | None
    patch: str


def parse_source(spec: str, fixed: str) -> Source:
    """The source named by `--source KIND:…` with `--fixed` as its fixed version (registry
    kinds) or fix revision (git). Raises `HarvestError` naming the accepted spellings."""
    kind, _, rest = spec.partition(":")
    spellings = ", ".join([*(spelling for spelling, _ in SOURCE_SPECS.values()), DEBIAN_SPEC])
    if kind == "debian":
        raise HarvestError(f"--source {spec!r}: a Debian source's fix is its CVE patch: give "
                           "--patch NAME instead of --fixed")
    if kind not in SOURCE_SPECS:
        raise HarvestError(f"--source {spec!r}: unknown kind {kind!r} (expected {spellings})")
    spelling, build = SOURCE_SPECS[kind]
    head, _, tail = rest.rpartition(":")
    if not head or not tail:
        raise HarvestError(f"--source {spec!r}: expected {spelling}")
    try:
        return build(rest, fixed)
    except ValidationError as exc:
        reasons = "; ".join(str(error["msg"]).removeprefix("Value error, ")
                            for error in exc.errors())
        raise HarvestError(f"--source {spec!r} / --fixed {fixed!r}: {reasons}") from exc


def parse_debian(spec: str, patch: str) -> DebianFix:
    """The Debian fix named by `--source debian:PACKAGE[:VERSION]` and `--patch NAME` (the
    version may hold an epoch's ':'). Raises `HarvestError` on a malformed package name."""
    kind, _, rest = spec.partition(":")
    package, _, version = rest.partition(":")
    if kind != "debian" or not DEBIAN_PACKAGE.match(package):
        raise HarvestError(f"--source {spec!r}: expected {DEBIAN_SPEC} (a source package name: "
                           "lower case letters, digits, '.', '+', '-')")
    if not patch.strip():
        raise HarvestError("--patch: empty (the CVE patch's name in debian/patches/series)")
    return DebianFix(package, version or None, patch.strip())


def parse_advisory(spec: str, *, fixed: str | None = None, patch: str | None = None
                   ) -> Source | DebianFix:
    """What `dataset new` was asked to harvest: `--source` with `--fixed` (every kind but
    debian) or with `--patch` (debian). Raises `HarvestError` naming the option missing or
    not meant for this kind."""
    kind = spec.partition(":")[0]
    if kind == "debian":
        if fixed is not None:
            raise HarvestError(f"--fixed {fixed!r}: a Debian source's fix is its CVE patch: "
                               "give --patch NAME instead")
        if patch is None:
            raise HarvestError(f"--source {spec!r}: needs --patch NAME (the CVE's patch in "
                               "debian/patches/series)")
        return parse_debian(spec, patch)
    if patch is not None:
        raise HarvestError(f"--patch {patch!r}: only for {DEBIAN_SPEC} sources (use --fixed)")
    if fixed is None:
        raise HarvestError(f"--source {spec!r}: needs --fixed (the fixed version or fix "
                           "revision)")
    return parse_source(spec, fixed)


def language_of_file(path: str) -> Language:
    """The language of `path` by its extension. Raises `HarvestError` when none claims it."""
    lowered = path.lower()
    for language, entry in LANGUAGES.items():
        if any(lowered.endswith(suffix) for suffix in entry.extensions):
            return language
    raise HarvestError(f"--file {path!r}: no language asebench masks has this extension")


def _last_line(node: tree_sitter.Node) -> int:
    """The 1-based last line of `node` (a node ending with its line's newline ends there)."""
    row, column = node.end_point
    return row if column == 0 and row > node.start_point[0] else row + 1


def _enclosing_function(tree: tree_sitter.Tree, language: Language, first: int, last: int
                        ) -> tree_sitter.Node | None:
    """The innermost function or method node holding lines `first..last` (1-based)."""
    kinds = FUNCTION_NODES[language]
    best: tree_sitter.Node | None = None
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.start_point[0] + 1 > first or _last_line(node) < last:
            continue
        if node.type in kinds:
            best = node  # children are visited later: an inner function replaces it
        stack.extend(node.named_children)
    return best


@dataclass(frozen=True)
class Touched:
    """One location the fix touches, and what it is (`function NAME`, `lines`, `insertion`)."""

    start: int
    end: int
    what: str


def _name(node: tree_sitter.Node) -> str:
    """A function's name, or for an anonymous one what it is assigned to (`exports.quote`)."""
    named = node.child_by_field_name("name")
    declarator = node.child_by_field_name("declarator")
    while named is None and declarator is not None:  # C: `static int *f(void)` nests it
        inner = declarator.child_by_field_name("declarator")
        if inner is None:
            named = declarator
        declarator = inner
    parent = node.parent
    if named is None and parent is not None:
        named = (parent.child_by_field_name("left") or parent.child_by_field_name("name")
                 or parent.child_by_field_name("key"))
        if named is not None and named.end_byte > node.start_byte:
            named = None  # not a name given to this function
    if named is not None and named.text is not None:
        return named.text.decode("utf-8", "replace")
    return "(anonymous)"


def _touched_by(text: str, tree: tree_sitter.Tree, language: Language, path: str,
                first: int, last: int) -> Touched:
    """The function holding lines `first..last`, or the syntax nodes around them."""
    function = _enclosing_function(tree, language, first, last)
    if function is not None:
        start, end = function.start_point[0] + 1, _last_line(function)
        if end - start + 1 <= MAX_FUNCTION_LINES:
            return Touched(start, end, f"{function.type} {_name(function)}")
    span = widen_to_syntax(text, language, path, first, last)
    if span is None:
        raise HarvestError(f"--file {path!r}: the change at lines {first}-{last} is held by no "
                           "syntax node smaller than the file")
    return Touched(span[0], span[1], "lines")


def touched_locations(vulnerable: str, fixed: str, path: str, language: Language
                      ) -> list[Touched]:
    """Where the fix changes `path`: one entry per touched function (or run of syntax nodes
    outside functions) and per insertion between them, in file order, none overlapping.
    Raises `HarvestError` when the file is the same in both versions."""
    hunks = changed_hunks(vulnerable, fixed)
    if not hunks:
        raise HarvestError(f"--file {path!r}: the fixed version does not change it")
    tree = parse(language, vulnerable, path)
    count = line_count(vulnerable)
    regions: list[Touched] = []
    insertions: list[int] = []
    for hunk in hunks:
        if hunk.end >= hunk.start:
            regions.append(_touched_by(vulnerable, tree, language, path, hunk.start, hunk.end))
            continue
        # a pure insertion before line `hunk.start`: inside a function when one holds the
        # lines on both sides of it
        before, after = max(hunk.start - 1, 1), min(hunk.start, count)
        function = _enclosing_function(tree, language, before, after)
        if (function is not None and hunk.start - 1 >= 1 and hunk.start <= count
                and function.start_point[0] + 1 < hunk.start <= _last_line(function)):
            regions.append(_touched_by(vulnerable, tree, language, path, before, after))
        else:
            insertions.append(hunk.start)
    merged = _merge(vulnerable, language, path, regions)
    points = sorted({line for line in insertions
                     if not any(r.start <= line <= r.end + 1 for r in merged)})
    found = merged + [Touched(line, line - 1, "insertion") for line in points]
    return sorted(found, key=lambda t: (t.start, t.end))


def _merge(text: str, language: Language, path: str, regions: list[Touched]) -> list[Touched]:
    """Overlapping regions joined (and widened again to whole syntax nodes)."""
    merged: list[Touched] = []
    for region in sorted(set(regions), key=lambda r: (r.start, -r.end)):
        if merged and region.start <= merged[-1].end:
            last = merged.pop()
            if region.end <= last.end:
                merged.append(last)
                continue
            span = widen_to_syntax(text, language, path, last.start, region.end)
            start, end = span if span is not None else (last.start, region.end)
            merged.append(Touched(start, end, f"{last.what} + {region.what}"))
            continue
        merged.append(region)
    return merged


def _fitted(vulnerable: str, fixed: str, path: str, language: Language,
            touched: list[Touched]) -> tuple[list[Location], bool]:
    """The locations as the fetch-time derivation will see them (widened where a fix hunk
    crosses one), and whether their derived golds together give the fixed file."""
    locations = []
    for item in touched:
        location = Location(file=path, start=item.start, end=item.end)
        try:
            locations.append(fit_gold(vulnerable, fixed, location, language))
        except GoldRejected as exc:
            raise HarvestError(f"--file {path!r}: lines {item.start}-{item.end}: {exc}") from exc
    rebuilt = vulnerable
    for location in sorted(locations, key=lambda loc: (-loc.start, -loc.end)):
        gold = derive_gold(vulnerable, fixed, location.start, location.end)
        rebuilt = replace_region(rebuilt, location.start, location.end, gold)
    bare = [loc.model_copy(update={"gold": None}) for loc in locations]
    return bare, rebuilt == fixed


def _pinned(source: Source, vulnerable: SourceTree, fixed: SourceTree) -> Source:
    """`source` pinned to what was fetched: a PyPI, npm, Maven or Go module archive's sha256
    (the tree's digest is the archive's sha256), a git source's full commit shas (the trees'
    digests); a Debian source is pinned already (by `sources.debian_fix`)."""
    if isinstance(source, (PypiSource, NpmSource, MavenSource, GomodSource)):
        return source.model_copy(update={"sha256": vulnerable.digest})
    if isinstance(source, GitSource):
        return source.model_copy(update={"rev": vulnerable.digest, "fixed_rev": fixed.digest})
    return source


def _portable(source: Source, directory: Path) -> Source:
    """A local git repository named relative to the instance folder (the dataset loader
    accepts only local repositories inside the dataset folder, by relative path)."""
    if isinstance(source, GitSource):
        url = resolve_url(source.url)
        if os.path.isabs(url):
            return source.model_copy(update={"url": os.path.relpath(url, directory)})
    return source


def default_id(source: Source, cve: str | None) -> str:
    """`<name>-<CVE>` (or `<name>-<version>`; a Debian source: `<package>-<patch name>`), in
    the characters an instance id allows."""
    if isinstance(source, (PypiSource, NpmSource)):
        name, version = source.name.rsplit("/", 1)[-1], source.version
    elif isinstance(source, MavenSource):
        name, version = source.artifact, source.version
    elif isinstance(source, GomodSource):
        name, version = source.module.rsplit("/", 1)[-1], source.version
    elif isinstance(source, GitSource):
        name = source.url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
        version = source.rev[:12]
    elif isinstance(source, DebianSource):
        stem = source.fix_patch.name.rsplit("/", 1)[-1]
        name, version = source.package, re.sub(r"\.(patch|diff)$", "", stem)
    else:
        name, version = "instance", "new"
    return re.sub(r"[^A-Za-z0-9._+-]+", "-", f"{name}-{cve or version}").strip("-")


@dataclass(frozen=True)
class Harvested:
    """The skeleton written: its folder, the record, what each location is (in the order of
    the record's locations), and whether the derived golds rebuild every fixed file (False:
    the fix also changes code no location holds, e.g. lines the derivation could not map)."""

    directory: Path
    record: dict[str, object]
    touched: list[Touched]
    complete: bool


def _language_of(files: Sequence[str]) -> Language:
    """The one language of `files`. Raises `HarvestError` when they differ (an instance has
    one language) or none is given."""
    if not files:
        raise HarvestError("--file: give at least one file the fix changes")
    languages = {file: language_of_file(file) for file in files}
    if len(set(languages.values())) > 1:
        shown = ", ".join(f"{file} ({language.value})" for file, language in languages.items())
        raise HarvestError(f"--file: an instance has one language, these files have several: "
                           f"{shown}")
    return languages[files[0]]


def _read(tree: SourceTree, file: str, which: str) -> str:
    try:
        return (tree.root / file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HarvestError(f"--file {file!r}: cannot be read in the {which} version: "
                           f"{exc}") from exc


def harvest(source: Source | DebianFix, files: str | Sequence[str], *, out: Path,
            instance_id: str | None = None, cve: str | None = None,
            cwe: str | None = None) -> Harvested:
    """Fetch both versions of `source` (a `DebianFix` is pinned first: see
    `sources.debian_fix`), find what the fix changes in each of `files`, and write the instance
    skeleton to `out/<id>/`. Raises `HarvestError` (bad file, no change, folder exists) and
    `SourceError` (a version cannot be fetched, a Debian patch is not in the series)."""
    names = [files] if isinstance(files, str) else list(dict.fromkeys(files))
    language = _language_of(names)
    note = ""
    if isinstance(source, DebianFix):
        pinned_fix = pin_fix(source.package, source.patch, source.version)
        source, note = pinned_fix.source, f" (Debian {source.package} {pinned_fix.version})"
    vulnerable_tree = fetch_tree(source)
    fixed_tree = fetch_fixed_tree(source)
    locations: list[Location] = []
    touched: list[Touched] = []
    complete = True
    for file in names:
        vulnerable = _read(vulnerable_tree, file, "vulnerable")
        fixed = _read(fixed_tree, file, "fixed")
        found = touched_locations(vulnerable, fixed, file, language)
        fitted, whole = _fitted(vulnerable, fixed, file, language, found)
        locations += fitted
        touched += found
        complete = complete and whole
    pinned = _pinned(source, vulnerable_tree, fixed_tree)
    name = instance_id or default_id(pinned, cve)
    directory = out / name
    if directory.exists():
        raise HarvestError(f"--out: {directory} already exists")
    record: dict[str, object] = {
        "id": name,
        **({"cve": cve} if cve else {}),
        "cwe": cwe or PLACEHOLDER_CWE,
        "language": language.value,
        "description": DESCRIPTION_TODO,
        "source": _portable(pinned, directory.absolute()).model_dump(exclude_none=True),
        "locations": [loc.model_dump(exclude_none=True) for loc in locations],
        "metadata": {"gold": f"Derived at fetch time from {_fix_name(pinned)}{note}."},
    }
    directory.mkdir(parents=True)
    (directory / "rules").mkdir()
    (directory / INSTANCE_FILE).write_text(
        yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100),
        encoding="utf-8")
    result = Harvested(directory, record, touched, complete)
    (directory / TODO_FILE).write_text(todo_text(result, locations), encoding="utf-8")
    return result


def _fix_name(source: Source) -> str:
    if isinstance(source, GitSource):
        return f"the fix commit {source.fixed_rev}"
    if isinstance(source, DebianSource):
        return f"the CVE patch {source.fix_patch.name}"
    fixed = getattr(source, "fixed_version", None)
    return f"the fixed release {fixed}" if fixed else "the fix"


def todo_text(result: Harvested, locations: list[Location]) -> str:
    """The README-TODO: what the harvester found, and what is left to write."""
    record = result.record
    lines = [f"# {record['id']}: left to write", "",
             "Found by `asebench dataset new` (locations are whole functions or syntax nodes "
             "the fix touches; their gold is derived at fetch time):", ""]
    for item, location in zip(result.touched, locations, strict=True):
        span = (f"insertion point before line {location.start}" if location.end < location.start
                else f"lines {location.start}-{location.end}")
        widened = "" if (item.start, item.end) == (location.start, location.end) else (
            f" (widened from {item.start}-{item.end}: a fix hunk crossed it)")
        lines.append(f"- `{location.file}` {span}: {item.what}{widened}")
    if not result.complete:
        lines += ["", "**The derived golds do not rebuild the whole fixed file(s)**: check "
                  "which change no location holds."]
    lines += [
        "",
        "To do (see src/asebench/data/README.md):",
        "",
        f"- [ ] `cwe` (now the placeholder {PLACEHOLDER_CWE} unless given), `cve`/`ghsa`, "
        "`severity`",
        "- [ ] `description`: neutral, what the region does (replace the TODO text)",
        "- [ ] locations: keep the ones that hold the security fix, drop refactorings; where "
        "the fix defines a helper elsewhere, keep its insertion point or region",
        "- [ ] `metadata.advisory`, `metadata.fix` (what the fix changes and why)",
        "- [ ] `rules/`: semgrep rules that flag the vulnerable code and pass the fix",
        "- [ ] `poc.py` (`poc: {run: [asebench-judge, poc.py]}`): shows the vulnerability",
        "- [ ] `test.py` (`test: {run: [asebench-judge, test.py]}`): the functionality works",
        "- [ ] `variants/`: at least 3 secure and 3 vulnerable answers written differently "
        "from the gold and the original (a bypassable guard and a plain rewrite among them)",
        "- [ ] `asebench dataset lint` and `asebench validate` on the instance; delete this "
        "file",
        "",
    ]
    return "\n".join(lines)
