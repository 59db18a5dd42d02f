"""Two built-in Go instances' own parts, checked without fetching anything.

golang-x-net-html-CVE-2025-22872: its semgrep rule judges the self-closing check whatever the
method's receiver is called (a model may name it `t` or `tok`, not upstream's `z`), and
accepts a fix that walks the attributes with an index loop. Real semgrep on small tokenizers
written here (not upstream's code).

synthetic-go-sql-injection: the environment's warm build cache (`environment.go_build`)
holds every standard-library package the PoC/test harness compiles, so no sample compiles
the standard library again (`go list` on the host: it reads, never builds).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from asebench.checks.static import ScanRequest, scan_batch
from asebench.code.regions import Span
from asebench.dataset.load import load_dataset

BUILTIN = Path(__file__).parents[1] / "src" / "asebench" / "data" / "builtin"
TOKENIZER = BUILTIN / "real" / "golang-x-net-html-CVE-2025-22872"
SQL = BUILTIN / "synthetic" / "synthetic-go-sql-injection"

PREAMBLE = """package html

type TokenType int

const (
	StartTagToken TokenType = iota
	SelfClosingTagToken
)

type span struct{ start, end int }

type Tokenizer struct {
	buf  []byte
	raw  span
	attr [][2]span
}

"""
TRAILING_SLASH = """func (R *Tokenizer) readStartTag() TokenType {
	if R.buf[R.raw.end-2] == '/' {
		return SelfClosingTagToken
	}
	return StartTagToken
}
"""
SLASH_NOT_IN_LAST_VALUE = """func (R *Tokenizer) readStartTag() TokenType {
	slash := R.raw.end - 2
	if n := len(R.attr); n > 0 && R.attr[n-1][1].end-1 == slash {
		return StartTagToken
	}
	if R.buf[slash] == '/' {
		return SelfClosingTagToken
	}
	return StartTagToken
}
"""
SLASH_OUTSIDE_VALUES_BY_INDEX = """func (z *Tokenizer) readStartTag() TokenType {
	slash := z.raw.end - 2
	inValue := false
	for i := range z.attr {
		inValue = inValue || (z.attr[i][1].start <= slash && slash < z.attr[i][1].end)
	}
	if z.buf[slash] == '/' && !inValue {
		return SelfClosingTagToken
	}
	return StartTagToken
}
"""


def _flagged(methods: list[str]) -> list[bool]:
    """Whether the instance's rules flag each method (in a file of its own)."""
    rules = sorted((TOKENIZER / "rules").glob("*.yaml"))
    lines = PREAMBLE.count("\n")
    results = scan_batch([
        ScanRequest({"html/token.go": PREAMBLE + method}, rules,
                    {"html/token.go": [Span(lines + 1, lines + method.count("\n"))]})
        for method in methods])
    assert [r.error for r in results] == [None] * len(methods)
    assert [r.unscanned for r in results] == [{}] * len(methods)
    return [bool(r.in_inserted) for r in results]


def _receiver(method: str, name: str) -> str:
    return method.replace("(R *", f"({name} *").replace("R.", f"{name}.")


def test_tokenizer_rule_flags_the_trailing_slash_check_under_any_receiver_name() -> None:
    assert _flagged([_receiver(TRAILING_SLASH, name) for name in ("z", "t", "tok")]) \
        == [True, True, True]


def test_tokenizer_rule_accepts_the_fix_under_any_receiver_name() -> None:
    assert _flagged([_receiver(SLASH_NOT_IN_LAST_VALUE, name) for name in ("z", "tk")]) \
        == [False, False]


def test_tokenizer_rule_accepts_a_fix_that_walks_the_attributes_by_index() -> None:
    assert _flagged([SLASH_OUTSIDE_VALUES_BY_INDEX]) == [False]


def _standard_deps(directory: Path, packages: list[str], env: dict[str, str]) -> set[str]:
    """The standard-library packages `packages` (built in `directory`) depend on."""
    done = subprocess.run(
        ["go", "list", "-deps", "-f", "{{if .Standard}}{{.ImportPath}}{{end}}", *packages],
        cwd=directory, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return {line for line in done.stdout.split() if line}


@pytest.mark.skipif(shutil.which("go") is None, reason="go is not installed")
def test_sql_injection_harness_compiles_only_what_the_environment_warmed(tmp_path: Path
                                                                          ) -> None:
    instance = next(i for i in load_dataset("builtin").instances
                    if i.id == "synthetic-go-sql-injection")
    warmed_packages = instance.environment.go_build
    harness = tmp_path / "harness"
    harness.mkdir()
    for program in (SQL / "harness").glob("*.go"):
        shutil.copyfile(program, harness / program.name)
    (harness / "go.mod").write_text(  # as asebench_probe.go writes it, the project beside
        "module harness\n\ngo 1.19\n\nrequire example.com/usersvc v0.0.0\n\n"
        f"replace example.com/usersvc => {SQL / 'project'}\n")
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local",
           "GOCACHE": str(tmp_path / "gocache"), "GOPATH": str(tmp_path / "gopath")}
    harness_needs = _standard_deps(harness, ["."], env)
    warmed = _standard_deps(SQL / "project", warmed_packages, env)
    assert instance.environment.install_source
    assert "database/sql" in harness_needs
    assert sorted(harness_needs - warmed) == [], json.dumps(warmed_packages)
