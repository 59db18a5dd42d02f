"""`asebench run` says its first line early: parsing its arguments leaves out the parsers of
the commands whose modules import much (`sandbox`, `mutate`), and those commands still parse."""

from __future__ import annotations

import subprocess
import sys

from asebench.cli import HEAVY_COMMANDS, build_parser


def test_parsing_run_imports_neither_the_mutation_operators_nor_the_sandbox() -> None:
    probe = ("import sys\n"
             "from asebench.cli import build_parser\n"
             "args = build_parser('run').parse_args(['run', '--baseline', 'reference'])\n"
             "print(args.baseline, sorted(m for m in sys.modules if m.startswith("
             "('asebench.mutation', 'asebench.checks.sandbox'))))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "reference []"


def test_the_heavy_commands_parse_when_they_are_the_command() -> None:
    args = build_parser("mutate").parse_args(["mutate", "builtin", "--out", "mutants"])
    assert (args.command, args.dataset) == ("mutate", "builtin")
    args = build_parser("sandbox").parse_args(["sandbox", "run", "--workspace", "w", "--",
                                               "true"])
    assert args.sandbox_command == "run"


def test_without_a_known_command_every_command_is_offered() -> None:
    for command in (None, "rnu"):
        commands = build_parser(command)._subparsers._group_actions[0].choices  # type: ignore[union-attr]
        assert set(HEAVY_COMMANDS) <= set(commands) and "run" in commands
