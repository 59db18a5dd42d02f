"""What a dataset holds, instance by instance and in totals (`asebench dataset list|stats`).

Read from the records alone (no source is fetched): the CWE, language, severity, where the
code comes from, and which oracles can judge each instance — rule ids with their roles, PoC,
functional test, container checks — and how many variants prove them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from asebench.dataset.rules import RuleError, rule_roles
from asebench.dataset.schema import (
    DebianSource,
    GitSource,
    Instance,
    LocalSource,
    NpmSource,
    PypiSource,
)
from asebench.dataset.variants import load_variants


@dataclass(frozen=True)
class Entry:
    """One instance as `dataset list` shows it."""

    id: str
    cwe: str
    language: str
    severity: str
    kind: str
    """`real` or `synthetic`."""
    source: str
    decisive_rules: int
    advisory_rules: int
    poc: bool
    test: bool
    variants: int

    @property
    def oracles(self) -> str:
        """The oracles that can judge it, e.g. `rules(2)+PoC` (`none` when nothing can)."""
        parts = []
        if self.decisive_rules or self.advisory_rules:
            advisory = f", {self.advisory_rules} advisory" if self.advisory_rules else ""
            parts.append(f"rules({self.decisive_rules}{advisory})")
        if self.poc:
            parts.append("PoC")
        return "+".join(parts) or "none"

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "oracles": self.oracles}


def _source(instance: Instance) -> str:
    source = instance.source
    if isinstance(source, PypiSource):
        return f"pypi {source.name}=={source.version}"
    if isinstance(source, NpmSource):
        return f"npm {source.name}@{source.version}"
    if isinstance(source, GitSource):
        return f"git {source.url}@{source.rev}"
    if isinstance(source, DebianSource):
        return f"debian {source.package} {source.orig.name}"
    if isinstance(source, LocalSource):
        return f"local {source.path}"
    return str(getattr(source, "kind", "?"))


def entry(instance: Instance) -> Entry:
    """One instance's catalogue entry (unreadable rule files count as no rule)."""
    try:
        roles = list(rule_roles(instance.rules).values())
    except RuleError:
        roles = []
    variants, _ = load_variants(instance.root, instance.id)
    container = instance.container
    return Entry(
        id=instance.id, cwe=instance.cwe, language=instance.language.value,
        severity=instance.severity.value if instance.severity else "—",
        kind="synthetic" if instance.synthetic else "real", source=_source(instance),
        decisive_rules=roles.count("decisive"), advisory_rules=roles.count("advisory"),
        poc=instance.poc is not None or bool(container and container.poc_cmd),
        test=instance.test is not None or bool(container and container.test_cmd),
        variants=len(variants))


def totals(entries: list[Entry]) -> dict[str, Any]:
    """Counts per CWE, language, severity and kind, and of instances per oracle."""
    return {
        "instances": len(entries),
        "per_cwe": dict(sorted(Counter(e.cwe for e in entries).items(),
                               key=lambda item: int(item[0].removeprefix("CWE-")))),
        "per_language": dict(sorted(Counter(e.language for e in entries).items())),
        "per_severity": dict(sorted(Counter(e.severity for e in entries).items())),
        "per_kind": dict(sorted(Counter(e.kind for e in entries).items())),
        "with_rules": sum(bool(e.decisive_rules or e.advisory_rules) for e in entries),
        "with_poc": sum(e.poc for e in entries),
        "with_test": sum(e.test for e in entries),
        "without_oracle": sum(e.oracles == "none" for e in entries),
        "variants": sum(e.variants for e in entries),
    }
