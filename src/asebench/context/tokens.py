"""A deterministic, offline token estimate for prompt budgets.

No tokenizer files are downloaded (tiktoken would fetch its vocabulary at run time), so the count
is an estimate in the spirit of BPE on code: every run of word characters costs one token per six
characters (rounded up), every other visible character costs one, every line break costs one and
other whitespace is free. On source code this lands close to, and usually a little above, what
GPT-style tokenizers report, which is the safe side for a budget.
"""

from __future__ import annotations

import re

_PIECE = re.compile(r"\w+|\n|[^\w\s]")
_WORD_CHARS_PER_TOKEN = 6


def count_tokens(text: str) -> int:
    """The estimated number of model tokens in `text` (see the module docstring)."""
    total = 0
    for match in _PIECE.finditer(text):
        piece = match.group()
        if piece[0].isalnum() or piece[0] == "_":
            total += -(-len(piece) // _WORD_CHARS_PER_TOKEN)
        else:
            total += 1
    return total
