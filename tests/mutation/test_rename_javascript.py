"""Semantic operators on JavaScript: renames that node runs the same, and refused exports."""

from __future__ import annotations

import random
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from asebench.dataset.schema import Language
from asebench.mutation.candidates import Surroundings
from asebench.mutation.edits import Span
from asebench.mutation.outcome import FileState
from asebench.mutation.rename import candidates, rename

SOURCE = textwrap.dedent('''\
    'use strict';
    const path = require('path');

    function clean(name) {
      return name.replace(/^\\/+/, '');
    }

    function resolve(root, name) {
      const target = clean(name);
      let full = path.join(root, target);
      const pick = (full) => full.length;
      return [full, pick(full)];
    }

    class Store {
      constructor() { this._items = {}; this._seen = 0; }
      put(key, value) { this._items[key] = value; return this['_seen']; }
    }

    module.exports = { resolve, Store };
    ''')
REGION = [Span(9, 12)]


def _outcome(kind: str, source: str = SOURCE, seed: int = 2) -> tuple[str, list[str], list[str]]:
    outcome = rename(kind, Language.JAVASCRIPT, FileState("lib/mod.js", source, REGION),  # type: ignore[arg-type]
                     random.Random(seed), Surroundings(REGION))
    return outcome.text, outcome.changes, outcome.refusals


def _node_result(source: str, tmp_path: Path) -> str:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    module = tmp_path / "mod.js"
    module.write_text(source)
    script = "const m = require('./mod.js'); const s = new m.Store(); s.put('k', 1);" \
             "console.log(JSON.stringify([m.resolve('/srv', '/a'), s._items]))"
    done = subprocess.run(["node", "-e", script], cwd=tmp_path, capture_output=True, text=True,
                          check=True, timeout=30)
    return done.stdout


def test_locals_and_parameters_are_renamed_and_node_gives_the_same_result(
        tmp_path: Path) -> None:
    text, changes, _ = _outcome("local")
    assert changes
    assert {c.split()[0] for c in changes} <= {"root", "name", "target", "full", "pick"}
    assert _node_result(text, tmp_path) == _node_result(SOURCE, tmp_path)


def test_a_name_bound_by_require_is_refused() -> None:
    found = candidates(Language.JAVASCRIPT, FileState("lib/mod.js", SOURCE, REGION),
                       Surroundings(REGION))
    assert [c.refusal for c in found if c.name == "path" and c.kind == "private"] == [
        "bound by require()"]


def test_exported_names_are_refused_and_the_private_helper_is_renamed(tmp_path: Path) -> None:
    text, changes, refusals = _outcome("private")
    assert any(r.startswith("resolve (module): exported") for r in refusals)
    assert [c.split()[0] for c in changes] == ["clean"]
    assert _node_result(text, tmp_path) == _node_result(SOURCE, tmp_path)


def test_computed_exports_refuse_every_module_rename() -> None:
    source = "function helper() { return 1; }\nmodule.exports[name()] = helper;\n"
    found = candidates(Language.JAVASCRIPT, FileState("m.js", source, [Span(1, 1)]),
                       Surroundings([Span(1, 1)]))
    assert [c.refusal for c in found if c.kind == "private"] == [
        "the module exports computed names (module.exports[...])"]


def test_a_private_property_read_by_its_string_is_refused() -> None:
    text, changes, refusals = _outcome("attribute")
    assert any(r.startswith("_seen") and "string literal" in r for r in refusals)
    assert "this['_seen']" in text and "this._seen = 0" in text
    assert [c.split()[0] for c in changes] == ["_items"] and "this._items" not in text


def test_a_shorthand_property_refuses_the_local() -> None:
    source = "function f(a) {\n  const b = a + 1;\n  return {b};\n}\n"
    found = candidates(Language.JAVASCRIPT, FileState("m.js", source, [Span(2, 3)]),
                       Surroundings([Span(2, 3)]))
    assert [c.refusal for c in found if c.name == "b"] == [
        "written as a shorthand property {b} in this file"]


IIFE = textwrap.dedent('''\
    ;(function() {
      var root = Function('return this')();
      var PREFIX = 'id-';
      function label(value) {
        var text = PREFIX + value;
        return text;
      }
      root.labelled = label(Function('a', 'return a * 2')(21));
    }.call(this));
    console.log(globalThis.labelled);
    ''')


def test_function_constructor_does_not_refuse_locals_and_node_gives_the_same_result(
        tmp_path: Path) -> None:
    """Code built by `Function(...)` sees only globals, so the locals of the function that
    calls it stay renamable (lodash's whole body is such a function)."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    region = [Span(5, 6)]
    outcome = rename("local", Language.JAVASCRIPT, FileState("m.js", IIFE, region),
                     random.Random(1), Surroundings(region))
    found = candidates(Language.JAVASCRIPT, FileState("m.js", IIFE, region),
                       Surroundings(region))
    assert {c.name: c.refusal for c in found if c.kind == "local"} == {
        "PREFIX": None, "label": None, "root": None, "text": None, "value": None}
    assert outcome.changes
    runs = []
    for source in (IIFE, outcome.text):
        (tmp_path / "m.js").write_text(source)
        runs.append(subprocess.run(["node", "m.js"], cwd=tmp_path, capture_output=True,
                                   text=True, check=True, timeout=30).stdout)
    assert runs[0] == runs[1] == "id-42\n"


def test_eval_still_refuses_the_locals_it_could_read() -> None:
    source = "function f(a) {\n  var b = a + 1;\n  return eval('b');\n}\n"
    found = candidates(Language.JAVASCRIPT, FileState("m.js", source, [Span(2, 3)]),
                       Surroundings([Span(2, 3)]))
    assert [c.refusal for c in found if c.name == "b"] == ["the function uses eval()"]
