"""Go in a sandbox whose environment holds a module cache: offline settings and the warm build
cache copied into the sandbox's own GOCACHE (no network needed)."""

from __future__ import annotations

from pathlib import Path

from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.checks.sandbox.invocation import GO_OFFLINE, go_seeded, sandbox_env


def _environment(tmp_path: Path, *folders: str) -> Path:
    env = tmp_path / "env"
    for folder in folders:
        (env / folder).mkdir(parents=True)
    for path in [tmp_path, *env.rglob("*"), env]:
        path.chmod(0o755)
    return env


def test_an_environment_with_a_module_cache_makes_go_offline(tmp_path: Path) -> None:
    variables = sandbox_env(_environment(tmp_path, "gomod"), [], None)

    assert variables["GOMODCACHE"] == "/env/gomod" and variables["GOPROXY"] == "off"
    assert variables["GOFLAGS"] == "-mod=mod" and variables["GOCACHE"].startswith("/tmp/")


def test_other_environments_get_no_go_settings(tmp_path: Path) -> None:
    variables = sandbox_env(_environment(tmp_path, "node_modules"), [], None)

    assert not set(GO_OFFLINE) & set(variables)


def test_a_go_command_starts_from_a_writable_copy_of_the_warm_cache(tmp_path: Path) -> None:
    env = _environment(tmp_path, "gomod", "gocache/ab")
    (env / "gocache" / "ab" / "entry").write_text("compiled\n")
    (env / "gocache" / "ab" / "entry").chmod(0o444)
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    probe = 'cat "$GOCACHE/ab/entry" && touch "$GOCACHE/ab/new" && echo writable'

    done = run_sandboxed(go_seeded(["sh", "-c", probe], env), workspace=workspace, env_dir=env)

    assert done.exit_code == 0, done.stderr
    assert done.stdout.split() == ["compiled", "writable"]


def test_without_a_warm_cache_the_command_is_unchanged(tmp_path: Path) -> None:
    assert go_seeded(["go", "vet", "./x"], _environment(tmp_path, "gomod")) == ["go", "vet", "./x"]
    assert go_seeded(["go", "vet", "./x"], None) == ["go", "vet", "./x"]
