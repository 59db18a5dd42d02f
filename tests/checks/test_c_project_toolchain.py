"""The C toolchain check with the project's own flags: a candidate compiled the way
`environment.build` compiled the original (recorded in `/env/compile_commands.json`), with
real gcc, make, sandbox and judge.

The project below declares `demo_limit` only when its build defines `DEMO_LIMITS`, reads a
header its build generates, and compiles with `-w`: `gcc -fsyntax-only` on the lone file
accepts a call of an undeclared function and a pointer of the wrong type (warnings only),
which the project-flags check rejects.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from asebench.cache import CACHE_ENV
from asebench.checks.control import forget_controls
from asebench.checks.environment import build_environment
from asebench.checks.judge import judge_answer
from asebench.checks.toolchain import run_toolchain
from asebench.checks.verdict import Verdict
from asebench.code.task import mask_instance
from asebench.dataset.schema import Environment, Instance, Language, LocalSource, Location

pytestmark = pytest.mark.skipif(shutil.which("make") is None or shutil.which("gcc") is None,
                                reason="make and gcc are needed to build a C project")

MAKEFILE = """\
CFLAGS = -std=c99 -O0 -w -DDEMO_LIMITS
libdemo.a: scale.o
\tar rcs libdemo.a scale.o
gen/factor.h:
\tmkdir -p gen && echo '#define DEMO_FACTOR 3' > gen/factor.h
scale.o: scale.c demo.h gen/factor.h
\t$(CC) $(CFLAGS) -I. -Igen -c -o scale.o scale.c
"""
HEADER = """\
#ifdef DEMO_LIMITS
int demo_limit(void);
#endif
int demo_scale(int x);
"""
SCALE = """\
#include "demo.h"
#include "factor.h"
int demo_limit(void) { return 100; }
int demo_scale(int x)
{
    return (x > demo_limit() ? demo_limit() : x) * DEMO_FACTOR;
}
"""
GOLD = ("int demo_scale(int x)\n{\n    return (x > demo_limit() ? demo_limit() : x)"
        " * DEMO_FACTOR;\n}\n")
UNDECLARED = ("int demo_scale(int x)\n{\n    return (x > demo_limits() ? demo_limits() : x)"
              " * DEMO_FACTOR;\n}\n")
WRONG_POINTER = ("int demo_scale(int x)\n{\n    long wide = x;\n    int *p = &wide;\n"
                 "    return *p * DEMO_FACTOR;\n}\n")


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    return cache


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    root.mkdir(mode=0o755)
    (root / "Makefile").write_text(MAKEFILE)
    (root / "demo.h").write_text(HEADER)
    (root / "scale.c").write_text(SCALE)
    return root


def _instance(project: Path) -> Instance:
    return Instance(
        id="demo-scale", cwe="CWE-190", language=Language.C, source=LocalSource(path=str(project)),
        locations=[Location(file="scale.c", start=4, end=7, gold=GOLD)],
        environment=Environment(build=[["make", "libdemo.a"]]), root=project.parent,
    )


def _judge(instance: Instance, function: str) -> Verdict:
    forget_controls()
    tree = Path(instance.source.path)  # type: ignore[union-attr]
    task = mask_instance(instance, tree)
    answer = f"```c\n{function}```"
    return asyncio.run(judge_answer(task, answer, tree, dynamic=False))


def _with(project: Path, function: str, tmp_path: Path) -> Path:
    """A copy of the project whose `demo_scale` is `function`."""
    tree = tmp_path / "candidate"
    shutil.copytree(project, tree)
    tree.chmod(0o755)
    (tree / "scale.c").write_text(SCALE.split("int demo_scale(int x)\n")[0] + function)
    return tree


def test_the_build_records_each_compile_command_as_the_sandbox_sees_it(project: Path) -> None:
    env = build_environment(Environment(build=[["make", "libdemo.a"]]), Language.C,
                            source_root=project)
    assert env is not None
    entries = json.loads((env / "compile_commands.json").read_text())
    assert entries == [{
        "directory": "/env/build", "file": "/env/build/scale.c",
        "arguments": ["cc", "-std=c99", "-O0", "-w", "-DDEMO_LIMITS", "-I.", "-Igen", "-c",
                      "-o", "scale.o", "scale.c"]}]


def test_a_probe_file_the_build_compiles_and_removes_is_not_recorded(project: Path) -> None:
    (project / "probe.sh").write_text(
        "echo 'int main(void){return 0;}' > conftest.c && cc -o conftest conftest.c "
        "&& rm conftest.c conftest\n")
    env = build_environment(Environment(build=[["sh", "probe.sh"], ["make", "libdemo.a"]]),
                            Language.C, source_root=project)
    assert env is not None
    files = [e["file"] for e in json.loads((env / "compile_commands.json").read_text())]
    assert files == ["/env/build/scale.c"]


def test_gcc_syntax_only_accepts_what_the_project_flags_reject(
    project: Path, tmp_path: Path
) -> None:
    (project / "gen").mkdir()  # -fsyntax-only needs the generated header where it looks
    (project / "gen" / "factor.h").write_text("#define DEMO_FACTOR 3\n")
    (project / "factor.h").write_text("#define DEMO_FACTOR 3\n")
    env = build_environment(Environment(build=[["make", "libdemo.a"]]), Language.C,
                            source_root=project)
    for bad in (UNDECLARED, WRONG_POINTER):
        tree = _with(project, bad, tmp_path)
        syntax_only = run_toolchain(Language.C, tree, "scale.c")
        with_flags = run_toolchain(Language.C, tree, "scale.c", env_dir=env)
        assert (syntax_only.name, syntax_only.ok) == ("gcc -fsyntax-only", True)
        assert (with_flags.name, with_flags.ok) == ("gcc -c (project flags)", False)
        shutil.rmtree(tree)


def test_the_gold_passes_only_with_the_define_and_generated_header_of_the_build(
    project: Path,
) -> None:
    verdict = _judge(_instance(project), GOLD)
    assert [(c.name, c.ran, c.ok) for c in verdict.toolchain] == [
        ("gcc -c (project flags)", True, True)]
    assert verdict.quality


def test_a_call_of_an_undeclared_function_is_a_quality_failure(project: Path) -> None:
    verdict = _judge(_instance(project), UNDECLARED)
    assert [(c.name, c.ran, c.ok) for c in verdict.toolchain] == [
        ("gcc -c (project flags)", True, False)]
    message = verdict.toolchain[0].message
    assert "implicit declaration of function" in message and "demo_limits" in message
    assert not verdict.quality


def test_a_pointer_of_the_wrong_type_is_a_quality_failure(project: Path) -> None:
    verdict = _judge(_instance(project), WRONG_POINTER)
    assert not verdict.quality
    assert "incompatible-pointer-types" in verdict.toolchain[0].message


def test_a_file_the_build_did_not_compile_falls_back_with_the_reason(
    project: Path, tmp_path: Path
) -> None:
    (project / "extra.c").write_text("int extra(void) { return 1; }\n")
    env = build_environment(Environment(build=[["make", "libdemo.a"]]), Language.C,
                            source_root=project)
    result = run_toolchain(Language.C, project, "extra.c", env_dir=env)
    assert (result.name, result.ran, result.ok) == ("gcc -fsyntax-only", True, True)
    assert result.message == (
        "gcc -fsyntax-only is a fallback: the environment build compiled no extra.c")


def test_without_environment_build_the_fallback_says_why(project: Path) -> None:
    result = run_toolchain(Language.C, project, "demo.h")
    assert result.ok and "the instance has no environment.build" in result.message
