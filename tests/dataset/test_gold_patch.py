"""A gold patch: a unified diff over the derived gold, applied strictly (no offset, no fuzz)."""

from __future__ import annotations

import pytest

from asebench.dataset.gold_patch import (
    GoldPatchError,
    apply_gold_patch,
    make_gold_patch,
    parse_gold_patch,
)

DERIVED = (
    "def extract(target, name):\n"
    "    path = resolve(target, name)\n"
    "    if not path.startswith(resolve(target)):\n"
    "        raise ValueError(name)\n"
    "    return path\n"
)
# the upstream check is a bare prefix test; the gold written here adds a separator
PATCH = (
    "--- derived\n"
    "+++ gold\n"
    "@@ -2,3 +2,4 @@\n"
    "     path = resolve(target, name)\n"
    "-    if not path.startswith(resolve(target)):\n"
    "+    root = resolve(target) + sep\n"
    "+    if not path.startswith(root):\n"
    "         raise ValueError(name)\n"
)
GOLD = DERIVED.replace("    if not path.startswith(resolve(target)):\n",
                       "    root = resolve(target) + sep\n    if not path.startswith(root):\n")


def test_a_patch_that_matches_gives_the_gold_written_here() -> None:
    assert apply_gold_patch(DERIVED, PATCH) == GOLD


def test_a_hunk_must_match_at_the_line_it_names_not_elsewhere() -> None:
    shifted = "# a line the fix added above\n" + DERIVED  # `patch` would apply at offset 1
    with pytest.raises(GoldPatchError) as raised:
        apply_gold_patch(shifted, PATCH)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("hunk 1 (@@ -2,3 +2,4 @@) does not apply: line 2 of the gold is")
    assert "the patch expects '    path = resolve(target, name)'" in message


def test_a_changed_context_line_is_refused_without_fuzz() -> None:
    changed = DERIVED.replace("        raise ValueError(name)\n", "        raise OSError(name)\n")
    with pytest.raises(GoldPatchError, match=r"line 4 of the gold is '        raise OSError"):
        apply_gold_patch(changed, PATCH)


def test_a_hunk_past_the_end_of_the_gold_names_the_end() -> None:
    with pytest.raises(GoldPatchError, match="line 3 of the gold is the end of the gold"):
        apply_gold_patch("def extract(target, name):\n    path = resolve(target, name)\n",
                         PATCH)


@pytest.mark.parametrize("base, gold", [
    (DERIVED, GOLD),
    ("a\nb\nc", "a\nb\nc\nd"),                     # no newline at the end, either side
    ("a\nb\nc\n", "a\nB\nc"),
    ("", "def f():\n    return 1\n"),             # an empty derived gold (insertion point)
    ("x\n" * 20, "y\n" + "x\n" * 18 + "z\n"),       # two hunks far apart
    ("keep\n", "first\nkeep\n"),                    # insertion before the first line
])
def test_make_gold_patch_round_trips_through_apply(base: str, gold: str) -> None:
    patch = make_gold_patch(base, gold)
    assert apply_gold_patch(base, patch) == gold


def test_equal_texts_make_an_empty_patch_which_is_refused() -> None:
    assert make_gold_patch(DERIVED, DERIVED) == ""
    with pytest.raises(GoldPatchError, match="no hunk"):
        parse_gold_patch("")


@pytest.mark.parametrize("patch, words", [
    ("@@ -1,2 +1,2 @@\n a\n-b\n", "the hunk has 2 old and 1 new line(s), its header says 2 and 2"),
    ("@@ -1 +1 @@\n-a\n+b\n--- x\n+++ y\n@@ -1 +1 @@\n-a\n+b\n", "a second file header"),
    ("garbage\n", "expected a hunk header"),
    ("@@ -1 +1 @@\n*a\n", "not a context, '-' or '+' line"),
    ("@@ -5 +5 @@\n-a\n+b\n@@ -2 +2 @@\n-c\n+d\n", "overlaps or precedes the hunk before it"),
])
def test_a_malformed_patch_is_refused_in_one_line(patch: str, words: str) -> None:
    with pytest.raises(GoldPatchError) as raised:
        parse_gold_patch(patch)
    assert words in str(raised.value) and "\n" not in str(raised.value)


def test_a_blank_context_line_written_without_its_space_still_counts_as_context() -> None:
    """Editors strip the space of a blank context line."""
    assert apply_gold_patch("a\nb\n\n", "@@ -2,2 +2,2 @@\n-b\n+B\n\n") == "a\nB\n\n"


def test_a_missing_newline_at_the_end_is_a_difference_and_is_said() -> None:
    with pytest.raises(GoldPatchError, match=r"line 2 of the gold is 'b' \(no newline at the "
                                             r"end\), the patch expects 'b'$"):
        apply_gold_patch("a\nb", "@@ -1,2 +1,2 @@\n-a\n+A\n b\n")
