from __future__ import annotations

from asebench.context.budget import fill_budget
from asebench.context.model import Snippet
from asebench.context.tokens import count_tokens


def snippet(path: str, start: int, lines: int, score: float = 1.0) -> Snippet:
    text = "\n".join(f"value_{n} = compute({n})" for n in range(start, start + lines))
    return Snippet(path=path, start_line=start, end_line=start + lines - 1, text=text, score=score)


def test_snippets_are_taken_in_order_while_they_fit() -> None:
    first, second = snippet("a.py", 1, 3), snippet("b.py", 1, 3)
    budget = count_tokens(first.render() + "\n" + second.render())

    context = fill_budget([first, second], budget)

    assert context.snippets == [first, second]
    assert context.tokens == budget


def test_the_snippet_that_does_not_fit_is_cut_to_its_first_lines() -> None:
    first, long = snippet("a.py", 1, 3), snippet("b.py", 10, 40)
    budget = count_tokens(first.render()) + 80

    context = fill_budget([first, long], budget)

    cut = context.snippets[1]
    assert (cut.start_line, cut.text.split("\n")[0]) == (10, "value_10 = compute(10)")
    assert 3 <= cut.end_line - cut.start_line + 1 < 40
    assert count_tokens(context.render()) <= budget


def test_a_snippet_too_big_to_cut_usefully_is_skipped_for_a_smaller_one() -> None:
    big, small = snippet("a.py", 1, 50), snippet("b.py", 1, 1)
    budget = count_tokens(small.render())

    context = fill_budget([big, small], budget)

    assert context.snippets == [small]


def test_overlapping_spans_of_the_same_file_are_taken_once() -> None:
    first, overlapping = snippet("a.py", 1, 10), snippet("a.py", 5, 10)

    context = fill_budget([first, overlapping], 10_000)

    assert context.snippets == [first]
