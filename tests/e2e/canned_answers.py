"""Answers a model could give to an instance, written from the instance's own files.

Read straight from `instance.yaml`, the gold files and the project sources (not through
asebench's loader), so the tests check asebench against what the dataset says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

GARBAGE = "I'm sorry, I can't help with that."

_COMMENT = {"python": "#", "javascript": "//", "typescript": "//", "java": "//", "go": "//",
            "php": "//", "c": "//"}


@dataclass(frozen=True)
class Region:
    file: str
    start: int
    end: int
    gold: str
    original: str


@dataclass(frozen=True)
class InstanceAnswers:
    """One instance's id, language and masked regions, and the answers built from them."""

    directory: Path
    id: str
    language: str
    regions: list[Region]

    @classmethod
    def read(cls, directory: Path) -> InstanceAnswers:
        record = yaml.safe_load((directory / "instance.yaml").read_text(encoding="utf-8"))
        source = record["source"]
        assert source["kind"] == "local", f"{directory.name}: only local sources are supported"
        project = directory / source["path"]
        regions = []
        for location in record["locations"]:
            gold = location.get("gold")
            if gold is None:
                gold = (directory / location["gold_file"]).read_text(encoding="utf-8")
            lines = (project / location["file"]).read_text(encoding="utf-8").split("\n")
            original = "\n".join(lines[location["start"] - 1 : location["end"]])
            regions.append(Region(location["file"], location["start"], location["end"],
                                  gold, original))
        return cls(directory, str(record["id"]), str(record["language"]), regions)

    @property
    def prompt_key(self) -> str:
        """A piece of the prompt only this instance's prompt holds: its first masked file."""
        return f"File `{self.regions[0].file}`"

    def _fenced(self, codes: list[str]) -> str:
        comment = _COMMENT[self.language]
        blocks = [
            f"```{self.language}\n{comment} <MASKED REGION {n}>\n{code.rstrip()}\n```"
            for n, code in enumerate(codes, start=1)
        ]
        return "Here is the code for the masked region.\n\n" + "\n\n".join(blocks) + "\n"

    @property
    def gold(self) -> str:
        """The fixed code, one fenced block per region, each starting with its marker line."""
        return self._fenced([r.gold for r in self.regions])

    @property
    def vulnerable(self) -> str:
        """The original (vulnerable) code of each region, fenced the same way."""
        return self._fenced([r.original for r in self.regions])
