"""`asebench mutate DATASET --out DIR --per-instance N --seed S`: the command's parser and
handler (kept here so that the main command line only registers it)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from asebench.cli import positive_int
from asebench.mutation.operators import OPERATORS

REPORT_FILE = "mutation-report.json"


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
    parser.set_defaults(handler=_mutate)


def _mutate(args: argparse.Namespace) -> int:
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
    for problem in loaded.problems:
        print(f"invalid: {problem}", file=sys.stderr)
    source = resolve_dataset_path(args.dataset).resolve()
    inside = args.out.resolve().is_relative_to(source)  # local sources stay reachable
    report = mutate_dataset(loaded.instances, args.out, per_instance=args.per_instance,
                            seed=args.seed, operators=operators, validate=not args.no_validate,
                            dynamic=not args.no_dynamic, repeat=args.repeat, jobs=args.jobs,
                            dataset_root=source if inside else None)
    print_report(report)
    path = args.out / REPORT_FILE
    path.write_text(json.dumps(report.as_json(), indent=2), encoding="utf-8")
    print(f"written: {path}")
    return 0 if any(m.kept for m in report.mutants) else 1
