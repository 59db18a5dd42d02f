"""`asebench mutate DATASET --out DIR --per-instance N --seed S`: the command's parser and
handler (kept here so that the main command line only registers it)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from asebench.cli import positive_int
from asebench.mutation.operators import OPERATORS

REPORT_FILE = "mutation-report.json"
WORK_DIR = ".mutate-work"
"""Where `--spec-only` writes the mutant folders it validates (removed afterwards)."""


def add_mutate_parser(subparsers: Any) -> None:
    """Register `mutate` on the main parser's subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "mutate", help="write re-validated mutant instances (renamed, restructured code)",
        description="write mutant instances of a dataset in the native format (upstream "
        "source + mutation spec), keep those validate still passes, report per operator",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("dataset", help="`builtin`, `builtin/real`, or a dataset directory")
    parser.add_argument("--out", type=Path, required=True, help="folder for the mutants")
    parser.add_argument("--per-instance", type=positive_int, default=2,
                        help="mutants per instance")
    parser.add_argument("--seed", type=int, default=0, help="seed of every mutant's seed")
    parser.add_argument("--operators", help="comma-separated operator names (default: all "
                        f"for the language): {', '.join(OPERATORS)}")
    parser.add_argument("--instances", help="comma-separated instance ids")
    parser.add_argument("--no-validate", action="store_true",
                        help="write the mutants without re-validating them (nothing is kept "
                        "or discarded)")
    parser.add_argument("--no-dynamic", action="store_true", help="skip PoCs and tests")
    parser.add_argument("--repeat", type=int, default=1, help="validation repetitions")
    parser.add_argument("--jobs", type=int, default=None, help="instances validated at once")
    parser.add_argument("--spec-only", action="store_true",
                        help="write one small `<id>.mutant.yaml` per mutant (the original it "
                        "derives from, seed, operators, renames, re-validation record; kept "
                        "or discarded) instead of mutant folders: the form of builtin-mutated")
    parser.set_defaults(handler=_mutate)


def _mutate(args: argparse.Namespace) -> int:
    from asebench.cli import unknown_ids
    from asebench.dataset.errors import DatasetError
    from asebench.dataset.load import load_dataset, resolve_dataset_path
    from asebench.dataset.selection import select
    from asebench.mutation.report import print_report
    from asebench.mutation.revalidate import mutate_dataset

    operators = [o.strip() for o in args.operators.split(",")] if args.operators else None
    unknown = [o for o in operators or [] if o not in OPERATORS]
    if unknown:
        print(f"asebench mutate: unknown operator {unknown[0]!r} (known: "
              f"{', '.join(OPERATORS)})", file=sys.stderr)
        return 2
    try:
        loaded = select(load_dataset(args.dataset), args.instances, args.dataset)
    except DatasetError as exc:
        print(f"asebench mutate: {exc}", file=sys.stderr)
        return 2
    unknown = unknown_ids(loaded.problems)
    if unknown:  # a typo in --instances: say so, rather than mutate nothing for minutes
        for problem in unknown:
            print(f"asebench mutate: --instances: {problem.message}", file=sys.stderr)
        return 2
    for problem in loaded.problems:
        print(f"invalid: {problem}", file=sys.stderr)
    source = resolve_dataset_path(args.dataset).resolve()
    inside = args.out.resolve().is_relative_to(source)  # local sources stay reachable
    root = source if inside else None
    work = args.out / WORK_DIR if args.spec_only else args.out
    if args.spec_only:  # temporary folders: confined to what holds them and the originals
        root = Path(os.path.commonpath([source, args.out.resolve()]))
    try:
        report = mutate_dataset(loaded.instances, work, per_instance=args.per_instance,
                                seed=args.seed, operators=operators,
                                validate=not args.no_validate, dynamic=not args.no_dynamic,
                                repeat=args.repeat, jobs=args.jobs, dataset_root=root)
        print_report(report)
        if args.spec_only:
            _write_specs(report, loaded.instances, args.dataset, args.out)
        else:
            path = args.out / REPORT_FILE
            path.write_text(json.dumps(report.as_json(), indent=2), encoding="utf-8")
            print(f"written: {path}")
    finally:
        if args.spec_only:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if any(m.kept for m in report.mutants) else 1


def _write_specs(report: Any, instances: list[Any], dataset: str, out: Path) -> None:
    """One spec per judged mutant into `out`, then the tally of every spec `out` holds."""
    from asebench.mutation.report import print_report, report_of_specs
    from asebench.mutation.revalidate import spec_of
    from asebench.mutation.spec import original_ref, write_spec

    by_id = {instance.id: instance for instance in instances}
    for entry in report.mutants:
        path = write_spec(spec_of(entry, original_ref(by_id[entry.instance], dataset, out)), out)
        print(f"written: {path}")
    print(f"\nevery spec in {out}:")
    print_report(report_of_specs(out))
