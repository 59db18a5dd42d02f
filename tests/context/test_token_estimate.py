from __future__ import annotations

from asebench.context.tokens import count_tokens


def test_words_punctuation_and_line_breaks_each_cost_tokens() -> None:
    # "return" 1, "x" 1, "+" 1, "1" 1, newline 1
    assert count_tokens("return x + 1\n") == 5


def test_long_identifiers_cost_one_token_per_six_characters() -> None:
    assert count_tokens("sanitize_filename") == 3  # 17 characters


def test_spaces_and_indentation_are_free() -> None:
    assert count_tokens("        x") == count_tokens("x") == 1


def test_empty_text_costs_nothing() -> None:
    assert count_tokens("") == 0
