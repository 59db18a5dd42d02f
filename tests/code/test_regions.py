"""Masking keeps indentation; insertion re-indents (tabs too) and records the inserted lines."""

from asebench.code.regions import (
    Span,
    insert_code,
    marker_index,
    mask_regions,
    reindent,
    reindent_flush_first,
)

SOURCE = (
    "class Store:\n"
    "\tdef get(self, key):\n"
    "\t\tvalue = self.data[key]\n"
    "\t\treturn value\n"
    "\n"
    "\tdef put(self, key, value):\n"
    "\t\tself.data[key] = value\n"
)


def test_each_region_becomes_one_marker_line_with_its_indentation() -> None:
    masked = mask_regions("store.py", SOURCE, {1: (3, 4), 2: (7, 7)}, "#")
    lines = masked.text.split("\n")
    assert lines[2] == "\t\t# <MASKED REGION 1>"
    assert lines[5] == "\t\t# <MASKED REGION 2>"
    assert masked.originals[1] == "\t\tvalue = self.data[key]\n\t\treturn value\n"
    assert marker_index(lines[5]) == 2


def test_insertion_reindents_with_tabs_and_reports_spans_after_earlier_growth() -> None:
    masked = mask_regions("store.py", SOURCE, {1: (3, 4), 2: (7, 7)}, "#")
    code = {
        1: reindent("if key not in self.data:\n    raise KeyError(key)\nreturn self.data[key]",
                    masked.indents[1]),
        2: reindent("        self.data[key] = value", masked.indents[2]),
    }
    inserted = insert_code(masked, code)
    lines = inserted.text.split("\n")
    assert lines[2] == "\t\tif key not in self.data:"
    assert lines[3] == "\t\t    raise KeyError(key)"
    assert inserted.spans == {1: Span(3, 5), 2: Span(8, 8)}
    assert lines[7] == "\t\tself.data[key] = value"


def test_overlapping_regions_are_refused() -> None:
    try:
        mask_regions("store.py", SOURCE, {1: (2, 4), 2: (4, 5)}, "#")
    except ValueError as exc:
        assert "overlap" in str(exc)
    else:
        raise AssertionError("overlapping regions were accepted")


def test_windows_line_endings_are_kept() -> None:
    masked = mask_regions("a.js", "function f() {\r\n  return 1;\r\n}\r\n", {1: (2, 2)}, "//")
    inserted = insert_code(masked, {1: reindent("return 2;", masked.indents[1])})
    assert inserted.text == "function f() {\r\n  return 2;\r\n}\r\n"


def test_flush_first_reading_only_applies_when_the_rest_is_absolutely_indented() -> None:
    assert reindent_flush_first("if x:\n        go()\n    done()", "    ") == (
        "    if x:\n        go()\n    done()"
    )
    assert reindent_flush_first("if x:\n  go()", "    ") is None
    assert reindent_flush_first("return 1", "    ") is None


def test_span_intersection() -> None:
    assert Span(3, 5).intersects(5, 9)
    assert not Span(3, 5).intersects(6, 9)
    assert not Span(4, 3).intersects(1, 10)  # an empty insertion intersects nothing
