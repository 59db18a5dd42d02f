"""Reasoning is taken out of an answer in every shape its markers come in."""

import pytest

from asebench.code.reasoning import ONLY_REASONING, UNFINISHED, strip_reasoning


def test_a_complete_think_section_is_removed() -> None:
    final = strip_reasoning("<think>\n```python\ndraft()\n```\n</think>\n```python\nfinal()\n```")
    assert final.failure is None
    assert "draft" not in final.text and "final()" in final.text


def test_reasoning_that_never_finished_is_no_final_answer() -> None:
    final = strip_reasoning("<think>\nLet me write it:\n```python\ndraft()\n```\nBut wait")
    assert final.failure == UNFINISHED == "no final answer: reasoning did not finish"


def test_a_closing_tag_without_its_opening_ends_reasoning_that_began_the_answer() -> None:
    final = strip_reasoning("Okay, so:\n```python\ndraft()\n```\n</think>\n\n```python\nfin()\n```")
    assert final.failure is None
    assert "draft" not in final.text and "fin()" in final.text


@pytest.mark.parametrize("tag", ["thinking", "reasoning", "THINK", "think"])
def test_other_reasoning_tags_are_read_the_same_way(tag: str) -> None:
    assert strip_reasoning(f"<{tag}>draft()</{tag}>\nfinal()").text.strip() == "final()"
    assert strip_reasoning(f"<{tag}>\ndraft()").failure == UNFINISHED


def test_several_sections_and_an_answer_made_only_of_reasoning() -> None:
    final = strip_reasoning("<think>a()</think>\nb()\n<think>\nc()\n</think>\nd()")
    assert [line for line in final.text.split("\n") if line] == ["b()", "d()"]
    assert strip_reasoning("<think>only this</think>\n").failure == ONLY_REASONING


def test_an_answer_without_reasoning_is_left_alone() -> None:
    answer = "```html\n<p>a think tag in text: x < y</p>\n```"
    assert strip_reasoning(answer).text == answer
