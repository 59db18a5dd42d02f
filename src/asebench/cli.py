"""The `asebench` command line: parses options and calls the modules that do the work."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asebench.agents.cli import add_agent_audit_parser, add_agent_options, agent_task_args
from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.options import BASELINES, CONTEXT_STRATEGIES, installed_version

DEFAULT_LOG_DIR = "logs"
BASELINE_MODEL = "none/none"
DEFAULT_MAX_RETRIES = 3
WIDE_OUTPUT = 240
"""Columns of a table printed into a pipe or a file (`dataset list | grep …`)."""


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1 (argparse turns the ValueError into a one-line error)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {value}")
    return value


class _Formatter(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's help ends with its default, unless the help already says it or there
    is none to say (an unset option, an off switch): no "(default 60) (default: 60)"."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        unset = action.default is None or action.default is False or action.default == []
        if "default" in text or unset or action.default == argparse.SUPPRESS:
            return text
        return super()._get_help_string(action)


def _parser(subparsers: Any, name: str, help: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help, description=help, formatter_class=_Formatter)
    return parser


def _add_run(subparsers: Any) -> None:
    run = _parser(subparsers, "run", "evaluate a model (or a baseline) on a dataset")
    run.add_argument("--dataset", default="builtin",
                     help="`builtin`, `builtin-mutated`, a dataset directory, or an A.S.E "
                     "JSON file")
    run.add_argument("--mutants", action="store_const", const="builtin-mutated",
                     dest="dataset", help="the re-validated mutants of the real built-in "
                     "instances: `--dataset builtin-mutated`")
    run.add_argument("--model", help="any Inspect model, e.g. openai/gpt-4o, "
                     "openai-api/vllm/qwen (then set VLLM_BASE_URL / VLLM_API_KEY)")
    run.add_argument("--model-base-url", help="base URL of the model API")
    run.add_argument("--baseline", choices=BASELINES,
                     help="answer with the gold fix or the vulnerable code; calls no model")
    run.add_argument("--cycles", type=positive_int, default=3, help="generation rounds")
    run.add_argument("--context", default="bm25", choices=CONTEXT_STRATEGIES,
                     help="how project context is retrieved for the prompt")
    run.add_argument("--budget-tokens", type=positive_int, default=4000,
                     help="token budget of the retrieved context")
    run.add_argument("--security-reminder", action="store_true",
                     help="add one sentence asking for secure code to the prompt")
    run.add_argument("--no-dynamic", action="store_true", help="skip functional tests and PoCs")
    run.add_argument("--sandbox", choices=["bwrap", "docker", "k8s"], default="bwrap",
                     help="sandbox for A.S.E container instances (native ones use bwrap)")
    run.add_argument("--keep-going", action="store_true",
                     help="skip instances that fail to load or fetch, run the rest")
    run.add_argument("--instances", help="comma-separated instance ids")
    run.add_argument("--limit", type=positive_int, default=None,
                     help="only the first N instances (the others are never fetched)")
    run.add_argument("--log-dir", default=DEFAULT_LOG_DIR, help="where Inspect logs are written")
    run.add_argument("--resume", action="store_true",
                     help="continue the newest unfinished run in --log-dir")
    run.add_argument("--max-connections", type=positive_int, default=None,
                     help="concurrent model requests (None: Inspect's default)")
    run.add_argument("--max-sandboxes", type=positive_int, default=None,
                     help="samples judged in a sandbox at once (None: 5 per CPU; "
                     "judging mostly waits: see the README's Speed section)")
    run.add_argument("--temperature", type=float, default=None,
                     help="sampling temperature (None: the provider's default)")
    run.add_argument("--max-tokens", type=positive_int, default=None,
                     help="most tokens a model may generate per answer (None: Inspect's default)")
    run.add_argument("-M", "--model-arg", action="append", default=[], metavar="KEY=VALUE",
                     help="a model argument passed to the provider (repeatable; the value is "
                     "read as YAML: numbers and booleans keep their type)")
    run.add_argument("--max-retries", type=int, default=DEFAULT_MAX_RETRIES,
                     help="retries of a failing model request (bounded, so a model API that "
                     "does not answer fails the run within minutes instead of hanging)")
    run.add_argument("--json", type=Path, help="write the scores and verdicts as JSON")
    run.add_argument("--csv", type=Path, help="write one row per sample as CSV")
    run.add_argument("--html", type=Path, help="write the scores as an HTML page")
    run.add_argument("--scoring", choices=["asebench", "ase-compat"], default="asebench",
                     help="asebench's 0-100 metrics, or A.S.E's own formula")
    add_agent_options(run)
    run.add_argument("--output-dir", type=Path, default=None,
                     help="the run's folder: scores.json, samples.csv, report.html, a copy of "
                     "the log, and per sample the answer, candidate files and diffs against the "
                     "vulnerable and gold code (None: runs/<model>/<log name>)")
    run.set_defaults(handler=_run)


def _add_score(subparsers: Any) -> None:
    score = _parser(subparsers, "score", "score a finished Inspect log, or judge answers "
                    "produced by another tool (no model call)")
    score.add_argument("log", type=Path, nargs="?", help="an Inspect log file (.eval or .json)")
    score.add_argument("--predictions", type=Path,
                       help="instead of a log: a JSON Lines file of answers "
                       "({instance_id, answer, cycle?} per line) to judge")
    score.add_argument("--dataset", default="builtin",
                       help="with --predictions: the dataset the instance ids belong to")
    score.add_argument("--rejudge", action="store_true",
                       help="run the checks again on the stored answers (current rules)")
    score.add_argument("--no-dynamic", action="store_true",
                       help="with --rejudge or --predictions: skip functional tests and PoCs")
    score.add_argument("--json", type=Path, help="write the scores and verdicts as JSON")
    score.add_argument("--csv", type=Path, help="write one row per sample as CSV")
    score.add_argument("--html", type=Path, help="write the scores as an HTML page")
    score.add_argument("--scoring", choices=["asebench", "ase-compat"], default="asebench",
                       help="asebench's 0-100 metrics, or A.S.E's own formula")
    score.add_argument("--output-dir", type=Path, default=None,
                       help="also write the run's folder (as `run` does) here")
    score.set_defaults(handler=_score)


def _add_dataset(subparsers: Any) -> None:
    dataset = _parser(subparsers, "dataset", "dataset tools")
    commands = dataset.add_subparsers(dest="dataset_command", required=True)
    lint = _parser(commands, "lint", "print every problem of a dataset")
    lint.add_argument("path", help="`builtin`, `builtin-mutated`, a dataset directory, or an "
                      "A.S.E JSON file")
    lint.add_argument("--no-fetch", action="store_true",
                      help="check without fetching sources (skips region and gold checks)")
    lint.set_defaults(handler=_lint)
    _add_new(commands)
    for name, what in (("list", "one line per instance: CWE, language, source, oracles"),
                       ("stats", "instances per CWE, language, severity; oracle coverage")):
        command = _parser(commands, name, what)
        command.add_argument("path", nargs="?", default="builtin",
                             help="`builtin`, `builtin-mutated`, a dataset directory, or "
                             "an A.S.E JSON file")
        command.add_argument("--json", type=Path, help="also write it as JSON")
        command.set_defaults(handler=_catalogue)


def _add_new(commands: Any) -> None:
    new = _parser(commands, "new", "write an instance skeleton from an advisory: fetch both "
                  "versions, find the functions the fix touches in --file")
    new.add_argument("--source", required=True,
                     help="pypi:NAME:VULN, npm:NAME:VULN, maven:GROUP:ARTIFACT:VULN, "
                          "gomod:MODULE:VULN or git:URL:REV (the vulnerable version; with "
                          "--fixed), or debian:PACKAGE[:VERSION] (with --patch; default: the "
                          "newest version in the package lists)")
    new.add_argument("--fixed", help="the fixed version (git: fix revision); every kind but "
                                     "debian")
    new.add_argument("--patch", help="debian: the CVE's patch, as named in "
                                     "debian/patches/series (the patches before it are the "
                                     "vulnerable tree)")
    new.add_argument("--file", required=True, nargs="+",
                     help="the fixed file(s), relative to the source root (one language)")
    new.add_argument("--id", help="instance id (default: NAME-CVE or NAME-VERSION)")
    new.add_argument("--cve", help="the CVE id, written into the record and the default id")
    new.add_argument("--cwe", help="the CWE (default: a placeholder to fill)")
    new.add_argument("--out", type=Path, default=Path("."),
                     help="the dataset folder the instance folder is written into")
    new.set_defaults(handler=_new)


def _new(args: argparse.Namespace) -> int:
    from asebench.harness.progress import say
    from asebench.sources.errors import SourceError
    from asebench.sources.fix_commit import error_line
    from asebench.sources.harvest import TODO_FILE, HarvestError, harvest, parse_advisory

    try:
        source = parse_advisory(args.source, fixed=args.fixed, patch=args.patch)
        # both versions are fetched with the ecosystem's client first: tens of seconds, cold
        fix = f"the fixed version {args.fixed}" if args.fixed else f"the patch {args.patch}"
        say(f"fetching {args.source} and {fix}, then diffing {' '.join(args.file)}")
        result = harvest(source, args.file, out=args.out, instance_id=args.id, cve=args.cve,
                         cwe=args.cwe)
    except HarvestError as exc:
        print(f"asebench dataset new: {exc}", file=sys.stderr)
        return 2
    except SourceError as exc:
        print(f"asebench dataset new: {error_line(exc)}", file=sys.stderr)
        return 2
    print(f"written: {result.directory} ({len(result.touched)} location(s); left to write: "
          f"{result.directory / TODO_FILE})")
    if not result.complete:
        print("note: the derived golds do not rebuild the whole fixed file(s)", file=sys.stderr)
    return 0


def _add_validate(subparsers: Any) -> None:
    validate = _parser(
        subparsers, "validate", "prove each instance separates its gold fix from its vulnerable "
        "code, and judges its variants right")
    validate.add_argument("dataset", nargs="?", default="builtin",
                          help="`builtin`, `builtin-mutated`, a dataset or instance directory")
    validate.add_argument("--repeat", type=positive_int, default=3,
                          help="repetitions; any verdict that changes marks the instance flaky")
    validate.add_argument("--instances", help="comma-separated instance ids")
    validate.add_argument("--no-dynamic", action="store_true", help="skip PoCs and tests")
    validate.add_argument("--jobs", type=positive_int, default=None,
                          help="instances validated at once (None: the number of CPUs; "
                          "timing PoCs need a machine that is not oversubscribed)")
    validate.add_argument("--json", type=Path,
                          help="write problems, confusion matrices and variant verdicts as JSON")
    validate.add_argument("--show-gold", action="store_true",
                          help="print each location's gold (derived from the fix or written "
                          "here) and where it came from, then stop without judging")
    validate.set_defaults(handler=_validate)


def _add_compare(subparsers: Any) -> None:
    compare = _parser(subparsers, "compare", "a leaderboard of runs on one dataset, with "
                      "paired-bootstrap intervals of every pair's differences")
    compare.add_argument("runs", type=Path, nargs="+",
                         help="run folders, summary JSON files or Inspect logs")
    compare.add_argument("--force", action="store_true",
                         help="compare runs judged on different datasets, scorings or cycles")
    compare.add_argument("--json", type=Path, help="write the comparison as JSON")
    compare.add_argument("--html", type=Path, help="write the comparison as an HTML page")
    compare.set_defaults(handler=_compare)


def _compare(args: argparse.Namespace) -> int:
    from asebench.report.compare import CompareError, compare
    from asebench.report.comparison_view import print_comparison, render_comparison_html

    try:
        comparison = compare(args.runs, force=args.force)
    except CompareError as exc:
        print(f"asebench compare: {exc}", file=sys.stderr)
        return 2
    print_comparison(comparison)
    outputs: list[tuple[Path | None, Callable[[], str]]] = [
        (args.json, lambda: json.dumps(comparison, indent=2)),
        (args.html, lambda: render_comparison_html(comparison))]
    for path, text in outputs:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text(), encoding="utf-8")
            print(f"written: {path}")
    return 0


def _add_clean(subparsers: Any) -> None:
    clean = _parser(
        subparsers, "clean", "remove sandbox cgroups, overlay mounts, workspaces and temporary "
        "files left by runs that were killed (never those of a running one)")
    clean.set_defaults(handler=_clean)


def _clean(args: argparse.Namespace) -> int:
    from asebench.sweep import containment_line, lines, sweep

    report = sweep()
    for line in lines(report):
        print(line)
    print(containment_line())
    return 1 if report.failed else 0


def _validate(args: argparse.Namespace) -> int:
    from asebench.dataset.load import load_dataset
    from asebench.dataset.selection import select
    from asebench.report.validation import print_validation, validation_json
    from asebench.validate import validate_instances

    try:
        loaded = select(load_dataset(args.dataset), args.instances, args.dataset)
    except DatasetError as exc:
        print(f"asebench validate: {exc}", file=sys.stderr)
        return 2
    unknown = unknown_ids(loaded.problems)
    if unknown:  # a typo in --instances: say so, rather than validate what is left
        for problem in unknown:
            print(f"asebench validate: --instances: {problem.message}", file=sys.stderr)
        return 2
    for problem in loaded.problems:
        print(f"invalid: {problem}", file=sys.stderr)
    instances = loaded.instances
    if args.show_gold:
        return _show_gold(instances) or (1 if loaded.problems else 0)
    checks = validate_instances(instances, repeat=args.repeat, dynamic=not args.no_dynamic,
                                jobs=args.jobs)
    print_validation(checks)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(validation_json(checks), indent=2), encoding="utf-8")
        print(f"written: {args.json}")
    bad = [c for c in checks if not c.consistent]
    return 1 if bad or loaded.problems else 0


def _show_gold(instances: list[Any]) -> int:
    from asebench.report.gold_review import gold_entries, gold_text

    failed = 0
    for instance in instances:
        entries, findings = gold_entries(instance)
        sys.stdout.write(gold_text(entries, findings))
        failed |= any(entry.gold is None for entry in entries) or any(
            line.startswith("problem:") for line in findings)
    return int(failed)


def _report(judged: list[Any], args: argparse.Namespace, cycles: int | None = None,
            run: dict[str, Any] | None = None) -> dict[str, Any]:
    from asebench.report.evidence import all_evidence, write_evidence
    from asebench.report.summary import summarise
    from asebench.report.tables import write_csv, write_html
    from asebench.report.terminal import print_summary

    summary = summarise(judged, mode=args.scoring, cycles=cycles, run=run)
    evidence = all_evidence(judged)
    for row in summary["samples"]:
        found = evidence.get((row["instance"], row["cycle"]), {})
        row["diff_vulnerable"] = found.get("diff_vulnerable") or None
        row["diff_gold"] = found.get("diff_gold")
    print_summary(summary)
    def write_json(path: Path) -> None:
        path.write_text(json.dumps(summary, indent=2), encoding="utf-8")

    writers: list[tuple[Path | None, Callable[[Path], None]]] = [
        (args.json, write_json), (args.csv, lambda p: write_csv(summary, p)),
        (args.html, lambda p: write_html(summary, p))]
    folder: Path | None = getattr(args, "run_dir", None)
    if folder is not None:
        log = (run or {}).get("log")
        write_evidence(folder, judged, evidence, log_file=Path(log) if log else None)
        writers += [(folder / "scores.json", write_json),
                    (folder / "samples.csv", lambda p: write_csv(summary, p)),
                    (folder / "report.html", lambda p: write_html(summary, p))]
    for path, write in writers:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            write(path)
            print(f"written: {path}")
    return summary


def _reason_line(reason: str) -> str:
    """A sample's reason on one line: a reason that ends in a command's stderr (a Python
    traceback starts "Traceback (most recent call last):") keeps its first line and the
    stderr's last, which names the error."""
    lines = [line.strip() for line in reason.splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else reason
    return f"{lines[0]} … {lines[-1]}"


def _nothing_judged(summary: dict[str, Any], command: str) -> int:
    """Exit status of a finished run: 1 with a one-line reason when no sample was judged."""
    if summary["security"] is not None:
        return 0
    first = (summary["unjudged"] or summary["infrastructure_failures"]
             or [{"reason": "the run has no samples"}])[0]
    print(f"asebench {command}: no sample could be judged ({summary['n_unjudged']} unjudged, "
          f"{summary['n_infra_errors']} infrastructure failures of "
          f"{summary['n_samples'] + summary['n_infra_errors']}): "
          f"{_reason_line(first['reason'])}",
          file=sys.stderr)
    return 1


def _unfinished(log: Any) -> bool:
    """A run is unfinished when it stopped, or when some samples ended in an error (a model
    call that kept failing): with `fail_on_error=False` Inspect still calls that a success."""
    results = log.results
    return bool(log.status != "success" or results is None
                or results.completed_samples < results.total_samples)


def _unfinished_log(log_dir: str) -> Any:
    """The newest asebench log in `log_dir` when it is unfinished (older ones are superseded)."""
    from inspect_ai.log import list_eval_logs, read_eval_log

    for info in list_eval_logs(log_dir, descending=True):
        log = read_eval_log(info, header_only=True)
        if log.eval.task.endswith("ase"):
            return info if _unfinished(log) else None
    return None


def _model_args(pairs: list[str]) -> dict[str, Any] | str:
    """`-M key=value` pairs as a dict (values read as YAML), or the one-line problem."""
    import yaml

    parsed: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            return f"-M {pair!r}: expected KEY=VALUE"
        try:
            parsed[key.strip()] = yaml.safe_load(value) if value else ""
        except yaml.YAMLError:
            parsed[key.strip()] = value
    return parsed


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _one_line(exc: BaseException) -> str:
    """An exception's whole message on one line, without rich markup or an "ERROR:" prefix."""
    from rich.errors import MarkupError
    from rich.text import Text

    text = str(exc)
    with contextlib.suppress(MarkupError):
        text = Text.from_markup(text).plain
    joined = " ".join(line.strip() for line in text.splitlines() if line.strip())
    return joined.removeprefix("ERROR: ") or type(exc).__name__


def _model_problem(model: str, base_url: str | None) -> str | None:
    """Why Inspect cannot use `model` (unknown provider, missing package or key), or None."""
    from inspect_ai.model import get_model

    try:
        get_model(model, base_url=base_url)
    except Exception as exc:  # Inspect's errors vary by provider (ValueError, PrerequisiteError)
        return _one_line(exc)
    return None


def _model_url(model: str | None, base_url: str | None) -> str:
    """Where the model's requests went, for error messages."""
    if not model:
        return "no model"
    from inspect_ai.model import get_model

    try:
        url = get_model(model, base_url=base_url).api.base_url
    except Exception:  # it resolved before the run; say what we know
        url = base_url
    return f"{model} at {url or 'the provider default URL'}"


def unknown_ids(problems: list[DatasetProblem]) -> list[DatasetProblem]:
    """The problems that are ids `--instances` names and the dataset lacks (`select`)."""
    return [p for p in problems if p.field == "instances" and p.file is None]


def _dataset_error_text(error: DatasetError, *, keep_going: bool, dataset: str) -> str:
    """What `run` prints when the dataset stops it. A typo in `--dataset` (no such folder,
    an unreadable JSON file) or in `--instances` (an id the dataset lacks) is one line per
    mistake, without the `--keep-going` hint, which cannot help there; otherwise the
    problems of the dataset, after how to run the rest."""
    from asebench.dataset.load import resolve_dataset_path

    path = resolve_dataset_path(dataset)
    whole = [p for p in error.problems if p.file == path and p.field is None]
    if whole and len(whole) == len(error.problems):
        return "\n".join(f"asebench run: --dataset {dataset}: {p.message}" for p in whole)
    unknown = unknown_ids(error.problems)
    if unknown and len(unknown) == len(error.problems):
        return "\n".join(f"asebench run: --instances: {p.message}" for p in unknown)
    how = ("no instance is left to run" if keep_going
           else "the dataset has problems (use --keep-going to skip them)")
    return f"asebench run: {how}:\n{error}"


def _run(args: argparse.Namespace) -> int:
    from asebench.harness.overlap import preparation_jobs
    from asebench.harness.progress import say

    try:
        preparation_jobs()  # a bad $ASEBENCH_PREPARE_JOBS stops the run before anything else
    except ValueError as exc:
        print(f"asebench run: {exc}", file=sys.stderr)
        return 2
    what = args.model or (f"the {args.baseline} baseline" if args.baseline else "resume")
    say(f"run: {what} on {args.dataset}; loading Inspect")
    from inspect_ai import eval as inspect_eval
    from inspect_ai import eval_retry

    from asebench.harness.model_errors import all_refused
    from asebench.harness.task import ase
    from asebench.results import judged_samples, log_cycles

    if not args.model and not args.baseline and not args.resume:
        print("asebench run: give --model MODEL or --baseline reference|vulnerable",
              file=sys.stderr)
        return 2
    if args.model:
        problem = _model_problem(args.model, args.model_base_url)
        if problem:
            print(f"asebench run: --model {args.model}: {problem}", file=sys.stderr)
            return 2
    from asebench.sweep import sweep

    swept = sweep()  # what killed runs left behind
    for item in swept.removed + [f"{failed} (could not remove)" for failed in swept.failed]:
        print(f"swept: {item}", file=sys.stderr)
    common: dict[str, Any] = {"log_dir": args.log_dir, "display": "plain",
                              "max_connections": args.max_connections,
                              "max_sandboxes": args.max_sandboxes, "fail_on_error": False,
                              "max_retries": args.max_retries}
    if args.resume:
        unfinished = _unfinished_log(args.log_dir)
        if unfinished is None:
            print(f"asebench run: no unfinished run in {args.log_dir}", file=sys.stderr)
            return 2
        logs = eval_retry(unfinished, **common)
    else:
        try:
            task = ase(
                dataset=args.dataset, context=args.context, budget_tokens=args.budget_tokens,
                cycles=args.cycles, baseline=args.baseline,
                security_reminder=args.security_reminder, dynamic=not args.no_dynamic,
                sandbox=args.sandbox,
                keep_going=args.keep_going, instances=args.instances, limit=args.limit,
                prefetch=True,  # all chosen instances are needed: prepare them overlapped
                **agent_task_args(args),
            )
        except DatasetError as exc:
            print(_dataset_error_text(exc, keep_going=args.keep_going,
                                      dataset=args.dataset), file=sys.stderr)
            return 2
        from asebench.harness.coverage import coverage_lines

        metadata = task.metadata or {}
        for skipped in metadata.get("skipped", []):
            print(f"skipped: {skipped}", file=sys.stderr)
        for line in coverage_lines(metadata.get("oracles", {})):
            print(f"note: {line}", file=sys.stderr)
        model_args = _model_args(args.model_arg)
        if isinstance(model_args, str):
            print(f"asebench run: {model_args}", file=sys.stderr)
            return 2
        logs = inspect_eval(task, model=args.model or BASELINE_MODEL,
                            model_base_url=args.model_base_url, model_args=model_args,
                            temperature=args.temperature, max_tokens=args.max_tokens, **common)
    log = logs[0]
    print(f"log: {log.location}")
    if args.output_dir is not None:
        args.run_dir = args.output_dir
    else:
        from asebench.report.evidence import slug

        if args.resume:
            agent = (log.eval.task_args or {}).get("agent")
            name = run_folder_name(log.eval.model, None, agent if isinstance(agent, str)
                                   else None)
        else:
            name = run_folder_name(args.model, args.baseline, args.agent)
        args.run_dir = Path("runs") / slug(name) / Path(str(log.location)).stem
    if _unfinished(log):
        samples = log.samples or []
        errors = [s.error.message for s in samples if s.error is not None]
        first = errors[0].strip().splitlines()[0] if errors else log.status
        if not log.error and all_refused(errors):  # resuming would be refused the same way
            print(f"asebench run: the model API refused every request ({len(errors)} of "
                  f"{len(samples)} samples; model {_model_url(args.model, args.model_base_url)}"
                  f"): {first}; a refusal is not retried: check --model, --model-base-url "
                  "and the API key", file=sys.stderr)
            return 1
        if log.error:
            message = log.error.message
        else:
            message = (f"{len(errors)} of {len(samples)} samples failed (model "
                       f"{_model_url(args.model, args.model_base_url)}, "
                       f"{args.max_retries} retries): {first}")
        print(f"asebench run: the run did not finish: {message}\n"
              f"finished samples are kept; continue with `asebench run --resume "
              f"--log-dir {args.log_dir}`", file=sys.stderr)
        return 1
    from asebench.report import run_info

    summary = _report(judged_samples(log), args, log_cycles(log),
                      run_info.from_log(log, scoring=args.scoring))
    print(f"run folder: {args.run_dir}")
    return _nothing_judged(summary, "run")


def run_folder_name(model: str | None, baseline: str | None, agent: str | None) -> str:
    """The name of a run's folder under `runs/` before slugging: the model (or
    `baseline-reference|vulnerable`), and `+agent` when a coding agent answered, so that a
    model's plain and agent runs do not share a folder (e.g. `openai/gpt-4o+react`)."""
    name = model or f"baseline-{baseline}"
    return f"{name}+{agent}" if agent else name


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def _score_predictions(args: argparse.Namespace) -> int:
    from asebench.dataset.load import load_dataset
    from asebench.predictions import PredictionsError, judge_predictions, read_predictions
    from asebench.report import run_info

    started = _now()
    try:
        predictions = read_predictions(args.predictions)
        loaded = load_dataset(args.dataset)
        judged = judge_predictions(predictions, loaded, args.dataset,
                                   dynamic=not args.no_dynamic)
    except (PredictionsError, DatasetError) as exc:
        print(f"asebench score: {exc}", file=sys.stderr)
        return 2
    ids = {p.instance_id for p in predictions}
    run = run_info.for_predictions(
        args.predictions, args.dataset, [i for i in loaded.instances if i.id in ids],
        scoring=args.scoring, dynamic=not args.no_dynamic, started_at=started,
        completed_at=_now())
    summary = _report(judged, args, max(p.cycle for p in predictions), run)
    return _nothing_judged(summary, "score")


def _score(args: argparse.Namespace) -> int:
    from inspect_ai.log import read_eval_log

    args.run_dir = args.output_dir
    from asebench.results import judged_samples, log_cycles, rejudge

    if (args.log is None) == (args.predictions is None):
        print("asebench score: give an Inspect LOG or --predictions FILE (one of them)",
              file=sys.stderr)
        return 2
    if args.predictions is not None:
        return _score_predictions(args)

    if not args.log.is_file():
        what = "is a directory, not a log file" if args.log.is_dir() else "does not exist"
        print(f"asebench score: {args.log} {what}", file=sys.stderr)
        return 2
    try:
        log = read_eval_log(str(args.log))
    except Exception as exc:  # Inspect raises several kinds for a file that is not a log
        print(f"asebench score: {args.log} is not an Inspect log: {_first_line(exc)}",
              file=sys.stderr)
        return 2
    from asebench.report import run_info

    judged = rejudge(log, dynamic=not args.no_dynamic) if args.rejudge else judged_samples(log)
    summary = _report(judged, args, log_cycles(log), run_info.from_log(log, scoring=args.scoring))
    return _nothing_judged(summary, "score")


def _catalogue(args: argparse.Namespace) -> int:
    from rich.console import Console

    from asebench.dataset.catalogue import entry, totals
    from asebench.dataset.load import load_dataset
    from asebench.report.catalogue import print_list, print_stats

    try:
        loaded = load_dataset(args.path)
    except DatasetError as exc:
        print(f"asebench dataset {args.dataset_command}: {exc}", file=sys.stderr)
        return 2
    entries = [entry(instance) for instance in loaded.instances]
    # into a pipe or a file, rich would wrap at 80 columns; the rows stay whole there
    console = Console() if sys.stdout.isatty() else Console(width=WIDE_OUTPUT)
    data: Any
    if args.dataset_command == "list":
        print_list(entries, console)
        data = [e.as_dict() for e in entries]
    else:
        data = totals(entries)
        print_stats(data, console)
    for problem in loaded.problems:
        print(f"not loaded: {problem}", file=sys.stderr)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")
        print(f"written: {args.json}")
    return 1 if loaded.problems else 0


def _lint(args: argparse.Namespace) -> int:
    from asebench.lint import lint_dataset

    report = lint_dataset(args.path, fetch=not args.no_fetch)
    for line in report.lines():
        print(line)
    print(f"{len(report.problems) + len(report.notes)} problem(s): {len(report.problems)} stop "
          f"`asebench run` (it skips those instances with --keep-going), "
          f"{len(report.notes)} do not; {report.loaded} instance(s) loaded")
    if report.unfetched:
        print(f"not checked: the sources of {report.unfetched} instance(s) (--no-fetch): "
              "regions, derived golds and gold == vulnerable code")
    return 1 if report.problems or report.notes else 0


HEAVY_COMMANDS = ("sandbox", "mutate")
"""Commands whose parsers come from modules that import much (the sandbox; the mutation
operators, the dataset schema and tree-sitter): most of the start-up before `run` could say
its first line."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line. Given the `command` about to run (the first word of the
    arguments), the parsers of `HEAVY_COMMANDS` are left out unless it is one of them, so that
    e.g. `run` says its first line before their imports; unknown or no command: all."""
    parser = argparse.ArgumentParser(
        prog="asebench", description="Security benchmark for AI-generated code on real CVEs."
    )
    own = installed_version("asebench") or "unknown (not installed)"
    parser.add_argument("--version", action="version", version=f"asebench {own}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    _add_run(subparsers)
    _add_score(subparsers)
    _add_dataset(subparsers)
    _add_validate(subparsers)
    _add_compare(subparsers)
    _add_clean(subparsers)
    add_agent_audit_parser(subparsers)
    light = set(subparsers.choices) - set(HEAVY_COMMANDS)
    if command not in light:
        from asebench.checks.sandbox.cli import add_sandbox_parser
        from asebench.mutation.cli import add_mutate_parser

        add_sandbox_parser(subparsers)
        add_mutate_parser(subparsers)
    _uniform(parser)
    return parser


def _uniform(parser: argparse.ArgumentParser) -> None:
    """Give every command, wherever its parser is built, the same help formatter, and its
    one-line summary as description when it has none (`asebench sandbox --help`)."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        summaries = {choice.dest: choice.help for choice in action._choices_actions}
        for name, child in action.choices.items():
            child.formatter_class = _Formatter
            if not child.description:
                child.description = summaries.get(name)
            _uniform(child)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((word for word in argv if not word.startswith("-")), None)
    args = build_parser(command).parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
