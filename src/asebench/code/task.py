"""From an instance and its source tree to what the model sees and what its answer replaces."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from asebench.code.answer import FittedAnswer, fit_answer
from asebench.code.languages import info, language_of_path
from asebench.code.regions import MaskedFile, insert_code, mask_regions, reindent
from asebench.code.structure import defined_names, enclosing_definition_line, import_line
from asebench.code.syntax import check_syntax
from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.schema import Instance, Language

_BACKTICKS = re.compile(r"`{3,}")


@dataclass(frozen=True)
class MaskedTask:
    """An instance with its regions masked: region `i` is `instance.locations[i - 1]`."""

    instance: Instance
    files: list[MaskedFile]

    @property
    def language(self) -> Language:
        return self.instance.language

    def file_of(self, index: int) -> MaskedFile:
        return next(f for f in self.files if index in f.markers)

    def fit(self, answer: str) -> FittedAnswer:
        """Read the model's answer and put it in place."""
        return fit_answer(answer, self.files, info(self.language).fence_tags, self.parses,
                          language=self.language)

    def parses(self, path: str, text: str) -> bool:
        return check_syntax(text, self.language, path).ok

    def reference_answer(self, which: str) -> str:
        """An answer made of fenced blocks: the gold fix (`reference`) or the original code
        (`vulnerable`). Used by the baselines that prove the benchmark can tell them apart."""
        blocks = []
        for masked in self.files:
            for index in sorted(masked.markers):
                if which == "reference":
                    code = self.instance.locations[index - 1].gold
                    if code is None:
                        raise ValueError(f"{self.instance.id}: location {index} has no gold fix")
                else:
                    code = masked.originals[index]
                tag = info(language_of_path(masked.path, self.language)).fence_tags[0]
                marker = masked.markers[index].strip()
                fence = "`" * max([3, *(len(run) + 1 for run in _BACKTICKS.findall(code))])
                body = code.removesuffix("\n")
                blocks.append(f"{fence}{tag}\n{marker}\n{body}\n{fence}" if body
                              else f"{fence}{tag}\n{marker}\n{fence}")
        return "\n\n".join(blocks)

    def gold_files(self) -> dict[str, str]:
        """Every masked file with the gold fix inserted (for validating rules against the fix)."""
        out = {}
        for masked in self.files:
            code = {}
            for index in masked.markers:
                gold = self.instance.locations[index - 1].gold
                if gold is None:
                    raise ValueError(f"{self.instance.id}: location {index} has no gold fix")
                code[index] = reindent(gold, masked.indents[index])
            out[masked.path] = insert_code(masked, code).text
        return out


def mask_instance(instance: Instance, tree: Path) -> MaskedTask:
    """Mask every location of `instance` in the source tree at `tree`."""
    by_file: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
    for index, location in enumerate(instance.locations, start=1):
        by_file[location.file][index] = (location.start, location.end)
    files = []
    for path, regions in by_file.items():
        field = f"locations.{min(regions) - 1}.file"
        try:
            text = (tree / path).read_bytes().decode("utf-8")  # "\r\n" kept as it is
        except (OSError, UnicodeDecodeError) as exc:
            raise DatasetError([DatasetProblem(instance.id, tree / path, field, str(exc))]) from exc
        try:
            files.append(mask_file(path, text, regions, language_of_path(path, instance.language)))
        except ValueError as exc:
            raise DatasetError([DatasetProblem(instance.id, tree / path, field, str(exc))]) from exc
    return MaskedTask(instance, files)


def mask_file(
    path: str, original: str, regions: dict[int, tuple[int, int]], language: Language
) -> MaskedFile:
    """`mask_regions` with the language's marker comment, plus what the answer fitter needs to
    know about the original file: the names each region defines, where imports go, where each
    region's helpers go. Raises ValueError as `mask_regions` does."""
    masked = mask_regions(path, original, regions, info(language).line_comment)
    imports = import_line(language, original, masked.path)
    helpers: dict[int, int | None] = {}
    for index, (start, _) in masked.lines.items():
        line = enclosing_definition_line(language, original, start, masked.path)
        helpers[index] = masked.masked_line(line) if line is not None else None
    return replace(
        masked,
        defines={i: defined_names(language, original, start, end, masked.path)
                 for i, (start, end) in masked.lines.items()},
        import_line=masked.masked_line(imports) if imports is not None else None,
        helper_lines=helpers,
    )
