"""The language table: one complete entry per language, and file names map to one language."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from asebench.code.languages import LANGUAGES, info, language_of_path, parse, parser_for
from asebench.dataset.schema import Language

SMALL_PROGRAM = {
    Language.PYTHON: "x = 1\n",
    Language.JAVASCRIPT: "let x = 1;\n",
    Language.TYPESCRIPT: "let x: number = 1;\n",
    Language.JAVA: "class A {}\n",
    Language.GO: "package a\n",
    Language.PHP: "<?php $x = 1;\n",
    Language.C: "int x = 1;\n",
}


@pytest.mark.parametrize("language", list(Language))
def test_every_language_has_a_complete_entry(language: Language) -> None:
    entry = info(language)

    assert entry.language is language
    assert entry.extensions and all(e.startswith(".") and e == e.lower() for e in entry.extensions)
    assert set(entry.extensions) <= set(entry.indexed_extensions)
    assert entry.line_comment.strip() and entry.fence_tags and entry.prompt_name
    assert entry.toolchain.name
    command = entry.toolchain.command(Path("/tree"), "src/file" + entry.extensions[0], Path("/s"))
    assert command and command[0]
    assert not parse(language, SMALL_PROGRAM[language]).root_node.has_error


def test_the_table_covers_exactly_the_languages_of_the_schema() -> None:
    assert set(LANGUAGES) == set(Language)


def test_no_extension_of_one_language_ends_an_extension_of_another() -> None:
    for first, second in combinations(LANGUAGES.values(), 2):
        for a in first.extensions:
            for b in second.extensions:
                clash = (first.language, a, second.language, b)
                assert not a.endswith(b) and not b.endswith(a), clash


@pytest.mark.parametrize("language", list(Language))
def test_each_extension_maps_back_to_its_language_in_any_case(language: Language) -> None:
    for extension in info(language).extensions:
        other = Language.C if language is not Language.C else Language.GO
        assert language_of_path("dir/name" + extension.upper(), other) is language


def test_a_fence_tag_names_one_language() -> None:
    for first, second in combinations(LANGUAGES.values(), 2):
        assert not set(first.fence_tags) & set(second.fence_tags), (first.language, second.language)


def test_an_unknown_extension_keeps_the_default_and_has_no_parser() -> None:
    assert language_of_path("README.md", Language.GO) is Language.GO
    assert parser_for("README.md") is None


def test_tsx_files_get_the_tsx_grammar() -> None:
    source = "const a = <div>{x}</div>;\n"

    assert not parse(Language.TYPESCRIPT, source, "view.tsx").root_node.has_error
    assert parse(Language.TYPESCRIPT, source, "view.ts").root_node.has_error
