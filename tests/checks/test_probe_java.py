"""`asebench_probe.java`: a Java harness compiled with javac against the candidate's sources
and the environment's jars (`/env/lib`), then run on the JVM, in the real sandbox."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from paired_script import reported

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("bwrap", "javac", "jar", "java")),
    reason="needs bubblewrap and a JDK (javac, jar, java)")

GREETER = """package p;
public class Greeter {
    public static String greet(String name) { return dep.Tag.TAG + " " + name; }
}
"""
TAG = "package dep;\npublic class Tag { public static final String TAG = \"hello\"; }\n"
HARNESS = """public class Calls {
    public static void main(String[] args) {
        if (args[0].equals("boom")) throw new IllegalStateException("asked to fail");
        System.out.println(p.Greeter.greet(args[0]));
    }
}
"""
SCRIPT = """
import json
from pathlib import Path
from asebench_probe import report
from asebench_probe.java import build, run

def outcome(done):
    return done.stdout.strip() if hasattr(done, "stdout") else str(done)

harness = [Path(__file__).parent / "Calls.java"]
classes = build(["p/Greeter.java"], harness)
broken = build(["p/Broken.java"], harness)
report("pass", json.dumps({
    "greet": outcome(run(classes, "Calls", ["world"])),
    "boom": outcome(run(classes, "Calls", ["boom"])),
    "broken": f"{type(broken).__name__}: {broken}",
}))
"""


def _jar(where: Path) -> None:
    """The environment's one jar (`where/env/lib/dep.jar`: class dep.Tag), built with the
    JDK."""
    (where / "dep").mkdir(parents=True)
    (where / "dep" / "Tag.java").write_text(TAG)
    subprocess.run(["javac", "-d", str(where / "classes"), str(where / "dep" / "Tag.java")],
                   check=True)
    (where / "env" / "lib").mkdir(parents=True)
    subprocess.run(["jar", "cf", str(where / "env" / "lib" / "dep.jar"), "-C",
                    str(where / "classes"), "."], check=True)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    where = tmp_path_factory.mktemp("java")
    _jar(where)
    return reported(where, SCRIPT, instance={"Calls.java": HARNESS}, env={},
                    workspace={"p/Greeter.java": GREETER,
                               "p/Broken.java": "package p;\npublic class Broken {\n"})


def test_the_harness_calls_the_candidate_class_which_uses_the_jar(outcomes: dict[str, str]) -> None:
    assert outcomes["greet"] == "hello world"


def test_an_uncaught_exception_is_a_crash_naming_it(outcomes: dict[str, str]) -> None:
    assert outcomes["boom"].startswith("crashed (exit 1)")
    assert "asked to fail" in outcomes["boom"]


def test_a_candidate_that_does_not_compile_gives_javacs_error(outcomes: dict[str, str]) -> None:
    assert outcomes["broken"].startswith("ValueError: compile error: ")
    assert "Broken.java" in outcomes["broken"]
