"""The terminal report of `asebench mutate`: per operator tried/kept, per mutant distance and
verdict, the memorisation share, and what was skipped or discarded with the reason."""

from __future__ import annotations

from pathlib import Path
from statistics import mean

from asebench.mutation.distance import Distance
from asebench.mutation.revalidate import MutantReport, MutationReport
from asebench.mutation.spec import read_spec, spec_files


def report_lines(report: MutationReport) -> list[str]:
    lines = ["operator               tried  kept"]
    for name, (tried, kept) in report.per_operator().items():
        lines.append(f"{name:<22} {tried:>5} {kept:>5}")
    lines.append("")
    for mutant in report.mutants:
        files = [d for k, d in mutant.distances.items() if not k.startswith("region ")]
        regions = [d for k, d in mutant.distances.items() if k.startswith("region ")]
        renamed = mean(d.renamed_share for d in files) if files else 0.0
        overlap = mean(d.ngram_overlap for d in files) if files else 1.0
        in_regions = mean(d.renamed_share for d in regions) if regions else 0.0
        memo = ("-" if mutant.upstream_vulnerable_fails is None else
                f"upstream vulnerable {'fails' if mutant.upstream_vulnerable_fails else 'passes'}"
                f" / fixed {'fails' if mutant.upstream_fixed_fails else 'passes'} quality")
        verdict = "kept" if mutant.kept else f"discarded: {mutant.reason}"
        lines.append(f"{mutant.name}: {verdict}; renamed {renamed:.1%} of the file's "
                     f"identifiers ({in_regions:.1%} in the regions), 4-gram overlap "
                     f"{overlap:.1%}; {memo}; operators "
                     f"{', '.join(mutant.applied)}")
    for what, reason in report.skipped:
        lines.append(f"{what}: skipped: {reason}")
    kept_count = sum(m.kept for m in report.mutants)
    caught, judged = report.memorisation_share()
    lines.append("")
    lines.append(f"{kept_count} of {len(report.mutants)} mutant(s) kept; verbatim upstream code "
                 f"fails quality in {caught} of {judged} kept mutant(s) (both regions)")
    return lines


def print_report(report: MutationReport) -> None:
    for line in report_lines(report):
        print(line)


def report_of_specs(folder: Path) -> MutationReport:
    """The report of every spec-only mutant under `folder` (kept and discarded, from their
    re-validation records; specs never validated are left out). Raises DatasetError for a
    spec that does not parse."""
    report = MutationReport()
    for path in spec_files(folder):
        spec = read_spec(path)
        record = spec.revalidation
        if record is None:
            continue
        report.mutants.append(MutantReport(
            spec.original.id, spec.id, record.kept, record.reason, list(record.applied),
            {k: Distance(d["renamed_share"], d["ngram_overlap"])
             for k, d in record.distances.items()},
            record.upstream_vulnerable_fails, record.upstream_fixed_fails,
            spec.mutation.seed, list(spec.mutation.operators), spec.names.model_dump(),
            record.verdicts, record.date))
    return report
