"""Every operator of a language, chained by the engine on a small file of each of the six
languages: the same seed gives the same bytes, and the masked region keeps its text (locals
renamed)."""

from __future__ import annotations

import pytest

from asebench.dataset.schema import Language
from asebench.mutation.edits import Span
from asebench.mutation.engine import mutate_sources
from asebench.mutation.operators import operators_for

FILES: dict[Language, tuple[str, str, Span]] = {
    Language.PYTHON: ("m.py", '''\
def scale(values, stop):
    out = []
    for i in range(0, stop):
        out.append(f"{values[i]}!")
    if not out:
        return None
    return out


def total(values):
    found = 0
    if 3 < len(values):
        return -1
    found += len(values)
    return found
''', Span(14, 14)),
    Language.JAVASCRIPT: ("m.js", '''\
function scale(values, stop) {
  const out = [];
  for (let i = 0; i < stop; i++) {
    out.push(!(values[i] === 0));
  }
  if (!out.length) {
    return null;
  }
  return out;
}

function total(values) {
  let found = 0;
  found += values.length;
  return found;
}
module.exports = { scale, total };
''', Span(14, 14)),
    Language.C: ("m.c", '''\
static int scale(const int *values, int stop) {
    int out = 0;
    for (int i = 0; i < stop; i++) {
        out += !(values[i] == 0);
    }
    if (3 < out) {
        return -1;
    }
    return out;
}

int total(const int *values, int count) {
    int found = scale(values, count);
    found += count;
    return found;
}
''', Span(14, 14)),
    Language.JAVA: ("A.java", '''\
class A {
    static int scale(int[] values, int stop) {
        int out = 0;
        for (int i = 0; i < stop; i++) {
            out += values[i];
        }
        if (!(out == 0)) {
            return out;
        }
        return -1;
    }

    static int total(int[] values) {
        int found = scale(values, values.length);
        found += values.length;
        return found;
    }
}
''', Span(15, 15)),
    Language.GO: ("a.go", '''\
package a

func scale(values []int, stop int) int {
	out := 0
	if stop < 1 {
		return -1
	}
	out += values[0]
	return out
}

func total(values []int) int {
	found := scale(values, len(values))
	found += len(values)
	return found
}
''', Span(14, 14)),
    Language.PHP: ("a.php", '''\
<?php
function scale($values, $stop) {
    $out = 0;
    for ($i = 0; $i < $stop; $i++) {
        $out += $values[$i];
    }
    if ($out > 3) {
        return -1;
    }
    return $out;
}

function total($values) {
    $found = scale($values, count($values));
    $found += count($values);
    return $found;
}
''', Span(15, 15)),
}


@pytest.mark.parametrize("language", list(FILES), ids=lambda language: language.value)
def test_all_operators_chain_deterministically_and_keep_the_region(language: Language
                                                                   ) -> None:
    path, source, region = FILES[language]

    upstream = "\n".join(source.split("\n")[region.start - 1:region.end])

    def mutate(seed: int) -> tuple[str, str, str, list[str]]:
        result = mutate_sources({path: source}, {0: (path, region)}, language=language,
                                seed=seed, operators=operators_for(language), others={})
        span = result.spans[0]
        text = result.texts[path]
        masked = "\n".join(text.split("\n")[span.start - 1:span.end])
        return text, masked, result.names.apply_code(upstream, language), result.applied()

    runs = [mutate(seed) for seed in range(4)]
    assert runs == [mutate(seed) for seed in range(4)]
    assert len({text for text, _, _, _ in runs}) > 1
    for _, masked, expected, applied in runs:
        assert applied and masked == expected
