from __future__ import annotations

from asebench.context.chunking import MAX_CHUNK_LINES, WINDOW_LINES, WINDOW_OVERLAP, chunk_file

TWO_FUNCTIONS = """import os


def read_config(path):
    with open(path) as handle:
        return handle.read()


def write_config(path, text):
    with open(path, "w") as handle:
        handle.write(text)
"""


def spans(chunks: list) -> list[tuple[int, int]]:
    return [(chunk.start_line, chunk.end_line) for chunk in chunks]


def test_each_top_level_function_is_a_chunk_and_tiny_imports_join_the_next() -> None:
    chunks = chunk_file("config.py", TWO_FUNCTIONS)

    assert spans(chunks) == [(1, 6), (9, 11)]
    assert chunks[1].text.startswith("def write_config(path, text):")


def test_a_big_class_is_cut_into_its_methods_which_keep_the_class_as_scope() -> None:
    methods = "".join(
        f"    def method_{i}(self):\n        value = {i}\n        return value\n\n"
        for i in range(MAX_CHUNK_LINES)
    )
    chunks = chunk_file("big.py", "class Big:\n" + methods)

    assert len(chunks) == MAX_CHUNK_LINES
    assert chunks[0].text.startswith("class Big:\n    def method_0(self):")
    assert chunks[5].text.strip().startswith("def method_5(self):")
    assert {chunk.scope for chunk in chunks} == {"class Big:"}


def test_a_file_without_a_grammar_is_cut_into_overlapping_windows() -> None:
    text = "\n".join(f"line {i}" for i in range(1, 101))

    chunks = chunk_file("notes.txt", text)

    step = WINDOW_LINES - WINDOW_OVERLAP
    assert spans(chunks) == [(1, 40), (1 + step, 40 + step), (1 + 2 * step, 100)]


def test_a_long_guarded_c_header_is_cut_along_the_declarations_inside_the_guard() -> None:
    structs = "".join(f"struct s{i} {{\n  int a;\n  int b;\n}};\n\n" for i in range(20))
    header = "#ifndef BIG_H\n#define BIG_H\n\n" + structs + "#endif\n"

    chunks = chunk_file("big.h", header)

    assert chunks[0].text.startswith("#ifndef BIG_H\n#define BIG_H\n\nstruct s0 {")
    assert [chunk.text.split(" {")[0] for chunk in chunks[1:4]] == [
        "struct s1",
        "struct s2",
        "struct s3",
    ]


def test_chunks_record_the_names_they_define() -> None:
    source = (
        "#define LIMIT 4\n\nstruct packet {\n  int len;\n};\n\n"
        "int parse(struct packet *p) {\n  return p->len < LIMIT;\n}\n"
    )

    chunks = chunk_file("parse.c", source)

    assert [chunk.defines for chunk in chunks] == [("LIMIT", "packet"), ("parse",)]
