"""The typed shape of a benchmark instance: what is vulnerable, where, and how it is judged."""

from __future__ import annotations

import itertools
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from asebench.dataset.go_module import go_module_problem, go_package_problem, go_version_problem
from asebench.dataset.packages import (
    is_package_file,
    maven_coordinate_problem,
    maven_part_problem,
    npm_spec_problem,
    pip_name_problem,
    pip_requirement_problem,
    version_problem,
)


def _checked(check: Any) -> AfterValidator:
    """A pydantic validator that refuses a string for which `check` gives a reason."""

    def validate(value: str) -> str:
        reason = check(value)
        if reason is not None:
            raise ValueError(f"{value!r} is {reason}" if reason.startswith(("a ", "an ", "not"))
                             else reason)
        return value

    return AfterValidator(validate)


def _pip_entry_problem(value: str) -> str | None:
    return None if is_package_file(value) else pip_requirement_problem(value)


def _npm_entry_problem(value: str) -> str | None:
    return None if is_package_file(value) else npm_spec_problem(value)


PipName = Annotated[str, _checked(pip_name_problem)]
NpmName = Annotated[str, _checked(npm_spec_problem)]
PackageVersion = Annotated[str, _checked(version_problem)]
MavenPart = Annotated[str, _checked(maven_part_problem)]
MavenCoordinate = Annotated[str, _checked(maven_coordinate_problem)]
"""`group:artifact:version` of a Maven Central artifact (no range, no property)."""
GoModulePath = Annotated[str, _checked(go_module_problem)]
GoModuleVersion = Annotated[str, _checked(go_version_problem)]
GoPackage = Annotated[str, _checked(go_package_problem)]
PipEntry = Annotated[str, _checked(_pip_entry_problem)]
"""A pip requirement (`name[extras]>=1; marker`) or a package file in the instance folder."""
NpmEntry = Annotated[str, _checked(_npm_entry_problem)]
"""An npm spec (`name`, `@scope/name@^1`) or a package tarball in the instance folder."""


class Language(StrEnum):
    """Languages asebench can mask, parse, check and scan."""

    PYTHON = "python"
    JAVASCRIPT = "javascript"
    TYPESCRIPT = "typescript"
    JAVA = "java"
    GO = "go"
    PHP = "php"
    C = "c"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GitSource(_Strict):
    """A git repository (URL or local path) at one revision: sha, short sha, tag, `sha^`, `sha~`."""

    kind: Literal["git"] = "git"
    url: str
    rev: str
    fixed_rev: str | None = None


class PypiSource(_Strict):
    """A PyPI source distribution, fetched with `pip download --no-binary :all:`."""

    kind: Literal["pypi"] = "pypi"
    name: PipName
    version: PackageVersion
    sha256: str | None = None
    fixed_version: PackageVersion | None = None


class NpmSource(_Strict):
    """An npm package tarball, fetched with `npm pack`."""

    kind: Literal["npm"] = "npm"
    name: NpmName
    version: PackageVersion
    sha256: str | None = None
    fixed_version: PackageVersion | None = None


class MavenSource(_Strict):
    """A Maven artifact's `-sources.jar`, fetched with `mvn dependency:copy`; `sha256` is the
    sources jar's."""

    kind: Literal["maven"] = "maven"
    group: MavenPart
    artifact: MavenPart
    version: MavenPart
    sha256: str | None = None
    fixed_version: MavenPart | None = None

    @property
    def coordinate(self) -> str:
        """`group:artifact:version`."""
        return f"{self.group}:{self.artifact}:{self.version}"
class GomodSource(_Strict):
    """A Go module release (`module@version`), fetched with `go mod download`; `sha256` pins
    the module zip the module proxy serves."""

    kind: Literal["gomod"] = "gomod"
    module: GoModulePath
    version: GoModuleVersion
    sha256: str | None = None
    fixed_version: GoModuleVersion | None = None


class LocalSource(_Strict):
    """A directory on disk; a relative path is relative to the instance directory."""

    kind: Literal["local"] = "local"
    path: str


class DebianFile(_Strict):
    """One file of a Debian source package, pinned by content: the upstream `.orig` tarball
    (`name` as in the `.dsc`, e.g. `cjson_1.7.15.orig.tar.gz`), or a patch (`name` relative to
    `debian/patches/`, as in its `series` file)."""

    name: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")

    @field_validator("name")
    @classmethod
    def _plain(cls, value: str) -> str:
        path = Path(value)
        if path.is_absolute() or ".." in path.parts or "\\" in value:
            raise ValueError(f"must be a relative name without '..', got {value!r}")
        return value


class DebianSource(_Strict):
    """A Debian source package, fetched with `apt-get source --download-only`: the upstream
    `orig` tarball with the Debian `patches` applied in order (those before the CVE's patch in
    `debian/patches/series`) is the vulnerable tree; `fix_patch` (the CVE's patch) on top of it
    is the fix. Pinned by sha256, not by Debian revision, so a later security update that keeps
    these files keeps the instance valid."""

    kind: Literal["debian"] = "debian"
    package: str = Field(pattern=r"^[a-z0-9][a-z0-9.+-]+$")
    orig: DebianFile
    patches: list[DebianFile] = Field(default_factory=list)
    fix_patch: DebianFile

    @model_validator(mode="after")
    def _fix_not_applied_before(self) -> DebianSource:
        names = [patch.name for patch in self.patches]
        if self.fix_patch.name in names:
            raise ValueError(f"fix_patch {self.fix_patch.name!r} is also in patches (the "
                             "vulnerable tree must not hold the fix)")
        if len(set(names)) != len(names):
            raise ValueError("patches lists a patch twice")
        return self


Source = Annotated[
    GitSource | PypiSource | NpmSource | MavenSource | GomodSource | DebianSource
    | LocalSource, Field(discriminator="kind")
]


class Location(_Strict):
    """One masked region: lines `start`..`end` (1-based, inclusive) of `file` in the source tree.

    `end == start - 1` is a zero-line insertion point: nothing is masked, and the marker goes
    between lines `start - 1` and `start` (for code the fix adds outside the region, such as an
    import or a helper). `gold` is the code that replaces the region in the fixed version (the
    reference answer).

    `gold_patch` names a unified diff in the instance folder (`gold/1.patch`) applied strictly
    to the gold derived at fetch time (`dataset/gold_patch.py`): the lines written here over
    an incomplete upstream fix. It cannot go with a written `gold` (the patch is over the
    derived one); once applied (at fetch time), the instance holds the result in `gold` and no
    `gold_patch`.
    """

    file: str
    start: int = Field(ge=1)
    end: int = Field(ge=0)
    gold: str | None = None
    gold_patch: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Location:
        if self.end < self.start - 1:
            raise ValueError(f"end ({self.end}) is before start ({self.start}); a zero-line "
                             f"insertion point before line {self.start} has end {self.start - 1}")
        if self.gold is not None and self.gold_patch is not None:
            raise ValueError("gold_patch cannot go with a written gold (gold_file or gold): "
                             "the patch applies to the gold derived from the fix")
        return self

    @field_validator("gold_patch")
    @classmethod
    def _in_instance(cls, value: str | None) -> str | None:
        if value is not None and (Path(value).is_absolute() or ".." in Path(value).parts
                                  or not value):
            raise ValueError(f"must be a relative path inside the instance folder, got "
                             f"{value!r}")
        return value

    @field_validator("file")
    @classmethod
    def _relative(cls, value: str) -> str:
        path = Path(value)
        if path.is_absolute() or ".." in path.parts or not value:
            raise ValueError(f"must be a relative path inside the source tree, got {value!r}")
        return value


JUDGED_COMMAND = "asebench-judge"
"""`run: [asebench-judge, poc.py]`: the script is a judge run apart from the candidate (data
README, "the judged protocol")."""


class Command(_Strict):
    """A PoC or functional test: a judge script (`run: [asebench-judge, SCRIPT]`), or — the
    older single-sandbox protocol — a command run inside the sandbox from the workspace root
    that prints one JSON line `{"verdict": ..., "detail": ...}` and exits 0."""

    run: list[str] = Field(min_length=1)
    timeout: float = Field(default=60.0, gt=0)
    env: dict[str, str] = Field(default_factory=dict)

    @property
    def judged(self) -> bool:
        """The command follows the judged protocol (the candidate cannot forge its verdict)."""
        return self.run[0] == JUDGED_COMMAND


class Environment(_Strict):
    """What the PoC and test need installed, built once per source and cached read-only.

    Each entry is a registry package (`name==1.2`, `@scope/name@^1`; no URL, direct reference,
    path or option: see `packages`) or a package file inside the instance folder.
    """

    python: list[PipEntry] = Field(default_factory=list)
    npm: list[NpmEntry] = Field(default_factory=list)
    maven: list[MavenCoordinate] = Field(default_factory=list)
    """Maven artifacts whose jars, with their runtime dependencies, go to `/env/lib` (the Java
    toolchain compiles against them; PoCs and tests put `/env/lib/*` on the class path)."""
    install_source: bool = False
    go_build: list[GoPackage] = Field(default_factory=list)
    """Go packages (`./html` of the source, `encoding/json`) compiled once, offline, into the
    environment's build cache when it holds the source's modules (`install_source` of a Go
    instance): the toolchain check and PoC builds then start warm instead of compiling the
    standard library in every sandbox."""
    build: list[list[str]] = Field(default_factory=list)
    """Commands run once, in order, in a copy of the source tree (`[./configure]`,
    `[make, libfoo.a]`), sandboxed without network; the built tree is `/env/build`
    (`checks.source_build`)."""

    @field_validator("build")
    @classmethod
    def _commands(cls, value: list[list[str]]) -> list[list[str]]:
        if any(not command or not command[0] for command in value):
            raise ValueError("every build command is a non-empty argv list")
        return value


class ContainerSpec(_Strict):
    """A.S.E v2's container protocol, run through a container sandbox (docker)."""

    image: str
    inner_path: str
    run_cmd: str | None = None
    status_check_cmd: str | None = None
    test_cmd: str | None = None
    poc_cmd: str | None = None
    privileged: bool = False


class Mutation(_Strict):
    """A mutant of the instance (`asebench.mutation`): after the source is fetched, the
    operators (by name) run over the masked files, seeded by `seed`, and the locations move
    with the code. The gold, variants and rules of a mutant instance use the mutant's names."""

    seed: int = Field(ge=0)
    operators: list[str] = Field(min_length=1)


class Instance(_Strict):
    """One benchmark task: a real project at a vulnerable version, the region(s) to regenerate."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9._+-]+$")
    cve: str | None = None
    ghsa: str | None = None
    cwe: str = Field(pattern=r"^CWE-\d+$")
    severity: Severity | None = None
    language: Language
    description: str = ""
    source: Source
    locations: list[Location] = Field(min_length=1)
    rules: list[Path] = Field(default_factory=list)
    poc: Command | None = None
    test: Command | None = None
    environment: Environment = Field(default_factory=Environment)
    container: ContainerSpec | None = None
    synthetic: bool = False
    mutation: Mutation | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    root: Path | None = Field(default=None, exclude=True)

    @field_validator("cwe", mode="before")
    @classmethod
    def _normalise_cwe(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip().upper()
        if isinstance(value, int):
            return f"CWE-{value}"
        return value

    @model_validator(mode="after")
    def _no_overlap(self) -> Instance:
        spans = sorted((loc.file, loc.start, loc.end, i) for i, loc in enumerate(self.locations))
        for (file, _, end, _), (other, start, _, j) in itertools.pairwise(spans):
            if file == other and start <= end:
                raise ValueError(f"locations.{j} overlaps another location in {file}")
        return self
