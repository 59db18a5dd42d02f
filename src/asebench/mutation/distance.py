"""How far a mutant moved from upstream: renamed identifiers and surviving token n-grams.

Both are order-free (multiset) comparisons of the masked files, so reordering alone does not
count as renaming: `renamed_share` is the share of the upstream identifier occurrences that no
longer appear (0 = no rename, 1 = every occurrence renamed); `ngram_overlap` is the share of
the upstream token n-grams (n = `NGRAM`) still present in the mutant (1 = same token
sequences, lower = more moved).
"""

from __future__ import annotations

import keyword
import re
from collections import Counter
from dataclasses import dataclass

NGRAM = 4
_TOKEN = re.compile(r"[A-Za-z_$][\w$]*|\d+|\S")
_IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")


@dataclass(frozen=True)
class Distance:
    renamed_share: float
    ngram_overlap: float


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _overlap(before: Counter[object], after: Counter[object]) -> float:
    total = sum(before.values())
    return sum((before & after).values()) / total if total else 1.0


def distance(upstream: str, mutant: str) -> Distance:
    """The distance between an upstream file and its mutant (shares in 0..1)."""
    before, after = _tokens(upstream), _tokens(mutant)
    names_before = Counter(t for t in before if _IDENTIFIER.match(t) and not keyword.iskeyword(t))
    names_after = Counter(t for t in after if _IDENTIFIER.match(t) and not keyword.iskeyword(t))
    grams_before: Counter[object] = Counter(
        tuple(before[i:i + NGRAM]) for i in range(len(before) - NGRAM + 1))
    grams_after: Counter[object] = Counter(
        tuple(after[i:i + NGRAM]) for i in range(len(after) - NGRAM + 1))
    return Distance(1.0 - _overlap(Counter(names_before), Counter(names_after)),
                    _overlap(grams_before, grams_after))
