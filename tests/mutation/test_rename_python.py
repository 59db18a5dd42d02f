"""Semantic operators on Python: consistent, scope-aware renames, and refusals with reasons."""

from __future__ import annotations

import random
import textwrap

from asebench.dataset.schema import Language
from asebench.mutation.candidates import Surroundings
from asebench.mutation.edits import Span
from asebench.mutation.outcome import FileState
from asebench.mutation.rename import RENAME_SHARE, candidates, rename

SOURCE = textwrap.dedent('''\
    import os

    _ROOTS = {}


    def _clean(name):
        return name.strip("/")


    def resolve(root, name):
        target = _clean(name)
        full = os.path.join(root, target)
        _ROOTS[target] = full
        return [full for full in [full]][0]


    class Store:
        def __init__(self):
            self._items = {}
            self._hidden = 1

        def put(self, key, value):
            self._items[key] = value
            return getattr(self, "_hidden")
    ''')
REGION = [Span(11, 14)]  # the body of resolve


def _run(source: str) -> tuple[object, list[str]]:
    scope: dict[str, object] = {}
    exec(compile(source, "<mutant>", "exec"), scope)  # the fixture above, written here
    resolve = scope["resolve"]
    assert callable(resolve)
    return resolve("/srv", "/a/b/"), sorted(scope)


def _rename(kind: str, source: str = SOURCE, others: dict[str, str] | None = None,
            seed: int = 1) -> tuple[str, list[str], list[str]]:
    outcome = rename(kind, Language.PYTHON, FileState("pkg/mod.py", source, REGION),  # type: ignore[arg-type]
                     random.Random(seed), Surroundings(REGION, others or {}))
    return outcome.text, outcome.changes, outcome.refusals


def test_locals_of_the_function_around_the_region_are_renamed_everywhere_in_it() -> None:
    text, changes, _ = _rename("local")
    assert changes, "resolve has safe locals"
    old_names = {change.split()[0] for change in changes}
    assert old_names <= {"root", "name", "target", "full"}
    body = text.split("def resolve")[1].split("class Store")[0]
    for old in old_names:
        assert f"{old} = " not in body and f"({old}" not in body
    assert 'name.strip("/")' in text  # _clean's own `name` is another function's local
    assert _run(text)[0] == _run(SOURCE)[0]


def test_the_comprehension_that_shadows_a_local_is_renamed_with_it() -> None:
    for seed in range(8):
        text, changes, _ = _rename("local", seed=seed)
        if any(c.startswith("full ->") for c in changes):
            new = next(c for c in changes if c.startswith("full ->")).split()[2]
            assert f"[{new} for {new} in [{new}]]" in text
            assert _run(text)[0] == _run(SOURCE)[0]
            return
    raise AssertionError("no seed renamed `full`")


def test_module_private_names_are_renamed_and_public_ones_kept() -> None:
    text, changes, _ = _rename("private")
    assert {c.split()[0] for c in changes} <= {"_ROOTS", "_clean"}
    assert "def resolve(" in text and "class Store" in text
    assert _run(text)[0] == _run(SOURCE)[0]


def test_a_private_attribute_named_in_a_string_is_refused_with_the_reason() -> None:
    text, changes, refusals = _rename("attribute")
    assert any(r.startswith("_hidden") and "string literal at line 24" in r for r in refusals)
    assert 'getattr(self, "_hidden")' in text and "self._hidden = 1" in text
    assert any(c.startswith("_items ->") for c in changes)


def test_a_parameter_passed_by_keyword_from_another_file_is_refused() -> None:
    _, changes, refusals = _rename("local", others={"tests/test_mod.py":
                                                      "resolve(root='/', name='x')\n"})
    assert not any(c.startswith(("root ->", "name ->")) for c in changes)
    assert any("passed as keyword argument root= in tests/test_mod.py" in r for r in refusals)


def test_a_private_helper_imported_elsewhere_is_refused() -> None:
    _, changes, refusals = _rename("private", others={"instance:poc.py":
                                                        "from pkg.mod import _clean\n"})
    assert not any(c.startswith("_clean") for c in changes)
    assert "pkg/mod.py" not in refusals[0] and "named in instance:poc.py" in " ".join(refusals)


def test_locals_reflected_through_locals_are_refused() -> None:
    source = "def render(name):\n    return '{name}'.format(**locals())\n"
    found = candidates(Language.PYTHON, FileState("m.py", source, [Span(2, 2)]),
                       Surroundings([Span(2, 2)]))
    assert [c.refusal for c in found if c.name == "name"] == [
        "the function calls locals(), which sees names"]


def test_fresh_names_never_clash_with_a_name_the_file_uses() -> None:
    text, changes, _ = _rename("local")
    for change in changes:
        new = change.split()[2]
        assert SOURCE.count(new) == 0 and text.count(new) >= 1


def test_the_share_of_renamed_candidates_is_seeded() -> None:
    assert 0 < RENAME_SHARE <= 1
    assert _rename("local", seed=5) == _rename("local", seed=5)


def test_a_private_attribute_of_an_imported_module_is_refused() -> None:
    """`shapes._renderPath = patched` monkeypatches another project's module: renaming it
    broke svglib (`module 'reportlab.graphics.shapes' has no attribute '_silverWillow'`)."""
    source = SOURCE + textwrap.dedent('''\


        def patch(patched):
            os._cleanup = patched
            return os._cleanup
        ''')
    _, changes, refusals = _rename("attribute", source=source)
    assert not any(c.startswith("_cleanup") for c in changes)
    assert any(r.startswith("_cleanup") and "reached on an imported name" in r
               for r in refusals)
