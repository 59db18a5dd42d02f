"""The mutation engine: same seed, same bytes; another seed, another mutant."""

from __future__ import annotations

import pytest

from asebench.dataset.schema import Language
from asebench.mutation.edits import Span
from asebench.mutation.engine import MutationError, mutate_sources
from asebench.mutation.operators import DEFAULT_OPERATORS

SOURCE = '''\
_TABLE = {}


def _key(name):
    return name.lower()


def remember(name, value):
    key = _key(name)
    if not value:
        return None
    _TABLE[key] = value
    return key


def recall(name):
    return _TABLE.get(_key(name))
'''
REGIONS = {0: ("pkg/table.py", Span(9, 13))}


def _mutate(seed: int) -> tuple[str, dict[int, Span]]:
    result = mutate_sources({"pkg/table.py": SOURCE}, REGIONS, language=Language.PYTHON,
                            seed=seed, operators=list(DEFAULT_OPERATORS), others={})
    return result.texts["pkg/table.py"], result.spans


def test_the_same_seed_gives_the_same_bytes() -> None:
    assert _mutate(7) == _mutate(7)


def test_different_seeds_give_different_mutants() -> None:
    assert len({_mutate(seed)[0] for seed in range(5)}) > 1


def test_the_region_still_holds_the_same_statements_renamed() -> None:
    text, spans = _mutate(3)
    lines = text.split("\n")[spans[0].start - 1:spans[0].end]
    assert len(lines) == 5 and lines[1].strip().startswith("if not")


def test_an_unknown_operator_is_refused_by_name() -> None:
    with pytest.raises(MutationError, match="unknown mutation operator 'shuffle-everything'"):
        mutate_sources({"a.py": "x = 1\n"}, {}, language=Language.PYTHON, seed=1,
                       operators=["shuffle-everything"], others={})
