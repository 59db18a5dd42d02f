"""The Java compile check against an environment's jars: the candidate class alone, compiled
with the artifact's binary jar and its dependencies on the class path, in the sandbox."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from asebench.cache import CACHE_ENV
from asebench.checks.environment import build_environment, toolchain_environment
from asebench.checks.toolchain import run_toolchain
from asebench.dataset.schema import Environment, Language, MavenSource
from asebench.sources import fetch_tree, maven

pytestmark = pytest.mark.skipif(shutil.which("javac") is None or shutil.which("jar") is None,
                                reason="javac and jar (a JDK) are not installed here")

LIBRARY = "package lib;\n\npublic class Greeter {\n    public static String hello() {\n" \
          "        return \"hello\";\n    }\n}\n"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    return cache


@pytest.fixture(scope="module")
def shared_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Maven repository for the module: mvn's plugins download once, not per test."""
    return tmp_path_factory.mktemp("m2")


def _readable_dir(path: Path) -> Path:
    """A directory the sandbox's `nobody` can read (pytest's tmp_path is private to root)."""
    path.mkdir(mode=0o755, parents=True, exist_ok=True)
    path.chmod(0o755)
    return path


@pytest.fixture
def env_with_jar(tmp_path: Path) -> Path:
    """An environment holding one jar built here: `lib.Greeter.hello()`."""
    work = tmp_path / "jar-src"
    (work / "lib").mkdir(parents=True)
    (work / "lib" / "Greeter.java").write_text(LIBRARY)
    subprocess.run(["javac", "-d", str(work / "classes"), str(work / "lib" / "Greeter.java")],
                   check=True)
    env = _readable_dir(tmp_path / "env")
    _readable_dir(env / "lib")
    subprocess.run(["jar", "cf", str(env / "lib" / "greeter.jar"), "-C",
                    str(work / "classes"), "."], check=True)
    (env / "lib" / "greeter.jar").chmod(0o644)
    return env


def _candidate(tmp_path: Path, body: str) -> Path:
    tree = _readable_dir(tmp_path / "tree")
    _readable_dir(tree / "app")
    (tree / "app" / "Main.java").write_text(
        f"package app;\n\nimport lib.Greeter;\n\npublic class Main {{\n{body}\n}}\n")
    return tree


def test_a_class_using_the_jar_compiles_against_it(tmp_path: Path, env_with_jar: Path) -> None:
    tree = _candidate(tmp_path, "    String f() { return Greeter.hello(); }")
    result = run_toolchain(Language.JAVA, tree, "app/Main.java", env_dir=env_with_jar)
    assert (result.name, result.ran, result.ok) == ("javac", True, True), result.message


def test_a_call_to_a_method_the_jar_lacks_fails(tmp_path: Path, env_with_jar: Path) -> None:
    tree = _candidate(tmp_path, "    String f() { return Greeter.goodbye(); }")
    result = run_toolchain(Language.JAVA, tree, "app/Main.java", env_dir=env_with_jar)
    assert result.ran and not result.ok
    assert "goodbye" in result.message


def test_without_the_environment_the_jar_is_not_there(tmp_path: Path) -> None:
    tree = _candidate(tmp_path, "    String f() { return Greeter.hello(); }")
    result = run_toolchain(Language.JAVA, tree, "app/Main.java")
    assert result.ran and not result.ok  # the check only sees what the environment gives


def test_an_environment_without_jars_is_not_a_toolchain_environment(tmp_path: Path) -> None:
    spec = Environment(python=["six==1.16.0"])
    assert toolchain_environment(spec, Language.JAVA, tmp_path) is None


@pytest.mark.network
def test_real_artifact_original_compiles_and_a_missing_method_fails(
    tmp_path: Path, shared_repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(maven, "local_repository", lambda: shared_repository)
    tree = fetch_tree(MavenSource(group="org.codehaus.plexus", artifact="plexus-utils",
                                  version="3.0.15")).root
    spec = Environment(maven=["org.codehaus.plexus:plexus-utils:3.0.15"])
    env = build_environment(spec, Language.JAVA, source_root=tree)
    assert env is not None and (env / "lib" / "plexus-utils-3.0.15.jar").is_file()
    rel = "org/codehaus/plexus/util/cli/shell/Shell.java"

    original = run_toolchain(Language.JAVA, tree, rel, env_dir=env)
    assert original.ran and original.ok, original.message

    text = (tree / rel).read_text()
    broken = text.replace("getExecutable()", "getExecutableNowhere()", 1)
    assert broken != text
    candidate = _readable_dir(tmp_path / "candidate")
    (candidate / rel).parent.mkdir(mode=0o755, parents=True)
    (candidate / rel).write_text(broken)
    result = run_toolchain(Language.JAVA, candidate, rel, env_dir=env)
    assert result.ran and not result.ok and "getExecutableNowhere" in result.message
