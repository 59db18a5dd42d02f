"""`rename-imports`: module-level Python imports aliased consistently, refused where unsafe, and
the reason it exists: upstream code recited into the mutant names what the mutant no longer
binds. Programs run before and after by the real interpreter; rules by the real semgrep."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from same_output import same_output

from asebench.checks.static import semgrep_executable
from asebench.dataset.schema import Language
from asebench.mutation.candidates import Surroundings
from asebench.mutation.edits import Span
from asebench.mutation.engine import mutate_sources
from asebench.mutation.name_map import NameMap
from asebench.mutation.outcome import FileState
from asebench.mutation.rename import candidates

PROGRAM = textwrap.dedent('''\
    import os
    import re as regex
    from html import escape
    from json import dumps as to_json


    def show(name, value):
        text = escape(value)
        if regex.match(r"^a", name):
            return to_json({"n": name, "t": text})
        return os.path.join(name, text)


    print(show("ab", "<x>"), show("b", "y"))
    ''')
REGION = Span(8, 11)  # the body of show: it binds only `text`; everything else is imported


def _mutate(text: str, others: dict[str, str] | None = None, seed: int = 3,
            path: str = "pkg/mod.py") -> tuple[str, NameMap, list[str]]:
    result = mutate_sources({path: text}, {0: (path, REGION)}, language=Language.PYTHON,
                            seed=seed, operators=["rename-imports"], others=others or {})
    return result.texts[path], result.names, result.refusals.get("rename-imports", [])


def _renaming(name: str) -> tuple[str, NameMap]:
    """The first seeded mutant of PROGRAM that aliases `name`."""
    for seed in range(50):
        mutant, names, _ = _mutate(PROGRAM, seed=seed)
        if name in names.imported:
            return mutant, names
    raise AssertionError(f"no seed below 50 renames {name}")


def _refusals(text: str, others: dict[str, str] | None = None) -> dict[str, str]:
    state = FileState("pkg/mod.py", text, [REGION])
    return {c.name: c.refusal or "" for c in candidates(Language.PYTHON, state,
                                                        Surroundings([REGION], others or {}),
                                                        "import")}


def test_every_import_form_is_aliased_and_the_program_prints_the_same(tmp_path: Path) -> None:
    renamed: set[str] = set()
    for seed in range(12):  # each name is renamed with a probability: cover all forms
        mutant, names, refusals = _mutate(PROGRAM, seed=seed)
        assert refusals == []
        renamed |= set(names.imported)
        for old, new in names.imported.items():
            assert f"{old} as {new}" in mutant or f"as {new}\n" in mutant
        same_output(tmp_path, sys.executable, f"{sys.executable} prog.py", "prog.py",
                    PROGRAM, mutant)
    assert renamed == {"os", "regex", "escape", "to_json"}


def test_upstream_code_recited_into_the_mutant_fails_when_it_runs(tmp_path: Path) -> None:
    mutant, names, _ = _mutate(PROGRAM, seed=5)
    assert names.imported
    lines = mutant.split("\n")
    upstream = PROGRAM.split("\n")[REGION.start - 1:REGION.end]
    recited = "\n".join(lines[:REGION.start - 1] + upstream + lines[REGION.end:])
    (tmp_path / "recited.py").write_text(recited)
    done = subprocess.run([sys.executable, "recited.py"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0 and "NameError" in done.stderr


def test_unsafe_imports_are_refused_with_the_reason() -> None:
    text = textwrap.dedent('''\
        import os
        import os.path
        import json
        import sys
        from html import escape
        from re import match
        from shlex import quote
        from string import Template
        from typing import Any
        from __future__ import annotations
        __all__ = ["quote"]


        def show(name, value):
            text = escape(value)
            os.getcwd(); sys.exit; match; quote; Template; Any
            return json.dumps(text)


        def other(sys):
            return sys


        try:
            import yaml
        except ImportError:
            yaml = None
        ''')
    others = {"pkg/user.py": "from .mod import Template\n",
              "instance:poc.py": 'mock.patch("pkg.mod.Any", None)\n'}
    refusals = _refusals(text, others)
    assert refusals["json"] == ""
    assert refusals["escape"] == "" and refusals["match"] == ""
    assert refusals["sys"].startswith("also a parameter at line 20")
    assert refusals["quote"] == "a string literal is the name (__all__, getattr)"
    assert refusals["Template"] == "reached through this module from pkg/user.py"
    assert refusals["Any"] == "reached through this module from instance:poc.py"
    assert refusals["os"] == "also imported as a dotted path (import os.… binds os)"
    assert "yaml" not in refusals  # not a module-level import statement
    assert "annotations" not in refusals


def test_a_name_imported_twice_or_rebound_is_refused() -> None:
    text = textwrap.dedent('''\
        import json
        from simplejson import dumps
        from json import dumps


        def show(name, value):
            escape = value
            return dumps(json.loads(name))


        json = None
        ''')
    refusals = _refusals(text)
    assert refusals["dumps"] == "imported more than once at module level"
    assert refusals["json"] == "also assigned or defined at module level"


def test_a_module_calling_a_reflection_builtin_is_refused() -> None:
    text = "import os\n\n\ndef show(name):\n    return globals()[name], os\n"
    assert _refusals(text)["os"] == "the module calls globals(), which sees names"


def test_a_gold_snippet_aliases_its_imports_and_keeps_module_paths() -> None:
    names = NameMap(imported={"escape": "plain_fern", "os": "jolly_oak"})
    gold = textwrap.dedent('''\
        from html import escape
        import os
        from os import path
        text = escape(value) + os.sep + path.sep + obj.escape
        ''')
    assert names.apply_code(gold, Language.PYTHON) == textwrap.dedent('''\
        from html import escape as plain_fern
        import os as jolly_oak
        from os import path
        text = plain_fern(value) + jolly_oak.sep + path.sep + obj.escape
        ''')


def test_rule_patterns_keep_module_paths_and_rename_bare_imported_names() -> None:
    names = NameMap(imported={"escape": "plain_fern", "os": "jolly_oak"})
    assert names.apply_rule_text("os.system($X)") == "os.system($X)"
    assert names.apply_rule_text("escape($X)") == "plain_fern($X)"


def test_semgrep_resolves_the_alias_so_module_paths_stay_in_rules(tmp_path: Path) -> None:
    mutant, _ = _renaming("os")
    (tmp_path / "mod.py").write_text(mutant)
    (tmp_path / "rule.yaml").write_text(textwrap.dedent('''\
        rules:
        - id: join
          languages: [python]
          severity: ERROR
          message: m
          pattern: os.path.join(...)
        '''))
    done = subprocess.run([semgrep_executable(), "scan", "--metrics", "off", "--json", "--config",
                           str(tmp_path / "rule.yaml"), str(tmp_path / "mod.py")],
                          capture_output=True, text=True, timeout=300, check=False)
    lines = [r["start"]["line"] for r in json.loads(done.stdout)["results"]]
    assert lines == [11]
