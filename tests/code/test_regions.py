"""Masking keeps indentation; insertion re-indents (tabs too) and records the inserted lines."""

from asebench.code.regions import (
    Addition,
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


def _round_trip(text: str, regions: dict[int, tuple[int, int]]) -> str:
    masked = mask_regions("m.py", text, regions, "#")
    code = {i: reindent(masked.originals[i], masked.indents[i]) for i in masked.markers}
    return insert_code(masked, code).text


def test_a_region_that_ends_shallower_than_it_starts_comes_back_where_it_was() -> None:
    source = (
        "def total(rows):\n"
        "    sum = 0\n"
        "    for row in rows:\n"
        "        if row > 0:\n"
        "            sum += row\n"
        "    return sum\n"
    )
    masked = mask_regions("m.py", source, {1: (4, 6)}, "#")
    assert masked.text.split("\n")[3] == "    # <MASKED REGION 1>"
    assert _round_trip(source, {1: (4, 6)}) == source


def test_only_newline_breaks_lines() -> None:
    # form feed, \x1c-\x1e, \x85 and \u2028 are characters of a line, not line breaks
    source = "a = 1\n\x0c\nb = '\x1c\x1d\x1e'\nc = '\x85\u2028'\ndef f():\n    return 1\n"
    masked = mask_regions("m.py", source, {1: (6, 6)}, "#")
    assert masked.originals[1] == "    return 1\n"
    inserted = insert_code(masked, {1: reindent("return 2", masked.indents[1])})
    assert inserted.spans[1] == Span(6, 6)
    assert inserted.text.endswith("def f():\n    return 2\n")
    assert _round_trip(source, {1: (6, 6)}) == source


def test_windows_mixed_and_missing_final_line_endings_round_trip() -> None:
    assert _round_trip("x = 1\r\nif x:\r\n    y = 2\r\n    z = 3\r\n", {1: (3, 4)}) == (
        "x = 1\r\nif x:\r\n    y = 2\r\n    z = 3\r\n")
    mixed = "x = 1\nif x:\r\n    y = 2\n    z = 3\r\nw = 4"
    assert _round_trip(mixed, {1: (3, 4)}) == mixed
    assert _round_trip(mixed, {1: (5, 5)}) == mixed


def test_blank_lines_at_the_edges_of_a_region_stay_in_the_file() -> None:
    source = "a = 1\n\n   \nb = 2\n  \n\nc = 3\n"
    masked = mask_regions("m.py", source, {1: (2, 6)}, "#")
    assert masked.originals[1] == "b = 2\n"
    assert masked.lines[1] == (4, 4)
    assert _round_trip(source, {1: (2, 6)}) == source


def test_whitespace_only_lines_inside_a_region_keep_their_whitespace() -> None:
    source = 'def f():\n    text = """\n        \n    end"""\n    return text\n'
    assert _round_trip(source, {1: (2, 5)}) == source


def test_a_zero_line_region_puts_its_marker_between_two_lines() -> None:
    source = "import os\n\ndef f(name):\n    return open(name)\n"
    masked = mask_regions("m.py", source, {1: (3, 2)}, "#")
    assert masked.text == "import os\n\n# <MASKED REGION 1>\ndef f(name):\n    return open(name)\n"
    assert masked.originals[1] == ""
    assert insert_code(masked, {1: ""}).text == source
    inserted = insert_code(masked, {1: reindent("def g():\n    pass\n", masked.indents[1])})
    assert inserted.text.split("\n")[2:4] == ["def g():", "    pass"]
    assert inserted.spans[1] == Span(3, 4)


def test_a_zero_line_region_inside_a_block_takes_the_next_lines_indentation() -> None:
    source = "def f(name):\n    name = name.strip()\n    return open(name)\n"
    masked = mask_regions("m.py", source, {1: (3, 2)}, "#")
    assert masked.text.split("\n")[2] == "    # <MASKED REGION 1>"
    assert _round_trip(source, {1: (3, 2)}) == source


def test_a_zero_line_region_may_sit_next_to_a_region() -> None:
    source = "a = 1\nb = 2\nc = 3\n"
    assert _round_trip(source, {1: (2, 1), 2: (2, 2), 3: (3, 2)}) == source
    try:
        mask_regions("m.py", source, {1: (1, 3), 2: (2, 1)}, "#")
    except ValueError as exc:
        assert "overlap" in str(exc)
    else:
        raise AssertionError("a zero-line region inside another was accepted")


def test_additions_go_before_their_line_and_get_spans() -> None:
    source = "import os\n\ndef f(name):\n    return name\n"
    masked = mask_regions("m.py", source, {1: (4, 4)}, "#")
    inserted = insert_code(
        masked,
        {1: "    return run(name)"},
        (Addition(1, "imports", 2, "import shlex"),
         Addition(1, "helpers", 3, "def run(x):\n    return x", blank_after=2)),
    )
    assert inserted.text == (
        "import os\nimport shlex\n\ndef run(x):\n    return x\n\n\n"
        "def f(name):\n    return run(name)\n"
    )
    assert inserted.spans == {"1.imports": Span(2, 2), "1.helpers": Span(4, 5), 1: Span(9, 9)}


def test_masked_line_maps_original_lines_past_regions() -> None:
    source = "a\nb\nc\nd\ne\n"
    masked = mask_regions("m.txt", source, {1: (2, 3), 2: (5, 4)}, "#")
    assert masked.masked_line(1) == 1
    assert masked.masked_line(2) == 2
    assert masked.masked_line(3) is None
    assert masked.masked_line(4) == 3
    assert masked.masked_line(5) == 4  # before the zero-line marker that sits before line 5
    assert masked.masked_line(6) == 6
